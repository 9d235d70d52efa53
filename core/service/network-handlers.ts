/**
 * `network:*` (core/api/contract-network.ts): the Network panel's view of discovery drivers and the
 * BLE radio, and the user's reach settings. Settings are stored under `reach.*` in the settings
 * table and read by the composition root at the next start (see `storedReachSettings`).
 */
import type { NetworkStatusT, ReachSettingsT } from '../api/contract-network'
import type { BleDriver } from '../net/ble/driver'
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
}

type NetworkHandlers = Pick<ApiHandlers, 'network:status' | 'network:settings:get' | 'network:settings:set'>

export function createNetworkHandlers(deps: NetworkHandlerDeps): NetworkHandlers {
  const withRestart = (s: ReachSettingsT) => ({ ...s, restartRequired: !sameSettings(s, deps.running) })
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
          ...(d.lastError != null ? { lastError: d.lastError.slice(0, 300) } : {})
        })),
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
      const next = { ...storedReachSettings(deps.settings), ...patch }
      deps.settings.setMany([
        [KEY.lan, String(next.lan)],
        [KEY.dht, String(next.dht)],
        [KEY.rendezvousServers, JSON.stringify([...new Set(next.rendezvousServers)])],
        [KEY.relays, JSON.stringify([...new Set(next.relays)])],
        [KEY.ble, String(next.ble)]
      ])
      return withRestart(storedReachSettings(deps.settings))
    }
  }
}

function sameSettings(a: ReachSettingsT, b: ReachSettingsT): boolean {
  const list = (x: string[]) => [...new Set(x)].sort().join('\n')
  return a.lan === b.lan && a.dht === b.dht && a.ble === b.ble && list(a.rendezvousServers) === list(b.rendezvousServers) && list(a.relays) === list(b.relays)
}
