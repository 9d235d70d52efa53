/**
 * weshnet `EventType` numbers (berty/weshnet api/protocol/protocoltypes.proto) and the pass-through
 * events of the metadata log: event types whose payload the groups engine carries and orders but
 * does not interpret itself (the contacts manager, device linking and replication read them). The
 * type number and the payload bytes are weshnet's (`GroupMetadata{event_type, payload, sig}`,
 * ./metadata-wire.ts), signed by the device that `device_pk` (field 1 of every one of them) names,
 * as weshnet's `sigCheckerDeviceSigned` checks it.
 *
 * Claims: a pass-through event is accepted only with a known type, in the group kind weshnet
 * allows it in (account events only in the account group, ContactAliasKeyAdded only in contact
 * groups), with a payload that decodes as that type's weshnet message, and whose `device_pk` names
 * the author device that signed the entry.
 * Disclaims: what the event means (e.g. whether a contact request is still pending) is the reader's job.
 */
import type { Codec } from 'protons-runtime'
import { equalBytes } from '../../crypto'
import {
  AccountContactBlocked,
  AccountContactRequestDisabled,
  AccountContactRequestEnabled,
  AccountContactRequestIncomingAccepted,
  AccountContactRequestIncomingDiscarded,
  AccountContactRequestIncomingReceived,
  AccountContactRequestOutgoingEnqueued,
  AccountContactRequestOutgoingSent,
  AccountContactRequestReferenceReset,
  AccountContactUnblocked,
  AccountGroupJoined,
  AccountGroupLeft,
  AccountServiceTokenAdded,
  ContactAliasKeyAdded,
  EventType,
  GroupMetadata,
  GroupReplicating
} from '../proto/wesh'
import { decodeWesh, WeshDecodeError } from '../wesh-codec'
import { GroupProtocolError } from './errors'
import type { GroupKind } from './keys'

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
  AccountServiceTokenAdded: 401,
  GroupReplicating: 403,
  GroupMetadataPayloadSent: 1001
} as const

/** Largest pass-through payload (an AccountGroupJoined with a full Group is ~300 bytes; contact metadata adds the display name). */
export const MAX_WESH_EVENT_PAYLOAD_BYTES = 4096

interface PassThroughSpec {
  name: string
  codec: { codec(): Codec<{ devicePk: Uint8Array }>; decode(b: Uint8Array): { devicePk: Uint8Array }; encode(m: never): Uint8Array }
  /** Group kinds the event may appear in. */
  kinds: ReadonlySet<GroupKind>
}

const ACCOUNT: ReadonlySet<GroupKind> = new Set(['account'])
const CONTACT: ReadonlySet<GroupKind> = new Set(['contact'])
const ANY: ReadonlySet<GroupKind> = new Set(['account', 'contact', 'multi'])

const spec = (name: string, codec: PassThroughSpec['codec'], kinds: ReadonlySet<GroupKind>): PassThroughSpec => ({ name, codec, kinds })

/** weshnet EventType number → the payload message and where it may appear. */
const PASS_THROUGH: ReadonlyMap<number, PassThroughSpec> = new Map([
  [101, spec('AccountGroupJoined', AccountGroupJoined, ACCOUNT)],
  [102, spec('AccountGroupLeft', AccountGroupLeft, ACCOUNT)],
  [103, spec('AccountContactRequestDisabled', AccountContactRequestDisabled, ACCOUNT)],
  [104, spec('AccountContactRequestEnabled', AccountContactRequestEnabled, ACCOUNT)],
  [105, spec('AccountContactRequestReferenceReset', AccountContactRequestReferenceReset, ACCOUNT)],
  [106, spec('AccountContactRequestOutgoingEnqueued', AccountContactRequestOutgoingEnqueued, ACCOUNT)],
  [107, spec('AccountContactRequestOutgoingSent', AccountContactRequestOutgoingSent, ACCOUNT)],
  [108, spec('AccountContactRequestIncomingReceived', AccountContactRequestIncomingReceived, ACCOUNT)],
  [109, spec('AccountContactRequestIncomingDiscarded', AccountContactRequestIncomingDiscarded, ACCOUNT)],
  [110, spec('AccountContactRequestIncomingAccepted', AccountContactRequestIncomingAccepted, ACCOUNT)],
  [111, spec('AccountContactBlocked', AccountContactBlocked, ACCOUNT)],
  [112, spec('AccountContactUnblocked', AccountContactUnblocked, ACCOUNT)],
  // weshnet posts the alias key in contact groups only (store_metadata.go ContactSendAliasKey).
  [201, spec('ContactAliasKeyAdded', ContactAliasKeyAdded, CONTACT)],
  // A service registered for the account: here, a replication device's token (core/replication/device.ts).
  [401, spec('AccountServiceTokenAdded', AccountServiceTokenAdded, ACCOUNT)],
  [403, spec('GroupReplicating', GroupReplicating, ANY)]
] as Array<[number, PassThroughSpec]>)

/** The wire number of a weshnet EventType, read back from the generated codec (field 1 of GroupMetadata). */
function wireNumber(eventType: EventType): number {
  const bytes = GroupMetadata.encode({ eventType, payload: new Uint8Array(0), sig: new Uint8Array(0) })
  let n = 0
  let shift = 0
  for (let i = 1; i < bytes.length; i++) {
    n += (bytes[i]! & 0x7f) * 2 ** shift
    if ((bytes[i]! & 0x80) === 0) break
    shift += 7
  }
  return n
}

