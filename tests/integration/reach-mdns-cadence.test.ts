// mDNS query cadence (core/net/discovery/mdns-driver.ts, issue 8): a node that hears nothing new backs
// off to maxInterval; a newcomer is still heard at once (its start query is answered by everyone, and
// its own answer reaches everyone), which brings the fast cadence back; wake() does too. Real sockets:
// multicast on the host's interfaces, a service tag of this run's own so no other node answers.
import { randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { createLibp2pNode, peerKeyFromSeed, type BertyLibp2p } from '../../core/net/libp2p'
import { mdnsDriver } from '../../core/net/discovery/mdns-driver'

const running: BertyLibp2p[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((n) => n.stop()))
})

const tag = `_berty-cadence-${randomBytes(4).toString('hex')}._udp.local`
// FAST is at least the driver's minimum gap between two queries (1 s), so a fixed cadence really
// would send one query per FAST and the back-off is what keeps the count low.
const FAST = 1_000
const MAX = 4_000

async function node(init: Parameters<typeof mdnsDriver>[0] = {}): Promise<BertyLibp2p> {
  const reach = { discovery: { drivers: [mdnsDriver({ serviceTag: tag, interval: FAST, maxInterval: MAX, ...init })] }, holePunching: false, autonat: false }
  const n = await createLibp2pNode({ privateKey: await peerKeyFromSeed(randomBytes(32)), listen: ['/ip4/127.0.0.1/tcp/0'], webrtc: false, reach, start: true })
  running.push(n)
  return n
}

const mdnsDetail = (n: BertyLibp2p): Record<string, number> => (n.services.discovery!.status().drivers.find((d) => d.name === 'mdns')!.detail ?? {}) as Record<string, number>

async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

describe('mDNS query cadence', () => {
  it('backs off while nothing new is heard; a newcomer is heard at once and resets it; wake() resets it', async () => {
    const started = Date.now()
    const a = await node()
    // Alone: 1, 2, 4 s… then MAX. Waited for, not timed: a loaded machine only makes it later.
    await until(() => mdnsDetail(a).queryIntervalMs === MAX, 20_000, 'A backs off to its slowest cadence')
    await new Promise((r) => setTimeout(r, 3 * MAX))
    const alone = mdnsDetail(a)
    const elapsed = Date.now() - started
    expect(alone.queryIntervalMs).toBe(MAX)
    expect(alone.queries).toBeGreaterThanOrEqual(3)
    // A fixed cadence would have sent one query per FAST ms (≥ 15 by now); the back-off about half that.
    expect(alone.queries).toBeLessThanOrEqual(Math.floor(elapsed / FAST / 2))

    // A newcomer: A hears it within a second or two, though A is at its slowest cadence.
    const t0 = Date.now()
    const b = await node()
    await until(() => mdnsDetail(a).lanPeersHeard === 1 && mdnsDetail(b).lanPeersHeard === 1, 5_000, 'both hear each other')
    expect(Date.now() - t0).toBeLessThan(MAX + 2_000)
    // Hearing a new peer brings A back to the fast cadence at its next query.
    await until(() => (mdnsDetail(a).queryIntervalMs ?? MAX) <= 2 * FAST, MAX * 2, 'A back to the fast cadence')

    // Both back off again once nothing changes; then a wake() (network change, resume) queries at once
    // (or within the 1 s that merges a burst of wakes into one query) and starts over at the fast cadence.
    await until(() => mdnsDetail(a).queryIntervalMs === MAX, 20_000, 'A backed off again')
    const before = mdnsDetail(a).queries ?? 0
    a.services.discovery!.wake()
    expect(mdnsDetail(a).queryIntervalMs).toBe(FAST)
    // The query is due at once, or at most 1 s after the previous one; without wake() the next would
    // come MAX (4 s ± 10 %) after it. 3 s leaves a loaded machine 2 s of lateness and still tells them apart.
    await until(() => (mdnsDetail(a).queries ?? 0) > before, 3_000, 'a query right after wake()')
  }, 90_000)

  it('a LAN peer gone frees its place: maxLanPeers counts the peers connected now, not every one ever dialled', async () => {
    const a = await node({ maxLanPeers: 1 })
    const b = await node()
    await until(() => a.getConnections(b.peerId).length > 0, 10_000, 'A and B connected over mDNS')
    await b.stop()
    await until(() => a.getConnections(b.peerId).length === 0, 10_000, 'B gone')
    // C never dials by itself (its own cap is 0): only A's dial can connect them.
    const c = await node({ maxLanPeers: 0 })
    await until(() => a.getConnections(c.peerId).length > 0, 15_000, 'A dials C, its one LAN place being free again')
    expect(mdnsDetail(a).lanPeersDialled).toBe(1)
  }, 60_000)

  it('maxInterval ≤ interval keeps the fixed cadence of @libp2p/mdns (the bench baseline)', async () => {
    const a = await node({ maxInterval: 0 })
    const d = mdnsDetail(a)
    expect(d.queries).toBeUndefined()
    expect(d.queryIntervalMs).toBeUndefined()
  })
})
