/**
 * Reachability services composed into the libp2p node when `Libp2pNodeOptions.reach` is set (issue 10):
 * the discovery manager and its drivers, a rendezvous server (`--serve-rendezvous`), a circuit relay v2
 * server (`--relay`), DCUtR hole punching and AutoNAT.
 *
 * Claims: every server role is off unless asked for and bounded (relay: reservations, bytes and duration
 * per relayed connection; rendezvous: see rendezvous-store.ts). DCUtR upgrades a relayed connection to a
 * direct one when both sides have a public address and the NATs allow it; libp2p then prefers the direct
 * connection and the relayed one is closed by DCUtR once the upgrade succeeds.
 * Disclaims: a relay sees who talks to whom and how much (not what: streams stay Noise-encrypted end to end).
 * js-libp2p's DCUtR and AutoNAT only consider public addresses, so neither helps between two private LANs.
 */
import { autoNAT } from '@libp2p/autonat'
import { circuitRelayServer, type CircuitRelayService } from '@libp2p/circuit-relay-v2'
import { dcutr } from '@libp2p/dcutr'
import type { Discovery, DiscoveryComponents, DiscoveryInit } from './discovery/discovery'
import { discovery } from './discovery/discovery'
import { rendezvousServer, type RendezvousServer, type RendezvousServerComponents, type RendezvousServerInit } from './discovery/rendezvous-server'

export interface RelayServerLimits {
  /** Most simultaneous reservations. Default 64. */
  maxReservations?: number
  /** Longest a relayed connection lives, ms. Default 10 min (enough to chat while hole punching runs). */
  durationLimitMs?: number
  /** Most bytes relayed per direction of one relayed connection. Default 16 MiB. */
  dataLimitBytes?: number
}

export interface ReachOptions {
  /** Discovery manager and its drivers (`services.discovery`). */
  discovery?: DiscoveryInit
  /** Serve `/rendezvous/1.0.0` (`services.rendezvousServer`). */
  serveRendezvous?: boolean | RendezvousServerInit
  /** Serve circuit relay v2 hops (`services.relay`). Needs a reachable address to be useful. */
  relayServer?: boolean | RelayServerLimits
  /** DCUtR hole punching over relayed connections. Default true. */
  holePunching?: boolean
  /** AutoNAT (ask peers to dial us back to learn if our addresses are public). Default true. */
  autonat?: boolean
}

export interface ReachServices {
  discovery: Discovery
  rendezvousServer: RendezvousServer
  relay: CircuitRelayService
  dcutr: unknown
  autonat: unknown
}

export const RELAY_DEFAULTS: Required<RelayServerLimits> = {
  maxReservations: 64,
  durationLimitMs: 10 * 60_000,
  dataLimitBytes: 16 * 1024 * 1024
}

type Factory = (components: never) => unknown

/** The service factories for `options.reach`; an empty object when it is undefined. */
export function reachServices(reach: ReachOptions | undefined): Record<string, Factory> {
  if (reach == null) return {}
  const out: Record<string, Factory> = {}
  if (reach.discovery != null) out.discovery = discovery(reach.discovery) as (c: DiscoveryComponents) => Discovery
  if (reach.serveRendezvous != null && reach.serveRendezvous !== false) {
    const init = reach.serveRendezvous === true ? {} : reach.serveRendezvous
    out.rendezvousServer = rendezvousServer(init) as (c: RendezvousServerComponents) => RendezvousServer
  }
  if (reach.relayServer != null && reach.relayServer !== false) {
    const limits = { ...RELAY_DEFAULTS, ...(reach.relayServer === true ? {} : reach.relayServer) }
    for (const [k, v] of Object.entries(limits)) {
      if (!Number.isSafeInteger(v) || v <= 0) throw new RangeError(`relayServer.${k} must be a positive integer`)
    }
    out.relay = circuitRelayServer({
      reservations: {
        maxReservations: limits.maxReservations,
        applyDefaultLimit: true,
        defaultDurationLimit: limits.durationLimitMs,
        defaultDataLimit: BigInt(limits.dataLimitBytes)
      }
    })
  }
  if (reach.holePunching !== false) out.dcutr = dcutr()
  if (reach.autonat !== false) out.autonat = autoNAT()
  return out
}
