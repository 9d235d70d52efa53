/**
 * Dials peers that discovery found, with per-peer exponential backoff (weshnet's tinder keeps a
 * backoff per peer too: `pkg/tinder/peer_cache.go`). A peer already connected is not dialled; a peer
 * that keeps failing is retried at most every `maxMs`; the table is bounded (oldest entry evicted).
 */
import type { AbortOptions, Connection, PeerId, PeerInfo, PeerStore } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { SingleFlight } from '../../single-flight'

/** The slice of libp2p's connection manager the discovery service uses. */
export interface DialingConnectionManager {
  openConnection(peer: PeerId | Multiaddr | Multiaddr[], options?: AbortOptions): Promise<Connection>
  getConnections(peerId?: PeerId): Connection[]
}

export interface BackoffOptions {
  /** First retry delay. Default 1 s. */
  minMs: number
  /** Longest retry delay. Default 5 min. */
  maxMs: number
}

export const DEFAULT_BACKOFF: BackoffOptions = { minMs: 1_000, maxMs: 5 * 60_000 }

/** Peer-store tag on dialled discovered peers. */
export const DISCOVERED_TAG = 'berty-discovered'

/** Most peers whose backoff state is remembered. */
const MAX_TRACKED = 1_000
/** Most addresses accepted for one found peer (a hostile driver source must not flood the peer store). */
export const MAX_ADDRS_PER_PEER = 16

interface Attempt {
  failures: number
  notBefore: number
  /** The addresses that failed: new ones (a relay reservation, a new interface) skip the backoff. */
  addrs: string
}

export function addrSignature(peer: PeerInfo): string {
  return peer.multiaddrs.map((a) => a.toString()).sort().join(' ')
}

export type DialOutcome = 'connected' | 'already-connected' | 'backoff' | 'self' | 'failed'

export class PeerDialer {
  private readonly attempts = new Map<string, Attempt>()
  private readonly inFlight = new SingleFlight<string, DialOutcome>()

  constructor(
    private readonly self: PeerId,
    private readonly peerStore: Pick<PeerStore, 'merge'>,
    private readonly connections: DialingConnectionManager,
    private readonly backoff: BackoffOptions = DEFAULT_BACKOFF,
    private readonly now: () => number = Date.now
  ) {}

  /** Dials `peer` unless connected, in backoff, or already being dialled (then shares that dial). */
  async dial(peer: PeerInfo, signal: AbortSignal): Promise<DialOutcome> {
    if (peer.id.equals(this.self)) return 'self'
    const key = peer.id.toString()
    if (this.connections.getConnections(peer.id).length > 0) {
      this.attempts.delete(key)
      return 'already-connected'
    }
    const pending = this.inFlight.running(key)
    if (pending != null) return pending
    const attempt = this.attempts.get(key)
    if (attempt != null && attempt.notBefore > this.now() && attempt.addrs === addrSignature(peer)) return 'backoff'

    return this.inFlight.run(key, () => this.run(peer, key, signal))
  }

  /** Forgets every backoff: after a network change, every peer deserves a fresh try. */
  reset(): void {
    this.attempts.clear()
  }

  private async run(peer: PeerInfo, key: string, signal: AbortSignal): Promise<DialOutcome> {
    const addrs = peer.multiaddrs.slice(0, MAX_ADDRS_PER_PEER)
    try {
      // The tag makes libp2p's connection pruner keep peers we looked for over incidental ones (DHT
      // traffic, relay clients) when the connection cap is reached; it expires on its own.
      await this.peerStore.merge(peer.id, { multiaddrs: addrs, tags: { [DISCOVERED_TAG]: { value: 50, ttl: 2 * 3600_000 } } })
      // First contact over anything but WebRTC when there is another way: a relayed connection opens
      // in one round trip, while ICE may need seconds or fail (symmetric NATs) and held the first
      // message for up to the dial timeout. The path upgrade (core/net/path-upgrade.ts) tries WebRTC next.
      const quick = addrs.filter((a) => !a.getComponents().some((c) => c.name === 'webrtc'))
      const id = peer.id.toString()
      const target = quick.length > 0 && quick.length < addrs.length
        ? quick.map((a) => (a.getComponents().findLast((c) => c.name === 'p2p')?.value === id ? a : a.encapsulate(`/p2p/${id}`)))
        : peer.id
      await this.connections.openConnection(target, { signal })
      this.attempts.delete(key)
      return 'connected'
    } catch (err) {
      if (signal.aborted) throw err
      const failures = (this.attempts.get(key)?.failures ?? 0) + 1
      const delay = Math.min(this.backoff.maxMs, this.backoff.minMs * 2 ** Math.min(failures - 1, 20))
      // ±20% jitter so peers that lost the same network do not all redial in step.
      const jitter = delay * (0.8 + Math.random() * 0.4)
      this.attempts.delete(key)
      this.attempts.set(key, { failures, notBefore: this.now() + jitter, addrs: addrSignature(peer) })
      if (this.attempts.size > MAX_TRACKED) {
        const oldest = this.attempts.keys().next().value
        if (oldest != null) this.attempts.delete(oldest)
      }
      return 'failed'
    }
  }
}
