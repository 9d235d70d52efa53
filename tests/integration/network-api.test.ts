// The Network panel's API: per-driver discovery status, relays and the BLE line (`network:status`), and
// the user's reach settings (`network:settings:*`), stored by the node and applied live (Bluetooth at the
// next start, which the result says with its reason).
import { afterEach, describe, expect, it } from 'vitest'
import { startNode, stopAll } from './helpers'

/** Polls `check` (network state changes emit no API event) until it holds. */
async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`not within ${timeoutMs} ms: ${what}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

afterEach(stopAll)

const SERVER = '/ip4/127.0.0.1/tcp/4999/p2p/12D3KooWHFrmLWTTDD4NodngtRMEVYgxrsDMp4F9kAbV3eyYQ7ZK'

describe('network API', () => {
  it('reports every discovery driver and applies reach settings live: DHT off, rendezvous servers and relays added and removed', async () => {
    // S: an always-on friend serving rendezvous and relay. A: a person who names it in the Network panel.
    const tag = `t-${Date.now()}`
    const s = await startNode('s', { reachSettings: { lan: false, dht: false, serveRendezvous: true, relay: true, mdnsServiceTag: tag } })
    const sAddr = (await s.call('node:info', {})).addrs[0]!
    const a = await startNode('a', { reachSettings: { mdnsServiceTag: tag } })
    const status = await a.call('network:status', {})
    expect(status.drivers.map((d) => d.name).sort()).toEqual(['dht', 'localrecord', 'mdns'])
    expect(status.drivers.every((d) => d.running)).toBe(true)
    expect(status.ble).toBeNull()
    expect(status.servesRendezvous).toBe(false)
    expect(status.relays).toEqual([])
    expect(await a.call('network:settings:get', {})).toEqual({ lan: true, dht: true, rendezvousServers: [], relays: [], ble: false, restartRequired: false })

    await a.call('account:create', { displayName: 'Ann' })
    await a.call('group:create', { name: 'One' })
    const dht = async () => (await a.call('network:status', {})).drivers.find((d) => d.name === 'dht')!
    await eventually('the DHT driver provides', async () => Number((await dht()).detail?.provides ?? 0) > 0)

    // DHT off: applied at once, the driver is listed as stopped and provides nothing more, not even
    // for a group created afterwards.
    expect(await a.call('network:settings:set', { dht: false })).toMatchObject({ dht: false, restartRequired: false })
    const off = await dht()
    expect(off).toMatchObject({ running: false, advertising: 0 })
    await a.call('group:create', { name: 'Two' })
    const advertised = (await a.call('network:status', {})).advertised
    await new Promise((r) => setTimeout(r, 1_500))
    expect((await dht()).detail?.provides).toBe(off.detail?.provides)

    // A rendezvous server added: A's groups get registered there. Removed: the registrations end.
    const registrations = async () => (await s.call('network:status', {})).rendezvousServer?.registrations ?? -1
    expect(await registrations()).toBe(0)
    expect(await a.call('network:settings:set', { rendezvousServers: [sAddr] })).toMatchObject({ rendezvousServers: [sAddr], restartRequired: false })
    const rdv = async () => (await a.call('network:status', {})).drivers.find((d) => d.name === 'rendezvous')
    // Both ends agree: S holds one registration per namespace, A's driver counts them registered.
    await eventually('every namespace registered on S', async () => (await registrations()) === advertised && (await rdv())?.advertising === advertised)
    expect(await rdv()).toMatchObject({ running: true })
    await a.call('network:settings:set', { rendezvousServers: [] })
    expect(await registrations()).toBe(0)
    expect((await rdv())?.running).toBe(false)

    // A relay added: a reservation, and A's circuit address through S. Removed: both gone.
    const circuit = async () => (await a.call('node:info', {})).addrs.some((x) => x.includes('/p2p-circuit'))
    await a.call('network:settings:set', { relays: [sAddr] })
    await eventually('a reservation on S', async () => (await a.call('network:status', {})).relays[0]?.reserved === true)
    expect(await circuit()).toBe(true)
    await a.call('network:settings:set', { relays: [] })
    expect((await a.call('network:status', {})).relays).toEqual([])
    await eventually('the circuit address withdrawn', async () => !(await circuit()), 10_000)

    // DHT back on: it runs again and takes over the groups already advertised.
    await a.call('network:settings:set', { dht: true })
    await eventually('the DHT driver running and providing again', async () => (await dht()).running && Number((await dht()).detail?.provides) > Number(off.detail?.provides))
    // The stored settings are what the next start runs.
    await a.call('network:settings:set', { lan: false })
    await a.restart()
    expect((await a.call('network:status', {})).drivers.map((d) => d.name).sort()).toEqual(['dht'])
    expect(await a.call('network:settings:get', {})).toMatchObject({ lan: false, dht: true, restartRequired: false })
  }, 120_000)

  it('opens the machine radio when Bluetooth is turned on, and shows why it is unusable here', async () => {
    // The real hardware driver (noble/BlueZ): this machine has no Bluetooth, so it reports that honestly.
    const bleFactory = async () => (await import('../../core/net/ble/from-spec')).createBleDriver({ kind: 'hw' })
    const a = await startNode('a', { reachSettings: {}, bleFactory })
    expect((await a.call('network:status', {})).ble).toBeNull()
    expect(await a.call('network:settings:set', { ble: true })).toMatchObject({ ble: true, restartRequired: true, restartReason: expect.stringMatching(/Bluetooth/) })
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
    // Matches the pattern but is no multiaddr: refused before it is stored (it would stop the next start).
    await expect(a.call('network:settings:set', { relays: [`/nope/p2p/${SERVER.split('/p2p/')[1]}`] })).rejects.toThrow(/INVALID_PARAMS.*multiaddr/)
    expect(await a.call('network:settings:get', {})).toMatchObject({ lan: true, relays: [] })
  })
})
