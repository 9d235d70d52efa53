/**
 * Replication of group logs between nodes (members and replicas alike).
 *
 * Plain OrbitDB fetches a log one block at a time over bitswap, following `next` links
 * level by level: a fresh peer needs one network round trip per level (measured here:
 * 1,000 entries in ~11.6 s). This replicator replaces OrbitDB's Sync with three paths:
 *
 * - live: every appended entry block is published on the log's gossipsub topic; gossipsub
 *   relays it through intermediate members (A–B–C lines work) and a topic validator drops
 *   blocks that fail verification before they are forwarded;
 * - heads exchange: when a peer subscribes to a topic we replicate (or on demand), both
 *   sides swap heads over `/berty/log-sync/1.0.0`, and each pulls what it lacks;
 * - bulk catch-up: a pull asks for wanted hashes plus what it already has (heads and a
 *   skip-list of ancestors); the responder streams every entry reachable from the wants
 *   that the requester lacks, in batches. Every entry is verified on its own (structure,
 *   group signature, writer signature) before anything is joined; an entry is rejected
 *   only for its own faults or for descending from a rejected entry, and valid entries
 *   around it still land.
 *
 * Frames are dag-cbor maps, length-prefixed, capped at MAX_FRAME_BYTES; every read has a
 * timeout; the topic key is derived from the link key, so only members and replicas can
 * name a log.
 */
import * as dagCbor from '@ipld/dag-cbor'
import type { Libp2p, PeerId, Stream } from '@libp2p/interface'
import { lpStream } from '@libp2p/utils'
import type { BertyLogEntry, GroupLog } from './group-log'
import { compareEntries } from './group-log'
import { VerifyPool, type VerifyItem } from './verify-pool'

export const LOG_SYNC_PROTOCOL = '/berty/log-sync/1.0.0'
export const MAX_FRAME_BYTES = 1024 * 1024
const MAX_WANTS = 512
const MAX_HAVES = 256
const BATCH_BYTES = 256 * 1024
// One round usually covers a whole backlog, streamed parents first (see serveFetch).
const DEFAULT_FETCH_LIMIT = 32_768
const READ_TIMEOUT_MS = 15_000
/** Recompute the skip-list of `haveHints` once this many entries joined since the last walk. */
const HINTS_REFRESH = 64
/** Deepest skip-list hint (2^12): deeper gaps resolve through wants, a round at a time. */
const HINTS_MAX_DEPTH = 4096
const MAX_REJECTED_REMEMBERED = 10_000

export type Logger = (level: 'debug' | 'info' | 'warn' | 'error', msg: string, data?: Record<string, unknown>) => void

export interface ReplicatedLog {
  log: GroupLog
  /** Gossipsub topic and sync key: derived from the link key (groups.ts topicFor). */
  topic: string
  /** New entries, in Lamport order, after they joined the log. */
  onEntries(entries: BertyLogEntry[], source: 'local' | 'remote'): void | Promise<void>
  onProgress?(p: { received: number; done: boolean }): void
}

type PubSub = {
  subscribe(topic: string): void
  unsubscribe(topic: string): void
  publish(topic: string, data: Uint8Array): Promise<unknown>
  getSubscribers(topic: string): PeerId[]
  topicValidators: Map<string, (peer: PeerId, msg: { data: Uint8Array; topic: string }) => Promise<string> | string>
  addEventListener(type: string, fn: (evt: CustomEvent) => void): void
  removeEventListener(type: string, fn: (evt: CustomEvent) => void): void
}

type Frame =
  | { t: 'heads'; k: string; h: string[] }
  | { t: 'fetch'; k: string; w: string[]; h: string[]; n: number }
  | { t: 'entries'; e: Uint8Array[] }
  | { t: 'end'; more: boolean }
  | { t: 'error'; c: string }

export class SyncError extends Error {
  override readonly name = 'SyncError'
  constructor(
    readonly code: 'ERR_PROTOCOL' | 'ERR_UNKNOWN_LOG' | 'ERR_TIMEOUT' | 'ERR_TOO_LARGE' | 'ERR_NOT_CONNECTED',
    message: string
  ) {
    super(message)
  }
}

