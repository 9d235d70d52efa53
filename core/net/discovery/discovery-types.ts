/**
 * The discovery manager's interface and the types its drivers share (implementation: discovery.ts).
 */
import type { ComponentLogger, ContentRouting, Libp2pEvents, PeerId, PeerInfo, PeerStore, Startable, TypedEventTarget } from '@libp2p/interface'
import type { MulticastDNSComponents } from '@libp2p/mdns'
import type { Logger } from '../../log'
import type { BackoffOptions, DialingConnectionManager } from './dialer'
import type { DiscoveryDriver, DriverStatus, ProtocolRegistrar } from './driver'

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

/**
 * A driver as settings describe it: `name` must equal the driver's own name; `key` is its configuration
 * (e.g. the rendezvous server list): a different key replaces the running driver.
 */
export interface DriverSpec {
  name: string
  key: string
  make: DriverFactory
}

export interface DiscoveryInit {
  drivers: Array<DriverFactory | DriverSpec>
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
  /**
   * Runs exactly the drivers in `specs` from now on: new ones start and take over the current
   * namespaces, missing ones stop (listed as stopped), a changed `key` replaces the driver. Serialized.
   */
  reconfigure(specs: DriverSpec[]): Promise<void>
  status(): DiscoveryStatus
}
