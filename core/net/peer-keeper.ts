/**
 * Keeps a set of named peers dialled: the user's bootstrap peers, the replication servers of our
 * groups. Each peer not connected is dialled, and dialled again after a wait while dials fail
 * (KEEP_WAIT_MIN_MS, doubling up to KEEP_WAIT_MAX_MS; reset once connected); the set is read again at
 * every check, so peers may come and go.
 *
 * Why not libp2p's reconnect queue alone: it redials a keep-alive peer five times (≈ 30 s) and then
 * drops its tag for good, and it knows only peers connected before. A peer that is down when the node
 * starts (a home server restarting, a laptop opening the app before its network is up) was never
 * dialled again: a member whose only way to its group was a replication server stayed without it
 * until its next start.
 *
 * Claims: at most one dial in flight per peer, each with a deadline; nothing runs after `stop` (until
 * `start` again).
 * Disclaims: a peer is matched by peer id, so an address without `/p2p/<id>` cannot be kept.
 */
import type { Multiaddr } from '@multiformats/multiaddr'
import type { Logger } from '../log'
import { deadline } from './deadline'

export interface KeptPeer {
  peerId: string
  addr: Multiaddr
}

export interface PeerKeeperOptions {
  /** The peers to keep, read at every check. */
  targets: () => KeptPeer[]
  dial: (addr: Multiaddr, signal: AbortSignal) => Promise<unknown>
  /** Whether this node holds a connection to the peer now. */
  connected: (peerId: string) => boolean
  /** What the log lines call these peers ('a replication server', 'a bootstrap peer'). */
  what: string
  log?: Logger
  now?: () => number
  checkMs?: number
  minWaitMs?: number
  maxWaitMs?: number
  dialTimeoutMs?: number
}

/** How often the peers are looked at: one not connected is dialled once its wait is over. */
export const KEEP_CHECK_MS = 2_000
/** The wait after a failed dial, doubled at each failure up to KEEP_WAIT_MAX_MS. */
export const KEEP_WAIT_MIN_MS = 2_000
export const KEEP_WAIT_MAX_MS = 60_000
const DIAL_TIMEOUT_MS = 15_000

export class PeerKeeper {
  /** Per peer not reachable: when to dial it next, and the wait that came before. */
  private readonly retry = new Map<string, { at: number; waitMs: number }>()
  private readonly dialling = new Set<string>()
  private stopping = new AbortController()
  private timer: ReturnType<typeof setInterval> | undefined
  private readonly now: () => number

  constructor(private readonly o: PeerKeeperOptions) {
    this.now = o.now ?? Date.now
  }

  /** Starts checking; a stopped keeper starts again (libp2p's node may be stopped and started). */
  start(): void {
    if (this.timer !== undefined) return
    if (this.stopping.signal.aborted) this.stopping = new AbortController()
    this.check()
    this.timer = setInterval(() => this.check(), this.o.checkMs ?? KEEP_CHECK_MS)
    this.timer.unref?.()
  }

  stop(): void {
    clearInterval(this.timer)
    this.timer = undefined
    this.stopping.abort()
    this.retry.clear()
  }

  /** Dials each peer that is not connected and whose wait is over. */
  check(): void {
    if (this.stopping.signal.aborted) return
    let targets: KeptPeer[]
    try {
      targets = this.o.targets()
    } catch (err) {
      this.o.log?.('debug', 'peer keeper: the peers to keep were not read', { what: this.o.what, error: String(err) })
      return
    }
    const now = this.now()
    const seen = new Set<string>()
    for (const { peerId, addr } of targets) {
      if (seen.has(peerId)) continue
      seen.add(peerId)
      if (this.dialling.has(peerId)) continue
      if (this.o.connected(peerId)) {
        this.retry.delete(peerId)
        continue
      }
      const before = this.retry.get(peerId)
      if (before && now < before.at) continue
      this.dialling.add(peerId)
      const signal = deadline(this.o.dialTimeoutMs ?? DIAL_TIMEOUT_MS, this.stopping.signal)
      void this.o
        .dial(addr, signal)
        .then(
          () => this.retry.delete(peerId),
          (err: unknown) => {
            const min = this.o.minWaitMs ?? KEEP_WAIT_MIN_MS
            const waitMs = Math.min(this.o.maxWaitMs ?? KEEP_WAIT_MAX_MS, before ? before.waitMs * 2 : min)
            this.retry.set(peerId, { at: this.now() + waitMs, waitMs })
            this.o.log?.('debug', 'peer keeper: not reachable now', { what: this.o.what, peer: peerId, retryInMs: waitMs, error: String(err) })
          }
        )
        .finally(() => {
          signal.clear()
          this.dialling.delete(peerId)
        })
    }
  }
}
