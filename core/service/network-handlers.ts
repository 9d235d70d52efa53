/**
 * `network:*` (core/api/contract-network.ts): the Network panel's view of discovery drivers and the
 * BLE radio, and the user's reach settings. Settings are stored under `reach.*` in the settings
 * table (read by the composition root at each start, see `storedReachSettings`) and applied live:
 * discovery drivers start and stop, rendezvous servers and relays are added and removed. Only the
 * Bluetooth radio waits for a restart; the result says so and why.
 */
import { multiaddr } from '@multiformats/multiaddr'
import type { NetworkStatusT, ReachSettingsT } from '../api/contract-network'
import { ApiError, ErrorCode } from '../api/errors'
import type { BleDriver } from '../net/ble/driver'
import type { DriverSpec } from '../net/discovery/discovery'
import type { BertyLibp2p } from '../net/libp2p'
import type { SettingsStore } from '../storage'
import type { ApiHandlers } from './dispatch'

const KEY = {
  lan: 'reach.lan',
  dht: 'reach.dht',
  rendezvousServers: 'reach.rendezvousServers',
  relays: 'reach.relays',
  ble: 'reach.ble'
} as const

export const DEFAULT_REACH_SETTINGS: ReachSettingsT = { lan: true, dht: true, rendezvousServers: [], relays: [], ble: false }

/** The stored reach settings, defaults for what was never set; a corrupt value falls back to its default. */
export function storedReachSettings(settings: SettingsStore): ReachSettingsT {
  const all = settings.all()
  const bool = (k: string, d: boolean) => (all.has(k) ? all.get(k) === 'true' : d)
  const list = (k: string): string[] => {
    const raw = all.get(k)
    if (raw === undefined) return []
    try {
      const v: unknown = JSON.parse(raw)
      return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, 16) : []
    } catch {
      return []
    }
  }
  return {
    lan: bool(KEY.lan, true),
    dht: bool(KEY.dht, true),
    rendezvousServers: list(KEY.rendezvousServers),
    relays: list(KEY.relays),
    ble: bool(KEY.ble, false)
  }
}

export interface NetworkHandlerDeps {
  settings: SettingsStore
  libp2p: BertyLibp2p
  ble?: BleDriver
  /** The reach settings this process started with (stored ones merged with host flags). */
  running: ReachSettingsT
  /** Stored settings merged with the host's flags, as at start. Default: the stored ones as they are. */
  effective?: (stored: ReachSettingsT) => ReachSettingsT
  /** The discovery drivers for effective settings (`driverSpecs` with the host's options). */
  driverSpecs?: (effective: ReachSettingsT) => DriverSpec[]
}

type NetworkHandlers = Pick<ApiHandlers, 'network:status' | 'network:settings:get' | 'network:settings:set'>

export function createNetworkHandlers(deps: NetworkHandlerDeps): NetworkHandlers {
  const effective = deps.effective ?? ((s: ReachSettingsT) => s)
  const { discovery, relayKeeper } = deps.libp2p.services
  const live = { drivers: discovery != null && deps.driverSpecs != null, relays: relayKeeper != null }
  /** Why `next` (effective) cannot fully apply until a restart; empty when it is live. */
  const reasons = (next: ReachSettingsT): string[] => {
    const r: string[] = []
    const was = deps.running
    if (next.ble !== was.ble) r.push('Bluetooth: the radio is opened when the app starts')
    if (!live.drivers && (next.lan !== was.lan || next.dht !== was.dht || !sameList(next.rendezvousServers, was.rendezvousServers))) {
      r.push('discovery drivers: this host started without discovery')
    }
    if (!live.relays && !sameList(next.relays, was.relays)) r.push('relays: this host runs without IP transports')
    return r
  }
  const withRestart = (s: ReachSettingsT) => {
    const why = reasons(effective(s))
    return { ...s, restartRequired: why.length > 0, ...(why.length > 0 ? { restartReason: why.join('; ') } : {}) }
  }
  let applying: Promise<unknown> = Promise.resolve()
  const apply = async (next: ReachSettingsT): Promise<void> => {
    if (live.drivers) await discovery?.reconfigure(deps.driverSpecs?.(next) ?? [])
    if (live.relays) await relayKeeper?.set(next.relays)
  }
  return {
    'network:status': async () => {
      const services = deps.libp2p.services
      const discovery = services.discovery?.status()
      const ble = deps.ble
      const status: NetworkStatusT = {
        drivers: (discovery?.drivers ?? []).map((d) => ({
          name: d.name,
          running: d.running,
          advertising: d.advertising,
          found: d.found,
          ...(d.lastFoundAt != null ? { lastFoundAt: d.lastFoundAt } : {}),
          ...(d.lastFoundPeer != null ? { lastFoundPeer: d.lastFoundPeer } : {}),
          ...(d.lastErrorAt != null ? { lastErrorAt: d.lastErrorAt } : {}),
          ...(d.lastError != null ? { lastError: d.lastError.slice(0, 300) } : {}),
          ...(d.detail != null ? { detail: d.detail } : {})
        })),
        relays: services.relayKeeper?.status().map((r) => ({
          relay: r.relay,
          reserved: r.reserved,
          failures: r.failures,
          ...(r.lastError != null ? { lastError: r.lastError.slice(0, 300) } : {})
        })) ?? [],
        ...(services.rendezvousServer != null ? { rendezvousServer: services.rendezvousServer.stats() } : {}),
        advertised: discovery?.advertised ?? 0,
        watched: discovery?.watched ?? 0,
        ble: ble != null ? { driver: ble.name, ...ble.status() } : null,
        servesRendezvous: services.rendezvousServer != null,
        servesRelay: services.relay != null
      }
      return status
    },
    'network:settings:get': async () => withRestart(storedReachSettings(deps.settings)),
    'network:settings:set': async (patch) => {
      // Stored addresses are parsed at every start: one that does not parse would stop the node starting.
      for (const a of [...(patch.rendezvousServers ?? []), ...(patch.relays ?? [])]) {
        try {
          multiaddr(a)
        } catch {
          throw new ApiError(ErrorCode.INVALID_PARAMS, `not a multiaddr: ${a.slice(0, 120)}`)
        }
      }
      const next = { ...storedReachSettings(deps.settings), ...patch }
      deps.settings.setMany([
        [KEY.lan, String(next.lan)],
        [KEY.dht, String(next.dht)],
        [KEY.rendezvousServers, JSON.stringify([...new Set(next.rendezvousServers)])],
        [KEY.relays, JSON.stringify([...new Set(next.relays)])],
        [KEY.ble, String(next.ble)]
      ])
      const stored = storedReachSettings(deps.settings)
      // Serialized: two quick toggles apply in the order they were made.
      const run = applying.then(async () => apply(effective(stored)))
      applying = run.catch(() => {})
      await run
      return withRestart(stored)
    }
  }
}

function sameList(a: string[], b: string[]): boolean {
  const list = (x: string[]) => [...new Set(x)].sort().join('\n')
  return list(a) === list(b)
}
