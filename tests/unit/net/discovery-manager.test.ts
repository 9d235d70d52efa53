/**
 * The discovery manager ("tinder") against in-test drivers: fan-out, re-advertise before TTL expiry,
 * dedup across drivers, watch → 'peer' events and dials with per-peer backoff, stop ends every loop.
 */
import { generateKeyPair } from '@libp2p/crypto/keys'
import { TypedEventEmitter, type Connection, type PeerId, type PeerInfo } from '@libp2p/interface'
import { defaultLogger } from '@libp2p/logger'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { describe, expect, it } from 'vitest'
import { discovery, type DiscoveryComponents, type FoundPeer } from '../../../core/net/discovery/discovery'
import { PeerDialer } from '../../../core/net/discovery/dialer'
import { StatusTracker, type DiscoveryDriver } from '../../../core/net/discovery/driver'

async function peer(): Promise<PeerId> {
  return peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
}

/** A driver whose answers the test sets; records calls and lets the test await the n-th advertise. */
class ScriptedDriver implements DiscoveryDriver {
  readonly tracker: StatusTracker
  advertised: Array<{ ns: string; ttlMs: number }> = []
  finds = 0
  private waiters: Array<{ n: number; resolve: () => void }> = []
  private findWaiters: Array<{ n: number; resolve: () => void }> = []
  constructor(readonly name: string, public peers: PeerInfo[], private readonly grantMs: number) {
    this.tracker = new StatusTracker(name)
  }

  async advertise(ns: string, ttlMs: number): Promise<number> {
    this.advertised.push({ ns, ttlMs })
    for (const w of this.waiters.filter((w) => this.advertised.length >= w.n)) w.resolve()
    return this.grantMs
  }

  async *find(): AsyncIterable<PeerInfo> {
    this.finds++
    for (const w of this.findWaiters.filter((w) => this.finds >= w.n)) w.resolve()
    for (const p of this.peers) {
      this.tracker.foundPeer(p)
      yield p
    }
  }

  status() {
    return this.tracker.snapshot(this.advertised.length)
  }

  nthFind(n: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.finds >= n) resolve()
      else this.findWaiters.push({ n, resolve })
    })
  }

  nthAdvertise(n: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.advertised.length >= n) resolve()
      else this.waiters.push({ n, resolve })
    })
  }
}

function components(self: PeerId, dial: (id: PeerId) => Promise<void>): DiscoveryComponents & { dials: string[] } {
  const dials: string[] = []
  const connected = new Set<string>()
  return {
    dials,
    peerId: self,
    peerStore: { merge: async () => ({}) } as unknown as DiscoveryComponents['peerStore'],
    connectionManager: {
      async openConnection(target) {
        const id = target as PeerId
        dials.push(id.toString())
        await dial(id)
        connected.add(id.toString())
        return {} as Connection
      },
      getConnections: (id?: PeerId) => (id != null && connected.has(id.toString()) ? [{} as Connection] : [])
    },
    events: new TypedEventEmitter(),
    logger: defaultLogger(),
    addressManager: { getAddresses: () => [] } as unknown as DiscoveryComponents['addressManager'],
    registrar: { handle: async () => {}, unhandle: async () => {} },
    contentRouting: {} as DiscoveryComponents['contentRouting']
  }
}

