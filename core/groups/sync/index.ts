/**
 * Replication of group logs between nodes (members and replicas alike), as a js-libp2p-style
 * service: `groupSync(init)(components)` with only the components it uses (gossip, stream
 * handling, connections).
 *
 * Plain OrbitDB fetches a log one block at a time over bitswap, following `next` links level by
 * level: a fresh peer needs one network round trip per level. This service replaces OrbitDB's
 * Sync with three paths, each in its own file:
 * - live.ts: appended entries published on the log's gossipsub topic, verified before relaying;
 * - heads.ts: heads exchange on subscription, on demand and by anti-entropy;
 * - pull.ts / serve.ts: bulk catch-up, verified entry by entry before an atomic batch join.
 * Frames (frames.ts) are dag-cbor maps over the project's one framing, capped, every read timed
 * out; the topic key is derived from the link key, so only members and replicas can name a log.
 */
import type { PeerId, Stream } from '@libp2p/interface'
import type { Logger } from '../../log'
import { BoundedSet } from '../../bounded-set'
import { compareEntries, type BertyLogEntry } from '../group-log'
import { VerifyPool } from '../verify-pool'
import { SyncError } from './errors'
import { gossipMessages } from './batch'
import { LOG_SYNC_PROTOCOL, READ_TIMEOUT_MS } from './frames'
import { HeadsExchange, SETTLE_QUIET_MS } from './heads'
import { LiveGossip } from './live'
import { Puller } from './pull'
import { SyncServer } from './serve'
import { newCounters, Serial, type SyncCounters, type GroupSyncComponents, type GroupSyncInit, type Registered, type ReplicatedLog, type Staged, type SyncContext } from './types'

export { SyncError, isTransient, type SyncErrorCode } from './errors'
export { LOG_SYNC_PROTOCOL, MAX_FRAME_BYTES } from './frames'
export type { GroupSyncComponents, GroupSyncInit, ReplicatedLog, SyncCounters, SyncPubSub } from './types'

const MAX_REJECTED_REMEMBERED = 10_000

/** What the groups engine needs to write: append locally, index, announce. */
export interface LogAppender {
  appendAndPublish(topic: string, sealed: Uint8Array): Promise<{ entry: BertyLogEntry; recipients: number }>
  /**
   * A burst of payloads appended at once (each its own entry, chained in order), indexed in one
   * `onEntries` and announced in as few gossip messages as fit (batch.ts).
   */
  appendManyAndPublish(topic: string, sealed: readonly Uint8Array[]): Promise<{ entries: BertyLogEntry[]; recipients: number }>
}

export interface GroupSync extends LogAppender {
  start(): Promise<void>
  stop(): Promise<void>
  /** Start replicating a log; announces it and syncs with peers already on its topic. */
  add(log: ReplicatedLog): void
  remove(topic: string): void
  /** Ask every connected peer on this log's topic for its heads, and pull what we lack. */
  syncNow(topic: string): Promise<void>
  /** Work done since start (counts only), for benchmarks and diagnostics. */
  readonly counters: SyncCounters
}

class DefaultGroupSync implements GroupSync, SyncContext {
  readonly [Symbol.toStringTag] = '@berty/group-sync'
  readonly logger: Logger
  readonly verifier: Pick<VerifyPool, 'verifyMany'>
  readonly logs = new Map<string, Registered>()
  readonly counters = newCounters()
  private running = false
  private timer: ReturnType<typeof setInterval> | undefined
  private readonly antiEntropyMs: number
  private readonly live: LiveGossip
  private readonly heads: HeadsExchange
  private readonly puller: Puller
  private readonly server: SyncServer

  constructor(
    readonly components: GroupSyncComponents,
    init: GroupSyncInit
  ) {
    this.logger = init.log ?? (() => {})
    this.antiEntropyMs = init.antiEntropyMs ?? 30_000
    // A pool without threads verifies on the calling thread.
    this.verifier = init.verifyPool ?? new VerifyPool(0)
    this.live = new LiveGossip(this)
    this.heads = new HeadsExchange(this, init.settleMs ?? SETTLE_QUIET_MS)
    this.puller = new Puller(this)
    this.server = new SyncServer(this)
  }

  get started(): boolean {
    return this.running
  }

