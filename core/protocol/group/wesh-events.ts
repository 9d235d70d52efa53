/**
 * weshnet `EventType` numbers (berty/weshnet api/protocol/protocoltypes.proto) and the pass-through
 * events: weshnet metadata events this engine carries without interpreting them (account events,
 * GroupReplicating, ContactAliasKeyAdded), for the features built on top of the groups engine
 * (contacts, device linking, replication). Each payload is decoded with weshnet's codec before it is
 * accepted, on append and on receipt; its `device_pk` (field 1 of every one of them) is the device
 * whose signature `GroupMetadata.sig` carries, as weshnet's `sigCheckerDeviceSigned` checks it.
 */
import type { GroupKind } from './keys'
import * as W from '../proto/wesh'
import type { ProtoShape } from '../proto-check'
import { equalBytes } from '../../crypto'
import { decodeWire, KEY_LENGTH } from './codec'
import { GroupProtocolError } from './errors'

/** The weshnet numbers of the event types this engine reads or writes (protocoltypes.proto `EventType`). */
export const WeshEventType = {
  GroupMemberDeviceAdded: 1,
  GroupDeviceChainKeyAdded: 2,
  AccountGroupJoined: 101,
  AccountGroupLeft: 102,
  AccountContactRequestDisabled: 103,
  AccountContactRequestEnabled: 104,
  AccountContactRequestReferenceReset: 105,
  AccountContactRequestOutgoingEnqueued: 106,
  AccountContactRequestOutgoingSent: 107,
  AccountContactRequestIncomingReceived: 108,
  AccountContactRequestIncomingDiscarded: 109,
  AccountContactRequestIncomingAccepted: 110,
  AccountContactBlocked: 111,
  AccountContactUnblocked: 112,
  ContactAliasKeyAdded: 201,
  MultiMemberGroupAliasResolverAdded: 301,
  MultiMemberGroupInitialMemberAnnounced: 302,
  GroupReplicating: 403,
  GroupMetadataPayloadSent: 1001
} as const

/** Carried, verified and listed, never interpreted by the reducer. */
export type WeshPassThroughType =
  | 101 | 102 | 103 | 104 | 105 | 106 | 107 | 108 | 109 | 110 | 111 | 112
  | typeof WeshEventType.ContactAliasKeyAdded
  | typeof WeshEventType.GroupReplicating

interface PayloadCodec {
  decode(b: Uint8Array): { devicePk: Uint8Array }
  encode(m: never): Uint8Array
}

const PASS_THROUGH: ReadonlyMap<number, { codec: PayloadCodec; shape?: ProtoShape; groups: ReadonlySet<GroupKind> }> = (() => {
  const account = new Set<GroupKind>(['account'])
  return new Map<number, { codec: PayloadCodec; shape?: ProtoShape; groups: ReadonlySet<GroupKind> }>([
    [101, { codec: W.AccountGroupJoined, groups: account }],
    [102, { codec: W.AccountGroupLeft, groups: account }],
    [103, { codec: W.AccountContactRequestDisabled, groups: account }],
    [104, { codec: W.AccountContactRequestEnabled, groups: account }],
    [105, { codec: W.AccountContactRequestReferenceReset, groups: account }],
    [106, { codec: W.AccountContactRequestOutgoingEnqueued, groups: account }],
    [107, { codec: W.AccountContactRequestOutgoingSent, groups: account }],
    [108, { codec: W.AccountContactRequestIncomingReceived, groups: account }],
    [109, { codec: W.AccountContactRequestIncomingDiscarded, groups: account }],
    [110, { codec: W.AccountContactRequestIncomingAccepted, groups: account }],
    [111, { codec: W.AccountContactBlocked, groups: account }],
    [112, { codec: W.AccountContactUnblocked, groups: account }],
    // weshnet posts the alias key in contact groups only (store_metadata.go ContactSendAliasKey).
    [201, { codec: W.ContactAliasKeyAdded, groups: new Set<GroupKind>(['contact']) }],
    [403, { codec: W.GroupReplicating, shape: { 2: 'string', 3: 'string' }, groups: new Set<GroupKind>(['account', 'contact', 'multi']) }]
  ])
})()

export function isPassThroughType(t: number): t is WeshPassThroughType {
  return PASS_THROUGH.has(t)
}

/** Whether a pass-through event may appear in a group of this kind (account events: the account group only). */
export function passThroughAllowedIn(t: WeshPassThroughType, kind: GroupKind): boolean {
  return PASS_THROUGH.get(t)?.groups.has(kind) ?? false
}

