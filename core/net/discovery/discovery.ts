/**
 * The discovery manager ("tinder", after weshnet `pkg/tinder/service.go`): fans advertise and find out to
 * every enabled driver, re-advertises before the granted TTL runs out (at 4/5 of it, as weshnet's
 * `service_advertises.go`), dedups found peers per namespace, and dials them with per-peer backoff.
 *
 * Service shape (STYLE.md, js-libp2p fetch): `discovery(init)` returns `(components) => Discovery`, with
 * narrow components. Drivers are factories too and get the same components plus the manager's logger.
 *
 * Claims: every loop ends on `stop()` or its caller's signal; a node that loses every peer keeps looking
 * (watch loops shrink their interval back to the minimum on the last disconnect and on `wake()`).
 * Disclaims: found peers are candidates; membership is proven by the group protocol after connecting.
 */
import { TypedEventEmitter, type ComponentLogger, type ContentRouting, type Libp2pEvents, type PeerId, type PeerInfo, type PeerStore, type Startable, type TypedEventTarget } from '@libp2p/interface'
import type { MulticastDNSComponents } from '@libp2p/mdns'
import { silentLogger, type Logger } from '../../log'
import { errorText, type DiscoveryDriver, type DriverStatus, type ProtocolRegistrar } from './driver'
import { addrSignature, DEFAULT_BACKOFF, PeerDialer, type BackoffOptions, type DialingConnectionManager } from './dialer'
import { merge } from './merge'
import { abortableSleep, interfaceSignature, Waker } from './wait'

/** Everything a driver may need from libp2p; each driver reads only its own slice. */
export interface DiscoveryComponents {
  peerId: PeerId
  peerStore: PeerStore
  connectionManager: DialingConnectionManager
  events: TypedEventTarget<Libp2pEvents>
  logger: ComponentLogger
  /** Full type because @libp2p/mdns takes it; our drivers only call getAddresses(). */
  addressManager: MulticastDNSComponents['addressManager']
  registrar: ProtocolRegistrar
  contentRouting: ContentRouting
}

export interface DriverContext {
  log: Logger
  /** A driver learnt something (e.g. an inbound local record): watch loops look again now. */
  changed(): void
}

export type DriverFactory = (components: DiscoveryComponents, context: DriverContext) => DiscoveryDriver

export interface DiscoveryInit {
  drivers: DriverFactory[]
  /** Structured logger (core/log.ts). Default silent. */
  log?: Logger
  /** Dial found peers. Default true. */
  dial?: boolean
  /** Per-peer dial backoff. */
  backoff?: Partial<BackoffOptions>
  /** Interval between repeated finds of a watched namespace: from `minMs`, doubling to `maxMs`. Default 2 s → 60 s. */
  findInterval?: Partial<BackoffOptions>
  /** Default advertise TTL. Default 2 h (go-libp2p-rendezvous DefaultTTL). */
  ttlMs?: number
  /** Most namespaces advertised or watched at once. Default 256. */
  maxNamespaces?: number
}

export interface FoundPeer {
  namespace: string
  driver: string
  peer: PeerInfo
}

export interface DiscoveryEvents {
  peer: CustomEvent<FoundPeer>
}

export interface DiscoveryStatus {
  drivers: DriverStatus[]
  advertised: number
  watched: number
}

export interface Discovery extends TypedEventTarget<DiscoveryEvents>, Startable {
  /** Advertises `namespace` on every driver until `stopAdvertising` or `signal`. Idempotent per namespace. */
  advertise(namespace: string, options?: { ttlMs?: number; signal?: AbortSignal }): void
  stopAdvertising(namespace: string): Promise<void>
  /** One fan-out lookup over every driver; yields each peer once (first driver to find it wins). */
  find(namespace: string, options?: { signal?: AbortSignal }): AsyncIterable<FoundPeer>
  /** Keeps looking for `namespace` until `unwatch` or `signal`; found peers are emitted ('peer') and dialled. */
  watch(namespace: string, options?: { signal?: AbortSignal }): void
  unwatch(namespace: string): void
  /** Cuts every wait short and forgets dial backoff: call after a network change or resume from sleep. */
  wake(): void
  status(): DiscoveryStatus
}

