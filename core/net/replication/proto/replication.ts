import { decodeMessage, encodeMessage, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface Group {
  publicKey: Uint8Array
  secret: Uint8Array
  secretSig: Uint8Array
  groupType: number
  signPub: Uint8Array
  linkKey: Uint8Array
  linkKeySig: Uint8Array
}

export namespace Group {
  let _codec: Codec<Group>

  export const codec = (): Codec<Group> => {
    if (_codec == null) {
      _codec = message<Group>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.publicKey != null && obj.publicKey.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.publicKey)
        }

        if ((obj.secret != null && obj.secret.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.secret)
        }

        if ((obj.secretSig != null && obj.secretSig.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.secretSig)
        }

        if ((obj.groupType != null && obj.groupType !== 0)) {
          w.uint32(32)
          w.int32(obj.groupType)
        }

        if ((obj.signPub != null && obj.signPub.byteLength > 0)) {
          w.uint32(42)
          w.bytes(obj.signPub)
        }

        if ((obj.linkKey != null && obj.linkKey.byteLength > 0)) {
          w.uint32(50)
          w.bytes(obj.linkKey)
        }

        if ((obj.linkKeySig != null && obj.linkKeySig.byteLength > 0)) {
          w.uint32(58)
          w.bytes(obj.linkKeySig)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          publicKey: uint8ArrayAlloc(0),
          secret: uint8ArrayAlloc(0),
          secretSig: uint8ArrayAlloc(0),
          groupType: 0,
          signPub: uint8ArrayAlloc(0),
          linkKey: uint8ArrayAlloc(0),
          linkKeySig: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.publicKey = reader.bytes()
              break
            }
            case 2: {
              obj.secret = reader.bytes()
              break
            }
            case 3: {
              obj.secretSig = reader.bytes()
              break
            }
            case 4: {
              obj.groupType = reader.int32()
              break
            }
            case 5: {
              obj.signPub = reader.bytes()
              break
            }
            case 6: {
              obj.linkKey = reader.bytes()
              break
            }
            case 7: {
              obj.linkKeySig = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.publicKey`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.secret`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.secretSig`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.groupType`,
                value: reader.int32()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.signPub`,
                value: reader.bytes()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.linkKey`,
                value: reader.bytes()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.linkKeySig`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface GroupPublicKeyFieldEvent {
    field: '$.publicKey'
    value: Uint8Array
  }

  export interface GroupSecretFieldEvent {
    field: '$.secret'
    value: Uint8Array
  }

  export interface GroupSecretSigFieldEvent {
    field: '$.secretSig'
    value: Uint8Array
  }

  export interface GroupGroupTypeFieldEvent {
    field: '$.groupType'
    value: number
  }

  export interface GroupSignPubFieldEvent {
    field: '$.signPub'
    value: Uint8Array
  }

  export interface GroupLinkKeyFieldEvent {
    field: '$.linkKey'
    value: Uint8Array
  }

  export interface GroupLinkKeySigFieldEvent {
    field: '$.linkKeySig'
    value: Uint8Array
  }

  export function encode (obj: Partial<Group>): Uint8Array {
    return encodeMessage(obj, Group.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Group>): Group {
    return decodeMessage(buf, Group.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Group>): Generator<GroupPublicKeyFieldEvent | GroupSecretFieldEvent | GroupSecretSigFieldEvent | GroupGroupTypeFieldEvent | GroupSignPubFieldEvent | GroupLinkKeyFieldEvent | GroupLinkKeySigFieldEvent> {
    return streamMessage(buf, Group.codec(), opts)
  }
}

export interface ReplicateGroupRequest {
  group?: Group
  token: string
}

export namespace ReplicateGroupRequest {
  let _codec: Codec<ReplicateGroupRequest>

  export const codec = (): Codec<ReplicateGroupRequest> => {
    if (_codec == null) {
      _codec = message<ReplicateGroupRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.group != null) {
          w.uint32(10)
          Group.codec().encode(obj.group, w)
        }

        if ((obj.token != null && obj.token !== '')) {
          w.uint32(802)
          w.string(obj.token)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          token: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.group = Group.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.group
              })
              break
            }
            case 100: {
              obj.token = reader.string()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * Group.codec().stream(reader, reader.uint32(), `${prefix}.group`, {
                limits: opts.limits?.group
              })

              break
            }
            case 100: {
              yield {
                field: `${prefix}.token`,
                value: reader.string()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ReplicateGroupRequestGroupPublicKeyFieldEvent {
    field: '$.group.publicKey'
    value: Uint8Array
  }

  export interface ReplicateGroupRequestGroupSecretFieldEvent {
    field: '$.group.secret'
    value: Uint8Array
  }

  export interface ReplicateGroupRequestGroupSecretSigFieldEvent {
    field: '$.group.secretSig'
    value: Uint8Array
  }

  export interface ReplicateGroupRequestGroupGroupTypeFieldEvent {
    field: '$.group.groupType'
    value: number
  }

  export interface ReplicateGroupRequestGroupSignPubFieldEvent {
    field: '$.group.signPub'
    value: Uint8Array
  }

  export interface ReplicateGroupRequestGroupLinkKeyFieldEvent {
    field: '$.group.linkKey'
    value: Uint8Array
  }

  export interface ReplicateGroupRequestGroupLinkKeySigFieldEvent {
    field: '$.group.linkKeySig'
    value: Uint8Array
  }

  export interface ReplicateGroupRequestTokenFieldEvent {
    field: '$.token'
    value: string
  }

  export function encode (obj: Partial<ReplicateGroupRequest>): Uint8Array {
    return encodeMessage(obj, ReplicateGroupRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ReplicateGroupRequest>): ReplicateGroupRequest {
    return decodeMessage(buf, ReplicateGroupRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ReplicateGroupRequest>): Generator<ReplicateGroupRequestGroupPublicKeyFieldEvent | ReplicateGroupRequestGroupSecretFieldEvent | ReplicateGroupRequestGroupSecretSigFieldEvent | ReplicateGroupRequestGroupGroupTypeFieldEvent | ReplicateGroupRequestGroupSignPubFieldEvent | ReplicateGroupRequestGroupLinkKeyFieldEvent | ReplicateGroupRequestGroupLinkKeySigFieldEvent | ReplicateGroupRequestTokenFieldEvent> {
    return streamMessage(buf, ReplicateGroupRequest.codec(), opts)
  }
}

export interface ReplicateGroupReply {
  ok: boolean
  errorCode: string
  errorMessage: string
}

export namespace ReplicateGroupReply {
  let _codec: Codec<ReplicateGroupReply>

  export const codec = (): Codec<ReplicateGroupReply> => {
    if (_codec == null) {
      _codec = message<ReplicateGroupReply>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.ok != null && obj.ok !== false)) {
          w.uint32(8)
          w.bool(obj.ok)
        }

        if ((obj.errorCode != null && obj.errorCode !== '')) {
          w.uint32(802)
          w.string(obj.errorCode)
        }

        if ((obj.errorMessage != null && obj.errorMessage !== '')) {
          w.uint32(810)
          w.string(obj.errorMessage)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          ok: false,
          errorCode: '',
          errorMessage: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.ok = reader.bool()
              break
            }
            case 100: {
              obj.errorCode = reader.string()
              break
            }
            case 101: {
              obj.errorMessage = reader.string()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.ok`,
                value: reader.bool()
              }
              break
            }
            case 100: {
              yield {
                field: `${prefix}.errorCode`,
                value: reader.string()
              }
              break
            }
            case 101: {
              yield {
                field: `${prefix}.errorMessage`,
                value: reader.string()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ReplicateGroupReplyOkFieldEvent {
    field: '$.ok'
    value: boolean
  }

  export interface ReplicateGroupReplyErrorCodeFieldEvent {
    field: '$.errorCode'
    value: string
  }

  export interface ReplicateGroupReplyErrorMessageFieldEvent {
    field: '$.errorMessage'
    value: string
  }

  export function encode (obj: Partial<ReplicateGroupReply>): Uint8Array {
    return encodeMessage(obj, ReplicateGroupReply.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ReplicateGroupReply>): ReplicateGroupReply {
    return decodeMessage(buf, ReplicateGroupReply.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ReplicateGroupReply>): Generator<ReplicateGroupReplyOkFieldEvent | ReplicateGroupReplyErrorCodeFieldEvent | ReplicateGroupReplyErrorMessageFieldEvent> {
    return streamMessage(buf, ReplicateGroupReply.codec(), opts)
  }
}