/** Payload caps: the largest (106, a ShareableContact with Berty metadata) stays far below this. */
export const MAX_PASS_THROUGH_PAYLOAD_BYTES = 4096

/**
 * Decodes a pass-through payload with weshnet's codec (unknown fields tolerated, as Go does) and
 * returns its `device_pk`, which must be a 32-byte key. Everything else → ERR_MALFORMED.
 */
export function passThroughDevice(t: number, payload: Uint8Array): Uint8Array {
  const entry = PASS_THROUGH.get(t)
  if (entry === undefined) throw new GroupProtocolError('ERR_MALFORMED', `event type ${t} is not a pass-through type`)
  const decoded = decodeWire(entry.codec, payload, MAX_PASS_THROUGH_PAYLOAD_BYTES, `event ${t} payload`, entry.shape)
  if (!(decoded.devicePk instanceof Uint8Array) || decoded.devicePk.length !== KEY_LENGTH) {
    throw new GroupProtocolError('ERR_MALFORMED', `event ${t} payload: device_pk must be ${KEY_LENGTH} bytes`)
  }
  return decoded.devicePk
}

/**
 * The payload with `device_pk` set to `devicePk` (the appending device), re-encoded with weshnet's
 * codec. A payload naming another device is refused: its signature could never verify.
 */
export function passThroughWithDevice(t: number, payload: Uint8Array, devicePk: Uint8Array): Uint8Array {
  const entry = PASS_THROUGH.get(t)
  if (entry === undefined) throw new GroupProtocolError('ERR_MALFORMED', `event type ${t} is not a pass-through type`)
  const decoded = decodeWire(entry.codec, payload, MAX_PASS_THROUGH_PAYLOAD_BYTES, `event ${t} payload`, entry.shape)
  if (decoded.devicePk.length !== 0 && !equalBytes(decoded.devicePk, devicePk)) {
    throw new GroupProtocolError('ERR_MALFORMED', `event ${t} payload names another device`)
  }
  return entry.codec.encode({ ...decoded, devicePk } as never)
}

const NAME_OF = new Map<number, W.EventType>([
  [1, W.EventType.EventTypeGroupMemberDeviceAdded],
  [2, W.EventType.EventTypeGroupDeviceChainKeyAdded],
  [101, W.EventType.EventTypeAccountGroupJoined],
  [102, W.EventType.EventTypeAccountGroupLeft],
  [103, W.EventType.EventTypeAccountContactRequestDisabled],
  [104, W.EventType.EventTypeAccountContactRequestEnabled],
  [105, W.EventType.EventTypeAccountContactRequestReferenceReset],
  [106, W.EventType.EventTypeAccountContactRequestOutgoingEnqueued],
  [107, W.EventType.EventTypeAccountContactRequestOutgoingSent],
  [108, W.EventType.EventTypeAccountContactRequestIncomingReceived],
  [109, W.EventType.EventTypeAccountContactRequestIncomingDiscarded],
  [110, W.EventType.EventTypeAccountContactRequestIncomingAccepted],
  [111, W.EventType.EventTypeAccountContactBlocked],
  [112, W.EventType.EventTypeAccountContactUnblocked],
  [201, W.EventType.EventTypeContactAliasKeyAdded],
  [301, W.EventType.EventTypeMultiMemberGroupAliasResolverAdded],
  [302, W.EventType.EventTypeMultiMemberGroupInitialMemberAnnounced],
  [403, W.EventType.EventTypeGroupReplicating],
  [1001, W.EventType.EventTypeGroupMetadataPayloadSent]
])
const NUMBER_OF = new Map<W.EventType, number>([...NAME_OF].map(([n, name]) => [name, n]))

/** protons' enum name of a weshnet event type number this engine knows. */
export function eventTypeName(t: number): W.EventType {
  const name = NAME_OF.get(t)
  if (name === undefined) throw new GroupProtocolError('ERR_MALFORMED', `unsupported event type ${t}`)
  return name
}

/**
 * The weshnet number of a decoded `GroupMetadata.event_type`. Types weshnet knows that this engine
 * neither interprets nor carries (303 AdminRoleGranted, 500 VerifiedCredential) → ERR_MALFORMED,
 * like any type weshnet itself does not know.
 */
export function eventTypeNumber(name: W.EventType): number {
  const n = NUMBER_OF.get(name)
  if (n === undefined) throw new GroupProtocolError('ERR_MALFORMED', `unsupported event type ${String(name)}`)
  return n
}
