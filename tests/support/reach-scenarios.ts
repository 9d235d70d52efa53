/**
 * The reach topologies, built in a {@link NetnsLab} and shared by tests/integration/reach-*.test.ts and
 * bench/reach.ts. Each returns the two hosts that must meet (A advertises, B watches) plus helpers.
 *
 * Addresses: private segments use 10.213.x.0/24. NAT labs put their "internet" on 11.213.0.0/24 because
 * js-libp2p's DCUtR and AutoNAT treat every reserved range (RFC 1918/5737/6598…) as private; that segment
 * exists only inside the lab's namespaces, which have no link to the host, so no packet can leave.
 */
import type { NetnsLab } from './netns'
import { startHost, type Host } from './reach-lab'

export interface Pair {
  a: Host
  b: Host
  /** Other hosts of the lab (servers, relays, the middle of a line). */
  others: Host[]
}

/** Two hosts on one bridge; mDNS + local records only. */
export async function lanScenario(l: NetnsLab): Promise<Pair> {
  const sw = l.ns('sw')
  l.bridge(sw)
  const hosts: Host[] = []
  for (const [name, ip] of [['a', '10.213.1.2'], ['b', '10.213.1.3']] as const) {
    const ns = l.ns(name)
    const dev = l.plug(ns, sw, `${ip}/24`)
    // mDNS sends to 224.0.0.251; with no default route the kernel needs a multicast route.
    l.route(ns, '224.0.0.0/4', 'dev', dev)
    hosts.push(await startHost(l, ns, { listen: [`/ip4/${ip}/tcp/0`], settings: { lan: true, dht: false, holePunching: false } }))
  }
  return { a: hosts[0] as Host, b: hosts[1] as Host, others: [] }
}

/** A and B each wired only to S (no forwarding): S serves rendezvous and relay. */
export async function rendezvousScenario(l: NetnsLab): Promise<Pair> {
  const nsS = l.ns('s')
  const nsA = l.ns('a')
  const nsB = l.ns('b')
  l.wire(nsA, '10.213.2.2/24', nsS, '10.213.2.1/24')
  l.wire(nsB, '10.213.3.2/24', nsS, '10.213.3.1/24')
  const s = await startHost(l, nsS, {
    listen: ['/ip4/10.213.2.1/tcp/0', '/ip4/10.213.3.1/tcp/0'],
    settings: { lan: false, dht: false, serveRendezvous: true, relay: true, holePunching: false }
  })
  const sAddr = (prefix: string): string => s.ready.addrs.find((a) => a.startsWith(`/ip4/${prefix}/`)) as string
  const side = (ip: string, via: string) => ({
    listen: [`/ip4/${ip}/tcp/0`],
    relays: [sAddr(via)],
    settings: { lan: true, dht: false, rendezvousServers: [sAddr(via)], holePunching: false }
  })
  const a = await startHost(l, nsA, side('10.213.2.2', '10.213.2.1'))
  const b = await startHost(l, nsB, side('10.213.3.2', '10.213.3.1'))
  return { a, b, others: [s] }
}

/** n hosts in a line, middle ones routing, each bootstrapped to its left neighbour; DHT only. */
export async function dhtLineScenario(l: NetnsLab, n = 5): Promise<Pair> {
  const net = (k: number): string => `10.213.${20 + k}`
  const ns = Array.from({ length: n }, (_, i) => l.ns(`n${i + 1}`))
  const at = (i: number): string => ns[i - 1] as string
  for (let k = 1; k < n; k++) l.wire(at(k), `${net(k)}.1/24`, at(k + 1), `${net(k)}.2/24`)
  for (let i = 1; i <= n; i++) {
    if (i > 1 && i < n) l.forward(at(i))
    for (let k = i + 1; k < n; k++) l.route(at(i), `${net(k)}.0/24`, 'via', `${net(i)}.2`)
    for (let k = 1; k < i - 1; k++) l.route(at(i), `${net(k)}.0/24`, 'via', `${net(i - 1)}.1`)
  }
  const hosts: Host[] = []
  for (let i = 1; i <= n; i++) {
    const listen = [...(i > 1 ? [`/ip4/${net(i - 1)}.2/tcp/0`] : []), ...(i < n ? [`/ip4/${net(i)}.1/tcp/0`] : [])]
    const left = hosts[i - 2]
    const bootstrap = left != null ? [left.ready.addrs.find((a) => a.startsWith(`/ip4/${net(i - 1)}.1/`)) as string] : []
    hosts.push(await startHost(l, at(i), { listen, bootstrap, settings: { lan: false, dht: true, holePunching: false } }))
  }
  return { a: hosts[0] as Host, b: hosts[n - 1] as Host, others: hosts.slice(1, -1) }
}

