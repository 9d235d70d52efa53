/** What the parts of group replication share: the components they use and the per-log record. */
import type { Connection, PeerId, Stream, StreamHandler, StreamHandlerOptions } from '@libp2p/interface'
import type { Logger } from '../../log'
import type { BoundedSet } from '../../bounded-set'
import type { BertyLogEntry, GroupLog } from '../group-log'
import type { VerifyPool } from '../verify-pool'

export interface ReplicatedLog {
  log: GroupLog
  /** Gossipsub topic and sync key: derived from the link key (naming.ts topicFor). */
  topic: string
  /** New entries, in Lamport order, after they joined the log. */
  onEntries(entries: BertyLogEntry[], source: 'local' | 'remote'): void | Promise<void>
  /**
   * Received entries, in Lamport order, inside their join's transaction (SQLite storages), in place of
   * `onEntries`: what it writes commits with the entries, or neither does, so a crash leaves both or
   * neither (the metadata log: a chain key in the log always has its receiver chain stored). It must
   * be synchronous. It returns how to undo what it did in memory, called when the join does not
   * commit (a write in it failed, or the commit did), so that the entries, joined again later, apply.
   */
  onJoin?(entries: BertyLogEntry[]): () => void
  onProgress?(p: { received: number; done: boolean }): void
  /** Entries a peer fetched from this node (it holds them now). */
  onServed?(hashes: string[]): void
  /**
   * A pull into this log while it is empty (a newcomer's catch-up) starts once this resolves
   * (catchup-gate.ts); `ended` aborts when the log is no longer replicated.
   */
  beforeCatchUp?(ended: AbortSignal): Promise<void>
}

/** The part of gossipsub replication uses. */
export interface SyncPubSub {
  subscribe(topic: string): void
  unsubscribe(topic: string): void
  publish(topic: string, data: Uint8Array): Promise<unknown>
  getSubscribers(topic: string): PeerId[]
  /** Peers speaking gossipsub with us, on any topic. */
  getPeers(): PeerId[]
  topicValidators: Map<string, (peer: PeerId, msg: { data: Uint8Array; topic: string }) => Promise<string> | string>
  addEventListener(type: string, fn: (evt: CustomEvent) => void): void
  removeEventListener(type: string, fn: (evt: CustomEvent) => void): void
}

/** The narrow components of the service (js-libp2p service shape): gossip, stream handling, connections. */
export interface GroupSyncComponents {
  pubsub: SyncPubSub
  registrar: {
    handle(protocol: string, handler: StreamHandler, options?: StreamHandlerOptions): Promise<void>
    unhandle(protocol: string): Promise<void>
  }
  connections: { getConnections(peer?: PeerId): Connection[] }
  /** This node's peer id: of two peers that meet on a topic, the lower id starts the heads exchange. */
  peerId: PeerId
}

export interface GroupSyncInit {
  /** Verifies received entries' signatures off the main thread; inline when absent. */
  verifyPool?: VerifyPool
  log?: Logger
  /** Ask connected topic peers for their heads this often (anti-entropy); 0 disables. */
  antiEntropyMs?: number
  /**
   * Once a log has been quiet this long after gossip activity (an append or received entries),
   * swap heads with its topic peers once: what gossip did not carry to everyone is found then,
   * not at the next anti-entropy round. 0 disables. Default SETTLE_QUIET_MS.
   */
  settleMs?: number
}

/** A serial queue per log: joins must not interleave. */
export class Serial {
  private tail: Promise<unknown> = Promise.resolve()
  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn)
    this.tail = next.catch(() => undefined)
    return next
  }
}

