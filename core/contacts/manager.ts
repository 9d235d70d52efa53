/**
 * The contact manager (spec "Contact Request", "Contact Group"; weshnet contact_request_manager.go and
 * the account-event handlers of store_metadata.go as the reference for which event when). Every state
 * change is an account-group event (EventType 103–112, core/contacts/payloads.ts); the contacts are a fold
 * of those events (./reducer.ts) recomputed whenever one arrives, so a linked device replaying the account
 * group sees the same contacts. Side effects follow the fold ("reconcile"):
 * - requests enabled (the default; AccountContactRequestEnabled/Disabled): the `/wesh/contact_req/1.0.0`
 *   handler is mounted and our public rendezvous point (current seed, rotating) is advertised;
 * - each queued outgoing request has a worker (./outgoing.ts) until it is sent or cancelled;
 * - each contact weshnet calls "Added" (we sent, or we accepted) has its contact group open;
 * - each accepted contact gets our alias key in the contact group, once (./alias-key.ts).
 * Writes are serialized: two calls never race on the same contact.
 *
 * Our choices where weshnet has none: a cancel is an IncomingDiscarded of our own outgoing request (the
 * fold remembers it was outgoing); an outgoing request is 'accepted' once the peer's device is in the
 * contact group or once the peer had asked us too (a mutual request is an acceptance, as in weshnet's
 * Enqueue-after-Received); the fingerprint is core/protocol/contact-fingerprint.ts.
 */
import { toHex } from '../bytes'
import { equalBytes, randomBytes, wipe } from '../crypto'
import type { IncomingContactRequest } from '../net/contact-request'
import { encodeContactMetadata } from '../protocol/contact-metadata'
import { BertyLinkError, formatBertyLink, parseBertyLink } from '../protocol/links'
import { AliasKeySender, peerAliasPk } from './alias-key'
import { OutgoingRequests, type OutgoingTarget } from './outgoing'
import { contactPayloads, type PostableEvent } from './payloads'
import { foldContactEvents, hasContactGroup, type ContactRecord, type ContactsFold } from './reducer'
import { Responder } from './responder'
import { sharedGroups, type SharedGroup } from './shared-groups'
import { ContactError, type ContactAccount, type ContactEvent, type ContactManagerDeps, type ContactView } from './types'
import { contactView, nameOf, sameView } from './view'

/** How long a contact group that failed to open waits before it is tried again. */
export const OPEN_RETRY_MS = 5_000

/**
 * Incoming requests waiting for an answer past which new ones are dropped until some are answered:
 * anyone holding a published contact link can make fresh keys, and each request they make is an entry
 * of the account group, kept and replicated to every device of the account. Weshnet has no cap.
 */
export const MAX_PENDING_INCOMING = 200

export class ContactManager {
  private account: ContactAccount | undefined
  private fold: ContactsFold = foldContactEvents([])
  private views = new Map<string, ContactView>()
  private readonly errors = new Map<string, string>()
  private readonly listeners = new Set<(e: ContactEvent) => void>()
  private readonly outgoing: OutgoingRequests
  private readonly responder: Responder
  private readonly aliasKeys: AliasKeySender
  private readonly groupPks = new Map<string, Uint8Array>()
  private queue: Promise<unknown> = Promise.resolve()
  private readonly opening = new Set<string>()
  /** Contact groups that failed to open, and the timer of the next try (see `ensureGroup`). */
  private readonly openFailed = new Map<string, ReturnType<typeof setTimeout>>()
  private offGroups: (() => void) | undefined
  private closed = false
  /** Said once each time the pending incoming requests reach MAX_PENDING_INCOMING. */
  private incomingFullSaid = false

  constructor(private readonly d: ContactManagerDeps) {
    this.responder = new Responder(d.service, d.discovery, d.log)
    this.aliasKeys = new AliasKeySender(d.groups, (fn) => this.serial(fn), d.log)
    this.outgoing = new OutgoingRequests({
      discovery: d.discovery,
      log: d.log,
      ...(d.retry ?? {}),
      send: async (peer, target, signal) => {
        await d.remember(peer)
        if (d.service === undefined) throw new ContactError('ERR_NO_ACCOUNT', 'contact requests are not available on this node')
        await d.service.request(peer.id, target.accountPk, { metadata: target.ownMetadata, signal })
      },
      delivered: (target) => this.serial(() => this.markSent(target.accountPk)),
      failed: (target, reason) => this.setError(toHex(target.accountPk), reason)
    })
  }

