/**
 * Live replication: appended entry blocks are published on the log's gossipsub topic; gossipsub
 * relays them through intermediate members (A–B–C lines work) and the topic validator drops
 * messages that fail verification before they are forwarded.
 *
 * A gossip message is one entry block, or a burst of them (batch.ts: one message for what one
 * writer appended at once, e.g. a chain key boxed to every member). Received entries are not
 * joined one by one: they collect in a per-log inbox and are applied in one batch (one join, one
 * transaction, one `onEntries`) once the burst has arrived. An entry whose ancestry is missing
 * waits GAP_GRACE_MS for it — concurrent writers' entries routinely arrive out of causal order by
 * different gossip paths; longer when the event loop runs late, as the ancestry is then likely
 * still in socket buffers — and only what is still missing then is pulled from the relay or the
 * author, all wants of one peer in one pull; a pull that could not bring it (the relay forwarded
 * the entry before holding its ancestry) is retried with a growing delay, not on every arrival.
 */
import type { PeerId } from '@libp2p/interface'
import { compareEntries, type BertyLogEntry } from '../group-log'
import type { VerifyItem } from '../verify-pool'
import { isGossipBatch, splitGossipBatch } from './batch'
import { isTransient } from './errors'
import type { Registered, Staged, SyncContext } from './types'

/** How long an entry with missing ancestry waits for it to arrive by gossip before pulling it. */
export const GAP_GRACE_MS = 150
/** Entries waiting for their ancestry, per log; past this the oldest are pulled at once. */
const MAX_WAITING = 4096
/** A waiting entry is kept this long at most; after that heads exchanges bring it. */
const MAX_WAIT_MS = 60_000
/** Longest delay between two pulls for the same waiting entry. */
const MAX_RETRY_MS = 4_000
/** Most extra grace a late event loop adds to GAP_GRACE_MS. */
const MAX_LAG_GRACE_MS = 2_000

interface Arrival {
  entry: BertyLogEntry
  bytes: Uint8Array
  from: PeerId
  author?: PeerId
  at: number
  /** When to pull its missing ancestry (again). */
  pullAt: number
  pulls: number
}

interface Inbox {
  arrivals: Map<string, Arrival>
  flushing?: Promise<void>
  again: boolean
  scheduled: boolean
  timer?: ReturnType<typeof setTimeout>
  timerAt: number
}

export class LiveGossip {
  /** Entries decoded (and verified) by the gossip validator, by message buffer, for the receive path. */
  private readonly validated = new WeakMap<Uint8Array, Array<{ entry: BertyLogEntry; bytes: Uint8Array }>>()
  private readonly inboxes = new WeakMap<Registered, Inbox>()
  /**
   * How late the inbox timers fire (ms, decaying): a busy event loop holds gossip messages in its
   * socket buffers, among them the ancestry a waiting entry lacks, so the gap grace grows by it.
   */
  private lagMs = 0

  constructor(private readonly ctx: SyncContext) {}

  /** The gap grace now: GAP_GRACE_MS plus what a late event loop adds. */
  gapGraceMs(): number {
    return GAP_GRACE_MS + Math.min(MAX_LAG_GRACE_MS, 2 * this.lagMs)
  }

  /** Says to how many topic peers the message went out right away. */
  async publish(topic: string, data: Uint8Array): Promise<number> {
    // No gossip peer at all (sending offline): nothing would be sent, yet gossipsub would still
    // hash and cache the message. A peer that comes later is caught up by the heads exchange its
    // subscription starts (heads.ts onSubscriptionChange). With peers connected, publish even if
    // none is on the topic yet: gossipsub keeps the message and offers it (IHAVE) to members as
    // they subscribe; skipping that (whenever the topic had no subscriber) made a 25-member join
    // 2.5× the gossip messages, 3.5× the pulls and 1.5× the CPU.
    if (this.ctx.components.pubsub.getPeers().length === 0) return 0
    this.ctx.counters.gossipOut++
    try {
      const res = (await this.ctx.components.pubsub.publish(topic, data)) as { recipients?: unknown[] } | undefined
      return res?.recipients?.length ?? 0
    } catch (err) {
      // No subscribed peer yet is normal offline: heads exchange catches peers up later.
      this.ctx.logger('debug', 'sync: publish failed', { error: String(err) })
      return 0
    }
  }

  async validate(reg: Registered, data: Uint8Array): Promise<string> {
    try {
      if (isGossipBatch(data)) return await this.validateBatch(reg, data)
      // In the log: the same bytes (the hash is their CID) were verified when they joined.
      const hash = reg.log.hashOf(data)
      if (await reg.log.has(hash)) {
        this.validated.set(data, [])
        return 'accept'
      }
      const entry = await reg.log.decode(data, hash)
      this.validated.set(data, [{ entry, bytes: data }])
      const fault = await reg.log.verifyReceived(entry)
      if (fault) {
        this.ctx.logger('warn', 'sync: rejected gossiped entry', { log: reg.log.logId, hash: entry.hash, reason: fault })
        this.ctx.remember(reg, entry.hash)
        return 'reject'
      }
      return 'accept'
    } catch (err) {
      this.ctx.logger('warn', 'sync: undecodable gossiped block', { log: reg.log.logId, error: String(err) })
      return 'reject'
    }
  }

