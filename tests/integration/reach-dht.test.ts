/**
 * DHT only: five hosts in a line of namespaces (n1 – n2 – n3 – n4 – n5, one link each way, the middle ones
 * routing), each bootstrapped only to its left neighbour. n1 provides the namespace key, n5 finds it on
 * the private DHT, connects and they chat. No mDNS, no rendezvous. Skipped with a printed reason without namespaces.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { NetnsLab, netnsAvailability } from '../support/netns'
import { joinAndChat } from '../support/reach-lab'
import { dhtLineScenario } from '../support/reach-scenarios'

const avail = netnsAvailability()
if (!avail.ok) console.warn(`reach-dht skipped: ${avail.reason}`)

describe.skipIf(!avail.ok)('reach: DHT across a line of five namespaces', () => {
  const lab = avail.ok ? new NetnsLab() : undefined
  afterAll(async () => lab?.close())

  it('the two ends find each other on the DHT and chat', async () => {
    const { a, b } = await dhtLineScenario(lab as NetnsLab, 5)
    const fig = await joinAndChat(a, b, 'ZGh0LWxpbmUtcG9pbnQ=', 90_000)
    expect(fig.driver).toBe('dht')
    expect(fig.pathAtA).toBe('lan')
    console.log(`[reach] dht line of 5: found in ${fig.findMs.toFixed(0)} ms, first message both ways in ${fig.firstMessageMs.toFixed(0)} ms`)
  }, 180_000)
})
