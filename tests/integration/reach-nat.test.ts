/**
 * NAT traversal across network namespaces. An "internet" bridge (its own namespace) joins a relay R
 * (`--serve-rendezvous --relay`) and NAT routers (iptables MASQUERADE, inbound dropped unless related).
 *
 * Addresses: see tests/support/reach-scenarios.ts (the internet segment is 11.213.0.0/24, inside the lab only).
 *
 * 1. A and B both behind NATs: they meet through R (rendezvous) and chat over the relay. js-libp2p dials
 *    TCP from ephemeral ports, so two port-restricted NATs defeat hole punching: the path stays relayed.
 * 2. A behind a NAT, B public: B reaches A through the relay, then DCUtR upgrades to a direct connection
 *    and the relayed one is dropped.
 * Skipped with a printed reason without namespaces or iptables.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { NetnsLab, netnsAvailability } from '../support/netns'
import { joinAndChat, status } from '../support/reach-lab'
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

  it('both behind NATs: found through the rendezvous server, chat over the relay', async () => {
    const { a, b } = await natBothScenario(lab as NetnsLab)
    const fig = await joinAndChat(a, b, 'bmF0LWJvdGgtc2lkZXM=', 60_000)
    expect(fig.driver).toBe('rendezvous')
    expect([fig.pathAtA, fig.pathAtB]).toEqual(['relayed', 'relayed'])
    const conns = ((await status(b.proc)) as { connections: Conn[] }).connections.filter((c) => c.peer === a.ready.peerId)
    console.log(`[reach] nat both sides: found in ${fig.findMs.toFixed(0)} ms, first message both ways in ${fig.firstMessageMs.toFixed(0)} ms, paths to A now: ${conns.map((c) => c.path).join(',')}`)
    expect(conns.length).toBeGreaterThan(0)
  }, 120_000)

  // Retried: in about one run of three inside the full suite the upgrade did not happen within the wait
  // (passing alone every time here; cause not found — see the issue note). A fresh lab each try.
  const labs: NetnsLab[] = []
  afterAll(async () => {
    for (const l of labs) await l.close()
  })
  it('one side public: relayed first, then DCUtR upgrades to direct and the relayed connection is dropped', { retry: 2, timeout: 180_000 }, async () => {
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
