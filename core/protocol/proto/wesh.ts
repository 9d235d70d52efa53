/* eslint-disable require-yield */

import { decodeMessage, encodeMessage, enumeration, MaxLengthError, MaxSizeError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export enum EventType {
  EventTypeUndefined = 'EventTypeUndefined',
  EventTypeGroupMemberDeviceAdded = 'EventTypeGroupMemberDeviceAdded',
  EventTypeGroupDeviceChainKeyAdded = 'EventTypeGroupDeviceChainKeyAdded',
  EventTypeAccountGroupJoined = 'EventTypeAccountGroupJoined',
  EventTypeAccountGroupLeft = 'EventTypeAccountGroupLeft',
  EventTypeAccountContactRequestDisabled = 'EventTypeAccountContactRequestDisabled',
  EventTypeAccountContactRequestEnabled = 'EventTypeAccountContactRequestEnabled',
  EventTypeAccountContactRequestReferenceReset = 'EventTypeAccountContactRequestReferenceReset',
  EventTypeAccountContactRequestOutgoingEnqueued = 'EventTypeAccountContactRequestOutgoingEnqueued',
  EventTypeAccountContactRequestOutgoingSent = 'EventTypeAccountContactRequestOutgoingSent',
  EventTypeAccountContactRequestIncomingReceived = 'EventTypeAccountContactRequestIncomingReceived',
  EventTypeAccountContactRequestIncomingDiscarded = 'EventTypeAccountContactRequestIncomingDiscarded',
  EventTypeAccountContactRequestIncomingAccepted = 'EventTypeAccountContactRequestIncomingAccepted',
  EventTypeAccountContactBlocked = 'EventTypeAccountContactBlocked',
  EventTypeAccountContactUnblocked = 'EventTypeAccountContactUnblocked',
  EventTypeContactAliasKeyAdded = 'EventTypeContactAliasKeyAdded',
  EventTypeMultiMemberGroupAliasResolverAdded = 'EventTypeMultiMemberGroupAliasResolverAdded',
  EventTypeMultiMemberGroupInitialMemberAnnounced = 'EventTypeMultiMemberGroupInitialMemberAnnounced',
  EventTypeMultiMemberGroupAdminRoleGranted = 'EventTypeMultiMemberGroupAdminRoleGranted',
  EventTypeAccountServiceTokenAdded = 'EventTypeAccountServiceTokenAdded',
  EventTypeAccountServiceTokenRemoved = 'EventTypeAccountServiceTokenRemoved',
  EventTypeGroupReplicating = 'EventTypeGroupReplicating',
  EventTypeAccountVerifiedCredentialRegistered = 'EventTypeAccountVerifiedCredentialRegistered',
  EventTypeGroupMetadataPayloadSent = 'EventTypeGroupMetadataPayloadSent'
}

enum __EventTypeValues {
  EventTypeUndefined = 0,
  EventTypeGroupMemberDeviceAdded = 1,
  EventTypeGroupDeviceChainKeyAdded = 2,
  EventTypeAccountGroupJoined = 101,
  EventTypeAccountGroupLeft = 102,
  EventTypeAccountContactRequestDisabled = 103,
  EventTypeAccountContactRequestEnabled = 104,
  EventTypeAccountContactRequestReferenceReset = 105,
  EventTypeAccountContactRequestOutgoingEnqueued = 106,
  EventTypeAccountContactRequestOutgoingSent = 107,
  EventTypeAccountContactRequestIncomingReceived = 108,
  EventTypeAccountContactRequestIncomingDiscarded = 109,
  EventTypeAccountContactRequestIncomingAccepted = 110,
  EventTypeAccountContactBlocked = 111,
  EventTypeAccountContactUnblocked = 112,
  EventTypeContactAliasKeyAdded = 201,
  EventTypeMultiMemberGroupAliasResolverAdded = 301,
  EventTypeMultiMemberGroupInitialMemberAnnounced = 302,
  EventTypeMultiMemberGroupAdminRoleGranted = 303,
  EventTypeAccountServiceTokenAdded = 401,
  EventTypeAccountServiceTokenRemoved = 402,
  EventTypeGroupReplicating = 403,
  EventTypeAccountVerifiedCredentialRegistered = 500,
  EventTypeGroupMetadataPayloadSent = 1001
}

export namespace EventType {
  export const codec = (): Codec<EventType> => {
    return enumeration<EventType>(__EventTypeValues)
  }
}

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

export interface Group {
  publicKey: Uint8Array
  secret: Uint8Array
  secretSig: Uint8Array
  groupType: GroupType
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
    value: GroupType
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

export interface GroupEnvelope {
  nonce: Uint8Array
  event: Uint8Array
}

export namespace GroupEnvelope {
  let _codec: Codec<GroupEnvelope>

  export const codec = (): Codec<GroupEnvelope> => {
    if (_codec == null) {
      _codec = message<GroupEnvelope>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.nonce != null && obj.nonce.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.nonce)
        }

        if ((obj.event != null && obj.event.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.event)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          nonce: uint8ArrayAlloc(0),
          event: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.nonce = reader.bytes()
              break
            }
            case 2: {
              obj.event = reader.bytes()
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
                field: `${prefix}.nonce`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.event`,
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

  export interface GroupEnvelopeNonceFieldEvent {
    field: '$.nonce'
    value: Uint8Array
  }

  export interface GroupEnvelopeEventFieldEvent {
    field: '$.event'
    value: Uint8Array
  }

  export function encode (obj: Partial<GroupEnvelope>): Uint8Array {
    return encodeMessage(obj, GroupEnvelope.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupEnvelope>): GroupEnvelope {
    return decodeMessage(buf, GroupEnvelope.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupEnvelope>): Generator<GroupEnvelopeNonceFieldEvent | GroupEnvelopeEventFieldEvent> {
    return streamMessage(buf, GroupEnvelope.codec(), opts)
  }
}

export interface GroupMetadata {
  eventType: EventType
  payload: Uint8Array
  sig: Uint8Array
  protocolMetadata?: ProtocolMetadata
}

export namespace GroupMetadata {
  let _codec: Codec<GroupMetadata>

  export const codec = (): Codec<GroupMetadata> => {
    if (_codec == null) {
      _codec = message<GroupMetadata>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.eventType != null && __EventTypeValues[obj.eventType] !== 0) {
          w.uint32(8)
          EventType.codec().encode(obj.eventType, w)
        }

        if ((obj.payload != null && obj.payload.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.payload)
        }

        if ((obj.sig != null && obj.sig.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.sig)
        }

        if (obj.protocolMetadata != null) {
          w.uint32(34)
          ProtocolMetadata.codec().encode(obj.protocolMetadata, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          eventType: EventType.EventTypeUndefined,
          payload: uint8ArrayAlloc(0),
          sig: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.eventType = EventType.codec().decode(reader)
              break
            }
            case 2: {
              obj.payload = reader.bytes()
              break
            }
            case 3: {
              obj.sig = reader.bytes()
              break
            }
            case 4: {
              obj.protocolMetadata = ProtocolMetadata.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.protocolMetadata
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
                field: `${prefix}.eventType`,
                value: EventType.codec().decode(reader)
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.payload`,
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
            case 4: {
              yield * ProtocolMetadata.codec().stream(reader, reader.uint32(), `${prefix}.protocolMetadata`, {
                limits: opts.limits?.protocolMetadata
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

  export interface GroupMetadataEventTypeFieldEvent {
    field: '$.eventType'
    value: EventType
  }

  export interface GroupMetadataPayloadFieldEvent {
    field: '$.payload'
    value: Uint8Array
  }

  export interface GroupMetadataSigFieldEvent {
    field: '$.sig'
    value: Uint8Array
  }

  export function encode (obj: Partial<GroupMetadata>): Uint8Array {
    return encodeMessage(obj, GroupMetadata.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupMetadata>): GroupMetadata {
    return decodeMessage(buf, GroupMetadata.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupMetadata>): Generator<GroupMetadataEventTypeFieldEvent | GroupMetadataPayloadFieldEvent | GroupMetadataSigFieldEvent> {
    return streamMessage(buf, GroupMetadata.codec(), opts)
  }
}

export interface ProtocolMetadata {}

export namespace ProtocolMetadata {
  let _codec: Codec<ProtocolMetadata>

  export const codec = (): Codec<ProtocolMetadata> => {
    if (_codec == null) {
      _codec = message<ProtocolMetadata>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {}

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
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

  export function encode (obj: Partial<ProtocolMetadata>): Uint8Array {
    return encodeMessage(obj, ProtocolMetadata.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ProtocolMetadata>): ProtocolMetadata {
    return decodeMessage(buf, ProtocolMetadata.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ProtocolMetadata>): Generator<{}> {
    return streamMessage(buf, ProtocolMetadata.codec(), opts)
  }
}

export interface MessageHeaders {
  counter: bigint
  devicePk: Uint8Array
  sig: Uint8Array
  metadata: Map<string, string>
}

export namespace MessageHeaders {
  export interface MessageHeaders$metadataEntry {
    key: string
    value: string
  }

  export namespace MessageHeaders$metadataEntry {
    let _codec: Codec<MessageHeaders$metadataEntry>

    export const codec = (): Codec<MessageHeaders$metadataEntry> => {
      if (_codec == null) {
        _codec = message<MessageHeaders$metadataEntry>((obj, w, opts = {}) => {
          if (opts.lengthDelimited !== false) {
            w.fork()
          }

          if ((obj.key != null && obj.key !== '')) {
            w.uint32(10)
            w.string(obj.key)
          }

          if ((obj.value != null && obj.value !== '')) {
            w.uint32(18)
            w.string(obj.value)
          }

          if (opts.lengthDelimited !== false) {
            w.ldelim()
          }
        }, (reader, length, opts = {}) => {
          const obj: any = {
            key: '',
            value: ''
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                obj.key = reader.string()
                break
              }
              case 2: {
                obj.value = reader.string()
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
                  field: `${prefix}.key`,
                  value: reader.string()
                }
                break
              }
              case 2: {
                yield {
                  field: `${prefix}.value`,
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

    export interface MessageHeaders$metadataEntryKeyFieldEvent {
      field: '$.key'
      value: string
    }

    export interface MessageHeaders$metadataEntryValueFieldEvent {
      field: '$.value'
      value: string
    }

    export function encode (obj: Partial<MessageHeaders$metadataEntry>): Uint8Array {
      return encodeMessage(obj, MessageHeaders$metadataEntry.codec())
    }

    export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MessageHeaders$metadataEntry>): MessageHeaders$metadataEntry {
      return decodeMessage(buf, MessageHeaders$metadataEntry.codec(), opts)
    }

    export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MessageHeaders$metadataEntry>): Generator<MessageHeaders$metadataEntryKeyFieldEvent | MessageHeaders$metadataEntryValueFieldEvent> {
      return streamMessage(buf, MessageHeaders$metadataEntry.codec(), opts)
    }
  }

  let _codec: Codec<MessageHeaders>

  export const codec = (): Codec<MessageHeaders> => {
    if (_codec == null) {
      _codec = message<MessageHeaders>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.counter != null && obj.counter !== 0n)) {
          w.uint32(8)
          w.uint64(obj.counter)
        }

        if ((obj.devicePk != null && obj.devicePk.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.devicePk)
        }

        if ((obj.sig != null && obj.sig.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.sig)
        }

        if (obj.metadata != null && obj.metadata.size > 0) {
          for (const [key, value] of obj.metadata.entries()) {
            w.uint32(34)
            MessageHeaders.MessageHeaders$metadataEntry.codec().encode({ key, value }, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          counter: 0n,
          devicePk: uint8ArrayAlloc(0),
          sig: uint8ArrayAlloc(0),
          metadata: new Map<string, string>()
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.counter = reader.uint64()
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
            case 4: {
              if (opts.limits?.metadata != null && obj.metadata.size === opts.limits.metadata) {
                throw new MaxSizeError('Decode error - map field "metadata" had too many elements')
              }

              const entry = MessageHeaders.MessageHeaders$metadataEntry.codec().decode(reader, reader.uint32(), {
                limits: {
                  value: opts.limits?.metadata$value
                }
              })
              obj.metadata.set(entry.key, entry.value)
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
          metadata: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.counter`,
                value: reader.uint64()
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
            case 4: {
              if (opts.limits?.metadata != null && obj.metadata === opts.limits.metadata) {
                throw new MaxLengthError('Decode error - map field "metadata" had too many elements')
              }

              yield * MessageHeaders.MessageHeaders$metadataEntry.codec().stream(reader, reader.uint32(), `${prefix}.metadata{}`, {
                limits: {
                  value: opts.limits?.metadata$value
                }
              })

              obj.metadata++

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
    value: bigint
  }

  export interface MessageHeadersDevicePkFieldEvent {
    field: '$.devicePk'
    value: Uint8Array
  }

  export interface MessageHeadersSigFieldEvent {
    field: '$.sig'
    value: Uint8Array
  }

  export interface MessageHeadersMetadataFieldEvent {
    field: '$.metadata{}'
    key: string
    value: string
  }

  export function encode (obj: Partial<MessageHeaders>): Uint8Array {
    return encodeMessage(obj, MessageHeaders.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MessageHeaders>): MessageHeaders {
    return decodeMessage(buf, MessageHeaders.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MessageHeaders>): Generator<MessageHeadersCounterFieldEvent | MessageHeadersDevicePkFieldEvent | MessageHeadersSigFieldEvent | MessageHeadersMetadataFieldEvent> {
    return streamMessage(buf, MessageHeaders.codec(), opts)
  }
}

export interface MessageEnvelope {
  messageHeaders: Uint8Array
  message: Uint8Array
  nonce: Uint8Array
}

export namespace MessageEnvelope {
  let _codec: Codec<MessageEnvelope>

  export const codec = (): Codec<MessageEnvelope> => {
    if (_codec == null) {
      _codec = message<MessageEnvelope>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.messageHeaders != null && obj.messageHeaders.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.messageHeaders)
        }

        if ((obj.message != null && obj.message.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.message)
        }

        if ((obj.nonce != null && obj.nonce.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.nonce)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          messageHeaders: uint8ArrayAlloc(0),
          message: uint8ArrayAlloc(0),
          nonce: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.messageHeaders = reader.bytes()
              break
            }
            case 2: {
              obj.message = reader.bytes()
              break
            }
            case 3: {
              obj.nonce = reader.bytes()
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
                field: `${prefix}.messageHeaders`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.message`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.nonce`,
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

  export interface MessageEnvelopeMessageHeadersFieldEvent {
    field: '$.messageHeaders'
    value: Uint8Array
  }

  export interface MessageEnvelopeMessageFieldEvent {
    field: '$.message'
    value: Uint8Array
  }

  export interface MessageEnvelopeNonceFieldEvent {
    field: '$.nonce'
    value: Uint8Array
  }

  export function encode (obj: Partial<MessageEnvelope>): Uint8Array {
    return encodeMessage(obj, MessageEnvelope.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MessageEnvelope>): MessageEnvelope {
    return decodeMessage(buf, MessageEnvelope.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MessageEnvelope>): Generator<MessageEnvelopeMessageHeadersFieldEvent | MessageEnvelopeMessageFieldEvent | MessageEnvelopeNonceFieldEvent> {
    return streamMessage(buf, MessageEnvelope.codec(), opts)
  }
}

export interface EncryptedMessage {
  plaintext: Uint8Array
  protocolMetadata?: ProtocolMetadata
}

export namespace EncryptedMessage {
  let _codec: Codec<EncryptedMessage>

  export const codec = (): Codec<EncryptedMessage> => {
    if (_codec == null) {
      _codec = message<EncryptedMessage>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.plaintext != null && obj.plaintext.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.plaintext)
        }

        if (obj.protocolMetadata != null) {
          w.uint32(18)
          ProtocolMetadata.codec().encode(obj.protocolMetadata, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          plaintext: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.plaintext = reader.bytes()
              break
            }
            case 2: {
              obj.protocolMetadata = ProtocolMetadata.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.protocolMetadata
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
                field: `${prefix}.plaintext`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield * ProtocolMetadata.codec().stream(reader, reader.uint32(), `${prefix}.protocolMetadata`, {
                limits: opts.limits?.protocolMetadata
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

  export interface EncryptedMessagePlaintextFieldEvent {
    field: '$.plaintext'
    value: Uint8Array
  }

  export function encode (obj: Partial<EncryptedMessage>): Uint8Array {
    return encodeMessage(obj, EncryptedMessage.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<EncryptedMessage>): EncryptedMessage {
    return decodeMessage(buf, EncryptedMessage.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<EncryptedMessage>): Generator<EncryptedMessagePlaintextFieldEvent> {
    return streamMessage(buf, EncryptedMessage.codec(), opts)
  }
}

export interface DeviceChainKey {
  chainKey: Uint8Array
  counter: bigint
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

        if ((obj.counter != null && obj.counter !== 0n)) {
          w.uint32(16)
          w.uint64(obj.counter)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          chainKey: uint8ArrayAlloc(0),
          counter: 0n
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
              obj.counter = reader.uint64()
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
                value: reader.uint64()
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
    value: bigint
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

export interface GroupMemberDeviceAdded {
  memberPk: Uint8Array
  devicePk: Uint8Array
  memberSig: Uint8Array
}

export namespace GroupMemberDeviceAdded {
  let _codec: Codec<GroupMemberDeviceAdded>

  export const codec = (): Codec<GroupMemberDeviceAdded> => {
    if (_codec == null) {
      _codec = message<GroupMemberDeviceAdded>((obj, w, opts = {}) => {
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

  export interface GroupMemberDeviceAddedMemberPkFieldEvent {
    field: '$.memberPk'
    value: Uint8Array
  }

  export interface GroupMemberDeviceAddedDevicePkFieldEvent {
    field: '$.devicePk'
    value: Uint8Array
  }

  export interface GroupMemberDeviceAddedMemberSigFieldEvent {
    field: '$.memberSig'
    value: Uint8Array
  }

  export function encode (obj: Partial<GroupMemberDeviceAdded>): Uint8Array {
    return encodeMessage(obj, GroupMemberDeviceAdded.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupMemberDeviceAdded>): GroupMemberDeviceAdded {
    return decodeMessage(buf, GroupMemberDeviceAdded.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupMemberDeviceAdded>): Generator<GroupMemberDeviceAddedMemberPkFieldEvent | GroupMemberDeviceAddedDevicePkFieldEvent | GroupMemberDeviceAddedMemberSigFieldEvent> {
    return streamMessage(buf, GroupMemberDeviceAdded.codec(), opts)
  }
}

export interface GroupDeviceChainKeyAdded {
  devicePk: Uint8Array
  destMemberPk: Uint8Array
  payload: Uint8Array
}

export namespace GroupDeviceChainKeyAdded {
  let _codec: Codec<GroupDeviceChainKeyAdded>

  export const codec = (): Codec<GroupDeviceChainKeyAdded> => {
    if (_codec == null) {
      _codec = message<GroupDeviceChainKeyAdded>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.devicePk != null && obj.devicePk.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.devicePk)
        }

        if ((obj.destMemberPk != null && obj.destMemberPk.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.destMemberPk)
        }

        if ((obj.payload != null && obj.payload.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.payload)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          devicePk: uint8ArrayAlloc(0),
          destMemberPk: uint8ArrayAlloc(0),
          payload: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.devicePk = reader.bytes()
              break
            }
            case 2: {
              obj.destMemberPk = reader.bytes()
              break
            }
            case 3: {
              obj.payload = reader.bytes()
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
            case 2: {
              yield {
                field: `${prefix}.destMemberPk`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.payload`,
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

  export interface GroupDeviceChainKeyAddedDevicePkFieldEvent {
    field: '$.devicePk'
    value: Uint8Array
  }

  export interface GroupDeviceChainKeyAddedDestMemberPkFieldEvent {
    field: '$.destMemberPk'
    value: Uint8Array
  }

  export interface GroupDeviceChainKeyAddedPayloadFieldEvent {
    field: '$.payload'
    value: Uint8Array
  }

  export function encode (obj: Partial<GroupDeviceChainKeyAdded>): Uint8Array {
    return encodeMessage(obj, GroupDeviceChainKeyAdded.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupDeviceChainKeyAdded>): GroupDeviceChainKeyAdded {
    return decodeMessage(buf, GroupDeviceChainKeyAdded.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupDeviceChainKeyAdded>): Generator<GroupDeviceChainKeyAddedDevicePkFieldEvent | GroupDeviceChainKeyAddedDestMemberPkFieldEvent | GroupDeviceChainKeyAddedPayloadFieldEvent> {
    return streamMessage(buf, GroupDeviceChainKeyAdded.codec(), opts)
  }
}

export interface MultiMemberGroupAliasResolverAdded {
  devicePk: Uint8Array
  aliasResolver: Uint8Array
  aliasProof: Uint8Array
}

export namespace MultiMemberGroupAliasResolverAdded {
  let _codec: Codec<MultiMemberGroupAliasResolverAdded>

  export const codec = (): Codec<MultiMemberGroupAliasResolverAdded> => {
    if (_codec == null) {
      _codec = message<MultiMemberGroupAliasResolverAdded>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.devicePk != null && obj.devicePk.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.devicePk)
        }

        if ((obj.aliasResolver != null && obj.aliasResolver.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.aliasResolver)
        }

        if ((obj.aliasProof != null && obj.aliasProof.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.aliasProof)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          devicePk: uint8ArrayAlloc(0),
          aliasResolver: uint8ArrayAlloc(0),
          aliasProof: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.devicePk = reader.bytes()
              break
            }
            case 2: {
              obj.aliasResolver = reader.bytes()
              break
            }
            case 3: {
              obj.aliasProof = reader.bytes()
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
            case 2: {
              yield {
                field: `${prefix}.aliasResolver`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.aliasProof`,
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

  export interface MultiMemberGroupAliasResolverAddedDevicePkFieldEvent {
    field: '$.devicePk'
    value: Uint8Array
  }

  export interface MultiMemberGroupAliasResolverAddedAliasResolverFieldEvent {
    field: '$.aliasResolver'
    value: Uint8Array
  }

  export interface MultiMemberGroupAliasResolverAddedAliasProofFieldEvent {
    field: '$.aliasProof'
    value: Uint8Array
  }

  export function encode (obj: Partial<MultiMemberGroupAliasResolverAdded>): Uint8Array {
    return encodeMessage(obj, MultiMemberGroupAliasResolverAdded.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MultiMemberGroupAliasResolverAdded>): MultiMemberGroupAliasResolverAdded {
    return decodeMessage(buf, MultiMemberGroupAliasResolverAdded.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MultiMemberGroupAliasResolverAdded>): Generator<MultiMemberGroupAliasResolverAddedDevicePkFieldEvent | MultiMemberGroupAliasResolverAddedAliasResolverFieldEvent | MultiMemberGroupAliasResolverAddedAliasProofFieldEvent> {
    return streamMessage(buf, MultiMemberGroupAliasResolverAdded.codec(), opts)
  }
}

export interface MultiMemberGroupInitialMemberAnnounced {
  memberPk: Uint8Array
}

export namespace MultiMemberGroupInitialMemberAnnounced {
  let _codec: Codec<MultiMemberGroupInitialMemberAnnounced>

  export const codec = (): Codec<MultiMemberGroupInitialMemberAnnounced> => {
    if (_codec == null) {
      _codec = message<MultiMemberGroupInitialMemberAnnounced>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.memberPk != null && obj.memberPk.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.memberPk)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          memberPk: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.memberPk = reader.bytes()
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

  export interface MultiMemberGroupInitialMemberAnnouncedMemberPkFieldEvent {
    field: '$.memberPk'
    value: Uint8Array
  }

  export function encode (obj: Partial<MultiMemberGroupInitialMemberAnnounced>): Uint8Array {
    return encodeMessage(obj, MultiMemberGroupInitialMemberAnnounced.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MultiMemberGroupInitialMemberAnnounced>): MultiMemberGroupInitialMemberAnnounced {
    return decodeMessage(buf, MultiMemberGroupInitialMemberAnnounced.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MultiMemberGroupInitialMemberAnnounced>): Generator<MultiMemberGroupInitialMemberAnnouncedMemberPkFieldEvent> {
    return streamMessage(buf, MultiMemberGroupInitialMemberAnnounced.codec(), opts)
  }
}

export interface MultiMemberGroupAdminRoleGranted {
  devicePk: Uint8Array
  granteeMemberPk: Uint8Array
}

export namespace MultiMemberGroupAdminRoleGranted {
  let _codec: Codec<MultiMemberGroupAdminRoleGranted>

  export const codec = (): Codec<MultiMemberGroupAdminRoleGranted> => {
    if (_codec == null) {
      _codec = message<MultiMemberGroupAdminRoleGranted>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.devicePk != null && obj.devicePk.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.devicePk)
        }

        if ((obj.granteeMemberPk != null && obj.granteeMemberPk.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.granteeMemberPk)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          devicePk: uint8ArrayAlloc(0),
          granteeMemberPk: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.devicePk = reader.bytes()
              break
            }
            case 2: {
              obj.granteeMemberPk = reader.bytes()
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
            case 2: {
              yield {
                field: `${prefix}.granteeMemberPk`,
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

  export interface MultiMemberGroupAdminRoleGrantedDevicePkFieldEvent {
    field: '$.devicePk'
    value: Uint8Array
  }

  export interface MultiMemberGroupAdminRoleGrantedGranteeMemberPkFieldEvent {
    field: '$.granteeMemberPk'
    value: Uint8Array
  }

  export function encode (obj: Partial<MultiMemberGroupAdminRoleGranted>): Uint8Array {
    return encodeMessage(obj, MultiMemberGroupAdminRoleGranted.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MultiMemberGroupAdminRoleGranted>): MultiMemberGroupAdminRoleGranted {
    return decodeMessage(buf, MultiMemberGroupAdminRoleGranted.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MultiMemberGroupAdminRoleGranted>): Generator<MultiMemberGroupAdminRoleGrantedDevicePkFieldEvent | MultiMemberGroupAdminRoleGrantedGranteeMemberPkFieldEvent> {
    return streamMessage(buf, MultiMemberGroupAdminRoleGranted.codec(), opts)
  }
}

export interface GroupMetadataPayloadSent {
  devicePk: Uint8Array
  message: Uint8Array
}

export namespace GroupMetadataPayloadSent {
  let _codec: Codec<GroupMetadataPayloadSent>

  export const codec = (): Codec<GroupMetadataPayloadSent> => {
    if (_codec == null) {
      _codec = message<GroupMetadataPayloadSent>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.devicePk != null && obj.devicePk.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.devicePk)
        }

        if ((obj.message != null && obj.message.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.message)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          devicePk: uint8ArrayAlloc(0),
          message: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.devicePk = reader.bytes()
              break
            }
            case 2: {
              obj.message = reader.bytes()
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
            case 2: {
              yield {
                field: `${prefix}.message`,
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

  export interface GroupMetadataPayloadSentDevicePkFieldEvent {
    field: '$.devicePk'
    value: Uint8Array
  }

  export interface GroupMetadataPayloadSentMessageFieldEvent {
    field: '$.message'
    value: Uint8Array
  }

  export function encode (obj: Partial<GroupMetadataPayloadSent>): Uint8Array {
    return encodeMessage(obj, GroupMetadataPayloadSent.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupMetadataPayloadSent>): GroupMetadataPayloadSent {
    return decodeMessage(buf, GroupMetadataPayloadSent.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupMetadataPayloadSent>): Generator<GroupMetadataPayloadSentDevicePkFieldEvent | GroupMetadataPayloadSentMessageFieldEvent> {
    return streamMessage(buf, GroupMetadataPayloadSent.codec(), opts)
  }
}

export interface ServiceTokenSupportedService {
  serviceType: string
  serviceEndpoint: string
}

export namespace ServiceTokenSupportedService {
  let _codec: Codec<ServiceTokenSupportedService>

  export const codec = (): Codec<ServiceTokenSupportedService> => {
    if (_codec == null) {
      _codec = message<ServiceTokenSupportedService>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.serviceType != null && obj.serviceType !== '')) {
          w.uint32(10)
          w.string(obj.serviceType)
        }

        if ((obj.serviceEndpoint != null && obj.serviceEndpoint !== '')) {
          w.uint32(18)
          w.string(obj.serviceEndpoint)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          serviceType: '',
          serviceEndpoint: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.serviceType = reader.string()
              break
            }
            case 2: {
              obj.serviceEndpoint = reader.string()
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
                field: `${prefix}.serviceType`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.serviceEndpoint`,
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

  export interface ServiceTokenSupportedServiceServiceTypeFieldEvent {
    field: '$.serviceType'
    value: string
  }

  export interface ServiceTokenSupportedServiceServiceEndpointFieldEvent {
    field: '$.serviceEndpoint'
    value: string
  }

  export function encode (obj: Partial<ServiceTokenSupportedService>): Uint8Array {
    return encodeMessage(obj, ServiceTokenSupportedService.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ServiceTokenSupportedService>): ServiceTokenSupportedService {
    return decodeMessage(buf, ServiceTokenSupportedService.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ServiceTokenSupportedService>): Generator<ServiceTokenSupportedServiceServiceTypeFieldEvent | ServiceTokenSupportedServiceServiceEndpointFieldEvent> {
    return streamMessage(buf, ServiceTokenSupportedService.codec(), opts)
  }
}

export interface ServiceToken {
  token: string
  authenticationUrl: string
  supportedServices: ServiceTokenSupportedService[]
  expiration: bigint
}

export namespace ServiceToken {
  let _codec: Codec<ServiceToken>

  export const codec = (): Codec<ServiceToken> => {
    if (_codec == null) {
      _codec = message<ServiceToken>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.token != null && obj.token !== '')) {
          w.uint32(10)
          w.string(obj.token)
        }

        if ((obj.authenticationUrl != null && obj.authenticationUrl !== '')) {
          w.uint32(18)
          w.string(obj.authenticationUrl)
        }

        if (obj.supportedServices != null && obj.supportedServices.length > 0) {
          for (const value of obj.supportedServices) {
            w.uint32(26)
            ServiceTokenSupportedService.codec().encode(value, w)
          }
        }

        if ((obj.expiration != null && obj.expiration !== 0n)) {
          w.uint32(32)
          w.int64(obj.expiration)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          token: '',
          authenticationUrl: '',
          supportedServices: [],
          expiration: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.token = reader.string()
              break
            }
            case 2: {
              obj.authenticationUrl = reader.string()
              break
            }
            case 3: {
              if (opts.limits?.supportedServices != null && obj.supportedServices.length === opts.limits.supportedServices) {
                throw new MaxLengthError('Decode error - repeated field "supportedServices" had too many elements')
              }

              obj.supportedServices.push(ServiceTokenSupportedService.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.supportedServices$
              }))
              break
            }
            case 4: {
              obj.expiration = reader.int64()
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
          supportedServices: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.token`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.authenticationUrl`,
                value: reader.string()
              }
              break
            }
            case 3: {
              if (opts.limits?.supportedServices != null && obj.supportedServices === opts.limits.supportedServices) {
                throw new MaxLengthError('Streaming decode error - repeated field "supportedServices" had too many elements')
              }

              for (const evt of ServiceTokenSupportedService.codec().stream(reader, reader.uint32(), `${prefix}.supportedServices[]`, {
                limits: opts.limits?.supportedServices$
              })) {
                yield {
                  ...evt,
                  index: obj.supportedServices
                }
              }

              obj.supportedServices++

              break
            }
            case 4: {
              yield {
                field: `${prefix}.expiration`,
                value: reader.int64()
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

  export interface ServiceTokenTokenFieldEvent {
    field: '$.token'
    value: string
  }

  export interface ServiceTokenAuthenticationUrlFieldEvent {
    field: '$.authenticationUrl'
    value: string
  }

  export interface ServiceTokenSupportedServicesServiceTypeFieldEvent {
    field: '$.supportedServices[].serviceType'
    value: string
    index: number
  }

  export interface ServiceTokenSupportedServicesServiceEndpointFieldEvent {
    field: '$.supportedServices[].serviceEndpoint'
    value: string
    index: number
  }

  export interface ServiceTokenExpirationFieldEvent {
    field: '$.expiration'
    value: bigint
  }

  export function encode (obj: Partial<ServiceToken>): Uint8Array {
    return encodeMessage(obj, ServiceToken.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ServiceToken>): ServiceToken {
    return decodeMessage(buf, ServiceToken.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ServiceToken>): Generator<ServiceTokenTokenFieldEvent | ServiceTokenAuthenticationUrlFieldEvent | ServiceTokenSupportedServicesServiceTypeFieldEvent | ServiceTokenSupportedServicesServiceEndpointFieldEvent | ServiceTokenExpirationFieldEvent> {
    return streamMessage(buf, ServiceToken.codec(), opts)
  }
}

export interface AccountServiceTokenAdded {
  devicePk: Uint8Array
  serviceToken?: ServiceToken
}

export namespace AccountServiceTokenAdded {
  let _codec: Codec<AccountServiceTokenAdded>

  export const codec = (): Codec<AccountServiceTokenAdded> => {
    if (_codec == null) {
      _codec = message<AccountServiceTokenAdded>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.devicePk != null && obj.devicePk.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.devicePk)
        }

        if (obj.serviceToken != null) {
          w.uint32(18)
          ServiceToken.codec().encode(obj.serviceToken, w)
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
            case 2: {
              obj.serviceToken = ServiceToken.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.serviceToken
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
                field: `${prefix}.devicePk`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield * ServiceToken.codec().stream(reader, reader.uint32(), `${prefix}.serviceToken`, {
                limits: opts.limits?.serviceToken
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

  export interface AccountServiceTokenAddedDevicePkFieldEvent {
    field: '$.devicePk'
    value: Uint8Array
  }

  export interface AccountServiceTokenAddedServiceTokenTokenFieldEvent {
    field: '$.serviceToken.token'
    value: string
  }

  export interface AccountServiceTokenAddedServiceTokenAuthenticationUrlFieldEvent {
    field: '$.serviceToken.authenticationUrl'
    value: string
  }

  export interface AccountServiceTokenAddedServiceTokenSupportedServicesServiceTypeFieldEvent {
    field: '$.serviceToken.supportedServices[].serviceType'
    value: string
    index: number
  }

  export interface AccountServiceTokenAddedServiceTokenSupportedServicesServiceEndpointFieldEvent {
    field: '$.serviceToken.supportedServices[].serviceEndpoint'
    value: string
    index: number
  }

  export interface AccountServiceTokenAddedServiceTokenExpirationFieldEvent {
    field: '$.serviceToken.expiration'
    value: bigint
  }

  export function encode (obj: Partial<AccountServiceTokenAdded>): Uint8Array {
    return encodeMessage(obj, AccountServiceTokenAdded.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AccountServiceTokenAdded>): AccountServiceTokenAdded {
    return decodeMessage(buf, AccountServiceTokenAdded.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AccountServiceTokenAdded>): Generator<AccountServiceTokenAddedDevicePkFieldEvent | AccountServiceTokenAddedServiceTokenTokenFieldEvent | AccountServiceTokenAddedServiceTokenAuthenticationUrlFieldEvent | AccountServiceTokenAddedServiceTokenSupportedServicesServiceTypeFieldEvent | AccountServiceTokenAddedServiceTokenSupportedServicesServiceEndpointFieldEvent | AccountServiceTokenAddedServiceTokenExpirationFieldEvent> {
    return streamMessage(buf, AccountServiceTokenAdded.codec(), opts)
  }
}

export interface AccountServiceTokenRemoved {
  devicePk: Uint8Array
  tokenId: string
}

export namespace AccountServiceTokenRemoved {
  let _codec: Codec<AccountServiceTokenRemoved>

  export const codec = (): Codec<AccountServiceTokenRemoved> => {
    if (_codec == null) {
      _codec = message<AccountServiceTokenRemoved>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.devicePk != null && obj.devicePk.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.devicePk)
        }

        if ((obj.tokenId != null && obj.tokenId !== '')) {
          w.uint32(18)
          w.string(obj.tokenId)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          devicePk: uint8ArrayAlloc(0),
          tokenId: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.devicePk = reader.bytes()
              break
            }
            case 2: {
              obj.tokenId = reader.string()
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
            case 2: {
              yield {
                field: `${prefix}.tokenId`,
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

  export interface AccountServiceTokenRemovedDevicePkFieldEvent {
    field: '$.devicePk'
    value: Uint8Array
  }

  export interface AccountServiceTokenRemovedTokenIdFieldEvent {
    field: '$.tokenId'
    value: string
  }

  export function encode (obj: Partial<AccountServiceTokenRemoved>): Uint8Array {
    return encodeMessage(obj, AccountServiceTokenRemoved.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AccountServiceTokenRemoved>): AccountServiceTokenRemoved {
    return decodeMessage(buf, AccountServiceTokenRemoved.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AccountServiceTokenRemoved>): Generator<AccountServiceTokenRemovedDevicePkFieldEvent | AccountServiceTokenRemovedTokenIdFieldEvent> {
    return streamMessage(buf, AccountServiceTokenRemoved.codec(), opts)
  }
}

export interface GroupReplicating {
  devicePk: Uint8Array
  authenticationUrl: string
  replicationServer: string
}

export namespace GroupReplicating {
  let _codec: Codec<GroupReplicating>

  export const codec = (): Codec<GroupReplicating> => {
    if (_codec == null) {
      _codec = message<GroupReplicating>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.devicePk != null && obj.devicePk.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.devicePk)
        }

        if ((obj.authenticationUrl != null && obj.authenticationUrl !== '')) {
          w.uint32(18)
          w.string(obj.authenticationUrl)
        }

        if ((obj.replicationServer != null && obj.replicationServer !== '')) {
          w.uint32(26)
          w.string(obj.replicationServer)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          devicePk: uint8ArrayAlloc(0),
          authenticationUrl: '',
          replicationServer: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.devicePk = reader.bytes()
              break
            }
            case 2: {
              obj.authenticationUrl = reader.string()
              break
            }
            case 3: {
              obj.replicationServer = reader.string()
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
            case 2: {
              yield {
                field: `${prefix}.authenticationUrl`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.replicationServer`,
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

  export interface GroupReplicatingDevicePkFieldEvent {
    field: '$.devicePk'
    value: Uint8Array
  }

  export interface GroupReplicatingAuthenticationUrlFieldEvent {
    field: '$.authenticationUrl'
    value: string
  }

  export interface GroupReplicatingReplicationServerFieldEvent {
    field: '$.replicationServer'
    value: string
  }

  export function encode (obj: Partial<GroupReplicating>): Uint8Array {
    return encodeMessage(obj, GroupReplicating.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupReplicating>): GroupReplicating {
    return decodeMessage(buf, GroupReplicating.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupReplicating>): Generator<GroupReplicatingDevicePkFieldEvent | GroupReplicatingAuthenticationUrlFieldEvent | GroupReplicatingReplicationServerFieldEvent> {
    return streamMessage(buf, GroupReplicating.codec(), opts)
  }
}

export interface ShareableContact {
  pk: Uint8Array
  publicRendezvousSeed: Uint8Array
  metadata: Uint8Array
}

export namespace ShareableContact {
  let _codec: Codec<ShareableContact>

  export const codec = (): Codec<ShareableContact> => {
    if (_codec == null) {
      _codec = message<ShareableContact>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.pk != null && obj.pk.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.pk)
        }

        if ((obj.publicRendezvousSeed != null && obj.publicRendezvousSeed.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.publicRendezvousSeed)
        }

        if ((obj.metadata != null && obj.metadata.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.metadata)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          pk: uint8ArrayAlloc(0),
          publicRendezvousSeed: uint8ArrayAlloc(0),
          metadata: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.pk = reader.bytes()
              break
            }
            case 2: {
              obj.publicRendezvousSeed = reader.bytes()
              break
            }
            case 3: {
              obj.metadata = reader.bytes()
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
                field: `${prefix}.pk`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.publicRendezvousSeed`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.metadata`,
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

  export interface ShareableContactPkFieldEvent {
    field: '$.pk'
    value: Uint8Array
  }

  export interface ShareableContactPublicRendezvousSeedFieldEvent {
    field: '$.publicRendezvousSeed'
    value: Uint8Array
  }

  export interface ShareableContactMetadataFieldEvent {
    field: '$.metadata'
    value: Uint8Array
  }

  export function encode (obj: Partial<ShareableContact>): Uint8Array {
    return encodeMessage(obj, ShareableContact.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ShareableContact>): ShareableContact {
    return decodeMessage(buf, ShareableContact.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ShareableContact>): Generator<ShareableContactPkFieldEvent | ShareableContactPublicRendezvousSeedFieldEvent | ShareableContactMetadataFieldEvent> {
    return streamMessage(buf, ShareableContact.codec(), opts)
  }
}

export interface AccountGroupJoined {
  devicePk: Uint8Array
  group?: Group
}

export namespace AccountGroupJoined {
  let _codec: Codec<AccountGroupJoined>

  export const codec = (): Codec<AccountGroupJoined> => {
    if (_codec == null) {
      _codec = message<AccountGroupJoined>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.devicePk != null && obj.devicePk.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.devicePk)
        }

        if (obj.group != null) {
          w.uint32(18)
          Group.codec().encode(obj.group, w)
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
            case 2: {
              obj.group = Group.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.group
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
                field: `${prefix}.devicePk`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield * Group.codec().stream(reader, reader.uint32(), `${prefix}.group`, {
                limits: opts.limits?.group
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

  export interface AccountGroupJoinedDevicePkFieldEvent {
    field: '$.devicePk'
    value: Uint8Array
  }

  export interface AccountGroupJoinedGroupPublicKeyFieldEvent {
    field: '$.group.publicKey'
    value: Uint8Array
  }

  export interface AccountGroupJoinedGroupSecretFieldEvent {
    field: '$.group.secret'
    value: Uint8Array
  }

  export interface AccountGroupJoinedGroupSecretSigFieldEvent {
    field: '$.group.secretSig'
    value: Uint8Array
  }

  export interface AccountGroupJoinedGroupGroupTypeFieldEvent {
    field: '$.group.groupType'
    value: GroupType
  }

  export interface AccountGroupJoinedGroupSignPubFieldEvent {
    field: '$.group.signPub'
    value: Uint8Array
  }

  export interface AccountGroupJoinedGroupLinkKeyFieldEvent {
    field: '$.group.linkKey'
    value: Uint8Array
  }

  export interface AccountGroupJoinedGroupLinkKeySigFieldEvent {
    field: '$.group.linkKeySig'
    value: Uint8Array
  }

  export function encode (obj: Partial<AccountGroupJoined>): Uint8Array {
    return encodeMessage(obj, AccountGroupJoined.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AccountGroupJoined>): AccountGroupJoined {
    return decodeMessage(buf, AccountGroupJoined.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AccountGroupJoined>): Generator<AccountGroupJoinedDevicePkFieldEvent | AccountGroupJoinedGroupPublicKeyFieldEvent | AccountGroupJoinedGroupSecretFieldEvent | AccountGroupJoinedGroupSecretSigFieldEvent | AccountGroupJoinedGroupGroupTypeFieldEvent | AccountGroupJoinedGroupSignPubFieldEvent | AccountGroupJoinedGroupLinkKeyFieldEvent | AccountGroupJoinedGroupLinkKeySigFieldEvent> {
    return streamMessage(buf, AccountGroupJoined.codec(), opts)
  }
}

export interface AccountGroupLeft {
  devicePk: Uint8Array
  groupPk: Uint8Array
}

export namespace AccountGroupLeft {
  let _codec: Codec<AccountGroupLeft>

  export const codec = (): Codec<AccountGroupLeft> => {
    if (_codec == null) {
      _codec = message<AccountGroupLeft>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.devicePk != null && obj.devicePk.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.devicePk)
        }

        if ((obj.groupPk != null && obj.groupPk.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.groupPk)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          devicePk: uint8ArrayAlloc(0),
          groupPk: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.devicePk = reader.bytes()
              break
            }
            case 2: {
              obj.groupPk = reader.bytes()
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
            case 2: {
              yield {
                field: `${prefix}.groupPk`,
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

  export interface AccountGroupLeftDevicePkFieldEvent {
    field: '$.devicePk'
    value: Uint8Array
  }

  export interface AccountGroupLeftGroupPkFieldEvent {
    field: '$.groupPk'
    value: Uint8Array
  }

  export function encode (obj: Partial<AccountGroupLeft>): Uint8Array {
    return encodeMessage(obj, AccountGroupLeft.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AccountGroupLeft>): AccountGroupLeft {
    return decodeMessage(buf, AccountGroupLeft.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AccountGroupLeft>): Generator<AccountGroupLeftDevicePkFieldEvent | AccountGroupLeftGroupPkFieldEvent> {
    return streamMessage(buf, AccountGroupLeft.codec(), opts)
  }
}

export interface AccountContactRequestDisabled {
  devicePk: Uint8Array
}

export namespace AccountContactRequestDisabled {
  let _codec: Codec<AccountContactRequestDisabled>

  export const codec = (): Codec<AccountContactRequestDisabled> => {
    if (_codec == null) {
      _codec = message<AccountContactRequestDisabled>((obj, w, opts = {}) => {
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

  export interface AccountContactRequestDisabledDevicePkFieldEvent {
    field: '$.devicePk'
    value: Uint8Array
  }

  export function encode (obj: Partial<AccountContactRequestDisabled>): Uint8Array {
    return encodeMessage(obj, AccountContactRequestDisabled.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AccountContactRequestDisabled>): AccountContactRequestDisabled {
    return decodeMessage(buf, AccountContactRequestDisabled.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AccountContactRequestDisabled>): Generator<AccountContactRequestDisabledDevicePkFieldEvent> {
    return streamMessage(buf, AccountContactRequestDisabled.codec(), opts)
  }
}

export interface AccountContactRequestEnabled {
  devicePk: Uint8Array
}

export namespace AccountContactRequestEnabled {
  let _codec: Codec<AccountContactRequestEnabled>

  export const codec = (): Codec<AccountContactRequestEnabled> => {
    if (_codec == null) {
      _codec = message<AccountContactRequestEnabled>((obj, w, opts = {}) => {
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

  export interface AccountContactRequestEnabledDevicePkFieldEvent {
    field: '$.devicePk'
    value: Uint8Array
  }

  export function encode (obj: Partial<AccountContactRequestEnabled>): Uint8Array {
    return encodeMessage(obj, AccountContactRequestEnabled.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AccountContactRequestEnabled>): AccountContactRequestEnabled {
    return decodeMessage(buf, AccountContactRequestEnabled.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AccountContactRequestEnabled>): Generator<AccountContactRequestEnabledDevicePkFieldEvent> {
    return streamMessage(buf, AccountContactRequestEnabled.codec(), opts)
  }
}

export interface AccountContactRequestReferenceReset {
  devicePk: Uint8Array
  publicRendezvousSeed: Uint8Array
}

export namespace AccountContactRequestReferenceReset {
  let _codec: Codec<AccountContactRequestReferenceReset>

  export const codec = (): Codec<AccountContactRequestReferenceReset> => {
    if (_codec == null) {
      _codec = message<AccountContactRequestReferenceReset>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.devicePk != null && obj.devicePk.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.devicePk)
        }

        if ((obj.publicRendezvousSeed != null && obj.publicRendezvousSeed.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.publicRendezvousSeed)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          devicePk: uint8ArrayAlloc(0),
          publicRendezvousSeed: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.devicePk = reader.bytes()
              break
            }
            case 2: {
              obj.publicRendezvousSeed = reader.bytes()
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
            case 2: {
              yield {
                field: `${prefix}.publicRendezvousSeed`,
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

  export interface AccountContactRequestReferenceResetDevicePkFieldEvent {
    field: '$.devicePk'
    value: Uint8Array
  }

  export interface AccountContactRequestReferenceResetPublicRendezvousSeedFieldEvent {
    field: '$.publicRendezvousSeed'
    value: Uint8Array
  }

  export function encode (obj: Partial<AccountContactRequestReferenceReset>): Uint8Array {
    return encodeMessage(obj, AccountContactRequestReferenceReset.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AccountContactRequestReferenceReset>): AccountContactRequestReferenceReset {
    return decodeMessage(buf, AccountContactRequestReferenceReset.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AccountContactRequestReferenceReset>): Generator<AccountContactRequestReferenceResetDevicePkFieldEvent | AccountContactRequestReferenceResetPublicRendezvousSeedFieldEvent> {
    return streamMessage(buf, AccountContactRequestReferenceReset.codec(), opts)
  }
}

export interface AccountContactRequestOutgoingEnqueued {
  devicePk: Uint8Array
  groupPk: Uint8Array
  contact?: ShareableContact
  ownMetadata: Uint8Array
}

export namespace AccountContactRequestOutgoingEnqueued {
  let _codec: Codec<AccountContactRequestOutgoingEnqueued>

  export const codec = (): Codec<AccountContactRequestOutgoingEnqueued> => {
    if (_codec == null) {
      _codec = message<AccountContactRequestOutgoingEnqueued>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.devicePk != null && obj.devicePk.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.devicePk)
        }

        if ((obj.groupPk != null && obj.groupPk.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.groupPk)
        }

        if (obj.contact != null) {
          w.uint32(26)
          ShareableContact.codec().encode(obj.contact, w)
        }

        if ((obj.ownMetadata != null && obj.ownMetadata.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.ownMetadata)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          devicePk: uint8ArrayAlloc(0),
          groupPk: uint8ArrayAlloc(0),
          ownMetadata: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.devicePk = reader.bytes()
              break
            }
            case 2: {
              obj.groupPk = reader.bytes()
              break
            }
            case 3: {
              obj.contact = ShareableContact.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.contact
              })
              break
            }
            case 4: {
              obj.ownMetadata = reader.bytes()
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
            case 2: {
              yield {
                field: `${prefix}.groupPk`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield * ShareableContact.codec().stream(reader, reader.uint32(), `${prefix}.contact`, {
                limits: opts.limits?.contact
              })

              break
            }
            case 4: {
              yield {
                field: `${prefix}.ownMetadata`,
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

  export interface AccountContactRequestOutgoingEnqueuedDevicePkFieldEvent {
    field: '$.devicePk'
    value: Uint8Array
  }

  export interface AccountContactRequestOutgoingEnqueuedGroupPkFieldEvent {
    field: '$.groupPk'
    value: Uint8Array
  }

  export interface AccountContactRequestOutgoingEnqueuedContactPkFieldEvent {
    field: '$.contact.pk'
    value: Uint8Array
  }

  export interface AccountContactRequestOutgoingEnqueuedContactPublicRendezvousSeedFieldEvent {
    field: '$.contact.publicRendezvousSeed'
    value: Uint8Array
  }

  export interface AccountContactRequestOutgoingEnqueuedContactMetadataFieldEvent {
    field: '$.contact.metadata'
    value: Uint8Array
  }

  export interface AccountContactRequestOutgoingEnqueuedOwnMetadataFieldEvent {
    field: '$.ownMetadata'
    value: Uint8Array
  }

  export function encode (obj: Partial<AccountContactRequestOutgoingEnqueued>): Uint8Array {
    return encodeMessage(obj, AccountContactRequestOutgoingEnqueued.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AccountContactRequestOutgoingEnqueued>): AccountContactRequestOutgoingEnqueued {
    return decodeMessage(buf, AccountContactRequestOutgoingEnqueued.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AccountContactRequestOutgoingEnqueued>): Generator<AccountContactRequestOutgoingEnqueuedDevicePkFieldEvent | AccountContactRequestOutgoingEnqueuedGroupPkFieldEvent | AccountContactRequestOutgoingEnqueuedContactPkFieldEvent | AccountContactRequestOutgoingEnqueuedContactPublicRendezvousSeedFieldEvent | AccountContactRequestOutgoingEnqueuedContactMetadataFieldEvent | AccountContactRequestOutgoingEnqueuedOwnMetadataFieldEvent> {
    return streamMessage(buf, AccountContactRequestOutgoingEnqueued.codec(), opts)
  }
}

export interface AccountContactRequestOutgoingSent {
  devicePk: Uint8Array
  contactPk: Uint8Array
}

export namespace AccountContactRequestOutgoingSent {
  let _codec: Codec<AccountContactRequestOutgoingSent>

  export const codec = (): Codec<AccountContactRequestOutgoingSent> => {
    if (_codec == null) {
      _codec = message<AccountContactRequestOutgoingSent>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.devicePk != null && obj.devicePk.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.devicePk)
        }

        if ((obj.contactPk != null && obj.contactPk.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.contactPk)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          devicePk: uint8ArrayAlloc(0),
          contactPk: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.devicePk = reader.bytes()
              break
            }
            case 2: {
              obj.contactPk = reader.bytes()
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
            case 2: {
              yield {
                field: `${prefix}.contactPk`,
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

  export interface AccountContactRequestOutgoingSentDevicePkFieldEvent {
    field: '$.devicePk'
    value: Uint8Array
  }

  export interface AccountContactRequestOutgoingSentContactPkFieldEvent {
    field: '$.contactPk'
    value: Uint8Array
  }

  export function encode (obj: Partial<AccountContactRequestOutgoingSent>): Uint8Array {
    return encodeMessage(obj, AccountContactRequestOutgoingSent.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AccountContactRequestOutgoingSent>): AccountContactRequestOutgoingSent {
    return decodeMessage(buf, AccountContactRequestOutgoingSent.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AccountContactRequestOutgoingSent>): Generator<AccountContactRequestOutgoingSentDevicePkFieldEvent | AccountContactRequestOutgoingSentContactPkFieldEvent> {
    return streamMessage(buf, AccountContactRequestOutgoingSent.codec(), opts)
  }
}

export interface AccountContactRequestIncomingReceived {
  devicePk: Uint8Array
  contactPk: Uint8Array
  contactRendezvousSeed: Uint8Array
  contactMetadata: Uint8Array
}

export namespace AccountContactRequestIncomingReceived {
  let _codec: Codec<AccountContactRequestIncomingReceived>

  export const codec = (): Codec<AccountContactRequestIncomingReceived> => {
    if (_codec == null) {
      _codec = message<AccountContactRequestIncomingReceived>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.devicePk != null && obj.devicePk.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.devicePk)
        }

        if ((obj.contactPk != null && obj.contactPk.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.contactPk)
        }

        if ((obj.contactRendezvousSeed != null && obj.contactRendezvousSeed.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.contactRendezvousSeed)
        }

        if ((obj.contactMetadata != null && obj.contactMetadata.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.contactMetadata)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          devicePk: uint8ArrayAlloc(0),
          contactPk: uint8ArrayAlloc(0),
          contactRendezvousSeed: uint8ArrayAlloc(0),
          contactMetadata: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.devicePk = reader.bytes()
              break
            }
            case 2: {
              obj.contactPk = reader.bytes()
              break
            }
            case 3: {
              obj.contactRendezvousSeed = reader.bytes()
              break
            }
            case 4: {
              obj.contactMetadata = reader.bytes()
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
            case 2: {
              yield {
                field: `${prefix}.contactPk`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.contactRendezvousSeed`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.contactMetadata`,
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

  export interface AccountContactRequestIncomingReceivedDevicePkFieldEvent {
    field: '$.devicePk'
    value: Uint8Array
  }

  export interface AccountContactRequestIncomingReceivedContactPkFieldEvent {
    field: '$.contactPk'
    value: Uint8Array
  }

  export interface AccountContactRequestIncomingReceivedContactRendezvousSeedFieldEvent {
    field: '$.contactRendezvousSeed'
    value: Uint8Array
  }

  export interface AccountContactRequestIncomingReceivedContactMetadataFieldEvent {
    field: '$.contactMetadata'
    value: Uint8Array
  }

  export function encode (obj: Partial<AccountContactRequestIncomingReceived>): Uint8Array {
    return encodeMessage(obj, AccountContactRequestIncomingReceived.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AccountContactRequestIncomingReceived>): AccountContactRequestIncomingReceived {
    return decodeMessage(buf, AccountContactRequestIncomingReceived.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AccountContactRequestIncomingReceived>): Generator<AccountContactRequestIncomingReceivedDevicePkFieldEvent | AccountContactRequestIncomingReceivedContactPkFieldEvent | AccountContactRequestIncomingReceivedContactRendezvousSeedFieldEvent | AccountContactRequestIncomingReceivedContactMetadataFieldEvent> {
    return streamMessage(buf, AccountContactRequestIncomingReceived.codec(), opts)
  }
}

export interface AccountContactRequestIncomingDiscarded {
  devicePk: Uint8Array
  contactPk: Uint8Array
}

export namespace AccountContactRequestIncomingDiscarded {
  let _codec: Codec<AccountContactRequestIncomingDiscarded>

  export const codec = (): Codec<AccountContactRequestIncomingDiscarded> => {
    if (_codec == null) {
      _codec = message<AccountContactRequestIncomingDiscarded>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.devicePk != null && obj.devicePk.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.devicePk)
        }

        if ((obj.contactPk != null && obj.contactPk.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.contactPk)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          devicePk: uint8ArrayAlloc(0),
          contactPk: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.devicePk = reader.bytes()
              break
            }
            case 2: {
              obj.contactPk = reader.bytes()
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
            case 2: {
              yield {
                field: `${prefix}.contactPk`,
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

  export interface AccountContactRequestIncomingDiscardedDevicePkFieldEvent {
    field: '$.devicePk'
    value: Uint8Array
  }

  export interface AccountContactRequestIncomingDiscardedContactPkFieldEvent {
    field: '$.contactPk'
    value: Uint8Array
  }

  export function encode (obj: Partial<AccountContactRequestIncomingDiscarded>): Uint8Array {
    return encodeMessage(obj, AccountContactRequestIncomingDiscarded.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AccountContactRequestIncomingDiscarded>): AccountContactRequestIncomingDiscarded {
    return decodeMessage(buf, AccountContactRequestIncomingDiscarded.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AccountContactRequestIncomingDiscarded>): Generator<AccountContactRequestIncomingDiscardedDevicePkFieldEvent | AccountContactRequestIncomingDiscardedContactPkFieldEvent> {
    return streamMessage(buf, AccountContactRequestIncomingDiscarded.codec(), opts)
  }
}

export interface AccountContactRequestIncomingAccepted {
  devicePk: Uint8Array
  contactPk: Uint8Array
  groupPk: Uint8Array
}

export namespace AccountContactRequestIncomingAccepted {
  let _codec: Codec<AccountContactRequestIncomingAccepted>

  export const codec = (): Codec<AccountContactRequestIncomingAccepted> => {
    if (_codec == null) {
      _codec = message<AccountContactRequestIncomingAccepted>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.devicePk != null && obj.devicePk.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.devicePk)
        }

        if ((obj.contactPk != null && obj.contactPk.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.contactPk)
        }

        if ((obj.groupPk != null && obj.groupPk.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.groupPk)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          devicePk: uint8ArrayAlloc(0),
          contactPk: uint8ArrayAlloc(0),
          groupPk: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.devicePk = reader.bytes()
              break
            }
            case 2: {
              obj.contactPk = reader.bytes()
              break
            }
            case 3: {
              obj.groupPk = reader.bytes()
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
            case 2: {
              yield {
                field: `${prefix}.contactPk`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.groupPk`,
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

  export interface AccountContactRequestIncomingAcceptedDevicePkFieldEvent {
    field: '$.devicePk'
    value: Uint8Array
  }

  export interface AccountContactRequestIncomingAcceptedContactPkFieldEvent {
    field: '$.contactPk'
    value: Uint8Array
  }

  export interface AccountContactRequestIncomingAcceptedGroupPkFieldEvent {
    field: '$.groupPk'
    value: Uint8Array
  }

  export function encode (obj: Partial<AccountContactRequestIncomingAccepted>): Uint8Array {
    return encodeMessage(obj, AccountContactRequestIncomingAccepted.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AccountContactRequestIncomingAccepted>): AccountContactRequestIncomingAccepted {
    return decodeMessage(buf, AccountContactRequestIncomingAccepted.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AccountContactRequestIncomingAccepted>): Generator<AccountContactRequestIncomingAcceptedDevicePkFieldEvent | AccountContactRequestIncomingAcceptedContactPkFieldEvent | AccountContactRequestIncomingAcceptedGroupPkFieldEvent> {
    return streamMessage(buf, AccountContactRequestIncomingAccepted.codec(), opts)
  }
}

export interface AccountContactBlocked {
  devicePk: Uint8Array
  contactPk: Uint8Array
}

export namespace AccountContactBlocked {
  let _codec: Codec<AccountContactBlocked>

  export const codec = (): Codec<AccountContactBlocked> => {
    if (_codec == null) {
      _codec = message<AccountContactBlocked>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.devicePk != null && obj.devicePk.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.devicePk)
        }

        if ((obj.contactPk != null && obj.contactPk.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.contactPk)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          devicePk: uint8ArrayAlloc(0),
          contactPk: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.devicePk = reader.bytes()
              break
            }
            case 2: {
              obj.contactPk = reader.bytes()
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
            case 2: {
              yield {
                field: `${prefix}.contactPk`,
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

  export interface AccountContactBlockedDevicePkFieldEvent {
    field: '$.devicePk'
    value: Uint8Array
  }

  export interface AccountContactBlockedContactPkFieldEvent {
    field: '$.contactPk'
    value: Uint8Array
  }

  export function encode (obj: Partial<AccountContactBlocked>): Uint8Array {
    return encodeMessage(obj, AccountContactBlocked.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AccountContactBlocked>): AccountContactBlocked {
    return decodeMessage(buf, AccountContactBlocked.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AccountContactBlocked>): Generator<AccountContactBlockedDevicePkFieldEvent | AccountContactBlockedContactPkFieldEvent> {
    return streamMessage(buf, AccountContactBlocked.codec(), opts)
  }
}

export interface AccountContactUnblocked {
  devicePk: Uint8Array
  contactPk: Uint8Array
}

export namespace AccountContactUnblocked {
  let _codec: Codec<AccountContactUnblocked>

  export const codec = (): Codec<AccountContactUnblocked> => {
    if (_codec == null) {
      _codec = message<AccountContactUnblocked>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.devicePk != null && obj.devicePk.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.devicePk)
        }

        if ((obj.contactPk != null && obj.contactPk.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.contactPk)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          devicePk: uint8ArrayAlloc(0),
          contactPk: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.devicePk = reader.bytes()
              break
            }
            case 2: {
              obj.contactPk = reader.bytes()
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
            case 2: {
              yield {
                field: `${prefix}.contactPk`,
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

  export interface AccountContactUnblockedDevicePkFieldEvent {
    field: '$.devicePk'
    value: Uint8Array
  }

  export interface AccountContactUnblockedContactPkFieldEvent {
    field: '$.contactPk'
    value: Uint8Array
  }

  export function encode (obj: Partial<AccountContactUnblocked>): Uint8Array {
    return encodeMessage(obj, AccountContactUnblocked.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AccountContactUnblocked>): AccountContactUnblocked {
    return decodeMessage(buf, AccountContactUnblocked.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AccountContactUnblocked>): Generator<AccountContactUnblockedDevicePkFieldEvent | AccountContactUnblockedContactPkFieldEvent> {
    return streamMessage(buf, AccountContactUnblocked.codec(), opts)
  }
}

export interface ContactAliasKeyAdded {
  devicePk: Uint8Array
  aliasPk: Uint8Array
}

export namespace ContactAliasKeyAdded {
  let _codec: Codec<ContactAliasKeyAdded>

  export const codec = (): Codec<ContactAliasKeyAdded> => {
    if (_codec == null) {
      _codec = message<ContactAliasKeyAdded>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.devicePk != null && obj.devicePk.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.devicePk)
        }

        if ((obj.aliasPk != null && obj.aliasPk.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.aliasPk)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          devicePk: uint8ArrayAlloc(0),
          aliasPk: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.devicePk = reader.bytes()
              break
            }
            case 2: {
              obj.aliasPk = reader.bytes()
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
            case 2: {
              yield {
                field: `${prefix}.aliasPk`,
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

  export interface ContactAliasKeyAddedDevicePkFieldEvent {
    field: '$.devicePk'
    value: Uint8Array
  }

  export interface ContactAliasKeyAddedAliasPkFieldEvent {
    field: '$.aliasPk'
    value: Uint8Array
  }

  export function encode (obj: Partial<ContactAliasKeyAdded>): Uint8Array {
    return encodeMessage(obj, ContactAliasKeyAdded.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ContactAliasKeyAdded>): ContactAliasKeyAdded {
    return decodeMessage(buf, ContactAliasKeyAdded.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ContactAliasKeyAdded>): Generator<ContactAliasKeyAddedDevicePkFieldEvent | ContactAliasKeyAddedAliasPkFieldEvent> {
    return streamMessage(buf, ContactAliasKeyAdded.codec(), opts)
  }
}