function isStringArray(v: unknown, max: number): v is string[] {
  return Array.isArray(v) && v.length <= max && v.every((x) => typeof x === 'string' && x.length > 0 && x.length <= 128)
}

function parseFrame(bytes: Uint8Array): Frame {
  let v: unknown
  try {
    v = dagCbor.decode(bytes)
  } catch {
    throw new SyncError('ERR_PROTOCOL', 'undecodable frame')
  }
  if (typeof v !== 'object' || v === null) throw new SyncError('ERR_PROTOCOL', 'frame is not a map')
  const f = v as Record<string, unknown>
  switch (f.t) {
    case 'heads':
      if (typeof f.k === 'string' && isStringArray(f.h, MAX_HAVES)) return { t: 'heads', k: f.k, h: f.h }
      break
    case 'fetch':
      if (
        typeof f.k === 'string' &&
        isStringArray(f.w, MAX_WANTS) &&
        isStringArray(f.h, MAX_HAVES) &&
        Number.isSafeInteger(f.n) &&
        (f.n as number) > 0
      ) {
        return { t: 'fetch', k: f.k, w: f.w, h: f.h, n: Math.min(f.n as number, DEFAULT_FETCH_LIMIT) }
      }
      break
    case 'entries':
      if (Array.isArray(f.e) && f.e.every((b) => b instanceof Uint8Array)) return { t: 'entries', e: f.e as Uint8Array[] }
      break
    case 'end':
      if (typeof f.more === 'boolean') return { t: 'end', more: f.more }
      break
    case 'error':
      if (typeof f.c === 'string') return { t: 'error', c: f.c.slice(0, 64) }
      break
  }
  throw new SyncError('ERR_PROTOCOL', 'malformed frame')
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new SyncError('ERR_TIMEOUT', `timed out waiting for ${what}`)), ms)
      })
    ])
  } finally {
    clearTimeout(timer)
  }
}

class FrameStream {
  private readonly lp: ReturnType<typeof lpStream<Stream>>
  constructor(readonly stream: Stream) {
    this.lp = lpStream(stream, { maxDataLength: MAX_FRAME_BYTES })
  }
  async read(): Promise<Frame> {
    const buf = await withTimeout(this.lp.read(), READ_TIMEOUT_MS, 'a sync frame')
    return parseFrame(buf.subarray())
  }
  async write(frame: Frame): Promise<void> {
    await this.lp.write(dagCbor.encode(frame))
  }
}

/**
 * Failures of the network rather than of the data: the peer closed or reset the stream, went
 * away, or did not answer in time.
 */
export function isTransient(err: unknown): boolean {
  if (err instanceof SyncError) return err.code === 'ERR_TIMEOUT' || err.code === 'ERR_NOT_CONNECTED'
  if (!(err instanceof Error)) return false
  return /^(UnexpectedEOFError|StreamResetError|StreamStateError|StreamClosedError|StreamAbortedError|AbortError|TimeoutError|ConnectionClosedError|MuxerClosedError)$/.test(err.name)
}

/** A serial queue per log: joins must not interleave. */
class Serial {
  private tail: Promise<unknown> = Promise.resolve()
  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn)
    this.tail = next.catch(() => undefined)
    return next
  }
}

interface Registered extends ReplicatedLog {
  serial: Serial
  rejected: Set<string>
  fetching: Map<string, Promise<void>>
  /** A heads announcement is running; `announceAgain` asks for one more round when it ends. */
  announcing?: Promise<void>
  announceAgain: boolean
  /** The last skip-list of `haveHints`, and how many entries joined the log since. */
  hints?: { list: string[]; stale: number }
}

export interface LogReplicatorOptions {
  libp2p: Libp2p
  /** Verifies received entries' signatures off the main thread; inline when absent. */
  verifyPool?: VerifyPool
  log?: Logger
  /** Ask connected topic peers for their heads this often (anti-entropy); 0 disables. */
  antiEntropyMs?: number
}

export class LogReplicator {
  private readonly libp2p: Libp2p
  private readonly pubsub: PubSub
  private readonly logs = new Map<string, Registered>()
  private readonly logger: Logger
  private started = false
  private timer: ReturnType<typeof setInterval> | undefined
  private readonly antiEntropyMs: number
  private readonly verifier: Pick<VerifyPool, 'verifyMany'>
  /** Entries decoded by the gossip validator, by message buffer, for the receive path. */
  private readonly validated = new WeakMap<Uint8Array, BertyLogEntry>()

