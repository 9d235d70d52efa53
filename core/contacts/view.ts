/**
 * A contact as the API shows it, from its folded record (./reducer.ts) and the state of its contact
 * group: weshnet's states mapped onto outgoing / incoming / accepted / declined / blocked.
 */
import { contactFingerprint } from '../protocol/contact-fingerprint'
import { decodeContactMetadata } from '../protocol/contact-metadata'
import type { ContactRecord } from './reducer'
import type { ContactView } from './types'

const DEFAULT_NAME = 'Contact'

export interface ViewContext {
  ownAccountPk: Uint8Array
  /** The contact group, when this node has it open. */
  groupPk: Uint8Array | undefined
  /** The peer's device is in the contact group (it accepted, or it asked too). */
  peerJoined: boolean
  /** The outgoing worker's last failure. */
  error: string | undefined
}

/** The contact's display name: from its link (outgoing) or its request (incoming), as Berty encodes it. */
export function nameOf(rec: ContactRecord): string {
  return decodeContactMetadata(rec.metadata) ?? DEFAULT_NAME
}

/** Undefined for a contact the list does not show: a cancelled request, an unblocked account. */
export function contactView(rec: ContactRecord, ctx: ViewContext): ContactView | undefined {
  let state: ContactView['state']
  switch (rec.status) {
    case 'to-request':
      state = 'outgoing'
      break
    case 'sent':
      // Sent is weshnet's "Added" on the requester's side; for the person it stays a request until the
      // other side is in the group, or had asked us first (then our request was the acceptance).
      state = rec.theyRequested || ctx.peerJoined ? 'accepted' : 'outgoing'
      break
    case 'received':
      state = 'incoming'
      break
    case 'accepted':
      state = 'accepted'
      break
    case 'blocked':
      state = 'blocked'
      break
    case 'discarded':
      if (rec.discardedFrom !== 'received') return undefined
      state = 'declined'
      break
    default:
      return undefined
  }
  return {
    accountPk: rec.accountPk,
    displayName: nameOf(rec),
    state,
    fingerprint: contactFingerprint(ctx.ownAccountPk, rec.accountPk),
    ...(ctx.groupPk !== undefined ? { groupPk: ctx.groupPk } : {}),
    sent: rec.status !== 'to-request',
    ...(state === 'outgoing' && ctx.error !== undefined ? { error: ctx.error } : {})
  }
}

export function sameView(a: ContactView, b: ContactView): boolean {
  return (
    a.state === b.state &&
    a.displayName === b.displayName &&
    a.sent === b.sent &&
    a.error === b.error &&
    (a.groupPk === undefined) === (b.groupPk === undefined)
  )
}