  /** Every entry of a burst must verify (an honest writer never publishes a bad one); checked on the pool. */
  private async validateBatch(reg: Registered, data: Uint8Array): Promise<string> {
    const blocks = splitGossipBatch(data)
    const out: Array<{ entry: BertyLogEntry; bytes: Uint8Array }> = []
    const items: VerifyItem[] = []
    const pending: BertyLogEntry[] = []
    for (const bytes of blocks) {
      // Already in the log (the same bytes were verified when they joined): not even decoded, and not
      // handed to the receive path, which would skip it.
      const hash = reg.log.hashOf(bytes)
      if (await reg.log.has(hash)) continue
      const entry = await reg.log.decode(bytes, hash)
      out.push({ entry, bytes })
      if (reg.log.isVerified(entry)) continue
      const prepared = reg.log.prepareVerification(entry)
      if ('fault' in prepared) {
        this.ctx.logger('warn', 'sync: rejected gossiped entry', { log: reg.log.logId, hash: entry.hash, reason: prepared.fault })
        this.ctx.remember(reg, entry.hash)
        return 'reject'
      }
      items.push(...prepared.items)
      pending.push(entry)
    }
    const ok = await this.ctx.verifier.verifyMany(items)
    for (let i = 0; i < pending.length; i++) {
      if (ok[2 * i] && ok[2 * i + 1]) continue
      this.ctx.logger('warn', 'sync: rejected gossiped entry', { log: reg.log.logId, hash: pending[i]!.hash, reason: 'signature does not verify' })
      this.ctx.remember(reg, pending[i]!.hash)
      return 'reject'
    }
    for (const e of pending) reg.log.markVerified(e)
    this.validated.set(data, out)
    return 'accept'
  }

  readonly onGossip = (evt: CustomEvent): void => {
    const { msg, propagationSource } = evt.detail as { msg: { topic: string; data: Uint8Array; from?: PeerId }; propagationSource: PeerId }
    const reg = this.ctx.logs.get(msg.topic)
    if (!reg) return
    void this.receive(reg, msg.data, propagationSource, msg.from).catch((err: unknown) => {
      this.ctx.logger('warn', 'sync: live entry failed', { log: reg.log.logId, error: String(err) })
    })
  }

  /** Entries joined the log by another path (a pull): waiting entries may be ready now. */
  nudge(reg: Registered): void {
    const inbox = this.inboxes.get(reg)
    if (inbox && inbox.arrivals.size > 0) this.schedule(reg, inbox)
  }

  private async receive(reg: Registered, data: Uint8Array, from: PeerId, author?: PeerId): Promise<void> {
    // Gossipsub hands the validator and the message event the same buffer: decode once.
    let blocks = this.validated.get(data)
    if (!blocks) {
      blocks = []
      for (const bytes of isGossipBatch(data) ? splitGossipBatch(data) : [data]) blocks.push({ entry: await reg.log.decode(bytes), bytes })
    }
    this.ctx.counters.gossipIn++
    this.ctx.counters.gossipEntriesIn += blocks.length
    this.ctx.activity(reg)
    const inbox = this.inboxOf(reg)
    const now = Date.now()
    for (const { entry, bytes } of blocks) {
      if (inbox.arrivals.has(entry.hash) || reg.rejected.has(entry.hash) || (await reg.log.has(entry.hash))) continue
      if (await reg.log.verifyReceived(entry)) continue
      inbox.arrivals.set(entry.hash, { entry, bytes, from, ...(author ? { author } : {}), at: now, pullAt: now + GAP_GRACE_MS, pulls: 0 })
    }
    this.schedule(reg, inbox)
  }

  private inboxOf(reg: Registered): Inbox {
    let inbox = this.inboxes.get(reg)
    if (!inbox) {
      inbox = { arrivals: new Map(), again: false, scheduled: false, timerAt: Infinity }
      this.inboxes.set(reg, inbox)
    }
    return inbox
  }

  /** One flush per turn of the event loop: a burst of gossip messages is applied together. */
  private schedule(reg: Registered, inbox: Inbox): void {
    if (inbox.flushing) {
      inbox.again = true
      return
    }
    if (inbox.scheduled) return
    inbox.scheduled = true
    setImmediate(() => {
      inbox.scheduled = false
      this.runFlush(reg, inbox)
    })
  }

  private runFlush(reg: Registered, inbox: Inbox): void {
    if (inbox.flushing) {
      inbox.again = true
      return
    }
    inbox.flushing = (async () => {
      do {
        inbox.again = false
        if (!this.ctx.active(reg)) {
          inbox.arrivals.clear()
          return
        }
        await this.flush(reg, inbox)
      } while (inbox.again)
    })()
      .catch((err: unknown) => {
        const level = this.ctx.active(reg) && !isTransient(err) ? 'warn' : 'debug'
        this.ctx.logger(level, 'sync: live entries failed', { log: reg.log.logId, error: String(err) })
      })
      .finally(() => {
        inbox.flushing = undefined
      })
  }