export const DEFAULT_TTL_MS = 2 * 3600_000
const MIN_READVERTISE_MS = 1_000

class DiscoveryService extends TypedEventEmitter<DiscoveryEvents> implements Discovery {
  readonly [Symbol.toStringTag] = '@berty/discovery'
  private readonly drivers: DiscoveryDriver[]
  private readonly log: Logger
  private readonly dialer: PeerDialer
  private readonly waker = new Waker()
  /** Fired when our own addresses change: advertisements carrying addresses are refreshed. */
  private readonly readvertise = new Waker()
  private readvertiseTimer?: ReturnType<typeof setTimeout>
  private readonly advertised = new Map<string, AbortController>()
  /** namespace → its watch loops and, per peer found, the address set last reported. */
  private readonly watched = new Map<string, { ctl: AbortController; seen: Map<string, string> }>()
  private readonly findInterval: BackoffOptions
  private root = new AbortController()
  private running = false
  private clock?: ReturnType<typeof setInterval>

  constructor(private readonly components: DiscoveryComponents, private readonly init: DiscoveryInit) {
    super()
    this.log = init.log ?? silentLogger
    const context: DriverContext = { log: this.log, changed: () => this.waker.wake() }
    this.drivers = init.drivers.map((make) => make(components, context))
    const names = new Set<string>()
    for (const d of this.drivers) {
      if (names.has(d.name)) throw new TypeError(`two discovery drivers named ${d.name}`)
      names.add(d.name)
    }
    this.dialer = new PeerDialer(components.peerId, components.peerStore, components.connectionManager, { ...DEFAULT_BACKOFF, ...init.backoff })
    this.findInterval = { minMs: 2_000, maxMs: 60_000, ...init.findInterval }
  }

  async start(): Promise<void> {
    if (this.running) return
    this.root = new AbortController()
    for (const d of this.drivers) {
      try {
        await d.start?.()
      } catch (err) {
        this.log('error', 'discovery driver failed to start', { driver: d.name, error: errorText(err) })
      }
    }
    this.components.events.addEventListener('peer:disconnect', this.onDisconnect)
    this.components.events.addEventListener('self:peer:update', this.onSelfUpdate)
    this.watchClock()
    this.running = true
  }

  async stop(): Promise<void> {
    if (!this.running) return
    this.running = false
    this.components.events.removeEventListener('peer:disconnect', this.onDisconnect)
    this.components.events.removeEventListener('self:peer:update', this.onSelfUpdate)
    clearTimeout(this.readvertiseTimer)
    clearInterval(this.clock)
    const ends = [...this.advertised.keys()].map(async (ns) => this.stopAdvertising(ns))
    await Promise.allSettled(ends)
    this.root.abort()
    this.watched.clear()
    for (const d of this.drivers) {
      try {
        await d.stop?.()
      } catch (err) {
        this.log('warn', 'discovery driver failed to stop', { driver: d.name, error: errorText(err) })
      }
    }
  }

  advertise(namespace: string, options: { ttlMs?: number; signal?: AbortSignal } = {}): void {
    checkNamespace(namespace)
    if (this.advertised.has(namespace)) return
    this.checkCapacity()
    const ctl = new AbortController()
    const signal = AbortSignal.any([ctl.signal, this.root.signal, ...(options.signal != null ? [options.signal] : [])])
    this.advertised.set(namespace, ctl)
    signal.addEventListener('abort', () => {
      if (this.advertised.get(namespace) === ctl) this.advertised.delete(namespace)
    }, { once: true })
    const ttlMs = options.ttlMs ?? this.init.ttlMs ?? DEFAULT_TTL_MS
    for (const driver of this.drivers) void this.advertiseLoop(driver, namespace, ttlMs, signal)
  }

