/**
 * From user-facing reach settings (Settings panel, daemon flags) to `Libp2pNodeOptions.reach`: which
 * discovery drivers run, which rendezvous servers to use, and whether this node serves rendezvous or relay.
 * The composition root (core/node.ts) calls {@link reachOptions}; nothing here starts anything.
 */
import type { Logger } from '../log'
import { dhtDriver } from './discovery/dht-driver'
import type { DriverFactory } from './discovery/discovery'
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
}

export function reachOptions(settings: ReachSettings, log?: Logger): ReachOptions {
  const drivers: DriverFactory[] = []
  if (settings.lan !== false) {
    drivers.push(mdnsDriver(settings.mdnsServiceTag != null ? { serviceTag: settings.mdnsServiceTag } : {}))
    drivers.push(localRecordDriver())
  }
  if (settings.dht !== false) drivers.push(dhtDriver())
  if ((settings.rendezvousServers ?? []).length > 0) drivers.push(rendezvousDriver({ servers: settings.rendezvousServers ?? [] }))
  return {
    discovery: { drivers, ...(log != null ? { log } : {}) },
    ...(settings.serveRendezvous === true ? { serveRendezvous: log != null ? { log } : true } : {}),
    ...(settings.relay != null && settings.relay !== false ? { relayServer: settings.relay } : {}),
    holePunching: settings.holePunching !== false,
    ...(settings.publicAddress != null ? { reachableListenAddrs: settings.publicAddress } : {}),
    autonat: settings.holePunching !== false
  }
}
