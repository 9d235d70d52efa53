/**
 * Rendezvous client driver: registers and discovers on configured rendezvous servers (ours with
 * `--serve-rendezvous`, or Berty's Go servers) over `/rendezvous/1.0.0`, as weshnet's
 * `pkg/tinder/driver_rdvp.go` does with berty/go-libp2p-rendezvous client.go: one stream per operation,
 * REGISTER with our addresses (no `/p2p/<self>` suffix, at most 2048 bytes in all), DISCOVER with the
 * server's cookie so each poll returns only new registrations, and a cache of live ones.
 *
 * Claims: responses are size-capped (frame and registration count), every operation has a deadline,
 * registrations are validated (peer id, multiaddrs, TTL) and their count per namespace is bounded.
 * Disclaims: the server learns our peer id, addresses and the (rotating, opaque) namespaces we use.
 */
import type { PeerInfo, Stream } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { lpStream } from '@libp2p/utils'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { base58btc } from 'multiformats/bases/base58'
import type { Logger } from '../../log'
import { peerIdOf } from '../libp2p'
import type { DiscoveryComponents, DriverFactory } from './discovery'
import { StatusTracker, type DiscoveryDriver, type DriverStatus } from './driver'
import { rendezvous } from './proto/rendezvous'
import { RENDEZVOUS_PROTOCOL } from './rendezvous-server'
import { InmemSubscriber } from './rendezvous-subscribe'
import { deadline } from '../deadline'

const Type = rendezvous.Message.MessageType
const Status = rendezvous.Message.ResponseStatus

export interface RendezvousDriverInit {
  /** Rendezvous servers, each a multiaddr ending in `/p2p/<id>`. */
  servers: string[]
  /** Registrations asked per discover (server caps at 1000). Default 100. */
  limit?: number
  /** Largest response frame. Default 1 MiB. */
  maxResponseBytes?: number
  /** Deadline per operation. Default 15 s. */
  timeoutMs?: number
  /** Ask servers to push new registrations (DISCOVER_SUBSCRIBE, "inmem"); polling continues regardless. Default true. */
  subscribe?: boolean
}

/** go-libp2p-rendezvous client.go refuses TTLs under 120 s; svc.go caps at 72 h. */
const MIN_TTL_SEC = 120
const MAX_TTL_SEC = 72 * 3600
const MAX_ADDR_BYTES = 2048
const MAX_CACHED_PER_NS = 1000
const MAX_CACHED_NS = 256
const MAX_ADDRS_PER_REG = 16

interface CachedPeer {
  info: PeerInfo
  expiresAt: number
}

interface NsCache {
  cookie?: Uint8Array
  peers: Map<string, CachedPeer>
}

export class RendezvousError extends Error {
  static readonly NAME = 'RendezvousError'
  override readonly name = RendezvousError.NAME
  constructor(readonly status: rendezvous.Message.ResponseStatus, text: string) {
    super(`rendezvous: ${text} (${rendezvous.Message.ResponseStatus[status] ?? status})`)
  }
}

class RendezvousDriver implements DiscoveryDriver {
  readonly name = 'rendezvous'
  private readonly tracker = new StatusTracker('rendezvous')
  private readonly servers: Multiaddr[]
  /** server index → ns → cache. */
  private readonly caches: Array<Map<string, NsCache>>
  private readonly advertising = new Set<string>()
  private subscribers: InmemSubscriber[] = []
  private stopped = new AbortController()

  constructor(private readonly components: DiscoveryComponents, private readonly init: RendezvousDriverInit, private readonly log: Logger, private readonly changed: () => void) {
    this.servers = init.servers.map((s) => {
      const ma = multiaddr(s)
      if (peerIdOf(ma) == null) throw new TypeError(`rendezvous server must end in /p2p/<id>: ${s}`)
      return ma
    })
    this.caches = this.servers.map(() => new Map())
  }

  start(): void {
    this.tracker.running = this.servers.length > 0
    this.stopped = new AbortController()
    this.subscribers = this.init.subscribe === false
      ? []
      : this.servers.map((server, i) => new InmemSubscriber(
        peerIdOf(server) as string,
        async (req, signal) => this.exchange(server, req, signal),
        async (signal) => this.components.connectionManager.openConnection(server, { signal }),
        (ns, info, expiresAt) => this.pushed(i, ns, info, expiresAt),
        this.log,
        this.stopped.signal
      ))
  }

