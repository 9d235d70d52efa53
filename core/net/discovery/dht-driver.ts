/**
 * DHT driver: provide / find providers of the rendezvous key, exactly as go-libp2p's routing discovery
 * (`p2p/discovery/routing/routing.go` nsToCid: `cid.NewCidV1(cid.Raw, mh.Sum([]byte(ns), mh.SHA2_256, -1))`),
 * which weshnet wraps as its DHT tinder driver (`pkg/tinder/driver_discovery.go`). It runs over the
 * node's content routing, i.e. the kad-dht composed in core/net/libp2p.ts under the private protocol id
 * (a closed network: our own nodes form the DHT, seeded by the configured bootstrap peers).
 *
 * Claims: TTL capped at 3 h as go-libp2p's RoutingDiscovery.Advertise; lookups bounded in count.
 * Disclaims: DHT peers on the lookup path learn the (opaque, rotating) key and who provides it.
 */
import type { PeerInfo } from '@libp2p/interface'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import type { DiscoveryComponents, DriverFactory } from './discovery'
import { StatusTracker, type DiscoveryDriver, type DriverStatus } from './driver'

export interface DhtDriverInit {
  /** Most providers taken from one lookup. Default 50. */
  maxProviders?: number
}

/** go-libp2p routing.go: `if ttl == 0 || ttl > 3*time.Hour { ttl = 3 * time.Hour }`. */
export const DHT_MAX_TTL_MS = 3 * 3600_000

type RoutingCid = Parameters<DiscoveryComponents['contentRouting']['provide']>[0]

/** `CIDv1(raw, sha256(namespace))` — the DHT key of a namespace. */
export async function namespaceCid(namespace: string): Promise<CID> {
  return CID.createV1(raw.code, await sha256.digest(new TextEncoder().encode(namespace)))
}

class DhtDriver implements DiscoveryDriver {
  readonly name = 'dht'
  private readonly tracker = new StatusTracker('dht')
  private readonly advertising = new Set<string>()
  /** Provide calls made since creation (the Network panel's proof that a stopped driver stays quiet). */
  private provides = 0

  constructor(private readonly components: DiscoveryComponents, private readonly init: DhtDriverInit) {}

  start(): void {
    this.tracker.running = true
  }

  stop(): void {
    this.tracker.running = false
    this.advertising.clear()
  }

  async advertise(namespace: string, ttlMs: number, signal: AbortSignal): Promise<number> {
    if (!this.tracker.running) throw new Error('dht driver is stopped')
    const cid = (await namespaceCid(namespace)) as unknown as RoutingCid
    try {
      this.provides++
      await this.components.contentRouting.provide(cid, { signal })
    } catch (err) {
      this.tracker.error(err)
      throw err
    }
    this.advertising.add(namespace)
    return Math.min(ttlMs, DHT_MAX_TTL_MS)
  }

  async unadvertise(namespace: string): Promise<void> {
    // Provider records cannot be withdrawn from other nodes; they expire. We only stop refreshing.
    this.advertising.delete(namespace)
  }

  async *find(namespace: string, signal: AbortSignal): AsyncIterable<PeerInfo> {
    const cid = (await namespaceCid(namespace)) as unknown as RoutingCid
    const max = this.init.maxProviders ?? 50
    let n = 0
    try {
      for await (const provider of this.components.contentRouting.findProviders(cid, { signal })) {
        const info: PeerInfo = { id: provider.id, multiaddrs: provider.multiaddrs }
        this.tracker.foundPeer(info)
        yield info
        if (++n >= max) return
      }
    } catch (err) {
      if (!signal.aborted) this.tracker.error(err)
      throw err
    }
  }

  status(): DriverStatus {
    return this.tracker.snapshot(this.advertising.size, { provides: this.provides })
  }
}

export function dhtDriver(init: DhtDriverInit = {}): DriverFactory {
  return (components) => new DhtDriver(components, init)
}
