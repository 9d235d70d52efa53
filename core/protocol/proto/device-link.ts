import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export enum LinkChallengeKind {
  LINK_CHALLENGE_UNSPECIFIED = 'LINK_CHALLENGE_UNSPECIFIED',
  LINK_CHALLENGE_PIN = 'LINK_CHALLENGE_PIN',
  LINK_CHALLENGE_QR = 'LINK_CHALLENGE_QR',
  LINK_CHALLENGE_FINGERPRINT = 'LINK_CHALLENGE_FINGERPRINT'
}

enum __LinkChallengeKindValues {
  LINK_CHALLENGE_UNSPECIFIED = 0,
  LINK_CHALLENGE_PIN = 1,
  LINK_CHALLENGE_QR = 2,
  LINK_CHALLENGE_FINGERPRINT = 3
}

export namespace LinkChallengeKind {
  export const codec = (): Codec<LinkChallengeKind> => {
    return enumeration<LinkChallengeKind>(__LinkChallengeKindValues)
  }
}

export enum LinkRole {
  LINK_ROLE_FULL = 'LINK_ROLE_FULL',
  LINK_ROLE_REPLICA = 'LINK_ROLE_REPLICA'
}

enum __LinkRoleValues {
  LINK_ROLE_FULL = 0,
  LINK_ROLE_REPLICA = 1
}

export namespace LinkRole {
  export const codec = (): Codec<LinkRole> => {
    return enumeration<LinkRole>(__LinkRoleValues)
  }
}

export interface DeviceLinkInvitation {
  version: number
  peerId: Uint8Array
  ephemeralPk: Uint8Array
  expiresAt: bigint
  addrs: Uint8Array[]
  challenge: LinkChallengeKind
}

export namespace DeviceLinkInvitation {
  let _codec: Codec<DeviceLinkInvitation>

