// The Network panel's API: per-driver discovery status and the BLE line (`network:status`), and the
// user's reach settings (`network:settings:*`), stored by the node and applied at its next start.
import { afterEach, describe, expect, it } from 'vitest'
import { startNode, stopAll } from './helpers'

afterEach(stopAll)

const SERVER = '/ip4/127.0.0.1/tcp/4999/p2p/12D3KooWHFrmLWTTDD4NodngtRMEVYgxrsDMp4F9kAbV3eyYQ7ZK'

describe('network API', () => {
  it('reports every discovery driver and applies stored reach settings at the next start', async () => {
    const a = await startNode('a', { reachSettings: { mdnsServiceTag: `t-${Date.now()}` } })
    const status = await a.call('network:status', {})
    expect(status.drivers.map((d) => d.name).sort()).toEqual(['dht', 'localrecord', 'mdns'])
    expect(status.drivers.every((d) => d.running)).toBe(true)
    expect(status.ble).toBeNull()
    expect(status.servesRendezvous).toBe(false)

    expect(await a.call('network:settings:get', {})).toEqual({ lan: true, dht: true, rendezvousServers: [], relays: [], ble: false, restartRequired: false })
    const saved = await a.call('network:settings:set', { dht: false, rendezvousServers: [SERVER] })
    expect(saved).toEqual({ lan: true, dht: false, rendezvousServers: [SERVER], relays: [], ble: false, restartRequired: true })
    // Not applied until the next start: the DHT driver still runs.
    expect((await a.call('network:status', {})).drivers.map((d) => d.name)).toContain('dht')

    await a.restart()
    const after = await a.call('network:status', {})
    expect(after.drivers.map((d) => d.name).sort()).toEqual(['localrecord', 'mdns', 'rendezvous'])
    expect(await a.call('network:settings:get', {})).toMatchObject({ dht: false, rendezvousServers: [SERVER], restartRequired: false })
  })

  it('opens the machine radio when Bluetooth is turned on, and shows why it is unusable here', async () => {
    // The real hardware driver (noble/BlueZ): this machine has no Bluetooth, so it reports that honestly.
    const bleFactory = async () => (await import('../../core/net/ble/from-spec')).createBleDriver({ kind: 'hw' })
    const a = await startNode('a', { reachSettings: {}, bleFactory })
    expect((await a.call('network:status', {})).ble).toBeNull()
    expect(await a.call('network:settings:set', { ble: true })).toMatchObject({ ble: true, restartRequired: true })
    await a.restart()
    const { ble } = await a.call('network:status', {})
    expect(ble).not.toBeNull()
    expect(ble!.state).not.toBe('ready')
    expect(ble!.reason).toBeTruthy()
    expect(await a.call('network:settings:get', {})).toMatchObject({ ble: true, restartRequired: false })
    expect(a.warnings.some((w) => w.includes('ble: radio not available'))).toBe(true)
  })

  it('refuses server and relay addresses that do not name a peer', async () => {
    const a = await startNode('a')
    await expect(a.call('network:settings:set', { relays: ['/ip4/127.0.0.1/tcp/1'] })).rejects.toThrow(/INVALID_PARAMS.*p2p/)
    await expect(a.call('network:settings:set', { rendezvousServers: Array(17).fill(SERVER) })).rejects.toThrow(/INVALID_PARAMS/)
    await expect(a.call('network:settings:set', { lan: false, extra: 1 } as never)).rejects.toThrow(/INVALID_PARAMS/)
    expect(await a.call('network:settings:get', {})).toMatchObject({ lan: true, relays: [] })
  })
})