  constructor(opts: LogReplicatorOptions) {
    this.libp2p = opts.libp2p
    const pubsub = (opts.libp2p.services as Record<string, unknown>).pubsub as PubSub | undefined
    if (!pubsub) throw new Error('libp2p needs a pubsub service for group replication')
    this.pubsub = pubsub
    this.logger = opts.log ?? (() => {})
    this.antiEntropyMs = opts.antiEntropyMs ?? 30_000
    // A pool without threads verifies on the calling thread.
    this.verifier = opts.verifyPool ?? new VerifyPool(0)
  }

  async start(): Promise<void> {
    if (this.started) return
    this.started = true
    await this.libp2p.handle(LOG_SYNC_PROTOCOL, (stream, connection) => {
      void this.serve(stream, connection.remotePeer).catch((err: unknown) => {
        this.logger('debug', 'sync: inbound stream failed', { error: String(err) })
        stream.abort(err instanceof Error ? err : new Error(String(err)))
      })
    }, { maxInboundStreams: 64 })
    this.pubsub.addEventListener('gossipsub:message', this.onGossip)
    this.pubsub.addEventListener('subscription-change', this.onSubscriptionChange)
    if (this.antiEntropyMs > 0) {
      this.timer = setInterval(() => void this.antiEntropy(), this.antiEntropyMs)
      this.timer.unref?.()
    }
  }

  async stop(): Promise<void> {
    if (!this.started) return
    this.started = false
    clearInterval(this.timer)
    this.pubsub.removeEventListener('gossipsub:message', this.onGossip)
    this.pubsub.removeEventListener('subscription-change', this.onSubscriptionChange)
    for (const topic of this.logs.keys()) this.detach(topic)
    await this.libp2p.unhandle(LOG_SYNC_PROTOCOL)
    await Promise.allSettled([...this.logs.values()].flatMap((r) => [...r.fetching.values(), ...(r.announcing ? [r.announcing] : [])]))
  }

  /** Start replicating a log; announces it and syncs with peers already on its topic. */
  add(entry: ReplicatedLog): void {
    if (this.logs.has(entry.topic)) throw new Error('log already replicated')
    const reg: Registered = { ...entry, serial: new Serial(), rejected: new Set(), fetching: new Map(), announceAgain: false }
    this.logs.set(entry.topic, reg)
    this.pubsub.topicValidators.set(entry.topic, (_peer, msg) => this.validate(reg, msg.data))
    this.pubsub.subscribe(entry.topic)
    for (const peer of this.pubsub.getSubscribers(entry.topic)) void this.exchangeHeads(reg, peer)
  }

  remove(topic: string): void {
    this.detach(topic)
    this.logs.delete(topic)
  }

  private detach(topic: string): void {
    this.pubsub.topicValidators.delete(topic)
    try {
      this.pubsub.unsubscribe(topic)
    } catch {
      // pubsub already stopped
    }
  }

  /** Append locally, index, and announce. */
  async append(topic: string, sealed: Uint8Array): Promise<BertyLogEntry> {
    return (await this.appendAndPublish(topic, sealed)).entry
  }

  /** Like `append`, and says to how many topic peers the entry went out right away. */
  async appendAndPublish(topic: string, sealed: Uint8Array): Promise<{ entry: BertyLogEntry; recipients: number }> {
    const reg = this.mustGet(topic)
    const { entry, bytes } = await reg.serial.run(async () => {
      const appended = await reg.log.append(sealed)
      if (reg.hints) reg.hints.stale++
      await reg.onEntries([appended.entry], 'local')
      return appended
    })
    return { entry, recipients: await this.publish(topic, bytes) }
  }

  private async publish(topic: string, bytes: Uint8Array): Promise<number> {
    try {
      const res = (await this.pubsub.publish(topic, bytes)) as { recipients?: unknown[] } | undefined
      return res?.recipients?.length ?? 0
    } catch (err) {
      // No subscribed peer yet is normal offline: heads exchange catches peers up later.
      this.logger('debug', 'sync: publish failed', { error: String(err) })
      return 0
    }
  }