  stop(): void {
    this.tracker.running = false
    this.advertising.clear()
    this.stopped.abort()
    for (const s of this.subscribers) s.close()
  }

  /** A registration pushed by a server we subscribed to: cache it and let watch loops look now. */
  private pushed(index: number, namespace: string, info: PeerInfo, expiresAt: number): void {
    if (info.id.equals(this.components.peerId)) return
    const cache = this.cacheFor(index, namespace)
    if (!cache.peers.has(info.id.toString()) && cache.peers.size >= MAX_CACHED_PER_NS) return
    cache.peers.set(info.id.toString(), { info, expiresAt })
    this.changed()
  }

  private cacheFor(index: number, namespace: string): NsCache {
    const caches = this.caches[index] as Map<string, NsCache>
    let cache = caches.get(namespace)
    if (cache == null) {
      if (caches.size >= MAX_CACHED_NS) caches.delete(caches.keys().next().value as string)
      cache = { peers: new Map() }
      caches.set(namespace, cache)
    }
    return cache
  }

  async advertise(namespace: string, ttlMs: number, signal: AbortSignal): Promise<number> {
    const ttl = BigInt(Math.min(MAX_TTL_SEC, Math.max(MIN_TTL_SEC, Math.round(ttlMs / 1000))))
    const addrs = this.ownAddrs()
    if (addrs.length === 0) throw new Error('rendezvous: no address to register')
    const results = await Promise.allSettled(this.servers.map(async (server) => {
      const res = await this.exchange(server, {
        type: Type.REGISTER,
        register: { ns: namespace, peer: { id: this.components.peerId.toMultihash().bytes, addrs }, ttl }
      }, signal)
      const r = res?.registerResponse
      if (res?.type !== Type.REGISTER_RESPONSE || r == null) throw new Error('rendezvous: unexpected response to REGISTER')
      if (r.status !== Status.OK) throw new RendezvousError(r.status, r.statusText.slice(0, 100))
      return Number(r.ttl)
    }))
    const granted = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
    for (const r of results) if (r.status === 'rejected') this.tracker.error(r.reason)
    if (granted.length === 0) throw (results[0] as PromiseRejectedResult | undefined)?.reason ?? new Error('rendezvous: no server')
    this.advertising.add(namespace)
    const ttlSec = Math.min(...granted.map((t) => (t > 0 ? t : Number(ttl))))
    return ttlSec * 1000
  }

  async unadvertise(namespace: string, signal: AbortSignal): Promise<void> {
    this.advertising.delete(namespace)
    await Promise.allSettled(this.servers.map(async (server) =>
      this.exchange(server, { type: Type.UNREGISTER, unregister: { ns: namespace, id: this.components.peerId.toMultihash().bytes } }, signal, false)))
  }

  async *find(namespace: string, signal: AbortSignal): AsyncIterable<PeerInfo> {
    for (const sub of this.subscribers) {
      const attempt = deadline(this.init.timeoutMs ?? 15_000, this.stopped.signal)
      void sub.ensure(namespace, attempt).finally(() => attempt.clear())
    }
    const results = await Promise.allSettled(this.servers.map(async (server, i) => this.discover(server, i, namespace, signal)))
    const now = Date.now()
    for (const r of results) if (r.status === 'rejected' && !signal.aborted) this.tracker.error(r.reason)
    for (const cache of this.caches) {
      for (const [key, p] of cache.get(namespace)?.peers ?? []) {
        if (p.expiresAt <= now) {
          cache.get(namespace)?.peers.delete(key)
          continue
        }
        this.tracker.foundPeer(p.info)
        yield p.info
      }
    }
  }

  status(): DriverStatus {
    return this.tracker.snapshot(this.advertising.size, { servers: this.servers.length })
  }

