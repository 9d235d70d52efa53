/**
 * Network panel and reach settings (issue 10 "UI and API", issue 14 "status line"): what each
 * discovery driver does, the BLE radio's honest status, and which drivers, rendezvous servers and
 * relays the node uses. Reach settings are stored by the node and take effect at its next start
 * (the hosts build libp2p once); the result says so.
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
  lastError: z.string().optional()
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
  servesRelay: z.boolean()
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

export const networkMethods = {
  'network:status': { params: empty, result: NetworkStatus },
  'network:settings:get': { params: empty, result: ReachSettings.extend({ restartRequired: z.boolean() }) },
  'network:settings:set': { params: ReachSettings.partial().strict(), result: ReachSettings.extend({ restartRequired: z.boolean() }) }
} as const

export type NetworkStatusT = z.output<typeof NetworkStatus>
export type ReachSettingsT = z.output<typeof ReachSettings>