  async stopAdvertising(namespace: string): Promise<void> {
    const ctl = this.advertised.get(namespace)
    if (ctl == null) return
    this.advertised.delete(namespace)
    ctl.abort()
    const signal = AbortSignal.timeout(5_000)
    await Promise.allSettled(this.drivers.map(async (d) => d.unadvertise?.(namespace, signal)))
  }

  async *find(namespace: string, options: { signal?: AbortSignal } = {}): AsyncIterable<FoundPeer> {
    checkNamespace(namespace)
    // Aborted when the consumer stops early, so every driver's lookup ends with it.
    const done = new AbortController()
    const signal = AbortSignal.any([done.signal, this.root.signal, ...(options.signal != null ? [options.signal] : [])])
    const seen = new Set<string>([this.components.peerId.toString()])
    try {
      for await (const found of merge(this.drivers.map((d) => this.findOnce(d, namespace, signal)))) {
        const key = found.peer.id.toString()
        if (seen.has(key)) continue
        seen.add(key)
        yield found
      }
    } finally {
      done.abort()
    }
  }

  watch(namespace: string, options: { signal?: AbortSignal } = {}): void {
    checkNamespace(namespace)
    if (this.watched.has(namespace)) return
    this.checkCapacity()
    const ctl = new AbortController()
    const signal = AbortSignal.any([ctl.signal, this.root.signal, ...(options.signal != null ? [options.signal] : [])])
    const entry = { ctl, seen: new Map<string, string>() }
    this.watched.set(namespace, entry)
    signal.addEventListener('abort', () => {
      if (this.watched.get(namespace) === entry) this.watched.delete(namespace)
    }, { once: true })
    for (const driver of this.drivers) void this.watchLoop(driver, namespace, entry.seen, signal)
  }

  unwatch(namespace: string): void {
    this.watched.get(namespace)?.ctl.abort()
    this.watched.delete(namespace)
  }

  wake(): void {
    this.dialer.reset()
    this.waker.wake()
  }

  status(): DiscoveryStatus {
    return { drivers: this.drivers.map((d) => d.status()), advertised: this.advertised.size, watched: this.watched.size }
  }

  private readonly onDisconnect = (): void => {
    // A node that lost every peer looks again at once, and redials without waiting out old backoffs.
    if (this.components.connectionManager.getConnections().length === 0) this.wake()
  }

  /**
   * Every 10 s: a tick that fires late by far means the machine slept, and a different set of interface
   * addresses means the network changed (Wi-Fi switch, cable, VPN). Either way peers are likely gone and
   * old dial failures no longer say anything: look again now.
   */
  private watchClock(): void {
    const TICK = 10_000
    let last = Date.now()
    let net = interfaceSignature()
    this.clock = setInterval(() => {
      const now = Date.now()
      const current = interfaceSignature()
      if (now - last > 3 * TICK) {
        this.log('info', 'resumed from sleep: looking for peers again', { sleptMs: now - last - TICK })
        this.wake()
      } else if (current !== net) {
        this.log('info', 'network interfaces changed: looking for peers again')
        this.wake()
      }
      last = now
      net = current
    }, TICK)
    this.clock.unref?.()
  }

  private readonly onSelfUpdate = (): void => {
    // A new relay reservation or listen address: re-register soon (debounced: updates come in bursts).
    if (this.readvertiseTimer != null || this.advertised.size === 0) return
    this.readvertiseTimer = setTimeout(() => {
      this.readvertiseTimer = undefined
      this.readvertise.wake()
    }, 500)
  }

  private checkCapacity(): void {
    const max = this.init.maxNamespaces ?? 256
    if (this.advertised.size + this.watched.size >= max) throw new RangeError(`discovery: more than ${max} namespaces`)
  }

