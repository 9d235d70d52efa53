/**
 * Rendezvous + relay server in a third namespace: A and B each have one link to S and no route to each
 * other (S does not forward), so no multicast and no packet crosses between them except through S's
 * circuit relay. Both register on S (`--serve-rendezvous --relay` roles); B finds A by namespace only,
 * reaches it over the relay and they chat both ways. Skipped with a printed reason without namespaces.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { NetnsLab, netnsAvailability } from '../support/netns'
import { joinAndChat, startHost, status } from './reach-netns-helpers'

const avail = netnsAvailability()
if (!avail.ok) console.warn(`reach-rendezvous skipped: ${avail.reason}`)

describe.skipIf(!avail.ok)('reach: rendezvous server and relay in a third namespace', () => {
  const lab = avail.ok ? new NetnsLab() : undefined
  afterAll(async () => lab?.close())

  it('B finds A through the rendezvous server and they chat over the relay', async () => {
    const l = lab as NetnsLab
    const nsS = l.ns('s')
    const nsA = l.ns('a')
    const nsB = l.ns('b')
    l.wire(nsA, '10.213.2.2/24', nsS, '10.213.2.1/24')
    l.wire(nsB, '10.213.3.2/24', nsS, '10.213.3.1/24')
    const s = await startHost(l, nsS, {
      listen: ['/ip4/10.213.2.1/tcp/0', '/ip4/10.213.3.1/tcp/0'],
      settings: { lan: false, dht: false, serveRendezvous: true, relay: true, holePunching: false }
    })
    const sAddr = (prefix: string): string => `${s.ready.addrs.find((a) => a.startsWith(`/ip4/${prefix}`))!}`
    const side = (ip: string, via: string) => ({
      listen: [`/ip4/${ip}/tcp/0`],
      relays: [sAddr(via)],
      settings: { lan: true, dht: false, rendezvousServers: [sAddr(via)], holePunching: false }
    })
    const a = await startHost(l, nsA, side('10.213.2.2', '10.213.2.1'))
    const b = await startHost(l, nsB, side('10.213.3.2', '10.213.3.1'))

    const fig = await joinAndChat(a, b, 'cmVuZGV6dm91cy1wb2ludA==')
    expect(fig.driver).toBe('rendezvous')
    expect(fig.pathAtA).toBe('relayed')
    expect(fig.pathAtB).toBe('relayed')
    const st = (await status(s.proc)) as { rendezvousServer: { registrations: number } }
    expect(st.rendezvousServer.registrations).toBeGreaterThanOrEqual(1)
    const sb = (await status(b.proc)) as { discovery: { drivers: Array<{ name: string; lastFoundPeer?: string }> } }
    expect(sb.discovery.drivers.find((d) => d.name === 'rendezvous')?.lastFoundPeer).toBe(a.ready.peerId)
    console.log(`[reach] rendezvous+relay: found in ${fig.findMs.toFixed(0)} ms, first message both ways in ${fig.firstMessageMs.toFixed(0)} ms`)
  })
})