  async start(): Promise<void> {
    if (this.running) return
    this.running = true
    await this.components.registrar.handle(
      LOG_SYNC_PROTOCOL,
      (stream, connection) => {
        void this.server.serve(stream, connection.remotePeer).catch((err: unknown) => {
          this.logger('debug', 'sync: inbound stream failed', { error: String(err) })
          stream.abort(err instanceof Error ? err : new Error(String(err)))
        })
      },
      // Over a friend's relay too (a limited connection): members behind NATs that cannot punch
      // through still sync; the relay's byte and time limits bound what it carries.
      { maxInboundStreams: 64, runOnLimitedConnection: true }
    )
    const { pubsub } = this.components
    pubsub.addEventListener('gossipsub:message', this.live.onGossip)
    pubsub.addEventListener('subscription-change', this.heads.onSubscriptionChange)
    if (this.antiEntropyMs > 0) {
      this.timer = setInterval(() => this.heads.antiEntropy(), this.antiEntropyMs)
      this.timer.unref?.()
    }
  }

  async stop(): Promise<void> {
    if (!this.running) return
    this.running = false
    clearInterval(this.timer)
    this.heads.stop()
    const { pubsub } = this.components
    pubsub.removeEventListener('gossipsub:message', this.live.onGossip)
    pubsub.removeEventListener('subscription-change', this.heads.onSubscriptionChange)
    for (const topic of this.logs.keys()) this.detach(topic)
    await this.components.registrar.unhandle(LOG_SYNC_PROTOCOL)
    await Promise.allSettled([...this.logs.values()].flatMap((r) => [...r.fetching.values(), ...(r.announcing ? [r.announcing] : [])]))
  }

  add(entry: ReplicatedLog): void {
    if (this.logs.has(entry.topic)) throw new Error('log already replicated')
    const reg: Registered = { ...entry, serial: new Serial(), rejected: new BoundedSet(MAX_REJECTED_REMEMBERED), fetching: new Map(), announceAgain: false, announceSources: new Set(), exchangedAt: new Map(), settle: { dueAt: 0, lastAt: 0 }, ended: new AbortController() }
    this.logs.set(entry.topic, reg)
    const { pubsub } = this.components
    pubsub.topicValidators.set(entry.topic, (_peer, msg) => this.live.validate(reg, msg.data))
    pubsub.subscribe(entry.topic)
    for (const peer of pubsub.getSubscribers(entry.topic)) this.heads.met(reg, peer)
  }

  remove(topic: string): void {
    this.detach(topic)
    this.logs.delete(topic)
  }

  private detach(topic: string): void {
    const reg = this.logs.get(topic)
    if (reg) {
      clearTimeout(reg.settle.timer)
      reg.ended.abort()
    }
    this.components.pubsub.topicValidators.delete(topic)
    try {
      this.components.pubsub.unsubscribe(topic)
    } catch {
      // pubsub already stopped
    }
  }

  async appendAndPublish(topic: string, sealed: Uint8Array): Promise<{ entry: BertyLogEntry; recipients: number }> {
    const reg = this.mustGet(topic)
    const { entry, bytes } = await reg.serial.run(async () => {
      // Indexed in the append's own transaction (SQLite storages): one commit per send.
      let indexed: void | Promise<void> = undefined
      const appended = await reg.log.append(sealed, (e) => {
        indexed = reg.onEntries([e], 'local')
      })
      if (reg.hints) reg.hints.stale++
      await indexed
      return appended
    })
    this.counters.gossipEntriesOut++
    this.heads.activity(reg)
    return { entry, recipients: await this.live.publish(topic, bytes) }
  }

  async appendManyAndPublish(topic: string, sealed: readonly Uint8Array[]): Promise<{ entries: BertyLogEntry[]; recipients: number }> {
    const reg = this.mustGet(topic)
    if (sealed.length === 0) return { entries: [], recipients: 0 }
    const appended = await reg.serial.run(async () => {
      let indexed: void | Promise<void> = undefined
      const out = await reg.log.appendMany(sealed, (entries) => {
        indexed = reg.onEntries(entries, 'local')
      })
      if (reg.hints) reg.hints.stale += out.length
      await indexed
      return out
    })
    let recipients = 0
    this.counters.gossipEntriesOut += appended.length
    this.heads.activity(reg)
    for (const msg of gossipMessages(appended.map((a) => a.bytes))) recipients = Math.max(recipients, await this.live.publish(topic, msg))
    return { entries: appended.map((a) => a.entry), recipients }
  }

