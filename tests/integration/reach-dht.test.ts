/**
 * DHT only: five hosts in a line of namespaces (n1 – n2 – n3 – n4 – n5, one link each way, the middle ones
 * routing), each bootstrapped only to its left neighbour. n1 provides the namespace key, n5 finds it on
 * the private DHT, connects and they chat. No mDNS, no rendezvous. Skipped with a printed reason without namespaces.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { NetnsLab, netnsAvailability } from '../support/netns'
import { joinAndChat, startHost, type Ready } from './reach-netns-helpers'
import type { LabProcess } from '../support/netns'

const avail = netnsAvailability()
if (!avail.ok) console.warn(`reach-dht skipped: ${avail.reason}`)

const N = 5
/** Link k joins node k and node k+1 (1-based) on 10.213.(20+k).0/24: node k is .1, node k+1 is .2. */
const net = (k: number): string => `10.213.${20 + k}`

describe.skipIf(!avail.ok)('reach: DHT across a line of five namespaces', () => {
  const lab = avail.ok ? new NetnsLab() : undefined
  afterAll(async () => lab?.close())

  it('the two ends find each other on the DHT and chat', async () => {
    const l = lab as NetnsLab
    const ns = Array.from({ length: N }, (_, i) => l.ns(`n${i + 1}`))
    for (let k = 1; k < N; k++) l.wire(ns[k - 1]!, `${net(k)}.1/24`, ns[k]!, `${net(k)}.2/24`)
    for (let i = 1; i <= N; i++) {
      if (i > 1 && i < N) l.forward(ns[i - 1]!)
      // Subnets to the right go via the right neighbour, to the left via the left one.
      for (let k = i + 1; k < N; k++) l.route(ns[i - 1]!, `${net(k)}.0/24`, 'via', `${net(i)}.2`)
      for (let k = 1; k < i - 1; k++) l.route(ns[i - 1]!, `${net(k)}.0/24`, 'via', `${net(i - 1)}.1`)
    }
    const listen = (i: number): string[] => [
      ...(i > 1 ? [`/ip4/${net(i - 1)}.2/tcp/0`] : []),
      ...(i < N ? [`/ip4/${net(i)}.1/tcp/0`] : [])
    ]
    const hosts: Array<{ proc: LabProcess; ready: Ready }> = []
    for (let i = 1; i <= N; i++) {
      const left = hosts[i - 2]
      const bootstrap = left != null ? [left.ready.addrs.find((a) => a.startsWith(`/ip4/${net(i - 1)}.1/`))!] : []
      hosts.push(await startHost(l, ns[i - 1]!, { listen: listen(i), bootstrap, settings: { lan: false, dht: true, holePunching: false } }))
    }
    const fig = await joinAndChat(hosts[0]!, hosts[N - 1]!, 'ZGh0LWxpbmUtcG9pbnQ=', 90_000)
    expect(fig.driver).toBe('dht')
    expect(fig.pathAtA).toBe('lan')
    console.log(`[reach] dht line of ${N}: found in ${fig.findMs.toFixed(0)} ms, first message both ways in ${fig.firstMessageMs.toFixed(0)} ms`)
  }, 180_000)
})
