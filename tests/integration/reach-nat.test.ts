/**
 * NAT traversal across network namespaces. An "internet" bridge (its own namespace) joins a relay R
 * (`--serve-rendezvous --relay`) and NAT routers (iptables MASQUERADE, inbound dropped unless related).
 *
 * Addresses: private sides use 10.213.x.0/24; the internet segment uses 11.213.0.0/24 because js-libp2p's
 * DCUtR and AutoNAT only treat non-reserved addresses as public (every RFC 1918/5737/6598 range counts as
 * private). The segment exists only inside these namespaces, which have no link to the host: no packet
 * can leave the lab.
 *
 * 1. A and B both behind NATs: they meet through R (rendezvous) and chat over the relay. js-libp2p dials
 *    TCP from ephemeral ports, so two port-restricted NATs defeat hole punching: the path stays relayed.
 * 2. A behind a NAT, B public: B reaches A through the relay, then DCUtR upgrades to a direct connection
 *    and the relayed one is dropped.
 * Skipped with a printed reason without namespaces or iptables.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { NetnsLab, netnsAvailability } from '../support/netns'
import { joinAndChat, startHost, status, type Ready } from './reach-netns-helpers'
import type { LabProcess } from '../support/netns'

const avail = netnsAvailability(true)
if (!avail.ok) console.warn(`reach-nat skipped: ${avail.reason}`)

interface Conn {
  peer: string
  path: string
}

describe.skipIf(!avail.ok)('reach: NATs, relay and hole punching', () => {
  const lab = avail.ok ? new NetnsLab() : undefined
  afterAll(async () => lab?.close())

  /** Internet bridge + relay R at 11.213.0.1; returns R's host and its address. */
  async function internet(l: NetnsLab, tag: string): Promise<{ inet: string; relayAddr: string }> {
    const inet = l.ns(`inet${tag}`)
    l.bridge(inet)
    const nsR = l.ns(`r${tag}`)
    l.plug(nsR, inet, '11.213.0.1/24')
    const r = await startHost(l, nsR, { listen: ['/ip4/11.213.0.1/tcp/0'], settings: { lan: false, dht: false, serveRendezvous: true, relay: true } })
    // Its public listen address is announced once confirmed (reachableListenAddrs), just after 'ready'.
    const announced = await r.proc.next<{ addrs: string[] }>((m) => (m.event === 'ready' || m.event === 'addrs') && (m.addrs as string[]).length > 0, 30_000)
    return { inet, relayAddr: announced.addrs[0]! }
  }

  /** A host behind a NAT router: private 10.213.<n>.2, router public 11.213.0.<pub>. */
  async function natted(l: NetnsLab, inet: string, name: string, n: number, pub: number, relayAddr: string): Promise<{ proc: LabProcess; ready: Ready }> {
    const nat = l.ns(`nat${name}`)
    const host = l.ns(name)
    const out = l.plug(nat, inet, `11.213.0.${pub}/24`)
    l.wire(host, `10.213.${n}.2/24`, nat, `10.213.${n}.1/24`)
    l.masquerade(nat, out)
    l.route(host, 'default', 'via', `10.213.${n}.1`)
    return startHost(l, host, { listen: [`/ip4/10.213.${n}.2/tcp/0`], relays: [relayAddr], settings: { lan: false, dht: false, rendezvousServers: [relayAddr] } })
  }

  it('both behind NATs: found through the rendezvous server, chat over the relay', async () => {
    const l = lab as NetnsLab
    const { inet, relayAddr } = await internet(l, '1')
    const a = await natted(l, inet, 'a', 4, 2, relayAddr)
    const b = await natted(l, inet, 'b', 5, 3, relayAddr)
    const fig = await joinAndChat(a, b, 'bmF0LWJvdGgtc2lkZXM=', 60_000)
    expect(fig.driver).toBe('rendezvous')
    expect([fig.pathAtA, fig.pathAtB]).toEqual(['relayed', 'relayed'])
    const conns = ((await status(b.proc)) as { connections: Conn[] }).connections.filter((c) => c.peer === a.ready.peerId)
    console.log(`[reach] nat both sides: found in ${fig.findMs.toFixed(0)} ms, first message both ways in ${fig.firstMessageMs.toFixed(0)} ms, paths to A now: ${conns.map((c) => c.path).join(',')}`)
    expect(conns.length).toBeGreaterThan(0)
  }, 120_000)

  it('one side public: relayed first, then DCUtR upgrades to direct and the relayed connection is dropped', async () => {
    const l = lab as NetnsLab
    const { inet, relayAddr } = await internet(l, '2')
    const a = await natted(l, inet, 'a2', 6, 4, relayAddr)
    const nsB = l.ns('b2')
    l.plug(nsB, inet, '11.213.0.5/24')
    const b = await startHost(l, nsB, { listen: ['/ip4/11.213.0.5/tcp/0'], relays: [relayAddr], settings: { lan: false, dht: false, rendezvousServers: [relayAddr], publicAddress: true } })

    const t0 = performance.now()
    const fig = await joinAndChat(a, b, 'bmF0LW9uZS1zaWRl', 60_000)
    expect(fig.driver).toBe('rendezvous')
    // The direct connection: A (behind its NAT) dials B's public address once DCUtR runs.
    await b.proc.next((m) => m.event === 'connect' && m.peer === a.ready.peerId && m.path === 'direct', 60_000)
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
  }, 180_000)
})
