/**
 * libp2p transport over a {@link BleDriver} (issue 14; after weshnet `pkg/proximitytransport`).
 *
 * `ble({ driver })` is a libp2p 3 transport factory. Addresses are `/ble/<peer id>` (code 0x0042, as
 * weshnet registers it); the driver is started by the listener (as in weshnet, dialling needs one).
 * Each {@link BleLink} becomes one raw `MultiaddrConnection` that the upgrader secures with Noise and
 * multiplexes with yamux. When a device is found, the side with the lexicographically smaller peer id
 * dials it (weshnet transport.go `HandleFoundPeer`), so two nodes meeting over the air connect once.
 *
 * Claims: auto-dials are bounded (`maxConcurrentAutoDials`) and backed off per peer; inbound links are
 * upgraded under the listener's shutdown signal; a link that dies aborts its connection.
 * Disclaims: whoever is in radio range sees that a Berty device is there and its peer id (it is
 * advertised in clear, as Berty on phones does); BLE link-layer encryption is not used.
 */
import { ConnectionFailedError, ListenError, serviceCapabilities, transportSymbol, TypedEventEmitter } from '@libp2p/interface'
import type { ComponentLogger, Connection, CreateListenerOptions, DialTransportOptions, Listener, ListenerEvents, Logger, PeerId, Transport } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { silentLogger, type Logger as BertyLogger } from '../../log'
import { BleMultiaddrConnection } from './connection'
import type { BleDriver, BleLink, BleStatus } from './driver'
import { bleAddr, blePeerIdOf, isBleListenAddr, registerBleProtocol } from './multiaddr'

export interface BleTransportInit {
  driver: BleDriver
  /** Dial devices as they are found (smaller peer id dials). Default true. */
  autoDial?: boolean
  /** Default 4. */
  maxConcurrentAutoDials?: number
  /** Wait before auto-dialling a peer again after a failure. Default 5 s. */
  autoDialBackoffMs?: number
  /** Berty's structured logger for status lines (libp2p's own logger gets the details). */
  log?: BertyLogger
  /** Reports driver status changes (the Network panel's status line). */
  onStatus?: (status: BleStatus) => void
}

/** Only what the transport uses; `connectionManager` is optional (absent: no auto-dial). */
export interface BleTransportComponents {
  peerId: PeerId
  logger: ComponentLogger
  connectionManager?: {
    openConnection(peer: Multiaddr, options?: { signal?: AbortSignal }): Promise<Connection>
    getConnections(peerId?: PeerId): Connection[]
  }
}

class BleListener extends TypedEventEmitter<ListenerEvents> implements Listener {
  #addr: Multiaddr | undefined
  readonly #shutdown = new AbortController()
  readonly #onLink = (evt: CustomEvent<BleLink>): void => this.#accept(evt.detail)

  constructor(private readonly transport: BleTransport, private readonly options: CreateListenerOptions) {
    super()
  }