  private async discover(server: Multiaddr, index: number, namespace: string, signal: AbortSignal): Promise<void> {
    const caches = this.caches[index] as Map<string, NsCache>
    let cache = caches.get(namespace)
    const limit = Math.min(1000, Math.max(1, this.init.limit ?? 100))
    const res = await this.exchange(server, {
      type: Type.DISCOVER,
      discover: { ns: namespace, limit: BigInt(limit), cookie: cache?.cookie ?? new Uint8Array(0) }
    }, signal)
    const d = res?.discoverResponse
    if (res?.type !== Type.DISCOVER_RESPONSE || d == null) throw new Error('rendezvous: unexpected response to DISCOVER')
    if (d.status === Status.E_INVALID_COOKIE && cache != null) {
      // The server restarted (new nonce): start over without a cookie next time.
      delete cache.cookie
      throw new RendezvousError(d.status, 'cookie refused, restarting discovery')
    }
    if (d.status !== Status.OK) throw new RendezvousError(d.status, d.statusText.slice(0, 100))
    if (d.registrations.length > limit) throw new Error(`rendezvous: ${d.registrations.length} registrations, asked ${limit}`)
    cache = this.cacheFor(index, namespace)
    if (d.cookie.byteLength > 0 && d.cookie.byteLength <= 256) cache.cookie = d.cookie
    const now = Date.now()
    for (const reg of d.registrations) {
      const info = toPeerInfo(reg)
      if (info == null) {
        this.log('debug', 'rendezvous: skipped an invalid registration', { server: peerIdOf(server) })
        continue
      }
      const key = info.id.toString()
      if (!cache.peers.has(key) && cache.peers.size >= MAX_CACHED_PER_NS) continue
      const ttl = Math.min(MAX_TTL_SEC, Math.max(0, Number(reg.ttl)))
      cache.peers.set(key, { info, expiresAt: now + ttl * 1000 })
    }
  }

  /** One stream: write `req`, read one response (unless `expectReply` is false), close. */
  private async exchange(server: Multiaddr, req: rendezvous.Message, signal: AbortSignal, expectReply = true): Promise<rendezvous.Message | undefined> {
    const opSignal = deadline(this.init.timeoutMs ?? 15_000, signal)
    let stream: Stream | undefined
    try {
      const conn = await this.components.connectionManager.openConnection(server, { signal: opSignal })
      stream = await conn.newStream(RENDEZVOUS_PROTOCOL, { signal: opSignal })
      const lp = lpStream(stream, { maxDataLength: this.init.maxResponseBytes ?? 1024 * 1024 })
      await lp.write(rendezvous.Message.encode(req), { signal: opSignal })
      if (!expectReply) {
        // No answer to UNREGISTER: half-close and wait for the server to end the stream, which it does
        // only after handling every frame we sent (then a discover anywhere sees the change).
        await stream.close({ signal: opSignal })
        await lp.read({ signal: opSignal }).catch(() => {})
        return undefined
      }
      const frame = await lp.read({ signal: opSignal })
      const res = rendezvous.Message.decode(frame, {
        limits: { discoverResponse: { registrations: 1000, registrations$: { peer: { addrs: 64 } } } }
      })
      await stream.close({ signal: opSignal })
      return res
    } catch (err) {
      stream?.abort(err instanceof Error ? err : new Error(String(err)))
      throw err
    } finally {
      opSignal.clear()
    }
  }

  /** Our addresses without the trailing `/p2p/<self>`, largest first until 2048 bytes (svc.go MaxPeerAddressLength). */
  private ownAddrs(): Uint8Array[] {
    const out: Uint8Array[] = []
    let total = 0
    for (const a of this.components.addressManager.getAddresses()) {
      const bare = peerIdOf(a) === this.components.peerId.toString() ? a.decapsulateCode(421) : a
      const bytes = bare.bytes
      if (total + bytes.byteLength > MAX_ADDR_BYTES) continue
      total += bytes.byteLength
      out.push(bytes)
    }
    return out
  }
}

function toPeerInfo(reg: rendezvous.Message.Register): PeerInfo | undefined {
  const id = reg.peer?.id
  if (id == null || id.byteLength === 0 || id.byteLength > 128) return undefined
  let peerId
  try {
    peerId = peerIdFromString(base58btc.baseEncode(id))
  } catch {
    return undefined
  }
  const multiaddrs: Multiaddr[] = []
  for (const bytes of (reg.peer?.addrs ?? []).slice(0, MAX_ADDRS_PER_REG)) {
    try {
      multiaddrs.push(multiaddr(bytes))
    } catch {
      // go-libp2p-rendezvous pbToPeerInfo skips unparsable addresses too.
    }
  }
  return { id: peerId, multiaddrs }
}

export function rendezvousDriver(init: RendezvousDriverInit): DriverFactory {
  return (components, { log, changed }) => new RendezvousDriver(components, init, log, changed)
}

