/**
 * One discovery driver interface, several drivers behind it: weshnet's "tinder" (`berty/weshnet`
 * `pkg/tinder/driver.go` IDriver: Advertise / FindPeers / Subscribe / Unregister / Name).
 *
 * A namespace is an opaque string: in Berty it is `base64-std(rendezvous point)` (PROTOCOL.md
 * "Rendezvous point"), so no driver ever sees a group key or an account key, only a rotating point.
 *
 * Claims: every call takes an AbortSignal; `status()` is cheap and never throws (the Network panel polls it).
 * Disclaims: drivers find candidates, nothing more. A found peer is not authenticated as a group member;
 * the group protocol does that once connected.
 */
import type { PeerInfo, StreamHandler, StreamHandlerOptions } from '@libp2p/interface'

export interface DriverStatus {
  /** Stable driver name shown in the Network panel: 'mdns', 'localrecord', 'dht', 'rendezvous'. */
  name: string
  running: boolean
  /** Namespaces this driver currently advertises. */
  advertising: number
  /** Total distinct (namespace, peer) finds since start. */
  found: number
  /** Unix ms and peer id of the last find. */
  lastFoundAt?: number
  lastFoundPeer?: string
  /** Unix ms and message of the last failure (advertise, find, or a refused inbound frame). */
  lastErrorAt?: number
  lastError?: string
  /** Driver-specific figures (e.g. registrations held by a rendezvous server). */
  detail?: Record<string, number | string>
}

export interface DiscoveryDriver {
  readonly name: string
  start?(): Promise<void> | void
  stop?(): Promise<void> | void
  /**
   * Makes this node findable under `namespace` for about `ttlMs`. Resolves with the TTL the driver
   * actually granted (a server may cap it); the manager re-advertises before it runs out.
   */
  advertise(namespace: string, ttlMs: number, signal: AbortSignal): Promise<number>
  /** Ends an advertisement early where the driver can (rendezvous UNREGISTER); otherwise it just expires. */
  unadvertise?(namespace: string, signal: AbortSignal): Promise<void>
  /** One lookup: yields what the driver knows or learns now, then ends. The manager repeats it with backoff. */
  find(namespace: string, signal: AbortSignal): AsyncIterable<PeerInfo>
  /** Peers may have come or gone (a network change, a resume from sleep, the last peer lost): look again now. */
  wake?(): void
  status(): DriverStatus
}

/** Shared bookkeeping behind each driver's `status()`. */
export class StatusTracker {
  running = false
  private found = 0
  private lastFoundAt?: number
  private lastFoundPeer?: string
  private lastErrorAt?: number
  private lastError?: string

  constructor(readonly name: string) {}

  foundPeer(peer: PeerInfo): void {
    this.found++
    this.lastFoundAt = Date.now()
    this.lastFoundPeer = peer.id.toString()
  }

  error(err: unknown): void {
    this.lastErrorAt = Date.now()
    this.lastError = errorText(err)
  }

  snapshot(advertising: number, detail?: Record<string, number | string>): DriverStatus {
    return {
      name: this.name,
      running: this.running,
      advertising,
      found: this.found,
      ...(this.lastFoundAt != null ? { lastFoundAt: this.lastFoundAt, lastFoundPeer: this.lastFoundPeer } : {}),
      ...(this.lastErrorAt != null ? { lastErrorAt: this.lastErrorAt, lastError: this.lastError } : {}),
      ...(detail != null ? { detail } : {})
    }
  }
}

/** One line, bounded, for logs and the panel: never a stack, never a payload. */
export function errorText(err: unknown): string {
  const e = err as { name?: string; code?: string; message?: string }
  const text = `${e?.name ?? 'Error'}${e?.code != null ? ` ${e.code}` : ''}: ${e?.message ?? String(err)}`
  return text.length > 200 ? `${text.slice(0, 197)}...` : text
}

/** The slice of libp2p's registrar that protocol-serving drivers use. */
export interface ProtocolRegistrar {
  handle(protocol: string, handler: StreamHandler, options?: StreamHandlerOptions): Promise<void>
  unhandle(protocol: string): Promise<void>
}
