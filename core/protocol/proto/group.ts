import { decodeMessage, encodeMessage, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface GroupInvitation {
  version: number
  groupPk: Uint8Array
  secret: Uint8Array
  secretSig: Uint8Array
  linkKeySig: Uint8Array
}

export namespace GroupInvitation {
  let _codec: Codec<GroupInvitation>

  export const codec = (): Codec<GroupInvitation> => {
    if (_codec == null) {
      _codec = message<GroupInvitation>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if ((obj.groupPk != null && obj.groupPk.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.groupPk)
        }

        if ((obj.secret != null && obj.secret.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.secret)
        }

        if ((obj.secretSig != null && obj.secretSig.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.secretSig)
        }

        if ((obj.linkKeySig != null && obj.linkKeySig.byteLength > 0)) {
          w.uint32(42)
          w.bytes(obj.linkKeySig)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          groupPk: uint8ArrayAlloc(0),
          secret: uint8ArrayAlloc(0),
          secretSig: uint8ArrayAlloc(0),
          linkKeySig: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.version = reader.uint32()
              break
            }
            case 2: {
              obj.groupPk = reader.bytes()
              break
            }
            case 3: {
              obj.secret = reader.bytes()
              break
            }
            case 4: {
              obj.secretSig = reader.bytes()
              break
            }
            case 5: {
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
                field: `${prefix}.version`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.groupPk`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.secret`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.secretSig`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
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

  export interface GroupInvitationVersionFieldEvent {
    field: '$.version'
    value: number
  }

  export interface GroupInvitationGroupPkFieldEvent {
    field: '$.groupPk'
    value: Uint8Array
  }

  export interface GroupInvitationSecretFieldEvent {
    field: '$.secret'
    value: Uint8Array
  }

  export interface GroupInvitationSecretSigFieldEvent {
    field: '$.secretSig'
    value: Uint8Array
  }

  export interface GroupInvitationLinkKeySigFieldEvent {
    field: '$.linkKeySig'
    value: Uint8Array
  }

  export function encode (obj: Partial<GroupInvitation>): Uint8Array {
    return encodeMessage(obj, GroupInvitation.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupInvitation>): GroupInvitation {
    return decodeMessage(buf, GroupInvitation.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupInvitation>): Generator<GroupInvitationVersionFieldEvent | GroupInvitationGroupPkFieldEvent | GroupInvitationSecretFieldEvent | GroupInvitationSecretSigFieldEvent | GroupInvitationLinkKeySigFieldEvent> {
    return streamMessage(buf, GroupInvitation.codec(), opts)
  }
}

export interface SkippedMessageKey {
  counter: number
  messageKey: Uint8Array
}

export namespace SkippedMessageKey {
  let _codec: Codec<SkippedMessageKey>

  export const codec = (): Codec<SkippedMessageKey> => {
    if (_codec == null) {
      _codec = message<SkippedMessageKey>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.counter != null && obj.counter !== 0)) {
          w.uint32(8)
          w.uint64Number(obj.counter)
        }

        if ((obj.messageKey != null && obj.messageKey.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.messageKey)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          counter: 0,
          messageKey: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.counter = reader.uint64Number()
              break
            }
            case 2: {
              obj.messageKey = reader.bytes()
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
                field: `${prefix}.counter`,
                value: reader.uint64Number()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.messageKey`,
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

  export interface SkippedMessageKeyCounterFieldEvent {
    field: '$.counter'
    value: number
  }

  export interface SkippedMessageKeyMessageKeyFieldEvent {
    field: '$.messageKey'
    value: Uint8Array
  }

  export function encode (obj: Partial<SkippedMessageKey>): Uint8Array {
    return encodeMessage(obj, SkippedMessageKey.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SkippedMessageKey>): SkippedMessageKey {
    return decodeMessage(buf, SkippedMessageKey.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SkippedMessageKey>): Generator<SkippedMessageKeyCounterFieldEvent | SkippedMessageKeyMessageKeyFieldEvent> {
    return streamMessage(buf, SkippedMessageKey.codec(), opts)
  }
}

export interface ReceiverChainState {
  chainKey: Uint8Array
  counter: number
  skipped: SkippedMessageKey[]
  start?: number
}

export namespace ReceiverChainState {
  let _codec: Codec<ReceiverChainState>

  export const codec = (): Codec<ReceiverChainState> => {
    if (_codec == null) {
      _codec = message<ReceiverChainState>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.chainKey != null && obj.chainKey.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.chainKey)
        }

        if ((obj.counter != null && obj.counter !== 0)) {
          w.uint32(16)
          w.uint64Number(obj.counter)
        }

        if (obj.skipped != null && obj.skipped.length > 0) {
          for (const value of obj.skipped) {
            w.uint32(26)
            SkippedMessageKey.codec().encode(value, w)
          }
        }

        if (obj.start != null) {
          w.uint32(32)
          w.uint64Number(obj.start)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          chainKey: uint8ArrayAlloc(0),
          counter: 0,
          skipped: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.chainKey = reader.bytes()
              break
            }
            case 2: {
              obj.counter = reader.uint64Number()
              break
            }
            case 3: {
              if (opts.limits?.skipped != null && obj.skipped.length === opts.limits.skipped) {
                throw new MaxLengthError('Decode error - repeated field "skipped" had too many elements')
              }

              obj.skipped.push(SkippedMessageKey.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.skipped$
              }))
              break
            }
            case 4: {
              obj.start = reader.uint64Number()
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
        const obj = {
          skipped: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.chainKey`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.counter`,
                value: reader.uint64Number()
              }
              break
            }
            case 3: {
              if (opts.limits?.skipped != null && obj.skipped === opts.limits.skipped) {
                throw new MaxLengthError('Streaming decode error - repeated field "skipped" had too many elements')
              }

              for (const evt of SkippedMessageKey.codec().stream(reader, reader.uint32(), `${prefix}.skipped[]`, {
                limits: opts.limits?.skipped$
              })) {
                yield {
                  ...evt,
                  index: obj.skipped
                }
              }

              obj.skipped++

              break
            }
            case 4: {
              yield {
                field: `${prefix}.start`,
                value: reader.uint64Number()
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

  export interface ReceiverChainStateChainKeyFieldEvent {
    field: '$.chainKey'
    value: Uint8Array
  }

  export interface ReceiverChainStateCounterFieldEvent {
    field: '$.counter'
    value: number
  }

  export interface ReceiverChainStateSkippedCounterFieldEvent {
    field: '$.skipped[].counter'
    value: number
    index: number
  }

  export interface ReceiverChainStateSkippedMessageKeyFieldEvent {
    field: '$.skipped[].messageKey'
    value: Uint8Array
    index: number
  }

  export interface ReceiverChainStateStartFieldEvent {
    field: '$.start'
    value: number
  }

  export function encode (obj: Partial<ReceiverChainState>): Uint8Array {
    return encodeMessage(obj, ReceiverChainState.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ReceiverChainState>): ReceiverChainState {
    return decodeMessage(buf, ReceiverChainState.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ReceiverChainState>): Generator<ReceiverChainStateChainKeyFieldEvent | ReceiverChainStateCounterFieldEvent | ReceiverChainStateSkippedCounterFieldEvent | ReceiverChainStateSkippedMessageKeyFieldEvent | ReceiverChainStateStartFieldEvent> {
    return streamMessage(buf, ReceiverChainState.codec(), opts)
  }
}
