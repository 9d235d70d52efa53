/**
 * LAN, no internet, no address typed: two hosts in two namespaces on one bridge. A advertises a namespace,
 * B watches it; mDNS connects them and local records match the namespace; they chat both ways.
 * No bootstrap, no dial by address. Skipped with a printed reason when namespaces are unavailable.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { NetnsLab, netnsAvailability } from '../support/netns'
import { joinAndChat, status } from '../support/reach-lab'
import { lanScenario } from '../support/reach-scenarios'

const avail = netnsAvailability()
if (!avail.ok) console.warn(`reach-lan skipped: ${avail.reason}`)

describe.skipIf(!avail.ok)('reach: LAN (mDNS + local records) across network namespaces', () => {
  const lab = avail.ok ? new NetnsLab() : undefined
  afterAll(async () => lab?.close())

  it('B finds A by namespace only and they chat both ways', async () => {
    const { a, b } = await lanScenario(lab as NetnsLab)
    const fig = await joinAndChat(a, b, 'bGFuLXBvaW50LW9ubHk=')
    expect(fig.driver).toBe('localrecord')
    expect(fig.pathAtA).toBe('lan')
    expect(fig.pathAtB).toBe('lan')
    const st = (await status(b.proc)) as { discovery: { drivers: Array<{ name: string; running: boolean; found: number }> } }
    expect(st.discovery.drivers.map((d) => [d.name, d.running])).toEqual([['mdns', true], ['localrecord', true]])
    expect(st.discovery.drivers.every((d) => d.found > 0)).toBe(true)
    console.log(`[reach] lan: found in ${fig.findMs.toFixed(0)} ms, first message both ways in ${fig.firstMessageMs.toFixed(0)} ms`)
  })
})
