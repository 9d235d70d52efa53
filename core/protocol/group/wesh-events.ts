/**
 * Pass-through weshnet events in the metadata log: event types whose payload the groups engine
 * carries and orders but does not interpret itself (the contacts manager, device linking and
 * replication read them). The type number and the payload bytes are weshnet's (`EventType` and
 * the payload message of `api/protocol/protocoltypes.proto`), so when the envelope becomes
 * weshnet's `GroupMetadata {event_type, payload, …}` these map onto it one to one.
 *
 * Claims: a pass-through event is accepted only with a known type, in the group kind weshnet
 * allows it in (account events only in the account group), with a payload that decodes as that
 * type's weshnet message, and whose `device_pk` (field 1 of every one of them) names the author
 * device that signed the entry.
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
  EventType,
  GroupMetadata,
  GroupReplicating
} from '../proto/wesh'
import { decodeWesh, WeshDecodeError } from '../wesh-codec'
import { GroupProtocolError } from './errors'
import type { GroupKind } from './keys'

/** Largest pass-through payload (an AccountGroupJoined with a full Group is ~300 bytes; contact metadata adds the display name). */
export const MAX_WESH_EVENT_PAYLOAD_BYTES = 4096

interface PassThroughSpec {
  name: string
  codec: { codec(): Codec<{ devicePk: Uint8Array }>; decode(b: Uint8Array): { devicePk: Uint8Array } }
  /** Group kinds the event may appear in. */
  kinds: ReadonlySet<GroupKind>
}

const ACCOUNT: ReadonlySet<GroupKind> = new Set(['account'])
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
  [403, spec('GroupReplicating', GroupReplicating, ANY)]
] as Array<[number, PassThroughSpec]>)

/** The wire number of a weshnet EventType, read back from the generated codec (field 1 of GroupMetadata). */
function eventTypeNumber(name: string): number {
  const eventType = (EventType as unknown as Record<string, EventType | undefined>)[`EventType${name}`]
  if (eventType === undefined) throw new Error(`weshnet has no EventType${name}`)
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

// The numbers above are weshnet's EventType values: checked at load so a regenerated codec cannot drift.
for (const [n, s] of PASS_THROUGH) {
  if (eventTypeNumber(s.name) !== n) throw new Error(`wesh event ${s.name} is not EventType ${n}`)
}

/** The weshnet event types the metadata log carries through. */
export const WESH_PASS_THROUGH_TYPES: ReadonlySet<number> = new Set(PASS_THROUGH.keys())

/** weshnet EventType numbers carried through: account events 101–112, GroupReplicating 403. */
export type WeshPassThroughType = 101 | 102 | 103 | 104 | 105 | 106 | 107 | 108 | 109 | 110 | 111 | 112 | 403

export function isWeshPassThroughType(type: number): type is WeshPassThroughType {
  return PASS_THROUGH.has(type)
}

/** A pass-through event as the log holds it. */
export interface WeshEventBody {
  payload: Uint8Array
}

/**
 * Checks a pass-through event: known type, allowed in this kind of group, payload a well-formed
 * weshnet message of that type whose `device_pk` is the author device. Throws GroupProtocolError.
 */
export function validateWeshEvent(type: number, payload: Uint8Array, authorDevicePk: Uint8Array, kind?: GroupKind): void {
  const s = PASS_THROUGH.get(type)
  if (s === undefined) throw new GroupProtocolError('ERR_MALFORMED', `event type ${type} is not a pass-through weshnet event`)
  if (kind !== undefined && !s.kinds.has(kind)) {
    throw new GroupProtocolError('ERR_WRONG_KIND', `${s.name} events do not belong in a ${kind} group`)
  }
  if (!(payload instanceof Uint8Array)) throw new GroupProtocolError('ERR_MALFORMED', 'payload must be a Uint8Array')
  let decoded: { devicePk: Uint8Array }
  try {
    decoded = decodeWesh(s.codec, payload, { maxBytes: MAX_WESH_EVENT_PAYLOAD_BYTES })
  } catch (err) {
    const code = err instanceof WeshDecodeError && err.code === 'ERR_TOO_LARGE' ? 'ERR_TOO_LARGE' : 'ERR_MALFORMED'
    throw new GroupProtocolError(code, `${s.name}: ${(err as Error).message}`, { cause: err })
  }
  if (!equalBytes(decoded.devicePk, authorDevicePk)) {
    throw new GroupProtocolError('ERR_MALFORMED', `${s.name}: device_pk must be the author device`)
  }
}

/** The weshnet name of a pass-through type (logs, errors). */
export function weshEventName(type: number): string {
  return PASS_THROUGH.get(type)?.name ?? `EventType(${type})`
}