  /** Joins what has its whole ancestry; pulls what waited GAP_GRACE_MS for it in vain. */
  private async flush(reg: Registered, inbox: Inbox): Promise<void> {
    const ordered = [...inbox.arrivals.values()].sort((a, b) => compareEntries(a.entry, b.entry))
    const ready: Staged = new Map()
    const waiting: Array<{ a: Arrival; missing: string[] }> = []
    for (const a of ordered) {
      const missing: string[] = []
      for (const l of [...a.entry.next, ...a.entry.refs]) {
        if (ready.has(l)) continue
        if (inbox.arrivals.has(l)) {
          missing.push(l) // its parent waits too
          continue
        }
        if (!(await reg.log.has(l))) missing.push(l)
      }
      if (missing.length === 0) ready.set(a.entry.hash, { entry: a.entry, bytes: a.bytes })
      else waiting.push({ a, missing })
    }
    if (ready.size > 0) {
      for (const h of ready.keys()) inbox.arrivals.delete(h)
      await this.ctx.join(reg, ready)
    }
    const now = Date.now()
    // What each waiting entry lacks outside the inbox, through the waiting entries it descends from.
    const missingOf = new Map(waiting.map(({ a, missing }) => [a.entry.hash, missing]))
    const remoteOf = (hash: string, out: Set<string>, seen: Set<string>): void => {
      for (const l of missingOf.get(hash) ?? []) {
        if (seen.has(l)) continue
        seen.add(l)
        if (missingOf.has(l)) remoteOf(l, out, seen)
        else if (!inbox.arrivals.has(l)) out.add(l)
      }
    }
    const overflow = inbox.arrivals.size - MAX_WAITING
    const wants = new Map<string, { peers: PeerId[]; hashes: Set<string> }>()
    let nextDue = Infinity
    waiting.forEach(({ a }, i) => {
      if (now - a.at > MAX_WAIT_MS) {
        inbox.arrivals.delete(a.entry.hash)
        return
      }
      const due = a.pullAt + this.gapGraceMs() - GAP_GRACE_MS
      if (now < due && i >= overflow) {
        nextDue = Math.min(nextDue, due)
        return
      }
      a.pulls++
      a.pullAt = now + Math.min(MAX_RETRY_MS, GAP_GRACE_MS * 2 ** a.pulls)
      nextDue = Math.min(nextDue, a.pullAt)
      const remote = new Set<string>()
      remoteOf(a.entry.hash, remote, new Set())
      if (remote.size === 0) return
      const peers = a.author && !a.author.equals(a.from) ? [a.from, a.author] : [a.from]
      const key = peers.map((p) => p.toString()).join(',')
      const w = wants.get(key) ?? { peers, hashes: new Set<string>() }
      for (const l of remote) w.hashes.add(l)
      wants.set(key, w)
    })
    if (nextDue < Infinity) this.wake(reg, inbox, nextDue)
    if (wants.size > 0) void this.pullMissing(reg, inbox, [...wants.values()])
  }

  private wake(reg: Registered, inbox: Inbox, at: number): void {
    if (inbox.timer && inbox.timerAt <= at) return
    clearTimeout(inbox.timer)
    inbox.timerAt = at
    inbox.timer = setTimeout(() => {
      const late = Date.now() - inbox.timerAt
      this.lagMs = Math.max(late, this.lagMs * 0.75)
      inbox.timer = undefined
      inbox.timerAt = Infinity
      this.schedule(reg, inbox)
    }, Math.max(0, at - Date.now()))
    inbox.timer.unref?.()
  }

  /**
   * A relay forwards an entry as soon as it verifies, often before it holds the entry's
   * ancestry itself (or it is gone by now); then ask the author if we are connected to it, else
   * the relay's announcement once its own pull lands brings the entry (see heads.ts `announce`).
   */
  private async pullMissing(reg: Registered, inbox: Inbox, wants: Array<{ peers: PeerId[]; hashes: Set<string> }>): Promise<void> {
    await Promise.all(
      wants.map(async ({ peers, hashes }) => {
        let failure: unknown
        for (const peer of peers) {
          if (this.ctx.components.connections.getConnections(peer).length === 0) continue
          const left: string[] = []
          for (const h of hashes) if (!reg.rejected.has(h) && !(await reg.log.has(h))) left.push(h)
          if (left.length === 0) return
          try {
            await this.ctx.pull(reg, peer, left)
            failure = undefined
          } catch (err) {
            failure = err
          }
        }
        if (failure !== undefined) {
          // Pulls cut short by our own shutdown (or by leaving the group), or by the peer going
          // away mid-pull, are not faults: the next heads exchange with any peer fills the gap.
          const level = this.ctx.active(reg) && !isTransient(failure) ? 'warn' : 'debug'
          this.ctx.logger(level, 'sync: live entry failed', { log: reg.log.logId, error: String(failure) })
        }
      })
    )
    this.schedule(reg, inbox)
  }
}
