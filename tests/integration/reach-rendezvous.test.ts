/**
 * Rendezvous + relay server in a third namespace: A and B each have one link to S and no route to each
 * other (S does not forward), so no multicast and no packet crosses between them except through S's
 * circuit relay. Both register on S (`--serve-rendezvous --relay` roles); B finds A by namespace only,
 * reaches it over the relay and they chat both ways. Skipped with a printed reason without namespaces.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { NetnsLab, netnsAvailability } from '../support/netns'
import { joinAndChat, status } from '../support/reach-lab'
import { rendezvousScenario } from '../support/reach-scenarios'

const avail = netnsAvailability()
if (!avail.ok) console.warn(`reach-rendezvous skipped: ${avail.reason}`)

describe.skipIf(!avail.ok)('reach: rendezvous server and relay in a third namespace', () => {
  const lab = avail.ok ? new NetnsLab() : undefined
  afterAll(async () => lab?.close())

  it('B finds A through the rendezvous server and they chat over the relay', async () => {
    const { a, b, others: [s] } = await rendezvousScenario(lab as NetnsLab)
    const fig = await joinAndChat(a, b, 'cmVuZGV6dm91cy1wb2ludA==')
    expect(fig.driver).toBe('rendezvous')
    expect(fig.pathAtA).toBe('relayed')
    expect(fig.pathAtB).toBe('relayed')
    const st = (await status(s!.proc)) as { rendezvousServer: { registrations: number } }
    expect(st.rendezvousServer.registrations).toBeGreaterThanOrEqual(1)
    const sb = (await status(b.proc)) as { discovery: { drivers: Array<{ name: string; lastFoundPeer?: string }> } }
    expect(sb.discovery.drivers.find((d) => d.name === 'rendezvous')?.lastFoundPeer).toBe(a.ready.peerId)
    console.log(`[reach] rendezvous+relay: found in ${fig.findMs.toFixed(0)} ms, first message both ways in ${fig.firstMessageMs.toFixed(0)} ms`)
  })
})
