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
 * Drivers change at runtime (`reconfigure`, the Network panel's settings): a driver turned off stops,
 * withdraws what it can (rendezvous UNREGISTER) and stays listed as stopped; one turned on starts and
 * takes over every namespace already advertised or watched.
 * Disclaims: found peers are candidates; membership is proven by the group protocol after connecting.
 */
import { TypedEventEmitter } from '@libp2p/interface'
import { silentLogger, type Logger } from '../../log'
import type { Discovery, DiscoveryComponents, DiscoveryEvents, DiscoveryInit, DiscoveryStatus, DriverContext, DriverSpec, FoundPeer } from './discovery-types'
import { errorText, type DiscoveryDriver } from './driver'
import { DEFAULT_BACKOFF, PeerDialer, type BackoffOptions } from './dialer'
import { merge } from './merge'
import { SeenPeers } from './seen-peers'
import { abortableSleep, Waker, watchClock } from './wait'
import { deadline, linkSignals } from '../deadline'

export type { Discovery, DiscoveryComponents, DiscoveryEvents, DiscoveryInit, DiscoveryStatus, DriverContext, DriverFactory, DriverSpec, FoundPeer } from './discovery-types'

interface DriverEntry {
  driver: DiscoveryDriver
  key: string
  enabled: boolean
  /** Aborted when the driver is turned off: ends its loops. */
  ctl: AbortController
}

export const DEFAULT_TTL_MS = 2 * 3600_000
const MIN_READVERTISE_MS = 1_000

class DiscoveryService extends TypedEventEmitter<DiscoveryEvents> implements Discovery {
  readonly [Symbol.toStringTag] = '@berty/discovery'
  private entries: DriverEntry[]
  private readonly context: DriverContext
  private reconfiguring: Promise<void> = Promise.resolve()
  private readonly log: Logger
  private readonly dialer: PeerDialer
  private readonly waker = new Waker()
  /** Fired when our own addresses change: advertisements carrying addresses are refreshed. */
  private readonly readvertise = new Waker()
  private readvertiseTimer?: ReturnType<typeof setTimeout>
  private readonly advertised = new Map<string, { ctl: AbortController; signal: AbortSignal; ttlMs: number }>()
  /** namespace → its watch loops and the peers they reported, with every address seen (seen-peers.ts). */
  private readonly watched = new Map<string, { ctl: AbortController; signal: AbortSignal; seen: SeenPeers }>()
  private readonly findInterval: BackoffOptions
  private root = new AbortController()
  private running = false
  private clock?: () => void

  constructor(private readonly components: DiscoveryComponents, private readonly init: DiscoveryInit) {
    super()
    this.log = init.log ?? silentLogger
    this.context = { log: this.log, changed: () => this.waker.wake() }
    this.entries = init.drivers.map((d) => ({ ...this.entry(typeof d === 'function' ? { name: '', key: '', make: d } : d), enabled: true }))
    const names = new Set<string>()
    for (const { driver } of this.entries) {
      if (names.has(driver.name)) throw new TypeError(`two discovery drivers named ${driver.name}`)
      names.add(driver.name)
    }
    this.dialer = new PeerDialer(components.peerId, components.peerStore, components.connectionManager, { ...DEFAULT_BACKOFF, ...init.backoff })
    this.findInterval = { minMs: 2_000, maxMs: 60_000, ...init.findInterval }
  }

  async start(): Promise<void> {
    if (this.running) return
    this.root = new AbortController()
    for (const e of this.entries) if (e.enabled) await this.startDriver(e)
    this.components.events.addEventListener('peer:disconnect', this.onDisconnect)
    this.components.events.addEventListener('self:peer:update', this.onSelfUpdate)
    this.clock = watchClock(this.log, () => this.wake())
    this.running = true
  }

  async stop(): Promise<void> {
    if (!this.running) return
    this.running = false
    this.components.events.removeEventListener('peer:disconnect', this.onDisconnect)
    this.components.events.removeEventListener('self:peer:update', this.onSelfUpdate)
    clearTimeout(this.readvertiseTimer)
    this.clock?.()
    await this.reconfiguring
    const ends = [...this.advertised.keys()].map(async (ns) => this.stopAdvertising(ns))
    await Promise.allSettled(ends)
    this.root.abort()
    this.watched.clear()
    for (const e of this.entries) {
      if (!e.enabled) continue
      await this.stopDriver(e)
      e.enabled = true // still wanted: a later start() runs it again
    }
  }

  async reconfigure(specs: DriverSpec[]): Promise<void> {
    const run = this.reconfiguring.then(async () => this.applySpecs(specs))
    this.reconfiguring = run.catch(() => {})
    return run
  }

  private async applySpecs(specs: DriverSpec[]): Promise<void> {
    const wanted = new Map(specs.map((s) => [s.name, s]))
    for (const e of [...this.entries]) {
      const spec = wanted.get(e.driver.name)
      if (e.enabled && (spec == null || spec.key !== e.key)) {
        if (this.running) await this.stopDriver(e)
        else e.enabled = false
        this.log('info', 'discovery driver turned off', { driver: e.driver.name })
      }
      if (spec != null && spec.key !== e.key) this.entries = this.entries.filter((x) => x !== e)
    }
    for (const spec of specs) {
      let e = this.entries.find((x) => x.driver.name === spec.name)
      if (e == null) {
        e = this.entry(spec)
        if (e.driver.name !== spec.name) throw new TypeError(`driver spec ${spec.name} made a driver named ${e.driver.name}`)
        this.entries.push(e)
      }
      if (e.enabled) continue
      if (!this.running) {
        e.enabled = true
        continue
      }
      await this.startDriver(e)
      this.log('info', 'discovery driver turned on', { driver: e.driver.name })
      for (const [ns, a] of this.advertised) void this.advertiseLoop(e.driver, ns, a.ttlMs, linkSignals(a.signal, e.ctl.signal))
      for (const [ns, w] of this.watched) void this.watchLoop(e.driver, ns, w.seen, linkSignals(w.signal, e.ctl.signal))
    }
  }

  private entry(spec: DriverSpec): DriverEntry {
    return { driver: spec.make(this.components, this.context), key: spec.key, enabled: false, ctl: new AbortController() }
  }

  private async startDriver(e: DriverEntry): Promise<void> {
    e.ctl = new AbortController()
    e.enabled = true
    try {
      await e.driver.start?.()
    } catch (err) {
      this.log('error', 'discovery driver failed to start', { driver: e.driver.name, error: errorText(err) })
    }
  }

  /** Ends the driver's loops, withdraws its advertisements where it can, stops it. */
  private async stopDriver(e: DriverEntry): Promise<void> {
    e.enabled = false
    e.ctl.abort()
    const signal = AbortSignal.timeout(5_000)
    await Promise.allSettled([...this.advertised.keys()].map(async (ns) => e.driver.unadvertise?.(ns, signal)))
    try {
      await e.driver.stop?.()
    } catch (err) {
      this.log('warn', 'discovery driver failed to stop', { driver: e.driver.name, error: errorText(err) })
    }
  }

  private enabled(): DriverEntry[] {
    return this.entries.filter((e) => e.enabled)
  }

  advertise(namespace: string, options: { ttlMs?: number; signal?: AbortSignal } = {}): void {
    checkNamespace(namespace)
    if (this.advertised.has(namespace)) return
    this.checkCapacity()
    const ctl = new AbortController()
    const signal = linkSignals(ctl.signal, this.root.signal, options.signal)
    const ttlMs = options.ttlMs ?? this.init.ttlMs ?? DEFAULT_TTL_MS
    this.advertised.set(namespace, { ctl, signal, ttlMs })
    signal.addEventListener('abort', () => {
      if (this.advertised.get(namespace)?.ctl === ctl) this.advertised.delete(namespace)
    }, { once: true })
    for (const e of this.enabled()) void this.advertiseLoop(e.driver, namespace, ttlMs, linkSignals(signal, e.ctl.signal))
  }

  async stopAdvertising(namespace: string): Promise<void> {
    const ad = this.advertised.get(namespace)
    if (ad == null) return
    this.advertised.delete(namespace)
    ad.ctl.abort()
    const signal = AbortSignal.timeout(5_000)
    await Promise.allSettled(this.enabled().map(async (e) => e.driver.unadvertise?.(namespace, signal)))
  }

  async *find(namespace: string, options: { signal?: AbortSignal } = {}): AsyncIterable<FoundPeer> {
    checkNamespace(namespace)
    // Aborted when the consumer stops early, so every driver's lookup ends with it.
    const done = new AbortController()
    const signal = linkSignals(done.signal, this.root.signal, options.signal)
    const seen = new Set<string>([this.components.peerId.toString()])
    try {
      for await (const found of merge(this.enabled().map((e) => this.findOnce(e.driver, namespace, linkSignals(signal, e.ctl.signal))))) {
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
    const signal = linkSignals(ctl.signal, this.root.signal, options.signal)
    const entry = { ctl, signal, seen: new SeenPeers() }
    this.watched.set(namespace, entry)
    signal.addEventListener('abort', () => {
      if (this.watched.get(namespace) === entry) this.watched.delete(namespace)
    }, { once: true })
    for (const e of this.enabled()) void this.watchLoop(e.driver, namespace, entry.seen, linkSignals(signal, e.ctl.signal))
  }

  unwatch(namespace: string): void {
    this.watched.get(namespace)?.ctl.abort()
    this.watched.delete(namespace)
  }

  wake(): void {
    this.dialer.reset()
    this.waker.wake()
    for (const e of this.enabled()) e.driver.wake?.()
  }

  status(): DiscoveryStatus {
    const drivers = this.entries.map((e) => {
      const st = e.driver.status()
      return { ...st, running: e.enabled && st.running }
    })
    return { drivers, advertised: this.advertised.size, watched: this.watched.size }
  }

  private readonly onDisconnect = (): void => {
    // A node that lost every peer looks again at once, and redials without waiting out old backoffs.
    if (this.components.connectionManager.getConnections().length === 0) this.wake()
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
        const attempt = deadline(30_000, signal)
        const granted = await driver.advertise(namespace, ttlMs, attempt).finally(() => attempt.clear())
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

  private async watchLoop(driver: DiscoveryDriver, namespace: string, seen: SeenPeers, signal: AbortSignal): Promise<void> {
    let interval = this.findInterval.minMs
    while (!signal.aborted) {
      let fresh = 0
      for await (const found of this.findOnce(driver, namespace, signal)) {
        // New peer, or a known one with an address never seen (e.g. it just got a relay reservation): report it.
        if (seen.isNews(found.peer)) {
          fresh++
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
    const lookup = deadline(60_000, signal)
    try {
      for await (const peer of driver.find(namespace, lookup)) {
        if (peer.id.equals(self)) continue
        yield { namespace, driver: driver.name, peer }
      }
    } catch (err) {
      if (!signal.aborted) this.log('debug', 'find failed', { driver: driver.name, error: errorText(err) })
    } finally {
      lookup.clear()
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
