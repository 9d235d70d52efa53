/** Shapes of the contacts layer, read by the service layer, and the ports the manager is wired with. */
import type { PeerInfo } from '@libp2p/interface'
import type { Logger } from '../log'
import type { Discovery } from '../net/discovery/discovery'
export type ContactState = 'outgoing' | 'incoming' | 'accepted' | 'declined' | 'blocked'

export interface ContactView {
  accountPk: Uint8Array
  displayName: string
  state: ContactState
  /** core/protocol/contact-fingerprint.ts: the same string on both sides. */
  fingerprint: string
  /** The contact group, once this side has opened it. */
  groupPk?: Uint8Array
  /** Outgoing requests: true once the responder took the request (OutgoingSent). */
  sent: boolean
  /** Outgoing requests: why the last attempt failed, if it did. */
  error?: string
}

export type ContactEvent =
  | { type: 'requested'; contact: ContactView }
  | { type: 'updated'; contact: ContactView }
  /** The contact left the list (a cancelled request, an unblocked account). */
  | { type: 'removed'; accountPk: Uint8Array }

export type ContactErrorCode = 'ERR_BAD_LINK' | 'ERR_SELF' | 'ERR_ALREADY_CONTACT' | 'ERR_BLOCKED' | 'ERR_NOT_FOUND' | 'ERR_WRONG_STATE' | 'ERR_NO_ACCOUNT'

export class ContactError extends Error {
  override readonly name = 'ContactError'
  constructor(readonly code: ContactErrorCode, message: string) {
    super(message)
  }
}

/** What the manager uses of the groups engine (core/groups/groups.ts). */
export interface ContactGroups {
  on(listener: (e: { type: string; groupPk: Uint8Array }) => void): () => void
  weshEvents(groupPk: Uint8Array): Array<{ eventType: number; payload: Uint8Array; lamport: number }>
  appendWeshEvent(groupPk: Uint8Array, eventType: number, payload: Uint8Array): Promise<unknown>
  myDevicePk(groupPk: Uint8Array): Uint8Array
  accountGroupPk(): Uint8Array | undefined
  openContactGroup(peerAccountPk: Uint8Array, localName?: string): Promise<Uint8Array>
  contactGroupPk(peerAccountPk: Uint8Array): Uint8Array
  has(groupPk: Uint8Array): boolean
  /** Members of an open group (read from its state, no query). */
  members(groupPk: Uint8Array): Array<{ memberPk: Uint8Array; me: boolean; aliasResolver?: Uint8Array; aliasProof?: Uint8Array }>
  /** Every open group, for shared groups (./shared-groups.ts). */
  list(): Array<{ groupPk: Uint8Array; kind: string; role: string; name: string }>
  leave(groupPk: Uint8Array): Promise<void>
}

export interface ContactAccount {
  accountPk: Uint8Array
  /** A copy the manager owns (wiped on stop). */
  accountSeed: Uint8Array
  displayName?: string
  /** Our alias key (spec "Alias Identity"), sent to each accepted contact in the contact group. */
  aliasPk?: Uint8Array
  /** The account store's current public rendezvous seed (used until the log carries a ReferenceReset). */
  rendezvousSeed: Uint8Array
}

/** The `/wesh/contact_req/1.0.0` service (core/net/contact-request), as far as the manager drives it. */
export interface ContactRequestPort {
  start(): void | Promise<void>
  stop(): void | Promise<void>
  isStarted(): boolean
  request(peer: PeerInfo['id'], peerAccountPk: Uint8Array, options: { metadata: Uint8Array; signal: AbortSignal }): Promise<void>
}

export interface ContactManagerDeps {
  groups: ContactGroups
  /** The account, loaded fresh (undefined before account creation). */
  account(): Promise<ContactAccount | undefined>
  /** Persists a renewed public rendezvous seed in the account store. */
  renewSeed(seed: Uint8Array): Promise<void>
  service: ContactRequestPort | undefined
  discovery: Discovery | undefined
  /** Adds a found peer's addresses to the peer store before a dial. */
  remember(peer: PeerInfo): Promise<void>
  log: Logger
  retry?: { minDelayMs?: number; maxDelayMs?: number }
}

