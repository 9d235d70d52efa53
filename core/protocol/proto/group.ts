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

export interface MetadataEventWire {
  type: number
  body: Uint8Array
  devicePk: Uint8Array
  deviceSig: Uint8Array
}

export namespace MetadataEventWire {
  let _codec: Codec<MetadataEventWire>

  export const codec = (): Codec<MetadataEventWire> => {
    if (_codec == null) {
      _codec = message<MetadataEventWire>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.type != null && obj.type !== 0)) {
          w.uint32(8)
          w.uint32(obj.type)
        }

        if ((obj.body != null && obj.body.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.body)
        }

        if ((obj.devicePk != null && obj.devicePk.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.devicePk)
        }

        if ((obj.deviceSig != null && obj.deviceSig.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.deviceSig)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          type: 0,
          body: uint8ArrayAlloc(0),
          devicePk: uint8ArrayAlloc(0),
          deviceSig: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.type = reader.uint32()
              break
            }
            case 2: {
              obj.body = reader.bytes()
              break
            }
            case 3: {
              obj.devicePk = reader.bytes()
              break
            }
            case 4: {
              obj.deviceSig = reader.bytes()
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
                field: `${prefix}.type`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.body`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.devicePk`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.deviceSig`,
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

  export interface MetadataEventWireTypeFieldEvent {
    field: '$.type'
    value: number
  }

  export interface MetadataEventWireBodyFieldEvent {
    field: '$.body'
    value: Uint8Array
  }

  export interface MetadataEventWireDevicePkFieldEvent {
    field: '$.devicePk'
    value: Uint8Array
  }

  export interface MetadataEventWireDeviceSigFieldEvent {
    field: '$.deviceSig'
    value: Uint8Array
  }

  export function encode (obj: Partial<MetadataEventWire>): Uint8Array {
    return encodeMessage(obj, MetadataEventWire.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MetadataEventWire>): MetadataEventWire {
    return decodeMessage(buf, MetadataEventWire.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MetadataEventWire>): Generator<MetadataEventWireTypeFieldEvent | MetadataEventWireBodyFieldEvent | MetadataEventWireDevicePkFieldEvent | MetadataEventWireDeviceSigFieldEvent> {
    return streamMessage(buf, MetadataEventWire.codec(), opts)
  }
}

export interface InitMemberBody {
  memberPk: Uint8Array
  groupSig: Uint8Array
}

export namespace InitMemberBody {
  let _codec: Codec<InitMemberBody>

  export const codec = (): Codec<InitMemberBody> => {
    if (_codec == null) {
      _codec = message<InitMemberBody>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.memberPk != null && obj.memberPk.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.memberPk)
        }

        if ((obj.groupSig != null && obj.groupSig.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.groupSig)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          memberPk: uint8ArrayAlloc(0),
          groupSig: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.memberPk = reader.bytes()
              break
            }
            case 2: {
              obj.groupSig = reader.bytes()
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
                field: `${prefix}.memberPk`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.groupSig`,
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

  export interface InitMemberBodyMemberPkFieldEvent {
    field: '$.memberPk'
    value: Uint8Array
  }

  export interface InitMemberBodyGroupSigFieldEvent {
    field: '$.groupSig'
    value: Uint8Array
  }

  export function encode (obj: Partial<InitMemberBody>): Uint8Array {
    return encodeMessage(obj, InitMemberBody.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<InitMemberBody>): InitMemberBody {
    return decodeMessage(buf, InitMemberBody.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<InitMemberBody>): Generator<InitMemberBodyMemberPkFieldEvent | InitMemberBodyGroupSigFieldEvent> {
    return streamMessage(buf, InitMemberBody.codec(), opts)
  }
}

export interface MemberDeviceBody {
  memberPk: Uint8Array
  devicePk: Uint8Array
  memberSig: Uint8Array
}

export namespace MemberDeviceBody {
  let _codec: Codec<MemberDeviceBody>

  export const codec = (): Codec<MemberDeviceBody> => {
    if (_codec == null) {
      _codec = message<MemberDeviceBody>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.memberPk != null && obj.memberPk.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.memberPk)
        }

        if ((obj.devicePk != null && obj.devicePk.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.devicePk)
        }

        if ((obj.memberSig != null && obj.memberSig.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.memberSig)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          memberPk: uint8ArrayAlloc(0),
          devicePk: uint8ArrayAlloc(0),
          memberSig: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.memberPk = reader.bytes()
              break
            }
            case 2: {
              obj.devicePk = reader.bytes()
              break
            }
            case 3: {
              obj.memberSig = reader.bytes()
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
                field: `${prefix}.memberPk`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.devicePk`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.memberSig`,
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

  export interface MemberDeviceBodyMemberPkFieldEvent {
    field: '$.memberPk'
    value: Uint8Array
  }

  export interface MemberDeviceBodyDevicePkFieldEvent {
    field: '$.devicePk'
    value: Uint8Array
  }

  export interface MemberDeviceBodyMemberSigFieldEvent {
    field: '$.memberSig'
    value: Uint8Array
  }

  export function encode (obj: Partial<MemberDeviceBody>): Uint8Array {
    return encodeMessage(obj, MemberDeviceBody.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MemberDeviceBody>): MemberDeviceBody {
    return decodeMessage(buf, MemberDeviceBody.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MemberDeviceBody>): Generator<MemberDeviceBodyMemberPkFieldEvent | MemberDeviceBodyDevicePkFieldEvent | MemberDeviceBodyMemberSigFieldEvent> {
    return streamMessage(buf, MemberDeviceBody.codec(), opts)
  }
}

export interface DeviceSecretBody {
  senderDevicePk: Uint8Array
  receiverMemberPk: Uint8Array
  box: Uint8Array
}

export namespace DeviceSecretBody {
  let _codec: Codec<DeviceSecretBody>

  export const codec = (): Codec<DeviceSecretBody> => {
    if (_codec == null) {
      _codec = message<DeviceSecretBody>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.senderDevicePk != null && obj.senderDevicePk.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.senderDevicePk)
        }

        if ((obj.receiverMemberPk != null && obj.receiverMemberPk.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.receiverMemberPk)
        }

        if ((obj.box != null && obj.box.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.box)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          senderDevicePk: uint8ArrayAlloc(0),
          receiverMemberPk: uint8ArrayAlloc(0),
          box: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.senderDevicePk = reader.bytes()
              break
            }
            case 2: {
              obj.receiverMemberPk = reader.bytes()
              break
            }
            case 3: {
              obj.box = reader.bytes()
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
                field: `${prefix}.senderDevicePk`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.receiverMemberPk`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.box`,
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

  export interface DeviceSecretBodySenderDevicePkFieldEvent {
    field: '$.senderDevicePk'
    value: Uint8Array
  }

  export interface DeviceSecretBodyReceiverMemberPkFieldEvent {
    field: '$.receiverMemberPk'
    value: Uint8Array
  }

  export interface DeviceSecretBodyBoxFieldEvent {
    field: '$.box'
    value: Uint8Array
  }

  export function encode (obj: Partial<DeviceSecretBody>): Uint8Array {
    return encodeMessage(obj, DeviceSecretBody.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeviceSecretBody>): DeviceSecretBody {
    return decodeMessage(buf, DeviceSecretBody.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeviceSecretBody>): Generator<DeviceSecretBodySenderDevicePkFieldEvent | DeviceSecretBodyReceiverMemberPkFieldEvent | DeviceSecretBodyBoxFieldEvent> {
    return streamMessage(buf, DeviceSecretBody.codec(), opts)
  }
}

export interface DeviceChainKey {
  chainKey: Uint8Array
  counter: number
}

export namespace DeviceChainKey {
  let _codec: Codec<DeviceChainKey>

  export const codec = (): Codec<DeviceChainKey> => {
    if (_codec == null) {
      _codec = message<DeviceChainKey>((obj, w, opts = {}) => {
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

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          chainKey: uint8ArrayAlloc(0),
          counter: 0
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

  export interface DeviceChainKeyChainKeyFieldEvent {
    field: '$.chainKey'
    value: Uint8Array
  }

  export interface DeviceChainKeyCounterFieldEvent {
    field: '$.counter'
    value: number
  }

  export function encode (obj: Partial<DeviceChainKey>): Uint8Array {
    return encodeMessage(obj, DeviceChainKey.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeviceChainKey>): DeviceChainKey {
    return decodeMessage(buf, DeviceChainKey.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeviceChainKey>): Generator<DeviceChainKeyChainKeyFieldEvent | DeviceChainKeyCounterFieldEvent> {
    return streamMessage(buf, DeviceChainKey.codec(), opts)
  }
}

export interface AliasBody {
  resolver: Uint8Array
  proof: Uint8Array
}

export namespace AliasBody {
  let _codec: Codec<AliasBody>

  export const codec = (): Codec<AliasBody> => {
    if (_codec == null) {
      _codec = message<AliasBody>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.resolver != null && obj.resolver.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.resolver)
        }

        if ((obj.proof != null && obj.proof.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.proof)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          resolver: uint8ArrayAlloc(0),
          proof: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.resolver = reader.bytes()
              break
            }
            case 2: {
              obj.proof = reader.bytes()
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
                field: `${prefix}.resolver`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.proof`,
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

  export interface AliasBodyResolverFieldEvent {
    field: '$.resolver'
    value: Uint8Array
  }

  export interface AliasBodyProofFieldEvent {
    field: '$.proof'
    value: Uint8Array
  }

  export function encode (obj: Partial<AliasBody>): Uint8Array {
    return encodeMessage(obj, AliasBody.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AliasBody>): AliasBody {
    return decodeMessage(buf, AliasBody.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AliasBody>): Generator<AliasBodyResolverFieldEvent | AliasBodyProofFieldEvent> {
    return streamMessage(buf, AliasBody.codec(), opts)
  }
}

export interface GroupInfoBody {
  name: string
}

export namespace GroupInfoBody {
  let _codec: Codec<GroupInfoBody>

  export const codec = (): Codec<GroupInfoBody> => {
    if (_codec == null) {
      _codec = message<GroupInfoBody>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.name != null && obj.name !== '')) {
          w.uint32(10)
          w.string(obj.name)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          name: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.name = reader.string()
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
                field: `${prefix}.name`,
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

  export interface GroupInfoBodyNameFieldEvent {
    field: '$.name'
    value: string
  }

  export function encode (obj: Partial<GroupInfoBody>): Uint8Array {
    return encodeMessage(obj, GroupInfoBody.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupInfoBody>): GroupInfoBody {
    return decodeMessage(buf, GroupInfoBody.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupInfoBody>): Generator<GroupInfoBodyNameFieldEvent> {
    return streamMessage(buf, GroupInfoBody.codec(), opts)
  }
}

export interface MemberLeaveBody {
  devicePk: Uint8Array
}

export namespace MemberLeaveBody {
  let _codec: Codec<MemberLeaveBody>

  export const codec = (): Codec<MemberLeaveBody> => {
    if (_codec == null) {
      _codec = message<MemberLeaveBody>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.devicePk != null && obj.devicePk.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.devicePk)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          devicePk: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.devicePk = reader.bytes()
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
                field: `${prefix}.devicePk`,
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

  export interface MemberLeaveBodyDevicePkFieldEvent {
    field: '$.devicePk'
    value: Uint8Array
  }

  export function encode (obj: Partial<MemberLeaveBody>): Uint8Array {
    return encodeMessage(obj, MemberLeaveBody.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MemberLeaveBody>): MemberLeaveBody {
    return decodeMessage(buf, MemberLeaveBody.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MemberLeaveBody>): Generator<MemberLeaveBodyDevicePkFieldEvent> {
    return streamMessage(buf, MemberLeaveBody.codec(), opts)
  }
}

export interface MemberProfileBody {
  displayName: string
}

export namespace MemberProfileBody {
  let _codec: Codec<MemberProfileBody>

  export const codec = (): Codec<MemberProfileBody> => {
    if (_codec == null) {
      _codec = message<MemberProfileBody>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.displayName != null && obj.displayName !== '')) {
          w.uint32(10)
          w.string(obj.displayName)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          displayName: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.displayName = reader.string()
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
                field: `${prefix}.displayName`,
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

  export interface MemberProfileBodyDisplayNameFieldEvent {
    field: '$.displayName'
    value: string
  }

  export function encode (obj: Partial<MemberProfileBody>): Uint8Array {
    return encodeMessage(obj, MemberProfileBody.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MemberProfileBody>): MemberProfileBody {
    return decodeMessage(buf, MemberProfileBody.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MemberProfileBody>): Generator<MemberProfileBodyDisplayNameFieldEvent> {
    return streamMessage(buf, MemberProfileBody.codec(), opts)
  }
}

export interface MessagePayload {
  text: string
  sentAtMs: number
}

export namespace MessagePayload {
  let _codec: Codec<MessagePayload>

  export const codec = (): Codec<MessagePayload> => {
    if (_codec == null) {
      _codec = message<MessagePayload>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.text != null && obj.text !== '')) {
          w.uint32(10)
          w.string(obj.text)
        }

        if ((obj.sentAtMs != null && obj.sentAtMs !== 0)) {
          w.uint32(16)
          w.uint64Number(obj.sentAtMs)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          text: '',
          sentAtMs: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.text = reader.string()
              break
            }
            case 2: {
              obj.sentAtMs = reader.uint64Number()
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
                field: `${prefix}.text`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.sentAtMs`,
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

  export interface MessagePayloadTextFieldEvent {
    field: '$.text'
    value: string
  }

  export interface MessagePayloadSentAtMsFieldEvent {
    field: '$.sentAtMs'
    value: number
  }

  export function encode (obj: Partial<MessagePayload>): Uint8Array {
    return encodeMessage(obj, MessagePayload.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MessagePayload>): MessagePayload {
    return decodeMessage(buf, MessagePayload.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MessagePayload>): Generator<MessagePayloadTextFieldEvent | MessagePayloadSentAtMsFieldEvent> {
    return streamMessage(buf, MessagePayload.codec(), opts)
  }
}

export interface MessageHeaders {
  counter: number
  devicePk: Uint8Array
  sig: Uint8Array
}

export namespace MessageHeaders {
  let _codec: Codec<MessageHeaders>

  export const codec = (): Codec<MessageHeaders> => {
    if (_codec == null) {
      _codec = message<MessageHeaders>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.counter != null && obj.counter !== 0)) {
          w.uint32(8)
          w.uint64Number(obj.counter)
        }

        if ((obj.devicePk != null && obj.devicePk.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.devicePk)
        }

        if ((obj.sig != null && obj.sig.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.sig)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          counter: 0,
          devicePk: uint8ArrayAlloc(0),
          sig: uint8ArrayAlloc(0)
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
              obj.devicePk = reader.bytes()
              break
            }
            case 3: {
              obj.sig = reader.bytes()
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
                field: `${prefix}.devicePk`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.sig`,
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

  export interface MessageHeadersCounterFieldEvent {
    field: '$.counter'
    value: number
  }

  export interface MessageHeadersDevicePkFieldEvent {
    field: '$.devicePk'
    value: Uint8Array
  }

  export interface MessageHeadersSigFieldEvent {
    field: '$.sig'
    value: Uint8Array
  }

  export function encode (obj: Partial<MessageHeaders>): Uint8Array {
    return encodeMessage(obj, MessageHeaders.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MessageHeaders>): MessageHeaders {
    return decodeMessage(buf, MessageHeaders.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MessageHeaders>): Generator<MessageHeadersCounterFieldEvent | MessageHeadersDevicePkFieldEvent | MessageHeadersSigFieldEvent> {
    return streamMessage(buf, MessageHeaders.codec(), opts)
  }
}

export interface MessageEnvelope {
  headers: Uint8Array
  body: Uint8Array
}

export namespace MessageEnvelope {
  let _codec: Codec<MessageEnvelope>

  export const codec = (): Codec<MessageEnvelope> => {
    if (_codec == null) {
      _codec = message<MessageEnvelope>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.headers != null && obj.headers.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.headers)
        }

        if ((obj.body != null && obj.body.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.body)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          headers: uint8ArrayAlloc(0),
          body: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.headers = reader.bytes()
              break
            }
            case 2: {
              obj.body = reader.bytes()
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
                field: `${prefix}.headers`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.body`,
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

  export interface MessageEnvelopeHeadersFieldEvent {
    field: '$.headers'
    value: Uint8Array
  }

  export interface MessageEnvelopeBodyFieldEvent {
    field: '$.body'
    value: Uint8Array
  }

  export function encode (obj: Partial<MessageEnvelope>): Uint8Array {
    return encodeMessage(obj, MessageEnvelope.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MessageEnvelope>): MessageEnvelope {
    return decodeMessage(buf, MessageEnvelope.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MessageEnvelope>): Generator<MessageEnvelopeHeadersFieldEvent | MessageEnvelopeBodyFieldEvent> {
    return streamMessage(buf, MessageEnvelope.codec(), opts)
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

  export function encode (obj: Partial<ReceiverChainState>): Uint8Array {
    return encodeMessage(obj, ReceiverChainState.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ReceiverChainState>): ReceiverChainState {
    return decodeMessage(buf, ReceiverChainState.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ReceiverChainState>): Generator<ReceiverChainStateChainKeyFieldEvent | ReceiverChainStateCounterFieldEvent | ReceiverChainStateSkippedCounterFieldEvent | ReceiverChainStateSkippedMessageKeyFieldEvent> {
    return streamMessage(buf, ReceiverChainState.codec(), opts)
  }
}
