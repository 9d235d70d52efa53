/**
 * The account events the contact manager posts, as weshnet's payload messages (EventType 103–112 of
 * api/protocol/protocoltypes.proto). `device_pk` is always the posting device (the engine checks it).
 */
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
  AccountContactUnblocked
} from '../protocol/proto/wesh'
import { EV } from './reducer'

export interface PostableEvent {
  eventType: number
  payload: Uint8Array
}

const empty = new Uint8Array(0)

export const contactPayloads = {
  enabled: (devicePk: Uint8Array): PostableEvent => ({ eventType: EV.ENABLED, payload: AccountContactRequestEnabled.encode({ devicePk }) }),
  disabled: (devicePk: Uint8Array): PostableEvent => ({ eventType: EV.DISABLED, payload: AccountContactRequestDisabled.encode({ devicePk }) }),
  referenceReset: (devicePk: Uint8Array, seed: Uint8Array): PostableEvent => ({
    eventType: EV.REFERENCE_RESET,
    payload: AccountContactRequestReferenceReset.encode({ devicePk, publicRendezvousSeed: seed })
  }),
  enqueued: (devicePk: Uint8Array, contact: { pk: Uint8Array; publicRendezvousSeed: Uint8Array; metadata: Uint8Array }, ownMetadata: Uint8Array): PostableEvent => ({
    eventType: EV.OUTGOING_ENQUEUED,
    payload: AccountContactRequestOutgoingEnqueued.encode({ devicePk, groupPk: empty, contact, ownMetadata })
  }),
  sent: (devicePk: Uint8Array, contactPk: Uint8Array): PostableEvent => ({
    eventType: EV.OUTGOING_SENT,
    payload: AccountContactRequestOutgoingSent.encode({ devicePk, contactPk })
  }),
  received: (devicePk: Uint8Array, contactPk: Uint8Array, seed: Uint8Array, metadata: Uint8Array): PostableEvent => ({
    eventType: EV.INCOMING_RECEIVED,
    payload: AccountContactRequestIncomingReceived.encode({ devicePk, contactPk, contactRendezvousSeed: seed, contactMetadata: metadata })
  }),
  discarded: (devicePk: Uint8Array, contactPk: Uint8Array): PostableEvent => ({
    eventType: EV.INCOMING_DISCARDED,
    payload: AccountContactRequestIncomingDiscarded.encode({ devicePk, contactPk })
  }),
  accepted: (devicePk: Uint8Array, contactPk: Uint8Array): PostableEvent => ({
    eventType: EV.INCOMING_ACCEPTED,
    payload: AccountContactRequestIncomingAccepted.encode({ devicePk, contactPk, groupPk: empty })
  }),
  blocked: (devicePk: Uint8Array, contactPk: Uint8Array): PostableEvent => ({
    eventType: EV.BLOCKED,
    payload: AccountContactBlocked.encode({ devicePk, contactPk })
  }),
  unblocked: (devicePk: Uint8Array, contactPk: Uint8Array): PostableEvent => ({
    eventType: EV.UNBLOCKED,
    payload: AccountContactUnblocked.encode({ devicePk, contactPk })
  })
}
