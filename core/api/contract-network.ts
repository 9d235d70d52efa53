/**
 * Network panel and reach settings (issue 10 "UI and API", issue 14 "status line"): what each
 * discovery driver does, the BLE radio's honest status, and which drivers, rendezvous servers and
 * relays the node uses. Reach settings are stored by the node and applied at once (drivers start and
 * stop, servers and relays are added and removed); what only a restart applies (the Bluetooth radio)
 * is flagged `restartRequired` with its reason.
 */
import { z } from 'zod'

const empty = z.object({}).strict()

/** A `/p2p/<id>`-terminated multiaddr of a rendezvous server or relay the user names. */
const serverAddr = z
  .string()
  .min(2)
  .max(1024)
  .regex(/^\/.+\/p2p\/[1-9A-HJ-NP-Za-km-z]{40,60}$/, 'expected a multiaddr ending in /p2p/<peer id>')

export const DriverStatus = z.object({
  /** 'mdns', 'localrecord', 'dht', 'rendezvous'. */
  name: z.string(),
  running: z.boolean(),
  advertising: z.number().int().nonnegative(),
  found: z.number().int().nonnegative(),
  lastFoundAt: z.number().optional(),
  lastFoundPeer: z.string().optional(),
  lastErrorAt: z.number().optional(),
  lastError: z.string().optional(),
  /** Driver figures, e.g. `provides` (DHT), `servers` (rendezvous), `lanPeersHeard` (mDNS). */
  detail: z.record(z.string(), z.union([z.number(), z.string()])).optional()
})

export const RelayStatus = z.object({
  /** The relay's multiaddr as configured. */
  relay: z.string(),
  /** A reservation is held: peers can reach us through it. */
  reserved: z.boolean(),
  /** Failed attempts since the last success (backoff grows with it). */
  failures: z.number().int().nonnegative(),
  lastError: z.string().optional()
})

export const RendezvousServerStatus = z.object({
  registrations: z.number().int().nonnegative(),
  peers: z.number().int().nonnegative(),
  refused: z.number().int().nonnegative(),
  subscriptions: z.number().int().nonnegative()
})

export const BleRadioStatus = z.object({
  /** Driver name, e.g. 'sim', 'noble+bluez'. */
  driver: z.string(),
  state: z.enum(['unsupported', 'powered-off', 'unauthorized', 'ready']),
  reason: z.string().optional()
})

export const NetworkStatus = z.object({
  drivers: z.array(DriverStatus),
  /** Namespaces (rendezvous points) advertised and watched. */
  advertised: z.number().int().nonnegative(),
  watched: z.number().int().nonnegative(),
  /** Null when this node runs without a radio. */
  ble: BleRadioStatus.nullable(),
  /** This node serves rendezvous / circuit relay for others. */
  servesRendezvous: z.boolean(),
  servesRelay: z.boolean(),
  /** The relays this node reserves on, and whether it holds a reservation on each. */
  relays: z.array(RelayStatus),
  /** When this node serves rendezvous: what it holds. */
  rendezvousServer: RendezvousServerStatus.optional()
})

export const ReachSettings = z.object({
  /** mDNS + local records on the LAN. */
  lan: z.boolean(),
  /** The DHT (an internet driver: off for LAN-only use). */
  dht: z.boolean(),
  rendezvousServers: z.array(serverAddr).max(16),
  relays: z.array(serverAddr).max(16),
  /** Use this machine's Bluetooth LE adapter (hosts that can offer one: the desktop app). */
  ble: z.boolean()
})

/** Stored settings, and whether part of them waits for a restart (and why). */
const SettingsResult = ReachSettings.extend({ restartRequired: z.boolean(), restartReason: z.string().optional() })

export const networkMethods = {
  'network:status': { params: empty, result: NetworkStatus },
  'network:settings:get': { params: empty, result: SettingsResult },
  'network:settings:set': { params: ReachSettings.partial().strict(), result: SettingsResult }
} as const

export type NetworkStatusT = z.output<typeof NetworkStatus>
export type ReachSettingsT = z.output<typeof ReachSettings>