/** protons' enum value ↔ weshnet number, for every type above; checked at load so a regenerated codec cannot drift. */
const NAME_OF = new Map<number, EventType>()
for (const [name, n] of Object.entries(WeshEventType)) {
  const eventType = (EventType as unknown as Record<string, EventType | undefined>)[`EventType${name}`]
  if (eventType === undefined || wireNumber(eventType) !== n) throw new Error(`wesh event ${name} is not EventType ${n}`)
  NAME_OF.set(n, eventType)
}
for (const [n, s] of PASS_THROUGH) {
  if (NAME_OF.get(n) !== `EventType${s.name}`) throw new Error(`wesh event ${s.name} is not EventType ${n}`)
}
const NUMBER_OF = new Map<EventType, number>([...NAME_OF].map(([n, name]) => [name, n]))

/** protons' enum value of a weshnet event type number this engine knows. */
export function eventTypeName(t: number): EventType {
  const name = NAME_OF.get(t)
  if (name === undefined) throw new GroupProtocolError('ERR_MALFORMED', `unsupported event type ${t}`)
  return name
}

/**
 * The weshnet number of a decoded `GroupMetadata.event_type`. Types weshnet knows that this engine
 * neither interprets nor carries (303 AdminRoleGranted, 500 VerifiedCredential) → ERR_MALFORMED,
 * like any type weshnet itself does not know.
 */
export function eventTypeNumber(name: EventType): number {
  const n = NUMBER_OF.get(name)
  if (n === undefined) throw new GroupProtocolError('ERR_MALFORMED', `unsupported event type ${String(name)}`)
  return n
}

/** The weshnet event types the metadata log carries through. */
export const WESH_PASS_THROUGH_TYPES: ReadonlySet<number> = new Set(PASS_THROUGH.keys())

/** weshnet EventType numbers carried through: account events 101–112, ContactAliasKeyAdded 201, AccountServiceTokenAdded 401, GroupReplicating 403. */
export type WeshPassThroughType = 101 | 102 | 103 | 104 | 105 | 106 | 107 | 108 | 109 | 110 | 111 | 112 | 201 | 401 | 403

export function isWeshPassThroughType(type: number): type is WeshPassThroughType {
  return PASS_THROUGH.has(type)
}

/** A pass-through event as the log holds it. */
export interface WeshEventBody {
  payload: Uint8Array
}

function decodePassThrough(type: number, payload: Uint8Array): { s: PassThroughSpec; decoded: { devicePk: Uint8Array } } {
  const s = PASS_THROUGH.get(type)
  if (s === undefined) throw new GroupProtocolError('ERR_MALFORMED', `event type ${type} is not a pass-through weshnet event`)
  if (!(payload instanceof Uint8Array)) throw new GroupProtocolError('ERR_MALFORMED', 'payload must be a Uint8Array')
  try {
    return { s, decoded: decodeWesh(s.codec, payload, { maxBytes: MAX_WESH_EVENT_PAYLOAD_BYTES }) }
  } catch (err) {
    const code = err instanceof WeshDecodeError && err.code === 'ERR_TOO_LARGE' ? 'ERR_TOO_LARGE' : 'ERR_MALFORMED'
    throw new GroupProtocolError(code, `${s.name}: ${(err as Error).message}`, { cause: err })
  }
}

/**
 * Checks a pass-through event: known type, allowed in this kind of group, payload a well-formed
 * weshnet message of that type whose `device_pk` is the author device. Throws GroupProtocolError.
 */
export function validateWeshEvent(type: number, payload: Uint8Array, authorDevicePk: Uint8Array, kind?: GroupKind): void {
  const s = PASS_THROUGH.get(type)
  if (s !== undefined && kind !== undefined && !s.kinds.has(kind)) {
    throw new GroupProtocolError('ERR_WRONG_KIND', `${s.name} events do not belong in a ${kind} group`)
  }
  const { decoded } = decodePassThrough(type, payload)
  if (!equalBytes(decoded.devicePk, authorDevicePk)) {
    throw new GroupProtocolError('ERR_MALFORMED', `${s?.name ?? type}: device_pk must be the author device`)
  }
}

/** The `device_pk` a pass-through payload names (the device whose signature the event must carry). */
export function weshEventDevice(type: number, payload: Uint8Array): Uint8Array {
  const { s, decoded } = decodePassThrough(type, payload)
  if (decoded.devicePk.length !== 32) throw new GroupProtocolError('ERR_MALFORMED', `${s.name}: device_pk must be 32 bytes`)
  return decoded.devicePk
}

/** The payload with an empty `device_pk` set to the appending device; any other payload unchanged. */
export function withAuthorDevice(type: number, payload: Uint8Array, devicePk: Uint8Array): Uint8Array {
  const { s, decoded } = decodePassThrough(type, payload)
  return decoded.devicePk.length === 0 ? s.codec.encode({ ...decoded, devicePk } as never) : payload
}

/** The weshnet name of a pass-through type (logs, errors). */
export function weshEventName(type: number): string {
  return PASS_THROUGH.get(type)?.name ?? `EventType(${type})`
}