  /** Ask every connected peer on this log's topic for its heads, and pull what we lack. */
  async syncNow(topic: string): Promise<void> {
    const reg = this.mustGet(topic)
    await Promise.allSettled(this.pubsub.getSubscribers(topic).map((p) => this.exchangeHeads(reg, p)))
  }

  /**
   * A sync stream over an existing connection. Replication never dials: who is connected is
   * the network layer's choice (a partition stays a partition, a line stays a line), and a
   * peer that relayed an entry may be gone by the time we ask it for the ancestry.
   */
  private async openStream(peer: PeerId): Promise<Stream> {
    const open = this.libp2p.getConnections(peer).filter((c) => c.status === 'open')
    // Like dialProtocol: prefer a connection without relay limits.
    const conn = open.find((c) => c.limits === undefined) ?? open[0]
    if (!conn) throw new SyncError('ERR_NOT_CONNECTED', 'peer is not connected')
    return conn.newStream(LOG_SYNC_PROTOCOL, { signal: AbortSignal.timeout(READ_TIMEOUT_MS) })
  }

  /** Still replicated here: not stopped, not removed. */
  private active(reg: Registered): boolean {
    return this.started && this.logs.get(reg.topic) === reg
  }

  private mustGet(topic: string): Registered {
    const reg = this.logs.get(topic)
    if (!reg) throw new SyncError('ERR_UNKNOWN_LOG', 'log is not replicated here')
    return reg
  }

  private readonly onSubscriptionChange = (evt: CustomEvent): void => {
    const { peerId, subscriptions } = evt.detail as { peerId: PeerId; subscriptions: Array<{ topic: string; subscribe: boolean }> }
    for (const s of subscriptions) {
      const reg = this.logs.get(s.topic)
      if (reg && s.subscribe) void this.exchangeHeads(reg, peerId)
    }
  }

  private async antiEntropy(): Promise<void> {
    for (const reg of this.logs.values()) {
      for (const peer of this.pubsub.getSubscribers(reg.topic)) void this.exchangeHeads(reg, peer)
    }
  }

  private async validate(reg: Registered, data: Uint8Array): Promise<string> {
    try {
      const entry = await reg.log.decode(data)
      this.validated.set(data, entry)
      const fault = await reg.log.verifyReceived(entry)
      if (fault) {
        this.logger('warn', 'sync: rejected gossiped entry', { log: reg.log.logId, hash: entry.hash, reason: fault })
        this.remember(reg, entry.hash)
        return 'reject'
      }
      return 'accept'
    } catch (err) {
      this.logger('warn', 'sync: undecodable gossiped block', { log: reg.log.logId, error: String(err) })
      return 'reject'
    }
  }

  private readonly onGossip = (evt: CustomEvent): void => {
    const { msg, propagationSource } = evt.detail as { msg: { topic: string; data: Uint8Array; from?: PeerId }; propagationSource: PeerId }
    const reg = this.logs.get(msg.topic)
    if (!reg) return
    void this.receiveLive(reg, msg.data, propagationSource, msg.from).catch((err: unknown) => {
      // Pulls cut short by our own shutdown (or by leaving the group), or by the peer going
      // away mid-pull, are not faults: the next heads exchange with any peer fills the gap.
      const level = this.active(reg) && !isTransient(err) ? 'warn' : 'debug'
      this.logger(level, 'sync: live entry failed', { log: reg.log.logId, error: String(err) })
    })
  }