  async syncNow(topic: string): Promise<void> {
    await this.heads.withAll(this.mustGet(topic))
  }

  // ---- SyncContext: what the parts call on each other ---------------------------------

  active(reg: Registered): boolean {
    return this.running && this.logs.get(reg.topic) === reg
  }

  /**
   * A sync stream over an existing connection. Replication never dials: who is connected is
   * the network layer's choice (a partition stays a partition, a line stays a line), and a
   * peer that relayed an entry may be gone by the time we ask it for the ancestry.
   */
  async openStream(peer: PeerId): Promise<Stream> {
    const open = this.components.connections.getConnections(peer).filter((c) => c.status === 'open')
    // Like dialProtocol: prefer a connection without relay limits.
    const conn = open.find((c) => c.limits === undefined) ?? open[0]
    if (!conn) throw new SyncError('ERR_NOT_CONNECTED', 'peer is not connected')
    return conn.newStream(LOG_SYNC_PROTOCOL, { signal: AbortSignal.timeout(READ_TIMEOUT_MS), runOnLimitedConnection: true })
  }

  async join(reg: Registered, blocks: Staged): Promise<number> {
    return reg.serial.run(async () => {
      // joinVerified skips what the log holds and returns only the entries new to it.
      const { onJoin } = reg
      let undo: (() => void) | undefined
      let added: BertyLogEntry[]
      try {
        added = await reg.log.joinVerified(
          blocks,
          onJoin &&
            ((entries) => {
              entries.sort(compareEntries)
              undo = onJoin(entries)
            })
        )
      } catch (err) {
        undo?.()
        throw err
      }
      if (added.length === 0) return 0
      this.counters.joins++
      this.counters.joined += added.length
      if (reg.hints) reg.hints.stale += added.length
      if (!onJoin) {
        added.sort(compareEntries)
        await reg.onEntries(added, 'remote')
      }
      this.live.nudge(reg)
      return added.length
    })
  }

  remember(reg: Registered, hash: string): void {
    reg.rejected.add(hash)
  }

  pull(reg: Registered, peer: PeerId, wants: string[], announce = false): Promise<void> {
    return this.puller.pull(reg, peer, wants, announce)
  }

  pullIfMissing(reg: Registered, peer: PeerId, heads: string[], announce = true): Promise<void> {
    return this.puller.pullIfMissing(reg, peer, heads, announce)
  }

  announce(reg: Registered, source: PeerId): void {
    this.heads.announce(reg, source)
  }

  activity(reg: Registered): void {
    this.heads.activity(reg)
  }

  gapGraceMs(): number {
    return this.live.gapGraceMs()
  }

  exchanged(reg: Registered, peer: PeerId): void {
    this.heads.exchanged(reg, peer)
  }

  pullFailed(reg: Registered, peer: PeerId, err: unknown): void {
    this.heads.pullFailed(reg, peer, err)
  }

  private mustGet(topic: string): Registered {
    const reg = this.logs.get(topic)
    if (!reg) throw new SyncError('ERR_UNKNOWN_LOG', 'log is not replicated here')
    return reg
  }
}

/** The service factory: `groupSync(init)(components)`. */
export function groupSync(init: GroupSyncInit = {}): (components: GroupSyncComponents) => GroupSync {
  return (components) => new DefaultGroupSync(components, init)
}

/** The components of a running libp2p node that has gossipsub as `services.pubsub`. */
export function syncComponentsOf(libp2p: {
  services: { pubsub: unknown }
  handle: GroupSyncComponents['registrar']['handle']
  unhandle: GroupSyncComponents['registrar']['unhandle']
  getConnections: GroupSyncComponents['connections']['getConnections']
  peerId: PeerId
}): GroupSyncComponents {
  return {
    peerId: libp2p.peerId,
    pubsub: libp2p.services.pubsub as GroupSyncComponents['pubsub'],
    registrar: { handle: (p, h, o) => libp2p.handle(p, h, o), unhandle: (p) => libp2p.unhandle(p) },
    connections: { getConnections: (peer) => libp2p.getConnections(peer) }
  }
}
