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
import type { Multiaddr } from '@multiformats/multiaddr'
import type { Libp2pEvents, Startable, TypedEventTarget } from '@libp2p/interface'
import type { Discovery, DiscoveryComponents, DiscoveryInit } from './discovery/discovery'
import { discovery } from './discovery/discovery'
import { rendezvousServer, type RendezvousServer, type RendezvousServerComponents, type RendezvousServerInit } from './discovery/rendezvous-server'
import type { Logger } from '../log'
import { StunServer } from './stun'

export interface RelayServerLimits {
  /** Most simultaneous reservations. Default 64. */
  maxReservations?: number
  /** Longest a relayed connection lives, ms. Default 10 min (enough to chat while hole punching runs). */
  durationLimitMs?: number
  /** Most bytes relayed per direction of one relayed connection. Default 16 MiB. */
  dataLimitBytes?: number
  /** Answer STUN on UDP at each TCP listen address (core/net/stun.ts). Default true. */
  stun?: boolean
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
  /**
   * The operator asserts our listen addresses are reachable (a public IP, a port forward). libp2p 3 hides
   * public listen addresses until AutoNAT confirms them, which needs several peers to dial back; a relay or
   * rendezvous server for a few friends would never be announced. Default: true when serving relay or
   * rendezvous, false otherwise.
   */
  reachableListenAddrs?: boolean
  /** Logger for the services that log (STUN). */
  log?: Logger
  /** Bench only: libp2p's cadences as before issue 8's idle work (ReachSettings.legacyIdle). */
  legacyIdle?: boolean
}

export interface ReachServices {
  discovery: Discovery
  rendezvousServer: RendezvousServer
  relay: CircuitRelayService
  dcutr: unknown
  autonat: unknown
  reachableListenAddrs: Startable
  stun: Startable
}

export const RELAY_DEFAULTS: Required<Omit<RelayServerLimits, 'stun'>> = {
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
    const { stun, ...given } = reach.relayServer === true ? {} : reach.relayServer
    const limits = { ...RELAY_DEFAULTS, ...given }
    if (stun !== false) out.stun = (c: ListenAddrComponents) => new StunService(c, reach.log)
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
  const serving = out.relay != null || out.rendezvousServer != null
  if (reach.reachableListenAddrs ?? serving) out.reachableListenAddrs = (c: ListenAddrComponents) => new ReachableListenAddrs(c)
  // libp2p's 5 s per attempt was too short on a loaded machine (the direct dial, Noise and yamux all
  // happen inside it), and a failed upgrade is not retried later: the pair stayed relayed for good.
  if (reach.holePunching !== false) out.dcutr = dcutr({ timeout: 15_000, retries: 5 })
  if (reach.autonat !== false) out.autonat = autoNAT()
  return out
}

interface ListenAddrComponents {
  addressManager: { confirmObservedAddr(addr: Multiaddr, options?: { ttl?: number; type?: 'transport' }): void }
  transportManager: { getAddrs(): Multiaddr[] }
  events: TypedEventTarget<Libp2pEvents>
}

/** Marks our own listen addresses verified (see `ReachOptions.reachableListenAddrs`), and keeps them so. */
class ReachableListenAddrs implements Startable {
  readonly [Symbol.toStringTag] = '@berty/reachable-listen-addrs'
  private timer?: ReturnType<typeof setInterval>

  constructor(private readonly components: ListenAddrComponents) {}

  start(): void {}

  afterStart(): void {
    // Listeners may open after services start: confirm again whenever one starts listening.
    this.components.events.addEventListener('transport:listening', this.confirm)
    this.confirm()
    this.timer = setInterval(this.confirm, 3600_000)
    this.timer.unref?.()
  }

  stop(): void {
    this.components.events.removeEventListener('transport:listening', this.confirm)
    clearInterval(this.timer)
  }

  private readonly confirm = (): void => {
    for (const addr of this.components.transportManager.getAddrs()) {
      this.components.addressManager.confirmObservedAddr(addr, { type: 'transport', ttl: 2 * 3600_000 })
    }
  }
}

/** Our relay answers STUN on UDP at the ip:port of each of its IPv4 TCP listen addresses. */
class StunService implements Startable {
  readonly [Symbol.toStringTag] = '@berty/stun'
  private server?: StunServer

  constructor(private readonly components: ListenAddrComponents, private readonly log?: Logger) {}

  start(): void {}

  afterStart(): void {
    this.server = new StunServer(this.log != null ? { log: this.log } : {})
    this.components.events.addEventListener('transport:listening', this.serve)
    this.serve()
  }

  stop(): void {
    this.components.events.removeEventListener('transport:listening', this.serve)
    this.server?.close()
  }

  private readonly serve = (): void => {
    for (const addr of this.components.transportManager.getAddrs()) {
      const c = addr.getComponents()
      const ip = c.find((x) => x.name === 'ip4')?.value
      const port = Number(c.find((x) => x.name === 'tcp')?.value)
      if (ip == null || !Number.isInteger(port) || port <= 0 || c.some((x) => x.name !== 'ip4' && x.name !== 'tcp')) continue
      this.server?.serve(ip, port).catch((err: unknown) => this.log?.('warn', 'stun: cannot serve', { at: `${ip}:${port}`, error: String(err) }))
    }
  }
}