  private async receiveLive(reg: Registered, data: Uint8Array, from: PeerId, author?: PeerId): Promise<void> {
    // Gossipsub hands the validator and the message event the same buffer: decode once.
    const entry = this.validated.get(data) ?? (await reg.log.decode(data))
    if (await reg.log.has(entry.hash)) return
    const fault = await reg.log.verifyReceived(entry)
    if (fault) return
    const missing: string[] = []
    for (const l of [...entry.next, ...entry.refs]) if (!(await reg.log.has(l))) missing.push(l)
    if (missing.length === 0) {
      await this.join(reg, new Map([[entry.hash, { entry, bytes: data }]]))
      return
    }
    // A gap: pull the missing ancestry from the peer that relayed the entry. A relay forwards
    // an entry as soon as it verifies, often before it holds the entry's ancestry itself (or
    // it is gone by now); then ask the author if we are connected to it, else the relay's
    // announcement once its own pull lands brings the entry (see `announce`).
    let failure: unknown
    for (const peer of author && !author.equals(from) ? [from, author] : [from]) {
      if (this.libp2p.getConnections(peer).length === 0) continue
      try {
        await this.pull(reg, peer, [entry.hash])
      } catch (err) {
        failure = err
      }
      if (await reg.log.has(entry.hash)) return
    }
    if (failure !== undefined) throw failure
  }

  private remember(reg: Registered, hash: string): void {
    reg.rejected.add(hash)
    if (reg.rejected.size > MAX_REJECTED_REMEMBERED) {
      const first = reg.rejected.values().next()
      if (!first.done) reg.rejected.delete(first.value)
    }
  }

  private async join(reg: Registered, blocks: Map<string, { entry: BertyLogEntry; bytes: Uint8Array }>): Promise<number> {
    return reg.serial.run(async () => {
      const fresh = new Map<string, { entry: BertyLogEntry; bytes: Uint8Array }>()
      for (const [h, b] of blocks) if (!(await reg.log.has(h))) fresh.set(h, b)
      if (fresh.size === 0) return 0
      const added = await reg.log.joinVerified(fresh)
      if (reg.hints) reg.hints.stale += added.length
      added.sort(compareEntries)
      if (added.length > 0) await reg.onEntries(added, 'remote')
      return added.length
    })
  }

  // ---- heads exchange -------------------------------------------------------------

  private async exchangeHeads(reg: Registered, peer: PeerId): Promise<void> {
    let stream: Stream | undefined
    try {
      stream = await this.openStream(peer)
      const fs = new FrameStream(stream)
      const heads = await reg.log.headHashes()
      await fs.write({ t: 'heads', k: reg.topic, h: heads.slice(0, MAX_HAVES) })
      const reply = await fs.read()
      await stream.close()
      if (reply.t === 'error') throw new SyncError('ERR_UNKNOWN_LOG', `peer answered ${reply.c}`)
      if (reply.t !== 'heads') throw new SyncError('ERR_PROTOCOL', 'expected heads')
      await this.pullIfMissing(reg, peer, reply.h)
    } catch (err) {
      stream?.abort(err instanceof Error ? err : new Error(String(err)))
      this.logger('debug', 'sync: heads exchange failed', { log: reg.log.logId, peer: peer.toString(), error: String(err) })
    }
  }

  private async pullIfMissing(reg: Registered, peer: PeerId, heads: string[]): Promise<void> {
    const wants: string[] = []
    for (const h of heads) if (!reg.rejected.has(h) && !(await reg.log.has(h))) wants.push(h)
    if (wants.length > 0) await this.pull(reg, peer, wants)
  }

  /**
   * Pull `wants` and everything they descend from that we lack, from one peer, in
   * batches. Deduplicated per (log, peer): concurrent triggers share one pull.
   */
  async pull(reg: Registered, peer: PeerId, wants: string[]): Promise<void> {
    if (!this.active(reg)) return
    const key = peer.toString()
    const running = reg.fetching.get(key)
    if (running) {
      await running
      // The running pull may have covered these wants (a burst of gossiped entries with one
      // gap each): ask only for what is still missing, if anything.
      const left: string[] = []
      for (const w of wants) if (!reg.rejected.has(w) && !(await reg.log.has(w))) left.push(w)
      if (left.length === 0) return
      wants = left
    }
    const task = this.pullLoop(reg, peer, wants).finally(() => reg.fetching.delete(key))
    reg.fetching.set(key, task)
    await task
  }