  on(listener: (e: ContactEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Call at start and after account creation: loads the account and replays the account group. */
  async setAccount(): Promise<void> {
    await this.serial(async () => {
      if (this.closed || this.account !== undefined) return
      const account = await this.d.account()
      const gpk = this.d.groups.accountGroupPk()
      if (account === undefined || gpk === undefined) return
      this.account = account
      this.offGroups = this.d.groups.on((e) => {
        if (e.type === 'wesh-event' && equalBytes(e.groupPk, gpk)) this.refresh()
        else if (e.type === 'group') this.reconcile()
      })
      this.fold = foldContactEvents(this.d.groups.weshEvents(gpk))
      // weshnet keeps both in the account group; the first device of an account writes them once.
      if (this.fold.requestsEnabled === undefined) await this.post(contactPayloads.enabled(this.device()))
      if (this.fold.rendezvousSeed === undefined) await this.post(contactPayloads.referenceReset(this.device(), account.rendezvousSeed))
      this.refresh()
    })
  }

  async stop(): Promise<void> {
    this.closed = true
    for (const timer of this.openFailed.values()) clearTimeout(timer)
    this.openFailed.clear()
    this.offGroups?.()
    this.outgoing.stopAll()
    this.responder.close()
    await this.queue.catch(() => undefined)
    if (this.account) wipe(this.account.accountSeed)
    this.account = undefined
    this.listeners.clear()
  }

  // ---- queries --------------------------------------------------------------------------

  list(): ContactView[] {
    return [...this.views.values()]
  }

  get(accountPk: Uint8Array): ContactView {
    const v = this.views.get(toHex(accountPk))
    if (v === undefined) throw new ContactError('ERR_NOT_FOUND', 'no such contact')
    return v
  }

  /** The contact with the groups this device can attribute to it (./shared-groups.ts); `aliasKnown`: its alias key arrived. */
  details(accountPk: Uint8Array): { contact: ContactView; sharedGroups: SharedGroup[]; aliasKnown: boolean } {
    const contact = this.get(accountPk)
    const gpk = contact.groupPk
    const alias = gpk !== undefined ? peerAliasPk(this.d.groups.weshEvents(gpk), this.account?.aliasPk) : undefined
    // A pending contact group is not a conversation yet (group:list hides it too).
    return { contact, sharedGroups: sharedGroups(this.d.groups, contact.state === 'accepted' ? gpk : undefined, alias), aliasKnown: alias !== undefined }
  }

  requestsEnabled(): boolean {
    return this.fold.requestsEnabled !== false
  }

  /** Whether the conversation list shows this group: a contact group only once its contact is accepted. */
  listed(groupPk: Uint8Array, kind: string): boolean {
    if (kind !== 'contact') return true
    for (const [key, gpk] of this.groupPks) {
      if (equalBytes(gpk, groupPk)) return this.views.get(key)?.state === 'accepted'
    }
    return false
  }

  /** Our contact link: the web form (with our display name) and the `BERTY://PB/` form for the QR code. */
  share(): { link: string; qr: string } {
    const a = this.requireAccount()
    const contact = { accountPk: a.accountPk, publicRendezvousSeed: this.currentSeed(), ...(a.displayName ? { displayName: a.displayName } : {}) }
    const link = { kind: 'contact' as const, contact, ...(a.displayName ? { name: a.displayName } : {}) }
    return { link: formatBertyLink(link, 'web'), qr: formatBertyLink(link, 'internal') }
  }

  /** For the contact-request service: our keys while requests are enabled, else undefined (streams reset). */
  responderAccount(): { accountSeed: Uint8Array; accountPk: Uint8Array; publicRendezvousSeed: Uint8Array } | undefined {
    const a = this.account
    if (a === undefined || this.closed || !this.requestsEnabled()) return undefined
    return { accountSeed: Uint8Array.from(a.accountSeed), accountPk: a.accountPk, publicRendezvousSeed: this.currentSeed() }
  }

  // ---- actions (each one account event, serialized) --------------------------------------

  request(url: string): Promise<ContactView> {
    return this.serial(async () => {
      const a = this.requireAccount()
      let parsed
      try {
        parsed = parseBertyLink(url.trim())
      } catch (err) {
        throw new ContactError('ERR_BAD_LINK', err instanceof BertyLinkError ? `not a usable contact link: ${err.message}` : 'not a usable contact link')
      }
      if (parsed.kind !== 'contact' || parsed.contact === undefined) throw new ContactError('ERR_BAD_LINK', 'this is a group invitation, not a contact link')
      const c = parsed.contact
      if (equalBytes(c.accountPk, a.accountPk)) throw new ContactError('ERR_SELF', 'this is your own contact link')
      const rec = this.fold.contacts.get(toHex(c.accountPk))
      const view = this.views.get(toHex(c.accountPk))
      if (view?.state === 'accepted') throw new ContactError('ERR_ALREADY_CONTACT', 'this account is already a contact')
      if (rec?.status === 'blocked') throw new ContactError('ERR_BLOCKED', 'you blocked this account')
      if (view?.state === 'outgoing') return view
      if (rec !== undefined && (rec.status === 'received' || (rec.status === 'discarded' && rec.discardedFrom === 'received'))) {
        // weshnet ContactRequestOutgoingEnqueue: they asked us already, so asking them is accepting.
        await this.post(contactPayloads.sent(this.device(), c.accountPk))
      } else {
        const metadata = encodeContactMetadata(parsed.name ?? c.displayName)
        const contact = { pk: c.accountPk, publicRendezvousSeed: c.publicRendezvousSeed, metadata }
        await this.post(contactPayloads.enqueued(this.device(), contact, encodeContactMetadata(a.displayName)))
      }
      return this.get(c.accountPk)
    })
  }

  accept(accountPk: Uint8Array): Promise<ContactView> {
    return this.act(accountPk, 'accepted', (rec) => {
      if (rec.status !== 'received') throw new ContactError('ERR_WRONG_STATE', 'there is no pending request from this account')
      return contactPayloads.accepted(this.device(), rec.accountPk)
    })
  }

  decline(accountPk: Uint8Array): Promise<ContactView> {
    return this.act(accountPk, 'declined', (rec) => {
      if (rec.status !== 'received') throw new ContactError('ERR_WRONG_STATE', 'there is no pending request from this account')
      return contactPayloads.discarded(this.device(), rec.accountPk)
    })
  }

  block(accountPk: Uint8Array): Promise<ContactView> {
    return this.act(accountPk, 'blocked', (rec) => contactPayloads.blocked(this.device(), rec.accountPk))
  }

  /** weshnet ContactUnblock (AccountContactUnblocked): the account leaves the list (Removed); its requests are received again. */
  unblock(accountPk: Uint8Array): Promise<void> {
    return this.serial(async () => {
      this.requireAccount()
      const view = this.views.get(toHex(accountPk))
      if (view === undefined) throw new ContactError('ERR_NOT_FOUND', 'no such contact')
      if (view.state !== 'blocked') throw new ContactError('ERR_WRONG_STATE', 'this account is not blocked')
      await this.post(contactPayloads.unblocked(this.device(), accountPk))
    })
  }

  /** Cancels our outgoing request: recorded as a discard of it; the contact group, if opened, is left. */
  cancel(accountPk: Uint8Array): Promise<void> {
    return this.serial(async () => {
      const view = this.views.get(toHex(accountPk))
      if (view === undefined) throw new ContactError('ERR_NOT_FOUND', 'no such contact')
      if (view.state !== 'outgoing') throw new ContactError('ERR_WRONG_STATE', 'only a pending outgoing request can be cancelled')
      await this.post(contactPayloads.discarded(this.device(), accountPk))
      const gpk = this.groupPkOf(accountPk)
      if (this.d.groups.has(gpk)) await this.d.groups.leave(gpk)
    })
  }

  setRequestsEnabled(enabled: boolean): Promise<boolean> {
    return this.serial(async () => {
      this.requireAccount()
      if (this.requestsEnabled() !== enabled) await this.post(enabled ? contactPayloads.enabled(this.device()) : contactPayloads.disabled(this.device()))
      return this.requestsEnabled()
    })
  }

  /** A new public rendezvous seed (ReferenceReset): links shared before stop working. */
  resetLink(): Promise<{ link: string; qr: string }> {
    return this.serial(async () => {
      this.requireAccount()
      const seed = randomBytes(32)
      await this.d.renewSeed(seed)
      await this.post(contactPayloads.referenceReset(this.device(), seed))
      return this.share()
    })
  }

  /** An incoming request, verified by the handshake (core/net/contact-request). Silent on every refusal. */
  onIncoming(req: IncomingContactRequest): Promise<void> {
    return this.serial(async () => {
      const a = this.account
      if (a === undefined || !this.requestsEnabled() || equalBytes(req.accountPk, a.accountPk)) return
      const rec = this.fold.contacts.get(toHex(req.accountPk))
      switch (rec?.status) {
        case 'blocked':
        case 'sent':
        case 'accepted':
        case 'received':
          // Blocked: dropped. Already a contact or already pending: a duplicate (weshnet errors likewise).
          return
        case 'to-request':
          // Both asked at once: our pending request is answered by theirs (weshnet IncomingReceived).
          await this.post(contactPayloads.sent(this.device(), req.accountPk))
          return
        default: {
          const pending = [...this.fold.contacts.values()].filter((c) => c.status === 'received').length
          if (pending >= MAX_PENDING_INCOMING) {
            if (!this.incomingFullSaid) this.d.log('warn', 'contacts: incoming requests dropped until some of those waiting are answered', { pending })
            this.incomingFullSaid = true
            return
          }
          this.incomingFullSaid = false
          await this.post(contactPayloads.received(this.device(), req.accountPk, req.publicRendezvousSeed, req.metadata))
        }
      }
    })
  }

  // ---- internals ------------------------------------------------------------------------

  private act(accountPk: Uint8Array, target: ContactView['state'], payload: (rec: ContactRecord) => PostableEvent): Promise<ContactView> {
    return this.serial(async () => {
      this.requireAccount()
      const rec = this.fold.contacts.get(toHex(accountPk))
      if (rec === undefined || !this.views.has(toHex(accountPk))) throw new ContactError('ERR_NOT_FOUND', 'no such contact')
      if (this.views.get(toHex(accountPk))?.state === target) return this.get(accountPk)
      await this.post(payload(rec))
      return this.get(accountPk)
    })
  }

  private async markSent(accountPk: Uint8Array): Promise<void> {
    const rec = this.fold.contacts.get(toHex(accountPk))
    if (rec?.status !== 'to-request') return
    await this.post(contactPayloads.sent(this.device(), accountPk))
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn)
    this.queue = run.catch(() => undefined)
    return run
  }

  private async post(e: PostableEvent): Promise<void> {
    const gpk = this.d.groups.accountGroupPk()
    if (gpk === undefined) throw new ContactError('ERR_NO_ACCOUNT', 'create an account first')
    await this.d.groups.appendWeshEvent(gpk, e.eventType, e.payload)
    // The engine's wesh-event fires too; refreshing here makes the caller's result current.
    this.refresh()
  }

  private device(): Uint8Array {
    const gpk = this.d.groups.accountGroupPk()
    if (gpk === undefined) throw new ContactError('ERR_NO_ACCOUNT', 'create an account first')
    return this.d.groups.myDevicePk(gpk)
  }

  private requireAccount(): ContactAccount {
    if (this.account === undefined) throw new ContactError('ERR_NO_ACCOUNT', 'create an account first')
    return this.account
  }

  private currentSeed(): Uint8Array {
    return this.fold.rendezvousSeed ?? this.requireAccount().rendezvousSeed
  }

  private setError(key: string, reason: string | undefined): void {
    if (this.errors.get(key) === reason) return
    if (reason === undefined) this.errors.delete(key)
    else this.errors.set(key, reason)
    this.reconcile()
  }

  private refresh(): void {
    const gpk = this.d.groups.accountGroupPk()
    if (gpk === undefined || this.closed) return
    this.fold = foldContactEvents(this.d.groups.weshEvents(gpk))
    this.reconcile()
  }

  /** Brings side effects in line with the fold and emits what changed. */
  private reconcile(): void {
    const a = this.account
    if (a === undefined || this.closed) return
    this.responder.sync(this.requestsEnabled(), a.accountPk, this.currentSeed())
    const next = new Map<string, ContactView>()
    for (const [key, rec] of this.fold.contacts) {
      if (rec.status === 'to-request' && rec.rendezvousSeed !== undefined) {
        this.outgoing.start(key, this.target(rec))
      } else {
        this.outgoing.stop(key)
        if (rec.status !== 'to-request') this.errors.delete(key)
      }
      if (hasContactGroup(rec)) this.ensureGroup(rec)
      const gpk = this.groupPkOf(rec.accountPk)
      const open = this.d.groups.has(gpk)
      const view = contactView(rec, {
        ownAccountPk: a.accountPk,
        groupPk: open ? gpk : undefined,
        peerJoined: open && this.d.groups.members(gpk).length >= 2,
        error: this.errors.get(key)
      })
      if (view !== undefined) next.set(key, view)
      // Accepted: our alias key goes to the contact (weshnet ContactSendAliasKey), once.
      if (view?.state === 'accepted' && open) this.aliasKeys.ensure(key, gpk, a.aliasPk)
    }
    const before = this.views
    this.views = next
    for (const [key, v] of next) {
      const prev = before.get(key)
      if (prev !== undefined && sameView(prev, v)) continue
      if (v.state === 'incoming' && prev?.state !== 'incoming') this.emit({ type: 'requested', contact: v })
      this.emit({ type: 'updated', contact: v })
    }
    for (const [key, v] of before) if (!next.has(key)) this.emit({ type: 'removed', accountPk: v.accountPk })
  }

  /**
   * Opens the contact group the fold says exists. A failure is tried again after OPEN_RETRY_MS, not at
   * once: reconcile runs after every attempt, and a failure that lasts (a write refused) made it a loop
   * of microtasks that held the process at full CPU, its timers and API starved.
   */
  private ensureGroup(rec: ContactRecord): void {
    const key = toHex(rec.accountPk)
    if (this.opening.has(key) || this.openFailed.has(key) || this.d.groups.has(this.groupPkOf(rec.accountPk))) return
    this.opening.add(key)
    void this.serial(() => this.d.groups.openContactGroup(rec.accountPk, nameOf(rec)))
      .then(
        () => true,
        (err: unknown) => {
          this.d.log('warn', 'contacts: could not open a contact group', { error: String(err) })
          return false
        }
      )
      .then((opened) => {
        this.opening.delete(key)
        if (!opened && !this.closed) {
          const timer = setTimeout(() => {
            this.openFailed.delete(key)
            this.reconcile()
          }, OPEN_RETRY_MS)
          timer.unref?.()
          this.openFailed.set(key, timer)
        }
        this.reconcile()
      })
  }

  /** Derived once per contact (an X25519 and an HKDF): reconcile runs on every group event. */
  private groupPkOf(accountPk: Uint8Array): Uint8Array {
    const key = toHex(accountPk)
    let gpk = this.groupPks.get(key)
    if (gpk === undefined) {
      gpk = this.d.groups.contactGroupPk(accountPk)
      this.groupPks.set(key, gpk)
    }
    return gpk
  }

  private target(rec: ContactRecord): OutgoingTarget {
    return { accountPk: rec.accountPk, rendezvousSeed: rec.rendezvousSeed ?? new Uint8Array(0), ownMetadata: rec.ownMetadata ?? new Uint8Array(0) }
  }

  private emit(e: ContactEvent): void {
    for (const l of this.listeners) {
      try {
        l(e)
      } catch (err) {
        this.d.log('error', 'contacts: listener failed', { error: String(err) })
      }
    }
  }
}