  async listen(ma: Multiaddr): Promise<void> {
    const local = this.transport.localPeerId
    if (!isBleListenAddr(ma, local)) throw new ListenError(`not a BLE listen address for this node: ${ma.toString()}`)
    this.transport.claimListener(this)
    try {
      this.transport.driver.addEventListener('link', this.#onLink)
      await this.transport.startDriver()
    } catch (err) {
      this.transport.driver.removeEventListener('link', this.#onLink)
      this.transport.releaseListener(this)
      throw new ListenError(`BLE driver did not start: ${err instanceof Error ? err.message : String(err)}`)
    }
    this.#addr = bleAddr(local)
    queueMicrotask(() => this.safeDispatchEvent('listening'))
  }

  #accept(link: BleLink): void {
    const maConn = this.transport.wrap(link)
    this.options.upgrader.upgradeInbound(maConn, { signal: this.#shutdown.signal }).catch((err: unknown) => {
      this.transport.log('upgrading inbound BLE link failed - %e', err)
      maConn.abort(err instanceof Error ? err : new Error(String(err)))
    })
  }

  getAddrs(): Multiaddr[] {
    return this.#addr != null ? [this.#addr] : []
  }

  updateAnnounceAddrs(): void {}

  async close(): Promise<void> {
    this.transport.driver.removeEventListener('link', this.#onLink)
    this.#shutdown.abort()
    if (this.#addr != null) {
      this.#addr = undefined
      this.transport.releaseListener(this)
      await this.transport.stopDriver()
    }
    queueMicrotask(() => this.safeDispatchEvent('close'))
  }
}

export class BleTransport implements Transport {
  readonly [transportSymbol] = true
  readonly [Symbol.toStringTag] = '@berty/ble'
  readonly [serviceCapabilities]: string[] = ['@libp2p/transport']
  readonly driver: BleDriver
  readonly log: Logger
  readonly #components: BleTransportComponents
  readonly #init: BleTransportInit
  readonly #blog: BertyLogger
  #listener: BleListener | undefined
  #started = false
  readonly #dialing = new Set<string>()
  readonly #backoff = new Map<string, number>()

  constructor(components: BleTransportComponents, init: BleTransportInit) {
    registerBleProtocol()
    this.#components = components
    this.#init = init
    this.driver = init.driver
    this.log = components.logger.forComponent('berty:ble')
    this.#blog = init.log ?? silentLogger
  }

  get localPeerId(): string {
    return this.#components.peerId.toString()
  }

  claimListener(listener: BleListener): void {
    if (this.#listener != null && this.#listener !== listener) throw new ListenError('one BLE listener per driver')
    this.#listener = listener
  }

  releaseListener(listener: BleListener): void {
    if (this.#listener === listener) this.#listener = undefined
  }

  readonly #onFound = (evt: CustomEvent<{ peerId: string }>): void => void this.#autoDial(evt.detail.peerId)
  readonly #onStatus = (evt: CustomEvent<BleStatus>): void => {
    this.#blog(evt.detail.state === 'ready' ? 'info' : 'warn', 'ble: radio status', { driver: this.driver.name, ...evt.detail })
    this.#init.onStatus?.(evt.detail)
  }

  async startDriver(): Promise<void> {
    if (this.#started) return
    const status = this.driver.status()
    this.#init.onStatus?.(status)
    this.driver.addEventListener('peer:found', this.#onFound)
    this.driver.addEventListener('status', this.#onStatus)
    try {
      await this.driver.start(this.localPeerId)
    } catch (err) {
      this.driver.removeEventListener('peer:found', this.#onFound)
      this.driver.removeEventListener('status', this.#onStatus)
      this.#blog('warn', 'ble: radio unavailable', { driver: this.driver.name, ...status })
      throw err
    }
    this.#started = true
    this.#blog('info', 'ble: radio started', { driver: this.driver.name, ...this.driver.capabilities })
  }

  async stopDriver(): Promise<void> {
    if (!this.#started) return
    this.#started = false
    this.driver.removeEventListener('peer:found', this.#onFound)
    this.driver.removeEventListener('status', this.#onStatus)
    await this.driver.stop()
  }

  wrap(link: BleLink): BleMultiaddrConnection {
    const remote = bleAddr(link.remotePeerId).encapsulate(`/p2p/${link.remotePeerId}`)
    return new BleMultiaddrConnection({
      link,
      remoteAddr: remote,
      localAddr: bleAddr(this.localPeerId),
      log: this.log.newScope(`${link.direction}:${link.remotePeerId.slice(-8)}`)
    })
  }

  async dial(ma: Multiaddr, options: DialTransportOptions): Promise<Connection> {
    options.signal.throwIfAborted()
    const peerId = blePeerIdOf(ma)
    if (peerId == null) throw new ConnectionFailedError(`not a BLE address: ${ma.toString()}`)
    if (!this.#started) throw new ConnectionFailedError('BLE transport has no listener: the radio is off')
    const link = await this.driver.dial(peerId, { signal: options.signal })
    const maConn = this.wrap(link)
    try {
      options.signal.throwIfAborted()
      return await options.upgrader.upgradeOutbound(maConn, options)
    } catch (err) {
      maConn.abort(err instanceof Error ? err : new Error(String(err)))
      throw err
    }
  }

  async #autoDial(peerId: string): Promise<void> {
    const cm = this.#components.connectionManager
    if (this.#init.autoDial === false || cm == null || !this.#started) return
    if (!(this.localPeerId < peerId)) return
    if (this.#dialing.has(peerId) || this.#dialing.size >= (this.#init.maxConcurrentAutoDials ?? 4)) return
    if ((this.#backoff.get(peerId) ?? 0) > Date.now()) return
    const connected = cm.getConnections().some((c) => c.remotePeer.toString() === peerId && blePeerIdOf(c.remoteAddr) === peerId && c.status === 'open')
    if (connected) return
    this.#dialing.add(peerId)
    try {
      const addr = bleAddr(peerId).encapsulate(`/p2p/${peerId}`)
      await cm.openConnection(addr, { signal: AbortSignal.timeout(30_000) })
      this.#backoff.delete(peerId)
    } catch (err) {
      this.log('auto-dial of %s failed - %e', peerId, err)
      this.#backoff.set(peerId, Date.now() + (this.#init.autoDialBackoffMs ?? 5_000))
      if (this.#backoff.size > 1024) this.#backoff.delete(this.#backoff.keys().next().value as string)
    } finally {
      this.#dialing.delete(peerId)
    }
  }

  createListener(options: CreateListenerOptions): Listener {
    return new BleListener(this, options)
  }

  listenFilter(multiaddrs: Multiaddr[]): Multiaddr[] {
    return multiaddrs.filter((ma) => isBleListenAddr(ma))
  }

  dialFilter(multiaddrs: Multiaddr[]): Multiaddr[] {
    return multiaddrs.filter((ma) => blePeerIdOf(ma) != null)
  }
}

/**
 * libp2p's connection monitor aborts a connection whose ping takes longer than its adaptive timeout
 * (at least 5 s). Over a radio link at BLE rates, a bulk stream's yamux window (256 KiB and growing)
 * queues more than that ahead of the ping, so busy links were killed. The radio detects dead links by
 * itself (supervision timeout), so nodes with BLE raise the floor. Pass as `connectionMonitor`.
 */
// The interval stays above the longest timeout: one ping stream per connection is allowed, and a second
// heartbeat finding the first still running aborts the connection.
export const BLE_CONNECTION_MONITOR = { pingInterval: 45_000, pingTimeout: { minTimeout: 30_000, maxTimeout: 40_000 } } as const

/**
 * yamux grows a busy stream's window up to 16 MiB; every byte of window is queued ahead of other
 * streams on the link (minutes at BLE rates). Capping it at the initial 256 KiB bounds that queue to
 * a few seconds. Pass to `yamux()` on nodes with BLE (on TCP it caps one stream at 256 KiB per RTT).
 */
export const BLE_YAMUX = { streamOptions: { maxStreamWindowSize: 256 * 1024 } } as const

/** `transports: [ble({ driver })]` */
export function ble(init: BleTransportInit): (components: BleTransportComponents) => Transport {
  registerBleProtocol()
  return (components) => new BleTransport(components, init)
}