  private async pullLoop(reg: Registered, peer: PeerId, initialWants: string[]): Promise<void> {
    const staged = new Map<string, { entry: BertyLogEntry; bytes: Uint8Array }>()
    let wants = [...new Set(initialWants)]
    let received = 0
    let added = 0
    // Entries arrive parents first, so after each verified frame whatever has its whole ancestry
    // is joined and indexed while the transfer goes on. One join at a time, in arrival order.
    const inLog = new Set<string>()
    let joining: Promise<void> = Promise.resolve()
    const joinReady = async (): Promise<void> => {
      const ordered = [...staged.values()].sort((a, b) => compareEntries(a.entry, b.entry))
      const ready = new Map<string, { entry: BertyLogEntry; bytes: Uint8Array }>()
      for (const s of ordered) {
        let ok = true
        for (const l of [...s.entry.next, ...s.entry.refs]) {
          if (ready.has(l) || inLog.has(l)) continue
          if (staged.has(l) || reg.rejected.has(l)) {
            ok = false // its parent is waiting too, or was rejected
            break
          }
          if (await reg.log.has(l)) {
            inLog.add(l)
            continue
          }
          ok = false // not here yet
          break
        }
        if (ok) ready.set(s.entry.hash, s)
      }
      if (ready.size === 0) return
      for (const h of ready.keys()) staged.delete(h)
      added += await this.join(reg, ready)
      for (const h of ready.keys()) inLog.add(h)
    }
    const scheduleJoin = (): void => {
      joining = joining.then(joinReady).catch((err: unknown) => {
        this.logger('debug', 'sync: incremental join failed', { log: reg.log.logId, error: String(err) })
      })
    }
    while (wants.length > 0) {
      const before = received
      const round = await this.fetchRound(reg, peer, wants.slice(0, MAX_WANTS), staged, scheduleJoin)
      received += round.staged
      reg.onProgress?.({ received, done: false })
      await joining
      // What do the entries still waiting link to that is neither here nor staged?
      const missing = new Set<string>()
      for (const { entry } of staged.values()) {
        for (const l of [...entry.next, ...entry.refs]) {
          if (!staged.has(l) && !reg.rejected.has(l) && !(await reg.log.has(l))) missing.add(l)
        }
      }
      for (const w of wants) if (!staged.has(w) && !reg.rejected.has(w) && !(await reg.log.has(w)) && round.more) missing.add(w)
      if (received === before) break // no progress: the peer has nothing more for us
      wants = [...missing]
    }
    await joining
    // What is left could not join: it descends from a rejected entry, or the peer lacked part of
    // its ancestry. The closure check marks the first kind as rejected.
    const closed = this.closure(reg, staged, await this.presentSet(reg, staged))
    if (closed.size > 0) added += await this.join(reg, closed)
    if (staged.size > closed.size) {
      this.logger('warn', 'sync: entries held back (ancestry incomplete or rejected)', {
        log: reg.log.logId,
        count: staged.size - closed.size
      })
    }
    reg.onProgress?.({ received, done: true })
    if (added > 0) {
      this.logger('debug', 'sync: pulled entries', { log: reg.log.logId, added })
      this.announce(reg)
    }
  }

  /**
   * Pulled entries were never gossiped through this node, so peers that rely on it (a line
   * A–B–C, or a peer whose gap pull reached us before our own pull landed) would not hear
   * of them: offer our new heads to every topic peer. Coalesced: one round at a time per
   * log, plus one more if entries landed meanwhile.
   */
  private announce(reg: Registered): void {
    if (reg.announcing) {
      reg.announceAgain = true
      return
    }
    reg.announcing = (async () => {
      do {
        reg.announceAgain = false
        if (!this.started) return
        await Promise.allSettled(this.pubsub.getSubscribers(reg.topic).map((p) => this.exchangeHeads(reg, p)))
      } while (reg.announceAgain)
    })().finally(() => {
      reg.announcing = undefined
    })
  }

  /** Hashes linked from staged entries that are already in the log. */
  private async presentSet(reg: Registered, staged: Map<string, { entry: BertyLogEntry }>): Promise<Set<string>> {
    const present = new Set<string>()
    for (const { entry } of staged.values()) {
      for (const l of [...entry.next, ...entry.refs]) if (!staged.has(l) && (await reg.log.has(l))) present.add(l)
    }
    return present
  }

