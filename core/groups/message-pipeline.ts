/**
 * The receive side of the message log (spec "Exchanging messages"): every entry is opened with
 * its sender's receiver chain and indexed, or recorded as pending (the chain key has not arrived
 * yet), undecryptable (before the chain key we hold: forward secrecy) or rejected. Pending entries
 * are opened when the chain key arrives; after a restart, entries that reached the log but were
 * never processed are found and processed.
 */
import { wipe } from '../crypto'
import type { Logger } from '../log'
import { GroupProtocolError, keyId, openMessageHeaders, openMessageWithChain, receiveKey, wipeReceiverChain, type MessageHeaders } from '../protocol/group'
import { BEFORE_JOIN_REASON, KEY_GONE_REASON, type MessageRow, type MessageStore, type UnreadableReason } from '../storage'
import type { ChainKeeper } from './chain-keeper'
import type { ContentSealer } from './content-sealer'
import { describeError } from './errors'
import type { BackgroundTasks, GroupsEventBus } from './event-bus'
import { compareEntries, type BertyLogEntry } from './group-log'
import { ReceiveQueues, type Retry } from './receive-queue'
import type { MessageState, OpenGroup, StoredMessage } from './types'

/**
 * Received entries (a batch, or a retry of those that waited for a chain key) are opened this many
 * at a time, one transaction each, with a turn of the event loop between two: opening costs about
 * 0.3 ms an entry, and a catch-up batch of 1,250 held the loop for 0.7–0.8 s, during which the node
 * answered no API call, ping or timer (`BENCH_GROUPS=catchup npm run bench -- groups` prints it).
 */
export const RECEIVE_CHUNK = 256

/** The own receiver chain is stored once per this many own sends (see `indexOwnSend`). */
export const OWN_CHAIN_SAVE_EVERY = 16

export interface MessagePipelineDeps {
  messages: MessageStore
  chains: ChainKeeper
  sealer: ContentSealer
  bus: GroupsEventBus
  background: BackgroundTasks
  transaction: <T>(fn: () => T) => T
  logger: Logger
  now: () => number
}

/** How long `idle` waits by default. */
const IDLE_WAIT_MS = 10_000

export class MessagePipeline {
  private readonly queues = new ReceiveQueues((g, r) => this.runRetry(g, r))

  constructor(private readonly d: MessagePipelineDeps) {}

  /**
   * Entries that joined the message log, in Lamport order. Own appends ('local') are indexed at
   * once, inside the append's transaction; a received batch is processed as one. Received batches
   * and retries are opened in the order they came (receive-queue.ts).
   */
  onEntries(g: OpenGroup, entries: BertyLogEntry[], source: 'local' | 'remote' = 'local'): void | Promise<void> {
    if (!g.secrets) {
      // Replicas store and verify, they cannot read: say the log grew.
      this.d.bus.emit({ type: 'group', groupPk: g.pk })
      return
    }
    if (source === 'local' || (entries.length <= RECEIVE_CHUNK && !this.queues.busy(g))) {
      this.processBatch(g, entries, false)
      return
    }
    return this.queues.run(g, async () => this.processChunked(g, entries, false))
  }

  /** In order, a chunk per turn of the event loop: a long batch does not hold up sync and the API. */
  private async processChunked(g: OpenGroup, ordered: readonly BertyLogEntry[], retry: boolean, known?: Map<string, MessageHeaders>): Promise<void> {
    for (let i = 0; i < ordered.length; i += RECEIVE_CHUNK) {
      if (i > 0) await new Promise((resolve) => setImmediate(resolve))
      this.processBatch(g, ordered.slice(i, i + RECEIVE_CHUNK), retry, known)
    }
  }

