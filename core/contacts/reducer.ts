/**
 * Contacts as a pure fold of the account group's weshnet events (EventType 103–112), in log order.
 * No other source of truth: a device that replays the account group (a linked device, or this one after
 * a restart) computes the same contacts.
 *
 * Rules are weshnet's index (berty/weshnet store_metadata_index.go): every contact event sets that
 * contact's state, the latest event wins (weshnet walks the log newest-first and keeps the first state it
 * meets, the same thing); the contact's metadata and rendezvous seed are the latest non-empty ones seen.
 *   OutgoingEnqueued → 'to-request'   OutgoingSent → 'sent' (weshnet: Added)
 *   IncomingReceived → 'received'     IncomingAccepted → 'accepted' (weshnet: Added)
 *   IncomingDiscarded → 'discarded'   Blocked → 'blocked'   Unblocked → 'removed'
 *   Enabled / Disabled → requestsEnabled; ReferenceReset → the public rendezvous seed.
 * Two facts weshnet keeps implicit are kept here because the API needs them: whether the peer ever
 * asked us (`theyRequested`: a mutual request is an acceptance) and the state a discard ended
 * (`discardedFrom`: discarding our own outgoing request is how a cancel is recorded, see manager.ts).
 *
 * Claims: total over well-formed payloads (the groups engine already checked each one decodes and names
 * its author device); a payload that fails to decode is skipped, never thrown.
 */
import { toHex } from '../bytes'
import {
  AccountContactBlocked,
  AccountContactRequestIncomingAccepted,
  AccountContactRequestIncomingDiscarded,
  AccountContactRequestIncomingReceived,
  AccountContactRequestOutgoingEnqueued,
  AccountContactRequestOutgoingSent,
  AccountContactRequestReferenceReset,
  AccountContactUnblocked
} from '../protocol/proto/wesh'

export const EV = {
  DISABLED: 103,
  ENABLED: 104,
  REFERENCE_RESET: 105,
  OUTGOING_ENQUEUED: 106,
  OUTGOING_SENT: 107,
  INCOMING_RECEIVED: 108,
  INCOMING_DISCARDED: 109,
  INCOMING_ACCEPTED: 110,
  BLOCKED: 111,
  UNBLOCKED: 112
} as const

export type ContactStatus = 'to-request' | 'sent' | 'received' | 'accepted' | 'discarded' | 'blocked' | 'removed'

export interface ContactRecord {
  accountPk: Uint8Array
  status: ContactStatus
  /** Their public rendezvous seed (from their link or their request). */
  rendezvousSeed?: Uint8Array
  /** Their contact metadata (Berty: ContactMetadata with their display name). */
  metadata?: Uint8Array
  /** What we send them in the sixth frame (Berty: ContactMetadata with our display name). */
  ownMetadata?: Uint8Array
  theyRequested: boolean
  discardedFrom?: ContactStatus
  /** Log position of the event that set the state. */
  lamport: number
}

export interface ContactsFold {
  /** Undefined until the account group carries an Enabled or Disabled event. */
  requestsEnabled: boolean | undefined
  /** The seed of the latest ReferenceReset, if any. */
  rendezvousSeed: Uint8Array | undefined
  contacts: Map<string, ContactRecord>
}

export interface ContactEventInput {
  eventType: number
  payload: Uint8Array
  lamport: number
}

export function emptyFold(): ContactsFold {
  return { requestsEnabled: undefined, rendezvousSeed: undefined, contacts: new Map() }
}

export function foldContactEvents(events: Iterable<ContactEventInput>): ContactsFold {
  const fold = emptyFold()
  for (const e of events) {
    try {
      applyContactEvent(fold, e)
    } catch {
      // Skipped: the engine validated the payload already; a decoder disagreement must not stop the fold.
    }
  }
  return fold
}

const nonEmpty = (b: Uint8Array | undefined): Uint8Array | undefined => (b !== undefined && b.length > 0 ? b.slice() : undefined)

function touch(fold: ContactsFold, pk: Uint8Array, status: ContactStatus, lamport: number): ContactRecord {
  if (pk.length !== 32) throw new RangeError('contact pk must be 32 bytes')
  const key = toHex(pk)
  const prev = fold.contacts.get(key)
  const rec: ContactRecord = prev ?? { accountPk: pk.slice(), status, theyRequested: false, lamport }
  if (status === 'discarded') rec.discardedFrom = prev?.status ?? 'received'
  else delete rec.discardedFrom
  rec.status = status
  rec.lamport = lamport
  fold.contacts.set(key, rec)
  return rec
}

/** Applies one event in place (log order). Throws on a payload that does not decode. */
export function applyContactEvent(fold: ContactsFold, e: ContactEventInput): void {
  switch (e.eventType) {
    case EV.DISABLED:
      fold.requestsEnabled = false
      return
    case EV.ENABLED:
      fold.requestsEnabled = true
      return
    case EV.REFERENCE_RESET: {
      const seed = nonEmpty(AccountContactRequestReferenceReset.decode(e.payload).publicRendezvousSeed)
      if (seed !== undefined) fold.rendezvousSeed = seed
      return
    }
    case EV.OUTGOING_ENQUEUED: {
      const ev = AccountContactRequestOutgoingEnqueued.decode(e.payload)
      if (ev.contact === undefined) return
      const rec = touch(fold, ev.contact.pk, 'to-request', e.lamport)
      rec.metadata = nonEmpty(ev.contact.metadata) ?? rec.metadata
      rec.rendezvousSeed = nonEmpty(ev.contact.publicRendezvousSeed) ?? rec.rendezvousSeed
      rec.ownMetadata = nonEmpty(ev.ownMetadata) ?? rec.ownMetadata
      return
    }
    case EV.OUTGOING_SENT:
      touch(fold, AccountContactRequestOutgoingSent.decode(e.payload).contactPk, 'sent', e.lamport)
      return
    case EV.INCOMING_RECEIVED: {
      const ev = AccountContactRequestIncomingReceived.decode(e.payload)
      const rec = touch(fold, ev.contactPk, 'received', e.lamport)
      rec.theyRequested = true
      rec.metadata = nonEmpty(ev.contactMetadata) ?? rec.metadata
      rec.rendezvousSeed = nonEmpty(ev.contactRendezvousSeed) ?? rec.rendezvousSeed
      return
    }
    case EV.INCOMING_DISCARDED:
      touch(fold, AccountContactRequestIncomingDiscarded.decode(e.payload).contactPk, 'discarded', e.lamport)
      return
    case EV.INCOMING_ACCEPTED:
      touch(fold, AccountContactRequestIncomingAccepted.decode(e.payload).contactPk, 'accepted', e.lamport)
      return
    case EV.BLOCKED:
      touch(fold, AccountContactBlocked.decode(e.payload).contactPk, 'blocked', e.lamport)
      return
    case EV.UNBLOCKED: {
      const rec = touch(fold, AccountContactUnblocked.decode(e.payload).contactPk, 'removed', e.lamport)
      rec.theyRequested = false
      return
    }
    default:
      return
  }
}

/** Weshnet's "Added": the contact group is ours to open (requester after sending, responder after accepting). */
export function hasContactGroup(rec: ContactRecord): boolean {
  return rec.status === 'sent' || rec.status === 'accepted'
}