  /**
   * Keep only staged entries whose whole ancestry is valid and available: an entry that
   * links to a rejected or unavailable one cannot join an OrbitDB log (its traversal
   * would fail), so it is held back — and everything else still lands.
   */
  private closure(
    reg: Registered,
    staged: Map<string, { entry: BertyLogEntry; bytes: Uint8Array }>,
    present: Set<string>
  ): Map<string, { entry: BertyLogEntry; bytes: Uint8Array }> {
    const ok = new Map<string, boolean>()
    const visit = (hash: string): boolean => {
      const known = ok.get(hash)
      if (known !== undefined) return known
      if (present.has(hash)) return true
      const s = staged.get(hash)
      if (!s || reg.rejected.has(hash)) return false
      ok.set(hash, true) // provisional, cycles are impossible in a hash DAG
      const fine = [...s.entry.next, ...s.entry.refs].every(visit)
      ok.set(hash, fine)
      if (!fine) this.remember(reg, hash)
      return fine
    }
    // Iterative order (oldest first) keeps recursion shallow on long chains.
    const order = [...staged.values()].sort((a, b) => compareEntries(a.entry, b.entry))
    const out = new Map<string, { entry: BertyLogEntry; bytes: Uint8Array }>()
    for (const s of order) if (visit(s.entry.hash)) out.set(s.entry.hash, s)
    return out
  }

  /** One fetch request; verifies every entry before staging it. Returns `more`. */
  private async fetchRound(
    reg: Registered,
    peer: PeerId,
    wants: string[],
    staged: Map<string, { entry: BertyLogEntry; bytes: Uint8Array }>,
    onVerified?: () => void
  ): Promise<{ more: boolean; staged: number }> {
    const have = await this.haveHints(reg)
    let count = 0
    const stream = await this.openStream(peer)
    const seen = new Set(staged.keys())
    const verifying: Array<Promise<void>> = []
    try {
      const fs = new FrameStream(stream)
      await fs.write({ t: 'fetch', k: reg.topic, w: wants, h: have, n: DEFAULT_FETCH_LIMIT })
      for (;;) {
        const frame = await fs.read()
        if (frame.t === 'end') {
          await stream.close()
          await Promise.all(verifying)
          return { more: frame.more, staged: count }
        }
        if (frame.t === 'error') throw new SyncError('ERR_UNKNOWN_LOG', `peer answered ${frame.c}`)
        if (frame.t !== 'entries') throw new SyncError('ERR_PROTOCOL', 'expected entries')
        // Decode here, verify on the pool's threads: the next frame is read and decoded while
        // this one's signatures are checked.
        const batch: Array<{ entry: BertyLogEntry; bytes: Uint8Array }> = []
        const items: VerifyItem[] = []
        for (const bytes of frame.e) {
          // The hash is the block's CID: known blocks are skipped before any decoding.
          const hash = reg.log.hashOf(bytes)
          if (seen.has(hash) || reg.rejected.has(hash) || (await reg.log.has(hash))) continue
          let entry: BertyLogEntry
          try {
            entry = await reg.log.decode(bytes, hash)
          } catch (err) {
            this.logger('warn', 'sync: undecodable block from peer', { log: reg.log.logId, peer: peer.toString(), error: String(err) })
            continue
          }
          seen.add(entry.hash)
          const prepared = reg.log.prepareVerification(entry)
          if ('fault' in prepared) {
            this.reject(reg, entry.hash, prepared.fault, peer)
            continue
          }
          batch.push({ entry, bytes })
          items.push(...prepared.items)
        }
        const verified = this.verifier.verifyMany(items).then((ok) => {
          batch.forEach((b, i) => {
            if (ok[2 * i] && ok[2 * i + 1]) {
              reg.log.markVerified(b.entry)
              staged.set(b.entry.hash, b)
              count++
            } else {
              this.reject(reg, b.entry.hash, ok[2 * i] ? 'writer signature does not verify' : 'group signature does not verify', peer)
            }
          })
          onVerified?.()
        })
        // Awaited below; handled now so a pool closing under a stopping node is no crash.
        verified.catch(() => undefined)
        verifying.push(verified)
      }
    } catch (err) {
      stream.abort(err instanceof Error ? err : new Error(String(err)))
      throw err
    } finally {
      await Promise.allSettled(verifying)
    }
  }

  private reject(reg: Registered, hash: string, reason: string, peer: PeerId): void {
    this.logger('warn', 'sync: rejected entry', { log: reg.log.logId, hash, reason, peer: peer.toString() })
    this.remember(reg, hash)
  }