describe('discovery manager', () => {
  it('advertises on every driver and re-advertises at 4/5 of the granted TTL', async () => {
    const self = await peer()
    const a = new ScriptedDriver('a', [], 1_250)
    const b = new ScriptedDriver('b', [], 1_250)
    const d = discovery({ drivers: [() => a, () => b] })(components(self, async () => {}))
    await d.start()
    const t0 = Date.now()
    d.advertise('ns-1', { ttlMs: 60_000 })
    await Promise.all([a.nthAdvertise(2), b.nthAdvertise(2)])
    // Granted 1.25 s → next advertise after 1 s, not before.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950)
    expect(a.advertised[0]).toEqual({ ns: 'ns-1', ttlMs: 60_000 })
    expect(d.status().advertised).toBe(1)
    await d.stop()
    expect(d.status().advertised).toBe(0)
    const after = a.advertised.length
    await new Promise((r) => setImmediate(r))
    expect(a.advertised.length).toBe(after)
  })

  it('re-advertises when our own addresses change (a relay reservation, a new interface)', async () => {
    const self = await peer()
    const a = new ScriptedDriver('a', [], 3600_000)
    const c = components(self, async () => {})
    const d = discovery({ drivers: [() => a] })(c)
    await d.start()
    d.advertise('ns')
    await a.nthAdvertise(1)
    c.events.safeDispatchEvent('self:peer:update', { detail: {} as never })
    await a.nthAdvertise(2)
    expect(a.advertised.length).toBe(2)
    await d.stop()
  })

  it('find fans out and yields each peer once, never ourselves', async () => {
    const self = await peer()
    const p1 = await peer()
    const p2 = await peer()
    const a = new ScriptedDriver('a', [{ id: p1, multiaddrs: [] }, { id: self, multiaddrs: [] }], 1000)
    const b = new ScriptedDriver('b', [{ id: p1, multiaddrs: [] }, { id: p2, multiaddrs: [] }], 1000)
    const d = discovery({ drivers: [() => a, () => b] })(components(self, async () => {}))
    await d.start()
    const got: FoundPeer[] = []
    for await (const f of d.find('ns')) got.push(f)
    expect(got.map((f) => f.peer.id.toString()).sort()).toEqual([p1.toString(), p2.toString()].sort())
    expect(d.status().drivers.map((s) => s.name)).toEqual(['a', 'b'])
    await d.stop()
  })

  it('watch emits a peer once and dials it; a failing peer is retried only after its backoff', async () => {
    const self = await peer()
    const p1 = await peer()
    const a = new ScriptedDriver('a', [{ id: p1, multiaddrs: [] }], 1000)
    const c = components(self, async () => {})
    const d = discovery({ drivers: [() => a], findInterval: { minMs: 10, maxMs: 20 } })(c)
    await d.start()
    const first = new Promise<FoundPeer>((resolve) => d.addEventListener('peer', (e) => resolve(e.detail), { once: true }))
    d.watch('ns')
    expect((await first).peer.id.equals(p1)).toBe(true)
    // Dialled once; later rounds (two more lookups) see it connected and do not redial.
    await a.nthFind(3)
    expect(c.dials).toEqual([p1.toString()])
    await d.stop()

    let clock = 0
    const failing = components(self, async () => { throw new Error('unreachable') })
    const dialer = new PeerDialer(self, failing.peerStore, failing.connectionManager, { minMs: 1000, maxMs: 8000 }, () => clock)
    const signal = new AbortController().signal
    expect(await dialer.dial({ id: p1, multiaddrs: [] }, signal)).toBe('failed')
    expect(await dialer.dial({ id: p1, multiaddrs: [] }, signal)).toBe('backoff')
    clock += 1300
    expect(await dialer.dial({ id: p1, multiaddrs: [] }, signal)).toBe('failed')
    clock += 1300
    expect(await dialer.dial({ id: p1, multiaddrs: [] }, signal)).toBe('backoff')
    // New addresses (say, a relay reservation) deserve a try at once.
    expect(await dialer.dial({ id: p1, multiaddrs: [multiaddr('/ip4/10.213.0.9/tcp/1')] }, signal)).toBe('failed')
    dialer.reset()
    expect(await dialer.dial({ id: p1, multiaddrs: [] }, signal)).toBe('failed')
    expect(await dialer.dial({ id: self, multiaddrs: [] }, signal)).toBe('self')
    expect(failing.dials.length).toBe(4)
  })

  it('backs off while lookups bring nothing new, though they report a peer with varying addresses', async () => {
    const self = await peer()
    const p1 = await peer()
    const listen = multiaddr('/ip4/10.213.0.9/tcp/4001')
    const ephemeral = multiaddr('/ip4/10.213.0.9/tcp/53666')
    // What drivers and DHT responders give in steady state: the listening port, the ephemeral port of a
    // connection the peer opened, both, duplicates, in turn.
    const answers = [[listen], [ephemeral], [listen, listen], [listen, ephemeral], []]
    const a = new ScriptedDriver('a', [], 1000)
    const b = new ScriptedDriver('b', [{ id: p1, multiaddrs: [ephemeral] }], 1000)
    a.find = async function* () {
      this.finds++
      yield { id: p1, multiaddrs: answers[(this.finds - 1) % answers.length]! }
    }
    const d = discovery({ drivers: [() => a, () => b], findInterval: { minMs: 20, maxMs: 60_000 } })(components(self, async () => {}))
    await d.start()
    let events = 0
    d.addEventListener('peer', () => events++)
    d.watch('ns')
    await new Promise((r) => setTimeout(r, 700))
    // Backing off, 20 + 40 + 80 + 160 + 320 ms: at most 6 lookups per driver in 700 ms; without it, ~35.
    expect(a.finds).toBeLessThanOrEqual(6)
    expect(b.finds).toBeLessThanOrEqual(6)
    // Reported once per address it brought: the peer, then its second address.
    expect(events).toBe(2)
    // A truly new address (a relay reservation) is news again.
    answers.push([multiaddr('/ip4/10.213.0.1/tcp/4001/p2p/' + p1.toString() + '/p2p-circuit')])
    const before = events
    const next = new Promise<void>((resolve) => d.addEventListener('peer', () => resolve(), { once: true }))
    // Looked up at once (a wake: the network changed) until the answer with it comes round.
    const waking = setInterval(() => d.wake(), 30)
    await next
    clearInterval(waking)
    expect(events).toBe(before + 1)
    await d.stop()
  })

  it('refuses empty and oversized namespaces and duplicate driver names', async () => {
    const self = await peer()
    const d = discovery({ drivers: [] })(components(self, async () => {}))
    expect(() => d.advertise('')).toThrow(TypeError)
    expect(() => d.watch('x'.repeat(257))).toThrow(TypeError)
    const a = new ScriptedDriver('a', [], 1000)
    expect(() => discovery({ drivers: [() => a, () => a] })(components(self, async () => {}))).toThrow(/two discovery drivers/)
  })

  it('reconfigures drivers live: a new one takes over current namespaces, a removed one stops and withdraws', async () => {
    const self = await peer()
    const p1 = await peer()
    const a = new ScriptedDriver('a', [], 3600_000)
    const b = new ScriptedDriver('b', [{ id: p1, multiaddrs: [] }], 3600_000)
    const b2 = new ScriptedDriver('b', [], 3600_000)
    for (const x of [a, b, b2]) x.tracker.running = true
    const withdrawn: string[] = []
    const stopped: string[] = []
    Object.assign(b, { unadvertise: async (ns: string) => void withdrawn.push(ns), stop: () => void stopped.push('b') })
    const d = discovery({ drivers: [{ name: 'a', key: '', make: () => a }] })(components(self, async () => {}))
    await d.start()
    d.advertise('ns-1')
    const found = new Promise<FoundPeer>((resolve) => d.addEventListener('peer', (e) => resolve(e.detail), { once: true }))
    d.watch('ns-w')
    await a.nthAdvertise(1)

    // b turned on: advertises ns-1 and watches ns-w without being asked again.
    await d.reconfigure([{ name: 'a', key: '', make: () => a }, { name: 'b', key: 'x', make: () => b }])
    await b.nthAdvertise(1)
    expect(b.advertised[0]?.ns).toBe('ns-1')
    expect((await found).driver).toBe('b')
    expect(d.status().drivers.map((s) => [s.name, s.running])).toEqual([['a', true], ['b', true]])

    // b's configuration changes: the old one withdraws and stops, the new one takes over.
    await d.reconfigure([{ name: 'a', key: '', make: () => a }, { name: 'b', key: 'y', make: () => b2 }])
    expect(withdrawn).toEqual(['ns-1'])
    expect(stopped).toEqual(['b'])
    await b2.nthAdvertise(1)
    const advertisedByOldB = b.advertised.length
    const findsByOldB = b.finds

    // a turned off: listed as not running, no more advertising or finding through it.
    await d.reconfigure([{ name: 'b', key: 'y', make: () => b2 }])
    expect(d.status().drivers.find((s) => s.name === 'a')?.running).toBe(false)
    const aFinds = a.finds
    for await (const _ of d.find('ns-2')) void _
    expect(a.finds).toBe(aFinds)
    expect(b.finds).toBe(findsByOldB)
    expect(b.advertised.length).toBe(advertisedByOldB)
    // Back on: the same driver starts again and re-advertises.
    await d.reconfigure([{ name: 'a', key: '', make: () => a }, { name: 'b', key: 'y', make: () => b2 }])
    expect(d.status().drivers.find((s) => s.name === 'a')?.running).toBe(true)
    await a.nthAdvertise(2)
    await d.stop()
  })
})
