/**
 * NAT traversal across network namespaces. An "internet" bridge (its own namespace) joins a relay R
 * (`--serve-rendezvous --relay`) and NAT routers (iptables MASQUERADE, inbound dropped unless related).
 *
 * Addresses: see tests/support/reach-scenarios.ts (the internet segment is 11.213.0.0/24, inside the lab only).
 *
 * 1. A and B both behind NATs: they meet through R (rendezvous) and chat over the relay. js-libp2p dials
 *    TCP and QUIC from sockets other than its listening ones, so DCUtR cannot punch two NATs; WebRTC can
 *    (ICE, with R answering STUN): through port-preserving NATs (MASQUERADE) the path becomes `webrtc`;
 *    through symmetric ones (MASQUERADE --random) that is impossible and the test says so, relayed.
 * 2. A behind a NAT, B public: B reaches A through the relay, then DCUtR upgrades to a direct connection
 *    and the relayed one is dropped.
 * Skipped with a printed reason without namespaces or iptables.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { NetnsLab, netnsAvailability } from '../support/netns'
import { joinAndChat, status, type Host } from '../support/reach-lab'
import { natBothScenario, natOneSideScenario } from '../support/reach-scenarios'

const avail = netnsAvailability(true)
if (!avail.ok) console.warn(`reach-nat skipped: ${avail.reason}`)

interface Conn {
  peer: string
  path: string
}

describe.skipIf(!avail.ok)('reach: NATs, relay and hole punching', () => {
  const lab = avail.ok ? new NetnsLab() : undefined
  afterAll(async () => lab?.close())
  const labs: NetnsLab[] = []
  afterAll(async () => {
    for (const l of labs) await l.close()
  })

  /** Waits until every connection B has to A is on `path`; returns them. */
  async function onlyPath(b: Host, a: Host, path: string): Promise<Conn[]> {
    for (;;) {
      const conns = ((await status(b.proc)) as { connections: Conn[] }).connections.filter((c) => c.peer === a.ready.peerId)
      if (conns.length > 0 && conns.every((c) => c.path === path)) return conns
      await b.proc.next((m) => m.event === 'disconnect' || m.event === 'connect', 5_000).catch(() => undefined)
    }
  }

  it('both behind port-preserving NATs: relayed first, then a direct WebRTC path punched with the relay’s STUN', async () => {
    const { a, b } = await natBothScenario(lab as NetnsLab, { webrtc: true })
    const t0 = performance.now()
    const fig = await joinAndChat(a, b, 'bmF0LWJvdGgtc2lkZXM=', 60_000)
    expect(fig.driver).toBe('rendezvous')
    // B dialled A through R; B's path upgrade then dials A's /p2p-circuit/webrtc address: SDP over the
    // relay, ICE with server-reflexive candidates from R's STUN, through both NATs.
    await b.proc.next((m) => m.event === 'connect' && m.peer === a.ready.peerId && m.path === 'webrtc', 60_000)
    const upgradeMs = performance.now() - t0
    const order = (path: string): number => b.proc.lines.findIndex((m) => m.event === 'connect' && m.peer === a.ready.peerId && m.path === path)
    expect(order('relayed')).toBeGreaterThanOrEqual(0)
    expect(order('webrtc')).toBeGreaterThan(order('relayed'))
    await onlyPath(b, a, 'webrtc')
    b.proc.send({ cmd: 'send', peer: a.ready.peerId, text: 'punched' })
    const msg = await a.proc.next<{ path: string }>((m) => m.event === 'message' && m.text === 'punched', 30_000)
    expect(msg.path).toBe('webrtc')
    console.log(`[reach] nat both sides (port-preserving): first message both ways in ${fig.firstMessageMs.toFixed(0)} ms over ${fig.pathAtA}; direct WebRTC ${upgradeMs.toFixed(0)} ms after the watch; later messages carried by: ${msg.path}`)
  }, 180_000)

  it('both behind symmetric NATs (MASQUERADE --random): no hole punching is possible, the relay carries the chat', async () => {
    const sym = new NetnsLab()
    labs.push(sym)
    const { a, b } = await natBothScenario(sym, { webrtc: true, symmetric: true, tag: '3' })
    const fig = await joinAndChat(a, b, 'bmF0LXN5bW1ldHJpYw==', 60_000)
    expect(fig.driver).toBe('rendezvous')
    expect([fig.pathAtA, fig.pathAtB]).toEqual(['relayed', 'relayed'])
    // Each NAT gives a new outside port per destination: the port R's STUN saw is not the one the other
    // side's checks reach, so ICE fails. The upgrade is tried and reported failed; the path stays relayed.
    const deadline = Date.now() + 90_000
    for (;;) {
      const up = ((await status(b.proc)) as { pathUpgrade?: { upgraded: number; failed: number } }).pathUpgrade
      expect(up?.upgraded).toBe(0)
      if ((up?.failed ?? 0) > 0) break
      if (Date.now() > deadline) throw new Error('no WebRTC upgrade attempt within 90 s')
      await new Promise((r) => setTimeout(r, 1_000))
    }
    const conns = await onlyPath(b, a, 'relayed')
    b.proc.send({ cmd: 'send', peer: a.ready.peerId, text: 'still relayed' })
    const msg = await a.proc.next<{ path: string }>((m) => m.event === 'message' && m.text === 'still relayed', 30_000)
    expect(msg.path).toBe('relayed')
    console.log(`[reach] nat both sides (symmetric): hole punching impossible by NAT type; first message both ways in ${fig.firstMessageMs.toFixed(0)} ms, messages carried by: ${msg.path} (${conns.length} connection(s))`)
  }, 180_000)

  // Was flaky (one run in three, retried twice). Seen here: B waited 60 s for A's reply although both had
  // found each other: A's reply went out on the relayed connection just as DCUtR closed it for the new
  // direct one, and the test host sent once. The host now resends on a fresh connection (as group sync
  // does). Runs without retry at load 8–23: 4/4 before the path upgrade also dialled B's own address,
  // 1 failure in 2 after it (two direct dials, more closing races), 3/3 with the resend. No retry any more.
  it('one side public: relayed first, then DCUtR upgrades to direct and the relayed connection is dropped', { timeout: 180_000 }, async () => {
    const fresh = new NetnsLab()
    labs.push(fresh)
    const { a, b } = await natOneSideScenario(fresh)
    const t0 = performance.now()
    const fig = await joinAndChat(a, b, 'bmF0LW9uZS1zaWRl', 60_000)
    expect(fig.driver).toBe('rendezvous')
    // The direct connection: A (behind its NAT) dials B's public address once DCUtR runs.
    await b.proc.next((m) => m.event === 'connect' && m.peer === a.ready.peerId && m.path === 'direct', 30_000)
    const upgradeMs = performance.now() - t0
    // Relayed first (A's own address is behind its NAT), direct afterwards.
    const order = (path: string): number => b.proc.lines.findIndex((m) => m.event === 'connect' && m.peer === a.ready.peerId && m.path === path)
    expect(order('relayed')).toBeGreaterThanOrEqual(0)
    expect(order('direct')).toBeGreaterThan(order('relayed'))
    // The relayed connection goes once the direct one exists.
    for (;;) {
      const conns = ((await status(b.proc)) as { connections: Conn[] }).connections.filter((c) => c.peer === a.ready.peerId)
      if (conns.every((c) => c.path === 'direct')) break
      await b.proc.next((m) => m.event === 'disconnect' || m.event === 'connect', 30_000).catch(() => undefined)
    }
    b.proc.send({ cmd: 'send', peer: a.ready.peerId, text: 'direct now' })
    const msg = await a.proc.next<{ path: string }>((m) => m.event === 'message' && m.text === 'direct now', 30_000)
    expect(msg.path).toBe('direct')
    console.log(`[reach] nat one side: first message both ways in ${fig.firstMessageMs.toFixed(0)} ms (over ${fig.pathAtA}), direct connection ${upgradeMs.toFixed(0)} ms after the watch`)
  })
})