  /**
   * Our heads plus a skip-list of their ancestors (depths 1, 2, 4, …). The walk decodes
   * every entry down to the deepest mark (the whole log, when it is small), and a burst of
   * arrivals triggers one pull per gap, so the skip-list is reused until HINTS_REFRESH
   * entries joined: any entry we hold is a valid hint (logs only grow, and hold the whole
   * ancestry of every entry), only the spread across depths gets coarser.
   */
  private async haveHints(reg: Registered): Promise<string[]> {
    const heads = await reg.log.headHashes()
    if (reg.hints && reg.hints.stale < HINTS_REFRESH) {
      return [...new Set([...heads, ...reg.hints.list])].slice(0, MAX_HAVES)
    }
    // Walk back along first `next` links (from the links store: no block is decoded) and keep
    // the ancestors at depths 1, 2, 4, … up to HINTS_MAX_DEPTH.
    const out = new Set(heads)
    for (const head of heads.slice(0, 8)) {
      let cur: string | undefined = head
      let nextMark = 1
      for (let depth = 1; depth <= HINTS_MAX_DEPTH && out.size < MAX_HAVES; depth++) {
        cur = (await reg.log.getLinks(cur))?.next[0]
        if (cur === undefined) break
        if (depth === nextMark) {
          out.add(cur)
          nextMark *= 2
        }
      }
    }
    const list = [...out].slice(0, MAX_HAVES)
    reg.hints = { list, stale: 0 }
    return list
  }

  // ---- responder --------------------------------------------------------------------

  private async serve(stream: Stream, peer: PeerId): Promise<void> {
    const fs = new FrameStream(stream)
    const req = await fs.read()
    if (req.t !== 'heads' && req.t !== 'fetch') throw new SyncError('ERR_PROTOCOL', 'expected a request')
    const reg = this.logs.get(req.k)
    if (!reg) {
      await fs.write({ t: 'error', c: 'unknown-log' })
      await stream.close()
      return
    }
    if (req.t === 'heads') {
      const heads = await reg.log.headHashes()
      await fs.write({ t: 'heads', k: reg.topic, h: heads.slice(0, MAX_HAVES) })
      await stream.close()
      // The asker may know entries we lack.
      void this.pullIfMissing(reg, peer, req.h).catch((err: unknown) => {
        this.logger('debug', 'sync: reverse pull failed', { error: String(err) })
      })
      return
    }
    await this.serveFetch(reg, fs, req)
    await stream.close()
  }

  private async serveFetch(reg: Registered, fs: FrameStream, req: Extract<Frame, { t: 'fetch' }>): Promise<void> {
    const have = new Set(req.h)
    // Breadth-first from the wants along next+refs, stopping at what the asker has, up to the
    // asked number of entries; from the links store, so no block is opened.
    const found = new Map<string, number>()
    let frontier = req.w.filter((h) => !have.has(h))
    let more = false
    while (frontier.length > 0 && !more) {
      const nextFrontier: string[] = []
      for (const hash of frontier) {
        if (found.has(hash) || have.has(hash)) continue
        if (found.size >= req.n) {
          more = true
          break
        }
        const links = await reg.log.getLinks(hash)
        if (!links) continue
        found.set(hash, links.time)
        for (const l of [...links.next, ...links.refs]) if (!found.has(l) && !have.has(l)) nextFrontier.push(l)
      }
      frontier = nextFrontier
    }
    // Parents first (Lamport order: a parent's time is below its children's), so the asker can
    // join and index what it received while the rest is still on the way.
    const order = [...found].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    let batch: Uint8Array[] = []
    let batchBytes = 0
    for (const [hash] of order) {
      const bytes = await reg.log.getBytes(hash)
      if (!bytes) continue
      batch.push(bytes)
      batchBytes += bytes.length
      if (batchBytes >= BATCH_BYTES) {
        await fs.write({ t: 'entries', e: batch })
        batch = []
        batchBytes = 0
      }
    }
    if (batch.length > 0) await fs.write({ t: 'entries', e: batch })
    await fs.write({ t: 'end', more })
  }

}
