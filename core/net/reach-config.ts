/**
 * From user-facing reach settings (Settings panel, daemon flags) to `Libp2pNodeOptions.reach`: which
 * discovery drivers run, which rendezvous servers to use, and whether this node serves rendezvous or relay.
 * The composition root (core/node.ts) calls {@link reachOptions}; nothing here starts anything.
 */
import type { Logger } from '../log'
import { dhtDriver } from './discovery/dht-driver'
import type { DriverSpec } from './discovery/discovery'
import { localRecordDriver } from './discovery/local-record-driver'
import { mdnsDriver } from './discovery/mdns-driver'
import { rendezvousDriver } from './discovery/rendezvous-driver'
import type { ReachOptions, RelayServerLimits } from './reach'

export interface ReachSettings {
  /** LAN: mDNS + local records. Default true. */
  lan?: boolean
  /** Provide / find on the private DHT. Default true. */
  dht?: boolean
  /** Rendezvous servers to register on and discover from (`/p2p/<id>`-terminated multiaddrs). */
  rendezvousServers?: string[]
  /** Serve `/rendezvous/1.0.0` for others (`--serve-rendezvous`). */
  serveRendezvous?: boolean
  /** Serve circuit relay v2 for others (`--relay`), optionally with limits. */
  relay?: boolean | RelayServerLimits
  /** DCUtR hole punching and AutoNAT. Default true. */
  holePunching?: boolean
  /** Our listen addresses are reachable as they are (public IP, port forward); see ReachOptions. */
  publicAddress?: boolean
  /** mDNS service tag; tests isolate swarms with it. Default @libp2p/mdns's. */
  mdnsServiceTag?: string
  /**
   * Bench only (`npm run bench -- idle`, BERTY_BENCH_IDLE_BASELINE=1 in core/daemon/cli.ts): the libp2p and
   * discovery cadences as they were before issue 8's idle work, for a same-run baseline. Never a user setting.
   */
  legacyIdle?: boolean
}

/**
 * The discovery drivers `settings` ask for, named and keyed by their configuration: the discovery manager
 * runs exactly these (at start, and again on each settings change: `Discovery.reconfigure`).
 */
export function driverSpecs(settings: ReachSettings): DriverSpec[] {
  const specs: DriverSpec[] = []
  if (settings.lan !== false) {
    const tag = settings.mdnsServiceTag
    const init = { ...(tag != null ? { serviceTag: tag } : {}), ...(settings.legacyIdle === true ? { maxInterval: 0 } : {}) }
    specs.push({ name: 'mdns', key: tag ?? '', make: mdnsDriver(init) })
    specs.push({ name: 'localrecord', key: '', make: localRecordDriver() })
  }
  if (settings.dht !== false) specs.push({ name: 'dht', key: '', make: dhtDriver() })
  const servers = [...new Set(settings.rendezvousServers ?? [])].sort()
  if (servers.length > 0) specs.push({ name: 'rendezvous', key: servers.join('\n'), make: rendezvousDriver({ servers }) })
  return specs
}

export function reachOptions(settings: ReachSettings, log?: Logger): ReachOptions {
  return {
    discovery: { drivers: driverSpecs(settings), ...(log != null ? { log } : {}) },
    ...(settings.serveRendezvous === true ? { serveRendezvous: log != null ? { log } : true } : {}),
    ...(settings.relay != null && settings.relay !== false ? { relayServer: settings.relay } : {}),
    holePunching: settings.holePunching !== false,
    ...(settings.publicAddress != null ? { reachableListenAddrs: settings.publicAddress } : {}),
    ...(log != null ? { log } : {}),
    autonat: settings.holePunching !== false,
    ...(settings.legacyIdle === true ? { legacyIdle: true } : {})
  }
}