  /**
   * Resolves once the batches and retries handed over for these groups have been opened, or after
   * `timeoutMs` (a stopping node waits for them before it closes the logs and wipes the keys).
   */
  async idle(groups: readonly OpenGroup[], timeoutMs = IDLE_WAIT_MS): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined
    const drained = Promise.all(groups.map((g) => this.queues.idle(g)))
    await Promise.race([drained, new Promise((r) => (timer = setTimeout(r, timeoutMs)))])
    clearTimeout(timer)
  }

  /**
   * One transaction per batch (a catch-up of thousands of entries is a few commits, not thousands), and
   * each advanced receiver chain sealed and stored once per batch, in that same transaction. Every
   * entry is processed inside it: nothing below opens a transaction of its own.
   */
  private processBatch(g: OpenGroup, entries: readonly BertyLogEntry[], retry: boolean, known?: Map<string, MessageHeaders>): void {
    this.d.transaction(() => {
      const advanced = new Map<string, Uint8Array>()
      for (const entry of entries) this.process(g, entry, retry, advanced, known)
      for (const [id, devicePk] of advanced) {
        const chain = g.chains.get(id)
        if (chain) this.d.chains.saveReceiver(g, devicePk, chain)
      }
    })
  }

  /** `known`: headers opened when the entry was first seen (a retry of an entry that waited for a key). */
  private process(g: OpenGroup, entry: BertyLogEntry, retry: boolean, advanced: Map<string, Uint8Array>, known?: Map<string, MessageHeaders>): void {
    const { messages } = this.d
    // The payload object this device just sealed (`ownSends` holds it until it is indexed, once):
    // an entry appended moments ago, so not processed yet and no lookup needed.
    const own = g.me ? g.ownSends.get(entry.payload.s) : undefined
    if (own) {
      g.ownSends.delete(entry.payload.s)
      this.indexOwnSend(g, entry, own, advanced)
      return
    }
    const status = messages.processedStatus(g.pk, entry.hash)
    if (status && !(retry && status === 'pending')) return
    let headers
    try {
      headers = known?.get(entry.hash) ?? openMessageHeaders(g.secrets!, entry.payload.s)
    } catch (err) {
      messages.markProcessed(g.pk, entry.hash, { status: 'rejected', reason: describeError(err) })
      this.d.logger('warn', 'groups: message entry rejected', { group: g.pkHex, hash: entry.hash, reason: describeError(err) })
      return
    }
    const deviceId = keyId(headers.devicePk)
    if (entry.key !== deviceId) {
      // The OrbitDB writer must be the device that signed the message.
      messages.markProcessed(g.pk, entry.hash, { status: 'rejected', reason: 'writer is not the message device' })
      this.d.logger('warn', 'groups: message writer mismatch', { group: g.pkHex, hash: entry.hash })
      return
    }
    const chain = g.chains.get(deviceId)
    // The sender's key just arrived and what waited for it is about to be opened: after those.
    if (chain && this.queues.deferToRetry(g, deviceId, entry, headers)) return
    if (!chain) {
      this.queues.keep(g, entry, headers)
      messages.markProcessed(g.pk, entry.hash, {
        status: 'pending',
        devicePk: headers.devicePk,
        counter: headers.counter,
        lamport: entry.clock.time,
        writer: entry.clock.id
      })
      return
    }
    if (headers.counter < chain.counter && !chain.skipped.has(headers.counter)) {
      // Before the chain key we hold: unreadable by design (forward secrecy). Common in bulk (a
      // newcomer's backlog), so settled without building an error, and shown as a placeholder. At or
      // after the chain's start, the key was here and is gone: used (the copy read then was lost to
      // a repaired database) or dropped from the skipped-key cache.
      this.placeholder(g, entry, headers.devicePk, headers.counter, headers.counter < chain.start ? 'before-join' : 'key-gone')
      return
    }
    let opened
    try {
      // Every entry of the log passed its writer signature under `entry.key` (group-log.ts, before
      // it joined), and that key is this message's device (checked above): the signature covers the
      // sealed message whole, so its header signature, by the same key, is not checked twice.
      opened = openMessageWithChain(g.pk, headers, chain, { writerVerified: true })
    } catch (err) {
      const code = err instanceof GroupProtocolError ? err.code : undefined
      const undecryptable = code === 'ERR_KEY_USED' || code === 'ERR_COUNTER_TOO_FAR'
      messages.markProcessed(g.pk, entry.hash, {
        status: undecryptable ? 'undecryptable' : 'rejected',
        devicePk: headers.devicePk,
        reason: describeError(err)
      })
      if (!undecryptable) this.d.logger('warn', 'groups: message rejected', { group: g.pkHex, hash: entry.hash, reason: describeError(err) })
      return
    }
    g.chains.set(deviceId, opened.chain)
    advanced.set(deviceId, headers.devicePk)
    const text = opened.payload.text
    if (text === undefined) {
      // Another Berty AppMessage (acknowledge, invitation, …): opened and verified, nothing to show.
      messages.markProcessed(g.pk, entry.hash, { status: 'ok', devicePk: headers.devicePk })
      return
    }
    const mine = isMine(g, deviceId)
    const rowid = messages.insert({
      groupPk: g.pk,
      id: entry.hash,
      lamport: entry.clock.time,
      writer: entry.clock.id,
      devicePk: headers.devicePk,
      mine,
      sentAt: opened.payload.sentAtMs,
      receivedAt: this.d.now(),
      body: this.d.sealer.sealText(text),
      state: mine ? 'sent' : 'received'
    })
    // The readable messages row records the entry (MessageStore.processedStatus); an earlier record
    // (it waited for the chain key) is settled.
    if (status !== undefined) messages.markProcessed(g.pk, entry.hash, { status: 'ok', devicePk: headers.devicePk })
    this.emitFresh(g, entry, { text, devicePk: headers.devicePk, mine, sentAt: opened.payload.sentAtMs, rowid })
  }

  /** An entry this device will never open: recorded, and shown as a placeholder saying why. */
  private placeholder(g: OpenGroup, entry: BertyLogEntry, devicePk: Uint8Array, counter: number, why: UnreadableReason): void {
    const reason = why === 'before-join' ? BEFORE_JOIN_REASON : KEY_GONE_REASON
    // Ours too when this device or another of the account's sealed it (a key lost to a repair).
    const mine = isMine(g, keyId(devicePk))
    this.d.messages.markProcessed(g.pk, entry.hash, { status: 'undecryptable', devicePk, reason, counter })
    const rowid = this.d.messages.insert({
      groupPk: g.pk,
      id: entry.hash,
      lamport: entry.clock.time,
      writer: entry.clock.id,
      devicePk,
      mine,
      sentAt: 0,
      receivedAt: this.d.now(),
      body: new Uint8Array(0),
      state: 'received',
      unreadable: why
    })
    if (rowid === 0) return
    this.d.bus.emit({
      type: 'message',
      groupPk: g.pk,
      fresh: true,
      message: { id: entry.hash, text: '', devicePk, mine, sentAt: 0, lamport: entry.clock.time, state: 'received', rowid, unreadable: why }
    })
    // Both sides hear of it: the sender per member (delivery.ts), the receiver here.
    if (g.me) this.d.bus.emit({ type: 'unreadable', groupPk: g.pk, messageId: entry.hash, memberPk: g.me.memberPk, reason: why })
  }

  /**
   * A message this device just sealed: its plaintext is known, so it is indexed without opening
   * it again. Our own receiver chain still steps past the counter (the key is derived and
   * dropped), so after a restart it reads on from the right place.
   */
  private indexOwnSend(
    g: OpenGroup,
    entry: BertyLogEntry,
    own: { text: string; sentAt: number; counter: number; clientId?: string },
    advanced: Map<string, Uint8Array>
  ): void {
    const me = g.me!
    const id = keyId(me.devicePk)
    const chain = g.chains.get(id)
    if (chain) {
      try {
        const step = receiveKey(chain, g.pk, own.counter)
        wipe(step.messageKey)
        wipeReceiverChain(chain, step.chain)
        g.chains.set(id, step.chain)
        // Stored every OWN_CHAIN_SAVE_EVERY sends, not per send (a sealed row rewritten per
        // message was a tenth of the send path). Own entries are indexed from `ownSends` in the
        // append's transaction, so this chain only opens an own entry that missed it; a stored
        // chain a few counters behind reads on by skipping forward, as it does after a restart
        // (the sender chain resumes past its write-ahead reservation).
        if (own.counter % OWN_CHAIN_SAVE_EVERY === 0) advanced.set(id, me.devicePk)
      } catch (err) {
        this.d.logger('warn', 'groups: own receiver chain out of step', { group: g.pkHex, reason: describeError(err) })
      }
    }
    const rowid = this.d.messages.insert({
      groupPk: g.pk,
      id: entry.hash,
      lamport: entry.clock.time,
      writer: entry.clock.id,
      devicePk: me.devicePk,
      mine: true,
      sentAt: own.sentAt,
      receivedAt: this.d.now(),
      body: this.d.sealer.sealText(own.text),
      state: 'sent',
      ...(own.clientId !== undefined ? { clientId: own.clientId } : {})
    })
    // No log_processed row: the own messages row, in this same transaction, records the entry as
    // processed (MessageStore.processedStatus). One fewer row and three fewer B-tree pages per send.
    this.emitFresh(g, entry, { text: own.text, devicePk: me.devicePk, mine: true, sentAt: own.sentAt, rowid })
  }

  private emitFresh(
    g: OpenGroup,
    entry: BertyLogEntry,
    m: { text: string; devicePk: Uint8Array; mine: boolean; sentAt: number; rowid: number }
  ): void {
    const message: StoredMessage = {
      id: entry.hash,
      text: m.text,
      devicePk: m.devicePk,
      mine: m.mine,
      sentAt: m.sentAt,
      lamport: entry.clock.time,
      state: m.mine ? 'sent' : 'received',
      rowid: m.rowid
    }
    // Set, not spread: a spread of a conditional literal per message showed in catch-up profiles.
    const senderName = this.senderName(g, m.devicePk)
    if (senderName) message.senderName = senderName
    this.d.bus.emit({ type: 'message', groupPk: g.pk, fresh: true, message })
  }

  /** A device's chain key arrived: open the messages that waited for it, in Lamport order. */
  retryPending(g: OpenGroup, devicePk: Uint8Array): void {
    const chain = g.chains.get(keyId(devicePk))
    if (!chain) return
    // Messages before the chain's first counter can never be opened (forward secrecy): settle
    // them in bulk (placeholder rows included) instead of decoding each again; one summary event.
    this.queues.dropBelow(g, devicePk, chain.start)
    if (this.d.messages.settlePendingBelow(g.pk, devicePk, chain.start, this.d.now(), isMine(g, keyId(devicePk))) > 0) this.d.bus.emit({ type: 'group', groupPk: g.pk })
    // An earlier key of a chain we held (ratchet.ts `mergeEarlierKey`): what was settled as
    // before-the-key in its range waits again, for the retry below.
    if (chain.start < chain.counter) this.d.messages.reopenSettled(g.pk, devicePk, chain.start, chain.counter)
    const hashes = this.d.messages.pendingFrom(g.pk, devicePk, chain.start)
    if (hashes.length === 0) return
    // Opened before the batches queued after the key (receive-queue.ts).
    this.d.background.spawn(this.queues.retry(g, keyId(devicePk), hashes))
  }

  /** A retry: the entries kept decoded, the others read from the log, opened in order a chunk at a time. */
  private async runRetry(g: OpenGroup, r: Retry): Promise<void> {
    try {
      const entries = new Map<string, BertyLogEntry>()
      const known = new Map<string, MessageHeaders>()
      for (const w of r.kept) {
        entries.set(w.entry.hash, w.entry)
        known.set(w.entry.hash, w.headers)
      }
      for (const h of r.unkept) {
        if (entries.has(h)) continue
        const e = await g.msg.get(h)
        if (e) entries.set(h, e)
      }
      await this.processChunked(g, [...entries.values()].sort(compareEntries), true, known)
    } catch (err) {
      this.d.logger('warn', 'groups: retry of waiting messages failed', { group: g.pkHex, reason: describeError(err) })
    }
  }

  /**
   * After a restart: entries that reached the log but were never processed (a crash between
   * join and index) are found by walking back from the heads until processed entries. `full`: the
   * whole log (after a repair, rows may be missing behind processed entries).
   */
  async recover(g: OpenGroup, full = false): Promise<void> {
    const todo: BertyLogEntry[] = []
    const seen = new Set<string>()
    let frontier = (await g.msg.heads()).map((e) => e.hash)
    while (frontier.length > 0) {
      const next: string[] = []
      for (const h of frontier) {
        if (seen.has(h)) continue
        seen.add(h)
        const status = this.d.messages.processedStatus(g.pk, h)
        const done = status !== undefined && status !== 'pending'
        if (done && !full) continue
        const e = await g.msg.get(h)
        if (!e) continue
        if (!done) todo.push(e)
        next.push(...e.next)
      }
      frontier = next
    }
    todo.sort(compareEntries)
    // Queued: a batch received meanwhile (the log is already replicated) is opened after these.
    await this.queues.run(g, async () => this.processChunked(g, todo, true))
  }

  setState(g: OpenGroup, id: string, state: MessageState): void {
    const row = this.d.messages.advanceState(g.pk, id, state)
    if (row) this.d.bus.emit({ type: 'message', groupPk: g.pk, message: this.toMessage(row, g), fresh: false })
  }

  /** The display name the member of `devicePk` shares in the group, if any. */
  senderName(g: OpenGroup, devicePk: Uint8Array): string | undefined {
    const member = g.state.devices.get(keyId(devicePk))
    return member === undefined ? undefined : g.state.members.get(member)?.displayName
  }

  toMessage(r: MessageRow, g: OpenGroup): StoredMessage {
    const senderName = this.senderName(g, r.device_pk)
    return {
      ...(senderName ? { senderName } : {}),
      id: r.id,
      text: r.unreadable ? '' : this.d.sealer.openText(r.body),
      ...(r.unreadable ? { unreadable: r.unreadable } : {}),
      devicePk: new Uint8Array(r.device_pk),
      mine: r.mine === 1,
      sentAt: r.sent_at,
      lamport: r.lamport,
      state: r.state,
      rowid: r.rowid
    }
  }
}

/** `mine` is per member, not per device: what the account's other (linked) devices send is ours too. */
function isMine(g: OpenGroup, deviceId: string): boolean {
  return g.me !== undefined && (keyId(g.me.devicePk) === deviceId || g.state.devices.get(deviceId) === keyId(g.me.memberPk))
}