export interface Registered extends ReplicatedLog {
  serial: Serial
  /** Hashes rejected here (or descending from rejected ones): never pulled or joined again. */
  rejected: BoundedSet<string>
  fetching: Map<string, Promise<void>>
  /**
   * A pull that may be this log's first catch-up (the whole backlog) is running: pulls from other
   * peers wait for it, then ask for what is still missing (pull.ts `pull`).
   */
  firstCatchUp?: Promise<void>
  /** The log holds an entry another writer wrote: logs only grow, so once true, for good. */
  othersHeld?: boolean
  /** A heads announcement is running; `announceAgain` asks for one more round when it ends. */
  announcing?: Promise<void>
  announceAgain: boolean
  /** Peers the pulls to announce came from, since the last announcement round began. */
  announceSources: Set<string>
  /** The last skip-list of `haveHints`, and how many entries joined the log since. */
  hints?: { list: string[]; stale: number }
  /** When a heads exchange with a peer (either side asking) last completed, by peer id; bounded. */
  exchangedAt: Map<string, number>
  /** The settle exchange after gossip activity: its timer, when it is due, and when the last one ran. */
  settle: { timer?: ReturnType<typeof setTimeout>; dueAt: number; lastAt: number }
  /** Aborted when the log stops being replicated here (removed, or the service stopped). */
  ended: AbortController
}

export type Staged = Map<string, { entry: BertyLogEntry; bytes: Uint8Array }>

/** Work done, for benchmarks and diagnostics (counts only). */
export interface SyncCounters {
  /** Gossip messages received (after validation) and entries they carried. */
  gossipIn: number
  gossipEntriesIn: number
  /** Gossip messages published and entries they carried. */
  gossipOut: number
  gossipEntriesOut: number
  /** Heads exchanges started here, and answered here. */
  headsOut: number
  headsIn: number
  /** Exchanges left to the other peer (it started one first), and settle rounds run. */
  headsSkipped: number
  settles: number
  /** Pulls (fetch rounds) started here, and fetches served here. */
  pulls: number
  served: number
  /** Entries received by pulls, and how many of them this node already held. */
  pulledEntries: number
  pulledKnown: number
  /** Entries a responder did not send because the asker's version vector showed them held. */
  prunedByClock: number
  /** Batch joins into a log, and entries they added. */
  joins: number
  joined: number
}

export function newCounters(): SyncCounters {
  return { gossipIn: 0, gossipEntriesIn: 0, gossipOut: 0, gossipEntriesOut: 0, headsOut: 0, headsIn: 0, headsSkipped: 0, settles: 0, pulls: 0, served: 0, pulledEntries: 0, pulledKnown: 0, prunedByClock: 0, joins: 0, joined: 0 }
}

/** What every part calls on the others; built by the service (index.ts). */
export interface SyncContext {
  readonly counters: SyncCounters
  readonly components: GroupSyncComponents
  readonly logger: Logger
  readonly verifier: Pick<VerifyPool, 'verifyMany'>
  get started(): boolean
  logs: Map<string, Registered>
  /** Still replicated here: not stopped, not removed. */
  active(reg: Registered): boolean
  openStream(peer: PeerId): Promise<Stream>
  /** Joins verified blocks whose ancestry is present; returns how many were added. */
  join(reg: Registered, blocks: Staged): Promise<number>
  remember(reg: Registered, hash: string): void
  /** `announce`: offer the new heads to topic peers afterwards (pull.ts). */
  pull(reg: Registered, peer: PeerId, wants: string[], announce?: boolean): Promise<void>
  pullIfMissing(reg: Registered, peer: PeerId, heads: string[], announce?: boolean): Promise<void>
  /** Offer new heads pulled from `source` to the other topic peers (heads.ts). */
  announce(reg: Registered, source: PeerId): void
  /** How long an entry missing its ancestry waits for it by gossip now (live.ts). */
  gapGraceMs(): number
  /** Gossip activity on this log (an append, received entries): arms the settle exchange. */
  activity(reg: Registered): void
  /** A heads exchange with `peer` completed (asked or answered). */
  exchanged(reg: Registered, peer: PeerId): void
  /** A pull from `peer` failed: if it was the network, the exchange is tried again soon (heads.ts). */
  pullFailed(reg: Registered, peer: PeerId, err: unknown): void
}
