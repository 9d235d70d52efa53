/**
 * The contacts part of the API contract (issue "Contacts"), spread into `methods` / `events` of
 * contract.ts. A contact is an account met through its contact link; its conversation is the contact
 * group, listed by `group:list` with `kind: 'contact'` once accepted, and used with the `message:*` methods.
 */
import { z } from 'zod'
import { MAX_URL_CHARS } from './constants'

const Key32 = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'expected a 32-byte key in base64url')
const empty = z.object({}).strict()
const byAccount = z.object({ accountPk: Key32 }).strict()

export const ContactState = z.enum(['outgoing', 'incoming', 'accepted', 'declined', 'blocked'])

export const Contact = z.object({
  accountPk: Key32,
  displayName: z.string(),
  state: ContactState,
  /** Six groups of five digits, the same on both sides: read it to each other to verify the contact. */
  fingerprint: z.string(),
  /** The contact group (a conversation), once this side has opened it. */
  groupPk: Key32.optional(),
  /** Outgoing requests: true once the other side took the request; false while it is queued. */
  sent: z.boolean(),
  /** Outgoing requests: why the last delivery attempt failed, if it did (retries continue). */
  error: z.string().optional()
})

/**
 * A group this device can attribute to the contact: its contact group, or a multi-member group where
 * the contact disclosed its alias (weshnet members are per-group keys: without that disclosure nobody
 * can tell the contact is there, so such groups are not listed).
 */
export const ContactSharedGroup = z.object({
  groupPk: Key32,
  name: z.string(),
  kind: z.enum(['contact', 'multi']),
  /** Multi-member groups: the contact's member key there. */
  memberPk: Key32.optional()
})

export const ContactDetails = Contact.extend({
  sharedGroups: z.array(ContactSharedGroup),
  /** The contact's alias key arrived (in the contact group): needed to recognise it in other groups. */
  aliasKnown: z.boolean()
})

export const ContactShare = z.object({
  /** `https://berty.tech/id#contact/…` with the display name: to copy and send. */
  link: z.string(),
  /** The same as `BERTY://PB/…`: what the QR code carries. */
  qr: z.string()
})

export const contactMethods = {
  'contact:share': { params: empty, result: ContactShare.extend({ requestsEnabled: z.boolean() }) },
  'contact:request': { params: z.object({ link: z.string().min(1).max(MAX_URL_CHARS) }).strict(), result: Contact },
  'contact:list': { params: empty, result: z.array(Contact) },
  'contact:get': { params: byAccount, result: ContactDetails },
  'contact:accept': { params: byAccount, result: Contact },
  'contact:decline': { params: byAccount, result: Contact },
  'contact:block': { params: byAccount, result: Contact },
  'contact:cancel': { params: byAccount, result: z.object({}) },
  /** A blocked account leaves the list; its requests are received again. */
  'contact:unblock': { params: byAccount, result: z.object({}) },
  'contact:settings': {
    params: z.object({ requestsEnabled: z.boolean().optional() }).strict(),
    result: z.object({ requestsEnabled: z.boolean() })
  },
  'contact:reset-link': { params: empty, result: ContactShare }
} as const

export const contactEvents = {
  /** An incoming request arrived (also sent as `contact:updated`). */
  'contact:requested': z.object({ contact: Contact }),
  /** A contact's state changed; `removed` when it left the list (a cancelled request, an unblocked account). */
  'contact:updated': z.object({ contact: Contact.optional(), accountPk: Key32, removed: z.boolean().optional() })
} as const

export type ContactT = z.output<typeof Contact>
export type ContactStateT = z.output<typeof ContactState>
export type ContactDetailsT = z.output<typeof ContactDetails>