  private async advertiseLoop(driver: DiscoveryDriver, namespace: string, ttlMs: number, signal: AbortSignal): Promise<void> {
    let failures = 0
    while (!signal.aborted) {
      let waitMs: number
      try {
        const granted = await driver.advertise(namespace, ttlMs, AbortSignal.any([signal, AbortSignal.timeout(30_000)]))
        failures = 0
        waitMs = Math.max(MIN_READVERTISE_MS, Math.floor((granted * 4) / 5))
      } catch (err) {
        if (signal.aborted) return
        failures++
        waitMs = Math.min(this.findInterval.maxMs * 5, this.findInterval.minMs * 2 ** Math.min(failures, 20))
        this.log('debug', 'advertise failed', { driver: driver.name, error: errorText(err), retryMs: waitMs })
      }
      // After a failure a network change (waker) retries at once; our address changes always re-advertise.
      await abortableSleep(waitMs, signal, failures > 0 ? [this.waker, this.readvertise] : this.readvertise)
    }
  }

  private async watchLoop(driver: DiscoveryDriver, namespace: string, seen: Map<string, string>, signal: AbortSignal): Promise<void> {
    let interval = this.findInterval.minMs
    while (!signal.aborted) {
      let fresh = 0
      for await (const found of this.findOnce(driver, namespace, signal)) {
        const key = found.peer.id.toString()
        const addrs = addrSignature(found.peer)
        // New peer, or a known one with new addresses (e.g. it just got a relay reservation): report it.
        if (seen.get(key) !== addrs) {
          fresh++
          if (seen.size >= 10_000) seen.clear()
          seen.set(key, addrs)
          this.safeDispatch(found)
        }
        if (this.init.dial !== false) void this.dialFound(found, signal)
      }
      if (signal.aborted) return
      // Something new: look again soon. Nothing: back off (min, 2·min, 4·min … maxMs); a wake() resets it.
      if (fresh > 0) interval = this.findInterval.minMs
      const woken = await abortableSleep(interval, signal, this.waker)
      interval = woken ? this.findInterval.minMs : Math.min(this.findInterval.maxMs, interval * 2)
    }
  }

  private async *findOnce(driver: DiscoveryDriver, namespace: string, signal: AbortSignal): AsyncGenerator<FoundPeer> {
    const self = this.components.peerId
    try {
      const lookup = AbortSignal.any([signal, AbortSignal.timeout(60_000)])
      for await (const peer of driver.find(namespace, lookup)) {
        if (peer.id.equals(self)) continue
        yield { namespace, driver: driver.name, peer }
      }
    } catch (err) {
      if (!signal.aborted) this.log('debug', 'find failed', { driver: driver.name, error: errorText(err) })
    }
  }

  private async dialFound(found: FoundPeer, signal: AbortSignal): Promise<void> {
    try {
      const outcome = await this.dialer.dial(found.peer, signal)
      if (outcome === 'connected') this.log('info', 'connected to a discovered peer', { driver: found.driver, peer: found.peer.id.toString() })
    } catch {
      // Aborted by stop/unwatch: nothing to report.
    }
  }

  private safeDispatch(found: FoundPeer): void {
    try {
      this.safeDispatchEvent('peer', { detail: found })
    } catch (err) {
      this.log('warn', 'a discovery listener threw', { error: errorText(err) })
    }
  }
}

/** Namespaces are opaque, but bounded: go-libp2p-rendezvous refuses more than 256 bytes. */
export const MAX_NAMESPACE_BYTES = 256

function checkNamespace(namespace: string): void {
  if (typeof namespace !== 'string' || namespace.length === 0 || Buffer.byteLength(namespace) > MAX_NAMESPACE_BYTES) {
    throw new TypeError(`namespace must be a non-empty string of at most ${MAX_NAMESPACE_BYTES} bytes`)
  }
}

export function discovery(init: DiscoveryInit): (components: DiscoveryComponents) => Discovery {
  return (components) => new DiscoveryService(components, init)
}
