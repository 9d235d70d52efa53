import { decodeMessage, encodeMessage, enumeration, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export enum GroupType {
  GroupTypeUndefined = 'GroupTypeUndefined',
  GroupTypeAccount = 'GroupTypeAccount',
  GroupTypeContact = 'GroupTypeContact',
  GroupTypeMultiMember = 'GroupTypeMultiMember'
}

enum __GroupTypeValues {
  GroupTypeUndefined = 0,
  GroupTypeAccount = 1,
  GroupTypeContact = 2,
  GroupTypeMultiMember = 3
}

export namespace GroupType {
  export const codec = (): Codec<GroupType> => {
    return enumeration<GroupType>(__GroupTypeValues)
  }
}

export interface WeshGroup {
  publicKey: Uint8Array
  secret: Uint8Array
  secretSig: Uint8Array
  groupType: GroupType
  signPub: Uint8Array
  linkKey: Uint8Array
  linkKeySig: Uint8Array
}

export namespace WeshGroup {
  let _codec: Codec<WeshGroup>

  export const codec = (): Codec<WeshGroup> => {
    if (_codec == null) {
      _codec = message<WeshGroup>((obj, w, opts = {}) => {
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

        if (obj.groupType != null && __GroupTypeValues[obj.groupType] !== 0) {
          w.uint32(32)
          GroupType.codec().encode(obj.groupType, w)
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
          groupType: GroupType.GroupTypeUndefined,
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
              obj.groupType = GroupType.codec().decode(reader)
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
                value: GroupType.codec().decode(reader)
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

  export interface WeshGroupPublicKeyFieldEvent {
    field: '$.publicKey'
    value: Uint8Array
  }

  export interface WeshGroupSecretFieldEvent {
    field: '$.secret'
    value: Uint8Array
  }

  export interface WeshGroupSecretSigFieldEvent {
    field: '$.secretSig'
    value: Uint8Array
  }

  export interface WeshGroupGroupTypeFieldEvent {
    field: '$.groupType'
    value: GroupType
  }

  export interface WeshGroupSignPubFieldEvent {
    field: '$.signPub'
    value: Uint8Array
  }

  export interface WeshGroupLinkKeyFieldEvent {
    field: '$.linkKey'
    value: Uint8Array
  }

  export interface WeshGroupLinkKeySigFieldEvent {
    field: '$.linkKeySig'
    value: Uint8Array
  }

  export function encode (obj: Partial<WeshGroup>): Uint8Array {
    return encodeMessage(obj, WeshGroup.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<WeshGroup>): WeshGroup {
    return decodeMessage(buf, WeshGroup.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<WeshGroup>): Generator<WeshGroupPublicKeyFieldEvent | WeshGroupSecretFieldEvent | WeshGroupSecretSigFieldEvent | WeshGroupGroupTypeFieldEvent | WeshGroupSignPubFieldEvent | WeshGroupLinkKeyFieldEvent | WeshGroupLinkKeySigFieldEvent> {
    return streamMessage(buf, WeshGroup.codec(), opts)
  }
}

export interface BertyID {
  publicRendezvousSeed: Uint8Array
  accountPk: Uint8Array
  displayName: string
}

export namespace BertyID {
  let _codec: Codec<BertyID>

  export const codec = (): Codec<BertyID> => {
    if (_codec == null) {
      _codec = message<BertyID>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.publicRendezvousSeed != null && obj.publicRendezvousSeed.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.publicRendezvousSeed)
        }

        if ((obj.accountPk != null && obj.accountPk.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.accountPk)
        }

        if ((obj.displayName != null && obj.displayName !== '')) {
          w.uint32(26)
          w.string(obj.displayName)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          publicRendezvousSeed: uint8ArrayAlloc(0),
          accountPk: uint8ArrayAlloc(0),
          displayName: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.publicRendezvousSeed = reader.bytes()
              break
            }
            case 2: {
              obj.accountPk = reader.bytes()
              break
            }
            case 3: {
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
                field: `${prefix}.publicRendezvousSeed`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.accountPk`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
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

  export interface BertyIDPublicRendezvousSeedFieldEvent {
    field: '$.publicRendezvousSeed'
    value: Uint8Array
  }

  export interface BertyIDAccountPkFieldEvent {
    field: '$.accountPk'
    value: Uint8Array
  }

  export interface BertyIDDisplayNameFieldEvent {
    field: '$.displayName'
    value: string
  }

  export function encode (obj: Partial<BertyID>): Uint8Array {
    return encodeMessage(obj, BertyID.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BertyID>): BertyID {
    return decodeMessage(buf, BertyID.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BertyID>): Generator<BertyIDPublicRendezvousSeedFieldEvent | BertyIDAccountPkFieldEvent | BertyIDDisplayNameFieldEvent> {
    return streamMessage(buf, BertyID.codec(), opts)
  }
}

export interface BertyGroup {
  group?: WeshGroup
  displayName: string
}

export namespace BertyGroup {
  let _codec: Codec<BertyGroup>

  export const codec = (): Codec<BertyGroup> => {
    if (_codec == null) {
      _codec = message<BertyGroup>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.group != null) {
          w.uint32(10)
          WeshGroup.codec().encode(obj.group, w)
        }

        if ((obj.displayName != null && obj.displayName !== '')) {
          w.uint32(18)
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
              obj.group = WeshGroup.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.group
              })
              break
            }
            case 2: {
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
              yield * WeshGroup.codec().stream(reader, reader.uint32(), `${prefix}.group`, {
                limits: opts.limits?.group
              })

              break
            }
            case 2: {
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

  export interface BertyGroupGroupPublicKeyFieldEvent {
    field: '$.group.publicKey'
    value: Uint8Array
  }

  export interface BertyGroupGroupSecretFieldEvent {
    field: '$.group.secret'
    value: Uint8Array
  }

  export interface BertyGroupGroupSecretSigFieldEvent {
    field: '$.group.secretSig'
    value: Uint8Array
  }

  export interface BertyGroupGroupGroupTypeFieldEvent {
    field: '$.group.groupType'
    value: GroupType
  }

  export interface BertyGroupGroupSignPubFieldEvent {
    field: '$.group.signPub'
    value: Uint8Array
  }

  export interface BertyGroupGroupLinkKeyFieldEvent {
    field: '$.group.linkKey'
    value: Uint8Array
  }

  export interface BertyGroupGroupLinkKeySigFieldEvent {
    field: '$.group.linkKeySig'
    value: Uint8Array
  }

  export interface BertyGroupDisplayNameFieldEvent {
    field: '$.displayName'
    value: string
  }

  export function encode (obj: Partial<BertyGroup>): Uint8Array {
    return encodeMessage(obj, BertyGroup.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BertyGroup>): BertyGroup {
    return decodeMessage(buf, BertyGroup.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BertyGroup>): Generator<BertyGroupGroupPublicKeyFieldEvent | BertyGroupGroupSecretFieldEvent | BertyGroupGroupSecretSigFieldEvent | BertyGroupGroupGroupTypeFieldEvent | BertyGroupGroupSignPubFieldEvent | BertyGroupGroupLinkKeyFieldEvent | BertyGroupGroupLinkKeySigFieldEvent | BertyGroupDisplayNameFieldEvent> {
    return streamMessage(buf, BertyGroup.codec(), opts)
  }
}

export interface BertyLink {
  kind: BertyLink.Kind
  bertyId?: BertyID
  bertyGroup?: BertyGroup
  encrypted?: BertyLink.Encrypted
  bertyMessageRef?: BertyLink.BertyMessageRef
}

export namespace BertyLink {
  export enum Kind {
    UnknownKind = 'UnknownKind',
    ContactInviteV1Kind = 'ContactInviteV1Kind',
    GroupV1Kind = 'GroupV1Kind',
    EncryptedV1Kind = 'EncryptedV1Kind',
    MessageV1Kind = 'MessageV1Kind'
  }

  enum __KindValues {
    UnknownKind = 0,
    ContactInviteV1Kind = 1,
    GroupV1Kind = 2,
    EncryptedV1Kind = 3,
    MessageV1Kind = 4
  }

  export namespace Kind {
    export const codec = (): Codec<Kind> => {
      return enumeration<Kind>(__KindValues)
    }
  }

  export interface Encrypted {
    kind: BertyLink.Kind
    nonce: Uint8Array
    displayName: string
    checksum: Uint8Array
    contactPublicRendezvousSeed: Uint8Array
    contactAccountPk: Uint8Array
    groupPublicKey: Uint8Array
    groupSecret: Uint8Array
    groupSecretSig: Uint8Array
    groupType: GroupType
    groupSignPub: Uint8Array
    groupLinkKeySig: Uint8Array
  }

  export namespace Encrypted {
    let _codec: Codec<Encrypted>

    export const codec = (): Codec<Encrypted> => {
      if (_codec == null) {
        _codec = message<Encrypted>((obj, w, opts = {}) => {
          if (opts.lengthDelimited !== false) {
            w.fork()
          }

          if (obj.kind != null && __KindValues[obj.kind] !== 0) {
            w.uint32(8)
            BertyLink.Kind.codec().encode(obj.kind, w)
          }

          if ((obj.nonce != null && obj.nonce.byteLength > 0)) {
            w.uint32(18)
            w.bytes(obj.nonce)
          }

          if ((obj.displayName != null && obj.displayName !== '')) {
            w.uint32(26)
            w.string(obj.displayName)
          }

          if ((obj.checksum != null && obj.checksum.byteLength > 0)) {
            w.uint32(34)
            w.bytes(obj.checksum)
          }

          if ((obj.contactPublicRendezvousSeed != null && obj.contactPublicRendezvousSeed.byteLength > 0)) {
            w.uint32(82)
            w.bytes(obj.contactPublicRendezvousSeed)
          }

          if ((obj.contactAccountPk != null && obj.contactAccountPk.byteLength > 0)) {
            w.uint32(90)
            w.bytes(obj.contactAccountPk)
          }

          if ((obj.groupPublicKey != null && obj.groupPublicKey.byteLength > 0)) {
            w.uint32(162)
            w.bytes(obj.groupPublicKey)
          }

          if ((obj.groupSecret != null && obj.groupSecret.byteLength > 0)) {
            w.uint32(170)
            w.bytes(obj.groupSecret)
          }

          if ((obj.groupSecretSig != null && obj.groupSecretSig.byteLength > 0)) {
            w.uint32(178)
            w.bytes(obj.groupSecretSig)
          }

          if (obj.groupType != null && __GroupTypeValues[obj.groupType] !== 0) {
            w.uint32(184)
            GroupType.codec().encode(obj.groupType, w)
          }

          if ((obj.groupSignPub != null && obj.groupSignPub.byteLength > 0)) {
            w.uint32(194)
            w.bytes(obj.groupSignPub)
          }

          if ((obj.groupLinkKeySig != null && obj.groupLinkKeySig.byteLength > 0)) {
            w.uint32(202)
            w.bytes(obj.groupLinkKeySig)
          }

          if (opts.lengthDelimited !== false) {
            w.ldelim()
          }
        }, (reader, length, opts = {}) => {
          const obj: any = {
            kind: Kind.UnknownKind,
            nonce: uint8ArrayAlloc(0),
            displayName: '',
            checksum: uint8ArrayAlloc(0),
            contactPublicRendezvousSeed: uint8ArrayAlloc(0),
            contactAccountPk: uint8ArrayAlloc(0),
            groupPublicKey: uint8ArrayAlloc(0),
            groupSecret: uint8ArrayAlloc(0),
            groupSecretSig: uint8ArrayAlloc(0),
            groupType: GroupType.GroupTypeUndefined,
            groupSignPub: uint8ArrayAlloc(0),
            groupLinkKeySig: uint8ArrayAlloc(0)
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                obj.kind = BertyLink.Kind.codec().decode(reader)
                break
              }
              case 2: {
                obj.nonce = reader.bytes()
                break
              }
              case 3: {
                obj.displayName = reader.string()
                break
              }
              case 4: {
                obj.checksum = reader.bytes()
                break
              }
              case 10: {
                obj.contactPublicRendezvousSeed = reader.bytes()
                break
              }
              case 11: {
                obj.contactAccountPk = reader.bytes()
                break
              }
              case 20: {
                obj.groupPublicKey = reader.bytes()
                break
              }
              case 21: {
                obj.groupSecret = reader.bytes()
                break
              }
              case 22: {
                obj.groupSecretSig = reader.bytes()
                break
              }
              case 23: {
                obj.groupType = GroupType.codec().decode(reader)
                break
              }
              case 24: {
                obj.groupSignPub = reader.bytes()
                break
              }
              case 25: {
                obj.groupLinkKeySig = reader.bytes()
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
                  field: `${prefix}.kind`,
                  value: BertyLink.Kind.codec().decode(reader)
                }
                break
              }
              case 2: {
                yield {
                  field: `${prefix}.nonce`,
                  value: reader.bytes()
                }
                break
              }
              case 3: {
                yield {
                  field: `${prefix}.displayName`,
                  value: reader.string()
                }
                break
              }
              case 4: {
                yield {
                  field: `${prefix}.checksum`,
                  value: reader.bytes()
                }
                break
              }
              case 10: {
                yield {
                  field: `${prefix}.contactPublicRendezvousSeed`,
                  value: reader.bytes()
                }
                break
              }
              case 11: {
                yield {
                  field: `${prefix}.contactAccountPk`,
                  value: reader.bytes()
                }
                break
              }
              case 20: {
                yield {
                  field: `${prefix}.groupPublicKey`,
                  value: reader.bytes()
                }
                break
              }
              case 21: {
                yield {
                  field: `${prefix}.groupSecret`,
                  value: reader.bytes()
                }
                break
              }
              case 22: {
                yield {
                  field: `${prefix}.groupSecretSig`,
                  value: reader.bytes()
                }
                break
              }
              case 23: {
                yield {
                  field: `${prefix}.groupType`,
                  value: GroupType.codec().decode(reader)
                }
                break
              }
              case 24: {
                yield {
                  field: `${prefix}.groupSignPub`,
                  value: reader.bytes()
                }
                break
              }
              case 25: {
                yield {
                  field: `${prefix}.groupLinkKeySig`,
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

    export interface EncryptedKindFieldEvent {
      field: '$.kind'
      value: BertyLink.Kind
    }

    export interface EncryptedNonceFieldEvent {
      field: '$.nonce'
      value: Uint8Array
    }

    export interface EncryptedDisplayNameFieldEvent {
      field: '$.displayName'
      value: string
    }

    export interface EncryptedChecksumFieldEvent {
      field: '$.checksum'
      value: Uint8Array
    }

    export interface EncryptedContactPublicRendezvousSeedFieldEvent {
      field: '$.contactPublicRendezvousSeed'
      value: Uint8Array
    }

    export interface EncryptedContactAccountPkFieldEvent {
      field: '$.contactAccountPk'
      value: Uint8Array
    }

    export interface EncryptedGroupPublicKeyFieldEvent {
      field: '$.groupPublicKey'
      value: Uint8Array
    }

    export interface EncryptedGroupSecretFieldEvent {
      field: '$.groupSecret'
      value: Uint8Array
    }

    export interface EncryptedGroupSecretSigFieldEvent {
      field: '$.groupSecretSig'
      value: Uint8Array
    }

    export interface EncryptedGroupTypeFieldEvent {
      field: '$.groupType'
      value: GroupType
    }

    export interface EncryptedGroupSignPubFieldEvent {
      field: '$.groupSignPub'
      value: Uint8Array
    }

    export interface EncryptedGroupLinkKeySigFieldEvent {
      field: '$.groupLinkKeySig'
      value: Uint8Array
    }

    export function encode (obj: Partial<Encrypted>): Uint8Array {
      return encodeMessage(obj, Encrypted.codec())
    }

    export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Encrypted>): Encrypted {
      return decodeMessage(buf, Encrypted.codec(), opts)
    }

    export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Encrypted>): Generator<EncryptedKindFieldEvent | EncryptedNonceFieldEvent | EncryptedDisplayNameFieldEvent | EncryptedChecksumFieldEvent | EncryptedContactPublicRendezvousSeedFieldEvent | EncryptedContactAccountPkFieldEvent | EncryptedGroupPublicKeyFieldEvent | EncryptedGroupSecretFieldEvent | EncryptedGroupSecretSigFieldEvent | EncryptedGroupTypeFieldEvent | EncryptedGroupSignPubFieldEvent | EncryptedGroupLinkKeySigFieldEvent> {
      return streamMessage(buf, Encrypted.codec(), opts)
    }
  }

  export interface BertyMessageRef {
    accountId: string
    groupPk: string
    messageId: string
  }

  export namespace BertyMessageRef {
    let _codec: Codec<BertyMessageRef>

    export const codec = (): Codec<BertyMessageRef> => {
      if (_codec == null) {
        _codec = message<BertyMessageRef>((obj, w, opts = {}) => {
          if (opts.lengthDelimited !== false) {
            w.fork()
          }

          if ((obj.accountId != null && obj.accountId !== '')) {
            w.uint32(10)
            w.string(obj.accountId)
          }

          if ((obj.groupPk != null && obj.groupPk !== '')) {
            w.uint32(18)
            w.string(obj.groupPk)
          }

          if ((obj.messageId != null && obj.messageId !== '')) {
            w.uint32(26)
            w.string(obj.messageId)
          }

          if (opts.lengthDelimited !== false) {
            w.ldelim()
          }
        }, (reader, length, opts = {}) => {
          const obj: any = {
            accountId: '',
            groupPk: '',
            messageId: ''
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                obj.accountId = reader.string()
                break
              }
              case 2: {
                obj.groupPk = reader.string()
                break
              }
              case 3: {
                obj.messageId = reader.string()
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
                  field: `${prefix}.accountId`,
                  value: reader.string()
                }
                break
              }
              case 2: {
                yield {
                  field: `${prefix}.groupPk`,
                  value: reader.string()
                }
                break
              }
              case 3: {
                yield {
                  field: `${prefix}.messageId`,
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

    export interface BertyMessageRefAccountIdFieldEvent {
      field: '$.accountId'
      value: string
    }

    export interface BertyMessageRefGroupPkFieldEvent {
      field: '$.groupPk'
      value: string
    }

    export interface BertyMessageRefMessageIdFieldEvent {
      field: '$.messageId'
      value: string
    }

    export function encode (obj: Partial<BertyMessageRef>): Uint8Array {
      return encodeMessage(obj, BertyMessageRef.codec())
    }

    export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BertyMessageRef>): BertyMessageRef {
      return decodeMessage(buf, BertyMessageRef.codec(), opts)
    }

    export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BertyMessageRef>): Generator<BertyMessageRefAccountIdFieldEvent | BertyMessageRefGroupPkFieldEvent | BertyMessageRefMessageIdFieldEvent> {
      return streamMessage(buf, BertyMessageRef.codec(), opts)
    }
  }

  let _codec: Codec<BertyLink>

  export const codec = (): Codec<BertyLink> => {
    if (_codec == null) {
      _codec = message<BertyLink>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.kind != null && __KindValues[obj.kind] !== 0) {
          w.uint32(8)
          BertyLink.Kind.codec().encode(obj.kind, w)
        }

        if (obj.bertyId != null) {
          w.uint32(18)
          BertyID.codec().encode(obj.bertyId, w)
        }

        if (obj.bertyGroup != null) {
          w.uint32(26)
          BertyGroup.codec().encode(obj.bertyGroup, w)
        }

        if (obj.encrypted != null) {
          w.uint32(34)
          BertyLink.Encrypted.codec().encode(obj.encrypted, w)
        }

        if (obj.bertyMessageRef != null) {
          w.uint32(42)
          BertyLink.BertyMessageRef.codec().encode(obj.bertyMessageRef, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          kind: Kind.UnknownKind
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.kind = BertyLink.Kind.codec().decode(reader)
              break
            }
            case 2: {
              obj.bertyId = BertyID.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.bertyId
              })
              break
            }
            case 3: {
              obj.bertyGroup = BertyGroup.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.bertyGroup
              })
              break
            }
            case 4: {
              obj.encrypted = BertyLink.Encrypted.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.encrypted
              })
              break
            }
            case 5: {
              obj.bertyMessageRef = BertyLink.BertyMessageRef.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.bertyMessageRef
              })
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
                field: `${prefix}.kind`,
                value: BertyLink.Kind.codec().decode(reader)
              }
              break
            }
            case 2: {
              yield * BertyID.codec().stream(reader, reader.uint32(), `${prefix}.bertyId`, {
                limits: opts.limits?.bertyId
              })

              break
            }
            case 3: {
              yield * BertyGroup.codec().stream(reader, reader.uint32(), `${prefix}.bertyGroup`, {
                limits: opts.limits?.bertyGroup
              })

              break
            }
            case 4: {
              yield * BertyLink.Encrypted.codec().stream(reader, reader.uint32(), `${prefix}.encrypted`, {
                limits: opts.limits?.encrypted
              })

              break
            }
            case 5: {
              yield * BertyLink.BertyMessageRef.codec().stream(reader, reader.uint32(), `${prefix}.bertyMessageRef`, {
                limits: opts.limits?.bertyMessageRef
              })

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

  export interface BertyLinkKindFieldEvent {
    field: '$.kind'
    value: BertyLink.Kind
  }

  export interface BertyLinkBertyIdPublicRendezvousSeedFieldEvent {
    field: '$.bertyId.publicRendezvousSeed'
    value: Uint8Array
  }

  export interface BertyLinkBertyIdAccountPkFieldEvent {
    field: '$.bertyId.accountPk'
    value: Uint8Array
  }

  export interface BertyLinkBertyIdDisplayNameFieldEvent {
    field: '$.bertyId.displayName'
    value: string
  }

  export interface BertyLinkBertyGroupGroupPublicKeyFieldEvent {
    field: '$.bertyGroup.group.publicKey'
    value: Uint8Array
  }

  export interface BertyLinkBertyGroupGroupSecretFieldEvent {
    field: '$.bertyGroup.group.secret'
    value: Uint8Array
  }

  export interface BertyLinkBertyGroupGroupSecretSigFieldEvent {
    field: '$.bertyGroup.group.secretSig'
    value: Uint8Array
  }

  export interface BertyLinkBertyGroupGroupGroupTypeFieldEvent {
    field: '$.bertyGroup.group.groupType'
    value: GroupType
  }

  export interface BertyLinkBertyGroupGroupSignPubFieldEvent {
    field: '$.bertyGroup.group.signPub'
    value: Uint8Array
  }

  export interface BertyLinkBertyGroupGroupLinkKeyFieldEvent {
    field: '$.bertyGroup.group.linkKey'
    value: Uint8Array
  }

  export interface BertyLinkBertyGroupGroupLinkKeySigFieldEvent {
    field: '$.bertyGroup.group.linkKeySig'
    value: Uint8Array
  }

  export interface BertyLinkBertyGroupDisplayNameFieldEvent {
    field: '$.bertyGroup.displayName'
    value: string
  }

  export interface BertyLinkEncryptedKindFieldEvent {
    field: '$.encrypted.kind'
    value: BertyLink.Kind
  }

  export interface BertyLinkEncryptedNonceFieldEvent {
    field: '$.encrypted.nonce'
    value: Uint8Array
  }

  export interface BertyLinkEncryptedDisplayNameFieldEvent {
    field: '$.encrypted.displayName'
    value: string
  }

  export interface BertyLinkEncryptedChecksumFieldEvent {
    field: '$.encrypted.checksum'
    value: Uint8Array
  }

  export interface BertyLinkEncryptedContactPublicRendezvousSeedFieldEvent {
    field: '$.encrypted.contactPublicRendezvousSeed'
    value: Uint8Array
  }

  export interface BertyLinkEncryptedContactAccountPkFieldEvent {
    field: '$.encrypted.contactAccountPk'
    value: Uint8Array
  }

  export interface BertyLinkEncryptedGroupPublicKeyFieldEvent {
    field: '$.encrypted.groupPublicKey'
    value: Uint8Array
  }

  export interface BertyLinkEncryptedGroupSecretFieldEvent {
    field: '$.encrypted.groupSecret'
    value: Uint8Array
  }

  export interface BertyLinkEncryptedGroupSecretSigFieldEvent {
    field: '$.encrypted.groupSecretSig'
    value: Uint8Array
  }

  export interface BertyLinkEncryptedGroupTypeFieldEvent {
    field: '$.encrypted.groupType'
    value: GroupType
  }

  export interface BertyLinkEncryptedGroupSignPubFieldEvent {
    field: '$.encrypted.groupSignPub'
    value: Uint8Array
  }

  export interface BertyLinkEncryptedGroupLinkKeySigFieldEvent {
    field: '$.encrypted.groupLinkKeySig'
    value: Uint8Array
  }

  export interface BertyLinkBertyMessageRefAccountIdFieldEvent {
    field: '$.bertyMessageRef.accountId'
    value: string
  }

  export interface BertyLinkBertyMessageRefGroupPkFieldEvent {
    field: '$.bertyMessageRef.groupPk'
    value: string
  }

  export interface BertyLinkBertyMessageRefMessageIdFieldEvent {
    field: '$.bertyMessageRef.messageId'
    value: string
  }

  export function encode (obj: Partial<BertyLink>): Uint8Array {
    return encodeMessage(obj, BertyLink.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BertyLink>): BertyLink {
    return decodeMessage(buf, BertyLink.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BertyLink>): Generator<BertyLinkKindFieldEvent | BertyLinkBertyIdPublicRendezvousSeedFieldEvent | BertyLinkBertyIdAccountPkFieldEvent | BertyLinkBertyIdDisplayNameFieldEvent | BertyLinkBertyGroupGroupPublicKeyFieldEvent | BertyLinkBertyGroupGroupSecretFieldEvent | BertyLinkBertyGroupGroupSecretSigFieldEvent | BertyLinkBertyGroupGroupGroupTypeFieldEvent | BertyLinkBertyGroupGroupSignPubFieldEvent | BertyLinkBertyGroupGroupLinkKeyFieldEvent | BertyLinkBertyGroupGroupLinkKeySigFieldEvent | BertyLinkBertyGroupDisplayNameFieldEvent | BertyLinkEncryptedKindFieldEvent | BertyLinkEncryptedNonceFieldEvent | BertyLinkEncryptedDisplayNameFieldEvent | BertyLinkEncryptedChecksumFieldEvent | BertyLinkEncryptedContactPublicRendezvousSeedFieldEvent | BertyLinkEncryptedContactAccountPkFieldEvent | BertyLinkEncryptedGroupPublicKeyFieldEvent | BertyLinkEncryptedGroupSecretFieldEvent | BertyLinkEncryptedGroupSecretSigFieldEvent | BertyLinkEncryptedGroupTypeFieldEvent | BertyLinkEncryptedGroupSignPubFieldEvent | BertyLinkEncryptedGroupLinkKeySigFieldEvent | BertyLinkBertyMessageRefAccountIdFieldEvent | BertyLinkBertyMessageRefGroupPkFieldEvent | BertyLinkBertyMessageRefMessageIdFieldEvent> {
    return streamMessage(buf, BertyLink.codec(), opts)
  }
}