/** Internet bridge with relay + rendezvous server R at 11.213.0.1; returns the bridge and R's address. */
async function internet(l: NetnsLab, tag: string): Promise<{ inet: string; relayAddr: string; r: Host }> {
  const inet = l.ns(`inet${tag}`)
  l.bridge(inet)
  const nsR = l.ns(`r${tag}`)
  l.plug(nsR, inet, '11.213.0.1/24')
  const r = await startHost(l, nsR, { listen: ['/ip4/11.213.0.1/tcp/0'], settings: { lan: false, dht: false, serveRendezvous: true, relay: true } })
  // Its public listen address is announced once confirmed (reachableListenAddrs), just after 'ready'.
  const announced = await r.proc.next<{ addrs: string[] }>((m) => (m.event === 'ready' || m.event === 'addrs') && (m.addrs as string[]).length > 0, 30_000)
  return { inet, relayAddr: announced.addrs[0] as string, r }
}

/** A host behind a NAT router (MASQUERADE): private 10.213.<n>.2, router public 11.213.0.<pub>. */
async function natted(l: NetnsLab, inet: string, name: string, n: number, pub: number, relayAddr: string, holePunching = true, nat: { symmetric?: boolean; webrtc?: boolean } = {}): Promise<Host> {
  const router = l.ns(`nat${name}`)
  const host = l.ns(name)
  const out = l.plug(router, inet, `11.213.0.${pub}/24`)
  l.wire(host, `10.213.${n}.2/24`, router, `10.213.${n}.1/24`)
  l.masquerade(router, out, { symmetric: nat.symmetric === true })
  l.route(host, 'default', 'via', `10.213.${n}.1`)
  return startHost(l, host, {
    listen: [`/ip4/10.213.${n}.2/tcp/0`],
    relays: [relayAddr],
    settings: { lan: false, dht: false, rendezvousServers: [relayAddr], holePunching },
    ...(nat.webrtc === true ? { webrtc: true } : {})
  })
}

/**
 * A and B each behind its own NAT; R in the middle. With `webrtc`, both may upgrade the relayed path to
 * WebRTC (ICE with R's STUN); `symmetric` NATs (MASQUERADE --random) make that impossible.
 */
export async function natBothScenario(l: NetnsLab, opts: { webrtc?: boolean; symmetric?: boolean; tag?: string } = {}): Promise<Pair> {
  const tag = opts.tag ?? '1'
  const { inet, relayAddr, r } = await internet(l, tag)
  const a = await natted(l, inet, `a${tag}`, 4, 2, relayAddr, true, opts)
  const b = await natted(l, inet, `b${tag}`, 5, 3, relayAddr, true, opts)
  return { a, b, others: [r] }
}

/** A behind a NAT, B on a public address; R in the middle. `holePunching: false` is the control. */
export async function natOneSideScenario(l: NetnsLab, holePunching = true): Promise<Pair> {
  const { inet, relayAddr, r } = await internet(l, '2')
  const a = await natted(l, inet, 'a2', 6, 4, relayAddr, holePunching)
  const nsB = l.ns('b2')
  l.plug(nsB, inet, '11.213.0.5/24')
  const b = await startHost(l, nsB, {
    listen: ['/ip4/11.213.0.5/tcp/0'],
    relays: [relayAddr],
    settings: { lan: false, dht: false, rendezvousServers: [relayAddr], publicAddress: true, holePunching }
  })
  return { a, b, others: [r] }
}