  export const codec = (): Codec<DeviceLinkInvitation> => {
    if (_codec == null) {
      _codec = message<DeviceLinkInvitation>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if ((obj.peerId != null && obj.peerId.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.peerId)
        }

        if ((obj.ephemeralPk != null && obj.ephemeralPk.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.ephemeralPk)
        }

        if ((obj.expiresAt != null && obj.expiresAt !== 0n)) {
          w.uint32(32)
          w.uint64(obj.expiresAt)
        }

        if (obj.addrs != null && obj.addrs.length > 0) {
          for (const value of obj.addrs) {
            w.uint32(42)
            w.bytes(value)
          }
        }

        if (obj.challenge != null && __LinkChallengeKindValues[obj.challenge] !== 0) {
          w.uint32(48)
          LinkChallengeKind.codec().encode(obj.challenge, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          peerId: uint8ArrayAlloc(0),
          ephemeralPk: uint8ArrayAlloc(0),
          expiresAt: 0n,
          addrs: [],
          challenge: LinkChallengeKind.LINK_CHALLENGE_UNSPECIFIED
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
              obj.peerId = reader.bytes()
              break
            }
            case 3: {
              obj.ephemeralPk = reader.bytes()
              break
            }
            case 4: {
              obj.expiresAt = reader.uint64()
              break
            }
            case 5: {
              if (opts.limits?.addrs != null && obj.addrs.length === opts.limits.addrs) {
                throw new MaxLengthError('Decode error - repeated field "addrs" had too many elements')
              }

              obj.addrs.push(reader.bytes())
              break
            }
            case 6: {
              obj.challenge = LinkChallengeKind.codec().decode(reader)
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
          addrs: 0
        }

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
                field: `${prefix}.peerId`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.ephemeralPk`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.expiresAt`,
                value: reader.uint64()
              }
              break
            }
            case 5: {
              if (opts.limits?.addrs != null && obj.addrs === opts.limits.addrs) {
                throw new MaxLengthError('Streaming decode error - repeated field "addrs" had too many elements')
              }

              yield {
                field: `${prefix}.addrs[]`,
                index: obj.addrs,
                value: reader.bytes()
              }

              obj.addrs++

              break
            }
            case 6: {
              yield {
                field: `${prefix}.challenge`,
                value: LinkChallengeKind.codec().decode(reader)
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

  export interface DeviceLinkInvitationVersionFieldEvent {
    field: '$.version'
    value: number
  }

  export interface DeviceLinkInvitationPeerIdFieldEvent {
    field: '$.peerId'
    value: Uint8Array
  }

  export interface DeviceLinkInvitationEphemeralPkFieldEvent {
    field: '$.ephemeralPk'
    value: Uint8Array
  }

  export interface DeviceLinkInvitationExpiresAtFieldEvent {
    field: '$.expiresAt'
    value: bigint
  }

  export interface DeviceLinkInvitationAddrsFieldEvent {
    field: '$.addrs[]'
    index: number
    value: Uint8Array
  }

  export interface DeviceLinkInvitationChallengeFieldEvent {
    field: '$.challenge'
    value: LinkChallengeKind
  }

  export function encode (obj: Partial<DeviceLinkInvitation>): Uint8Array {
    return encodeMessage(obj, DeviceLinkInvitation.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeviceLinkInvitation>): DeviceLinkInvitation {
    return decodeMessage(buf, DeviceLinkInvitation.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeviceLinkInvitation>): Generator<DeviceLinkInvitationVersionFieldEvent | DeviceLinkInvitationPeerIdFieldEvent | DeviceLinkInvitationEphemeralPkFieldEvent | DeviceLinkInvitationExpiresAtFieldEvent | DeviceLinkInvitationAddrsFieldEvent | DeviceLinkInvitationChallengeFieldEvent> {
    return streamMessage(buf, DeviceLinkInvitation.codec(), opts)
  }
}

export interface LinkHello {
  version: number
  ephemeralPk: Uint8Array
  sealed: Uint8Array
  invitationId: Uint8Array
}

export namespace LinkHello {
  let _codec: Codec<LinkHello>

  export const codec = (): Codec<LinkHello> => {
    if (_codec == null) {
      _codec = message<LinkHello>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if ((obj.ephemeralPk != null && obj.ephemeralPk.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.ephemeralPk)
        }

        if ((obj.sealed != null && obj.sealed.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.sealed)
        }

        if ((obj.invitationId != null && obj.invitationId.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.invitationId)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          ephemeralPk: uint8ArrayAlloc(0),
          sealed: uint8ArrayAlloc(0),
          invitationId: uint8ArrayAlloc(0)
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
              obj.ephemeralPk = reader.bytes()
              break
            }
            case 3: {
              obj.sealed = reader.bytes()
              break
            }
            case 4: {
              obj.invitationId = reader.bytes()
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
                field: `${prefix}.ephemeralPk`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.sealed`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.invitationId`,
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

  export interface LinkHelloVersionFieldEvent {
    field: '$.version'
    value: number
  }

  export interface LinkHelloEphemeralPkFieldEvent {
    field: '$.ephemeralPk'
    value: Uint8Array
  }

  export interface LinkHelloSealedFieldEvent {
    field: '$.sealed'
    value: Uint8Array
  }

  export interface LinkHelloInvitationIdFieldEvent {
    field: '$.invitationId'
    value: Uint8Array
  }

  export function encode (obj: Partial<LinkHello>): Uint8Array {
    return encodeMessage(obj, LinkHello.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LinkHello>): LinkHello {
    return decodeMessage(buf, LinkHello.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LinkHello>): Generator<LinkHelloVersionFieldEvent | LinkHelloEphemeralPkFieldEvent | LinkHelloSealedFieldEvent | LinkHelloInvitationIdFieldEvent> {
    return streamMessage(buf, LinkHello.codec(), opts)
  }
}

export interface LinkReply {
  sealed: Uint8Array
  refused: LinkStatus
  reason: string
}

export namespace LinkReply {
  let _codec: Codec<LinkReply>

  export const codec = (): Codec<LinkReply> => {
    if (_codec == null) {
      _codec = message<LinkReply>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.sealed != null && obj.sealed.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.sealed)
        }

        if (obj.refused != null && __LinkStatusValues[obj.refused] !== 0) {
          w.uint32(16)
          LinkStatus.codec().encode(obj.refused, w)
        }

        if ((obj.reason != null && obj.reason !== '')) {
          w.uint32(26)
          w.string(obj.reason)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          sealed: uint8ArrayAlloc(0),
          refused: LinkStatus.LINK_STATUS_UNSPECIFIED,
          reason: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.sealed = reader.bytes()
              break
            }
            case 2: {
              obj.refused = LinkStatus.codec().decode(reader)
              break
            }
            case 3: {
              obj.reason = reader.string()
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
                field: `${prefix}.sealed`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.refused`,
                value: LinkStatus.codec().decode(reader)
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.reason`,
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

  export interface LinkReplySealedFieldEvent {
    field: '$.sealed'
    value: Uint8Array
  }

  export interface LinkReplyRefusedFieldEvent {
    field: '$.refused'
    value: LinkStatus
  }

  export interface LinkReplyReasonFieldEvent {
    field: '$.reason'
    value: string
  }

  export function encode (obj: Partial<LinkReply>): Uint8Array {
    return encodeMessage(obj, LinkReply.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LinkReply>): LinkReply {
    return decodeMessage(buf, LinkReply.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LinkReply>): Generator<LinkReplySealedFieldEvent | LinkReplyRefusedFieldEvent | LinkReplyReasonFieldEvent> {
    return streamMessage(buf, LinkReply.codec(), opts)
  }
}

export interface LinkRequest {
  devicePk: Uint8Array
  sig: Uint8Array
  role: LinkRole
  deviceName: string
  requestedChallenge: LinkChallengeKind
}

export namespace LinkRequest {
  let _codec: Codec<LinkRequest>

  export const codec = (): Codec<LinkRequest> => {
    if (_codec == null) {
      _codec = message<LinkRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.devicePk != null && obj.devicePk.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.devicePk)
        }

        if ((obj.sig != null && obj.sig.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.sig)
        }

        if (obj.role != null && __LinkRoleValues[obj.role] !== 0) {
          w.uint32(24)
          LinkRole.codec().encode(obj.role, w)
        }

        if ((obj.deviceName != null && obj.deviceName !== '')) {
          w.uint32(34)
          w.string(obj.deviceName)
        }

        if (obj.requestedChallenge != null && __LinkChallengeKindValues[obj.requestedChallenge] !== 0) {
          w.uint32(40)
          LinkChallengeKind.codec().encode(obj.requestedChallenge, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          devicePk: uint8ArrayAlloc(0),
          sig: uint8ArrayAlloc(0),
          role: LinkRole.LINK_ROLE_FULL,
          deviceName: '',
          requestedChallenge: LinkChallengeKind.LINK_CHALLENGE_UNSPECIFIED
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
              obj.sig = reader.bytes()
              break
            }
            case 3: {
              obj.role = LinkRole.codec().decode(reader)
              break
            }
            case 4: {
              obj.deviceName = reader.string()
              break
            }
            case 5: {
              obj.requestedChallenge = LinkChallengeKind.codec().decode(reader)
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
                field: `${prefix}.sig`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.role`,
                value: LinkRole.codec().decode(reader)
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.deviceName`,
                value: reader.string()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.requestedChallenge`,
                value: LinkChallengeKind.codec().decode(reader)
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

  export interface LinkRequestDevicePkFieldEvent {
    field: '$.devicePk'
    value: Uint8Array
  }

  export interface LinkRequestSigFieldEvent {
    field: '$.sig'
    value: Uint8Array
  }

  export interface LinkRequestRoleFieldEvent {
    field: '$.role'
    value: LinkRole
  }

  export interface LinkRequestDeviceNameFieldEvent {
    field: '$.deviceName'
    value: string
  }

  export interface LinkRequestRequestedChallengeFieldEvent {
    field: '$.requestedChallenge'
    value: LinkChallengeKind
  }

  export function encode (obj: Partial<LinkRequest>): Uint8Array {
    return encodeMessage(obj, LinkRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LinkRequest>): LinkRequest {
    return decodeMessage(buf, LinkRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LinkRequest>): Generator<LinkRequestDevicePkFieldEvent | LinkRequestSigFieldEvent | LinkRequestRoleFieldEvent | LinkRequestDeviceNameFieldEvent | LinkRequestRequestedChallengeFieldEvent> {
    return streamMessage(buf, LinkRequest.codec(), opts)
  }
}

export interface LinkChallenge {
  kind: LinkChallengeKind
  fingerprint: Uint8Array
  pinDigits: number
  triesLeft: number
}

export namespace LinkChallenge {
  let _codec: Codec<LinkChallenge>

  export const codec = (): Codec<LinkChallenge> => {
    if (_codec == null) {
      _codec = message<LinkChallenge>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.kind != null && __LinkChallengeKindValues[obj.kind] !== 0) {
          w.uint32(8)
          LinkChallengeKind.codec().encode(obj.kind, w)
        }

        if ((obj.fingerprint != null && obj.fingerprint.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.fingerprint)
        }

        if ((obj.pinDigits != null && obj.pinDigits !== 0)) {
          w.uint32(24)
          w.uint32(obj.pinDigits)
        }

        if ((obj.triesLeft != null && obj.triesLeft !== 0)) {
          w.uint32(32)
          w.uint32(obj.triesLeft)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          kind: LinkChallengeKind.LINK_CHALLENGE_UNSPECIFIED,
          fingerprint: uint8ArrayAlloc(0),
          pinDigits: 0,
          triesLeft: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.kind = LinkChallengeKind.codec().decode(reader)
              break
            }
            case 2: {
              obj.fingerprint = reader.bytes()
              break
            }
            case 3: {
              obj.pinDigits = reader.uint32()
              break
            }
            case 4: {
              obj.triesLeft = reader.uint32()
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
                value: LinkChallengeKind.codec().decode(reader)
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.fingerprint`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.pinDigits`,
                value: reader.uint32()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.triesLeft`,
                value: reader.uint32()
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

  export interface LinkChallengeKindFieldEvent {
    field: '$.kind'
    value: LinkChallengeKind
  }

  export interface LinkChallengeFingerprintFieldEvent {
    field: '$.fingerprint'
    value: Uint8Array
  }

  export interface LinkChallengePinDigitsFieldEvent {
    field: '$.pinDigits'
    value: number
  }

  export interface LinkChallengeTriesLeftFieldEvent {
    field: '$.triesLeft'
    value: number
  }

  export function encode (obj: Partial<LinkChallenge>): Uint8Array {
    return encodeMessage(obj, LinkChallenge.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LinkChallenge>): LinkChallenge {
    return decodeMessage(buf, LinkChallenge.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LinkChallenge>): Generator<LinkChallengeKindFieldEvent | LinkChallengeFingerprintFieldEvent | LinkChallengePinDigitsFieldEvent | LinkChallengeTriesLeftFieldEvent> {
    return streamMessage(buf, LinkChallenge.codec(), opts)
  }
}

export interface LinkAnswer {
  sig: Uint8Array
  cancel: boolean
}

export namespace LinkAnswer {
  let _codec: Codec<LinkAnswer>

  export const codec = (): Codec<LinkAnswer> => {
    if (_codec == null) {
      _codec = message<LinkAnswer>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.sig != null && obj.sig.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.sig)
        }

        if ((obj.cancel != null && obj.cancel !== false)) {
          w.uint32(16)
          w.bool(obj.cancel)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          sig: uint8ArrayAlloc(0),
          cancel: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.sig = reader.bytes()
              break
            }
            case 2: {
              obj.cancel = reader.bool()
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
                field: `${prefix}.sig`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.cancel`,
                value: reader.bool()
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

  export interface LinkAnswerSigFieldEvent {
    field: '$.sig'
    value: Uint8Array
  }

  export interface LinkAnswerCancelFieldEvent {
    field: '$.cancel'
    value: boolean
  }

  export function encode (obj: Partial<LinkAnswer>): Uint8Array {
    return encodeMessage(obj, LinkAnswer.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LinkAnswer>): LinkAnswer {
    return decodeMessage(buf, LinkAnswer.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LinkAnswer>): Generator<LinkAnswerSigFieldEvent | LinkAnswerCancelFieldEvent> {
    return streamMessage(buf, LinkAnswer.codec(), opts)
  }
}

export enum LinkStatus {
  LINK_STATUS_UNSPECIFIED = 'LINK_STATUS_UNSPECIFIED',
  LINK_STATUS_OK = 'LINK_STATUS_OK',
  LINK_STATUS_WRONG_ANSWER = 'LINK_STATUS_WRONG_ANSWER',
  LINK_STATUS_REFUSED = 'LINK_STATUS_REFUSED',
  LINK_STATUS_EXPIRED = 'LINK_STATUS_EXPIRED'
}

enum __LinkStatusValues {
  LINK_STATUS_UNSPECIFIED = 0,
  LINK_STATUS_OK = 1,
  LINK_STATUS_WRONG_ANSWER = 2,
  LINK_STATUS_REFUSED = 3,
  LINK_STATUS_EXPIRED = 4
}

export namespace LinkStatus {
  export const codec = (): Codec<LinkStatus> => {
    return enumeration<LinkStatus>(__LinkStatusValues)
  }
}

export interface AccountBundle {
  accountSeed: Uint8Array
  aliasSeed: Uint8Array
  rendezvousSeed: Uint8Array
  displayName: string
  role: LinkRole
  inviterDevicePk: Uint8Array
  inviterDeviceName: string
  accountPk: Uint8Array
  accountGroupPk: Uint8Array
  accountGroupSignPub: Uint8Array
  accountGroupLinkKey: Uint8Array
}

export namespace AccountBundle {
  let _codec: Codec<AccountBundle>

  export const codec = (): Codec<AccountBundle> => {
    if (_codec == null) {
      _codec = message<AccountBundle>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.accountSeed != null && obj.accountSeed.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.accountSeed)
        }

        if ((obj.aliasSeed != null && obj.aliasSeed.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.aliasSeed)
        }

        if ((obj.rendezvousSeed != null && obj.rendezvousSeed.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.rendezvousSeed)
        }

        if ((obj.displayName != null && obj.displayName !== '')) {
          w.uint32(34)
          w.string(obj.displayName)
        }

        if (obj.role != null && __LinkRoleValues[obj.role] !== 0) {
          w.uint32(40)
          LinkRole.codec().encode(obj.role, w)
        }

        if ((obj.inviterDevicePk != null && obj.inviterDevicePk.byteLength > 0)) {
          w.uint32(50)
          w.bytes(obj.inviterDevicePk)
        }

        if ((obj.inviterDeviceName != null && obj.inviterDeviceName !== '')) {
          w.uint32(58)
          w.string(obj.inviterDeviceName)
        }

        if ((obj.accountPk != null && obj.accountPk.byteLength > 0)) {
          w.uint32(66)
          w.bytes(obj.accountPk)
        }

        if ((obj.accountGroupPk != null && obj.accountGroupPk.byteLength > 0)) {
          w.uint32(74)
          w.bytes(obj.accountGroupPk)
        }

        if ((obj.accountGroupSignPub != null && obj.accountGroupSignPub.byteLength > 0)) {
          w.uint32(82)
          w.bytes(obj.accountGroupSignPub)
        }

        if ((obj.accountGroupLinkKey != null && obj.accountGroupLinkKey.byteLength > 0)) {
          w.uint32(90)
          w.bytes(obj.accountGroupLinkKey)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          accountSeed: uint8ArrayAlloc(0),
          aliasSeed: uint8ArrayAlloc(0),
          rendezvousSeed: uint8ArrayAlloc(0),
          displayName: '',
          role: LinkRole.LINK_ROLE_FULL,
          inviterDevicePk: uint8ArrayAlloc(0),
          inviterDeviceName: '',
          accountPk: uint8ArrayAlloc(0),
          accountGroupPk: uint8ArrayAlloc(0),
          accountGroupSignPub: uint8ArrayAlloc(0),
          accountGroupLinkKey: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.accountSeed = reader.bytes()
              break
            }
            case 2: {
              obj.aliasSeed = reader.bytes()
              break
            }
            case 3: {
              obj.rendezvousSeed = reader.bytes()
              break
            }
            case 4: {
              obj.displayName = reader.string()
              break
            }
            case 5: {
              obj.role = LinkRole.codec().decode(reader)
              break
            }
            case 6: {
              obj.inviterDevicePk = reader.bytes()
              break
            }
            case 7: {
              obj.inviterDeviceName = reader.string()
              break
            }
            case 8: {
              obj.accountPk = reader.bytes()
              break
            }
            case 9: {
              obj.accountGroupPk = reader.bytes()
              break
            }
            case 10: {
              obj.accountGroupSignPub = reader.bytes()
              break
            }
            case 11: {
              obj.accountGroupLinkKey = reader.bytes()
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
                field: `${prefix}.accountSeed`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.aliasSeed`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.rendezvousSeed`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.displayName`,
                value: reader.string()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.role`,
                value: LinkRole.codec().decode(reader)
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.inviterDevicePk`,
                value: reader.bytes()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.inviterDeviceName`,
                value: reader.string()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.accountPk`,
                value: reader.bytes()
              }
              break
            }
            case 9: {
              yield {
                field: `${prefix}.accountGroupPk`,
                value: reader.bytes()
              }
              break
            }
            case 10: {
              yield {
                field: `${prefix}.accountGroupSignPub`,
                value: reader.bytes()
              }
              break
            }
            case 11: {
              yield {
                field: `${prefix}.accountGroupLinkKey`,
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

  export interface AccountBundleAccountSeedFieldEvent {
    field: '$.accountSeed'
    value: Uint8Array
  }

  export interface AccountBundleAliasSeedFieldEvent {
    field: '$.aliasSeed'
    value: Uint8Array
  }

  export interface AccountBundleRendezvousSeedFieldEvent {
    field: '$.rendezvousSeed'
    value: Uint8Array
  }

  export interface AccountBundleDisplayNameFieldEvent {
    field: '$.displayName'
    value: string
  }

  export interface AccountBundleRoleFieldEvent {
    field: '$.role'
    value: LinkRole
  }

  export interface AccountBundleInviterDevicePkFieldEvent {
    field: '$.inviterDevicePk'
    value: Uint8Array
  }

  export interface AccountBundleInviterDeviceNameFieldEvent {
    field: '$.inviterDeviceName'
    value: string
  }

  export interface AccountBundleAccountPkFieldEvent {
    field: '$.accountPk'
    value: Uint8Array
  }

  export interface AccountBundleAccountGroupPkFieldEvent {
    field: '$.accountGroupPk'
    value: Uint8Array
  }

  export interface AccountBundleAccountGroupSignPubFieldEvent {
    field: '$.accountGroupSignPub'
    value: Uint8Array
  }

  export interface AccountBundleAccountGroupLinkKeyFieldEvent {
    field: '$.accountGroupLinkKey'
    value: Uint8Array
  }

  export function encode (obj: Partial<AccountBundle>): Uint8Array {
    return encodeMessage(obj, AccountBundle.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AccountBundle>): AccountBundle {
    return decodeMessage(buf, AccountBundle.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AccountBundle>): Generator<AccountBundleAccountSeedFieldEvent | AccountBundleAliasSeedFieldEvent | AccountBundleRendezvousSeedFieldEvent | AccountBundleDisplayNameFieldEvent | AccountBundleRoleFieldEvent | AccountBundleInviterDevicePkFieldEvent | AccountBundleInviterDeviceNameFieldEvent | AccountBundleAccountPkFieldEvent | AccountBundleAccountGroupPkFieldEvent | AccountBundleAccountGroupSignPubFieldEvent | AccountBundleAccountGroupLinkKeyFieldEvent> {
    return streamMessage(buf, AccountBundle.codec(), opts)
  }
}

export interface LinkVerdict {
  status: LinkStatus
  triesLeft: number
  bundle?: AccountBundle
  reason: string
}

export namespace LinkVerdict {
  let _codec: Codec<LinkVerdict>

  export const codec = (): Codec<LinkVerdict> => {
    if (_codec == null) {
      _codec = message<LinkVerdict>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.status != null && __LinkStatusValues[obj.status] !== 0) {
          w.uint32(8)
          LinkStatus.codec().encode(obj.status, w)
        }

        if ((obj.triesLeft != null && obj.triesLeft !== 0)) {
          w.uint32(16)
          w.uint32(obj.triesLeft)
        }

        if (obj.bundle != null) {
          w.uint32(26)
          AccountBundle.codec().encode(obj.bundle, w)
        }

        if ((obj.reason != null && obj.reason !== '')) {
          w.uint32(34)
          w.string(obj.reason)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          status: LinkStatus.LINK_STATUS_UNSPECIFIED,
          triesLeft: 0,
          reason: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.status = LinkStatus.codec().decode(reader)
              break
            }
            case 2: {
              obj.triesLeft = reader.uint32()
              break
            }
            case 3: {
              obj.bundle = AccountBundle.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.bundle
              })
              break
            }
            case 4: {
              obj.reason = reader.string()
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
                field: `${prefix}.status`,
                value: LinkStatus.codec().decode(reader)
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.triesLeft`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield * AccountBundle.codec().stream(reader, reader.uint32(), `${prefix}.bundle`, {
                limits: opts.limits?.bundle
              })

              break
            }
            case 4: {
              yield {
                field: `${prefix}.reason`,
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

  export interface LinkVerdictStatusFieldEvent {
    field: '$.status'
    value: LinkStatus
  }

  export interface LinkVerdictTriesLeftFieldEvent {
    field: '$.triesLeft'
    value: number
  }

  export interface LinkVerdictBundleAccountSeedFieldEvent {
    field: '$.bundle.accountSeed'
    value: Uint8Array
  }

  export interface LinkVerdictBundleAliasSeedFieldEvent {
    field: '$.bundle.aliasSeed'
    value: Uint8Array
  }

  export interface LinkVerdictBundleRendezvousSeedFieldEvent {
    field: '$.bundle.rendezvousSeed'
    value: Uint8Array
  }

  export interface LinkVerdictBundleDisplayNameFieldEvent {
    field: '$.bundle.displayName'
    value: string
  }

  export interface LinkVerdictBundleRoleFieldEvent {
    field: '$.bundle.role'
    value: LinkRole
  }

  export interface LinkVerdictBundleInviterDevicePkFieldEvent {
    field: '$.bundle.inviterDevicePk'
    value: Uint8Array
  }

  export interface LinkVerdictBundleInviterDeviceNameFieldEvent {
    field: '$.bundle.inviterDeviceName'
    value: string
  }

  export interface LinkVerdictBundleAccountPkFieldEvent {
    field: '$.bundle.accountPk'
    value: Uint8Array
  }

  export interface LinkVerdictBundleAccountGroupPkFieldEvent {
    field: '$.bundle.accountGroupPk'
    value: Uint8Array
  }

  export interface LinkVerdictBundleAccountGroupSignPubFieldEvent {
    field: '$.bundle.accountGroupSignPub'
    value: Uint8Array
  }

  export interface LinkVerdictBundleAccountGroupLinkKeyFieldEvent {
    field: '$.bundle.accountGroupLinkKey'
    value: Uint8Array
  }

  export interface LinkVerdictReasonFieldEvent {
    field: '$.reason'
    value: string
  }

  export function encode (obj: Partial<LinkVerdict>): Uint8Array {
    return encodeMessage(obj, LinkVerdict.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LinkVerdict>): LinkVerdict {
    return decodeMessage(buf, LinkVerdict.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LinkVerdict>): Generator<LinkVerdictStatusFieldEvent | LinkVerdictTriesLeftFieldEvent | LinkVerdictBundleAccountSeedFieldEvent | LinkVerdictBundleAliasSeedFieldEvent | LinkVerdictBundleRendezvousSeedFieldEvent | LinkVerdictBundleDisplayNameFieldEvent | LinkVerdictBundleRoleFieldEvent | LinkVerdictBundleInviterDevicePkFieldEvent | LinkVerdictBundleInviterDeviceNameFieldEvent | LinkVerdictBundleAccountPkFieldEvent | LinkVerdictBundleAccountGroupPkFieldEvent | LinkVerdictBundleAccountGroupSignPubFieldEvent | LinkVerdictBundleAccountGroupLinkKeyFieldEvent | LinkVerdictReasonFieldEvent> {
    return streamMessage(buf, LinkVerdict.codec(), opts)
  }
}

export interface LinkDone {
  accountGroupDevicePk: Uint8Array
  sig: Uint8Array
  replicaToken: string
}

export namespace LinkDone {
  let _codec: Codec<LinkDone>

  export const codec = (): Codec<LinkDone> => {
    if (_codec == null) {
      _codec = message<LinkDone>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.accountGroupDevicePk != null && obj.accountGroupDevicePk.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.accountGroupDevicePk)
        }

        if ((obj.sig != null && obj.sig.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.sig)
        }

        if ((obj.replicaToken != null && obj.replicaToken !== '')) {
          w.uint32(26)
          w.string(obj.replicaToken)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          accountGroupDevicePk: uint8ArrayAlloc(0),
          sig: uint8ArrayAlloc(0),
          replicaToken: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.accountGroupDevicePk = reader.bytes()
              break
            }
            case 2: {
              obj.sig = reader.bytes()
              break
            }
            case 3: {
              obj.replicaToken = reader.string()
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
                field: `${prefix}.accountGroupDevicePk`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.sig`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.replicaToken`,
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

  export interface LinkDoneAccountGroupDevicePkFieldEvent {
    field: '$.accountGroupDevicePk'
    value: Uint8Array
  }

  export interface LinkDoneSigFieldEvent {
    field: '$.sig'
    value: Uint8Array
  }

  export interface LinkDoneReplicaTokenFieldEvent {
    field: '$.replicaToken'
    value: string
  }

  export function encode (obj: Partial<LinkDone>): Uint8Array {
    return encodeMessage(obj, LinkDone.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LinkDone>): LinkDone {
    return decodeMessage(buf, LinkDone.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LinkDone>): Generator<LinkDoneAccountGroupDevicePkFieldEvent | LinkDoneSigFieldEvent | LinkDoneReplicaTokenFieldEvent> {
    return streamMessage(buf, LinkDone.codec(), opts)
  }
}
