/**
 * Rendezvous client ↔ server over real libp2p nodes on loopback: A registers a namespace on S, B finds A
 * through S by the namespace alone and connects; hostile frames (oversized, malformed, unknown type), a
 * registration flood and a request flood are refused with a log line, and S keeps serving.
 */
import { randomBytes } from 'node:crypto'
import type { PeerId, Stream } from '@libp2p/interface'
import { lpStream } from '@libp2p/utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Logger } from '../../core/log'
import { createLibp2pNode, peerKeyFromSeed, type BertyLibp2p, type Libp2pNodeOptions } from '../../core/net/libp2p'
import { rendezvous } from '../../core/net/discovery/proto/rendezvous'
import { rendezvousDriver } from '../../core/net/discovery/rendezvous-driver'
import { RENDEZVOUS_PROTOCOL } from '../../core/net/discovery/rendezvous-server'
import type { FoundPeer } from '../../core/net/discovery/discovery'

const Type = rendezvous.Message.MessageType
const Status = rendezvous.Message.ResponseStatus

const running: BertyLibp2p[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((n) => n.stop()))
})

async function node(options: Partial<Libp2pNodeOptions> = {}): Promise<BertyLibp2p> {
  const n = await createLibp2pNode({
    privateKey: await peerKeyFromSeed(randomBytes(32)),
    listen: ['/ip4/127.0.0.1/tcp/0'],
    webrtc: false,
    ...options,
    start: true
  })
  running.push(n)
  return n
}

function recorder(): { log: Logger; lines: Array<{ level: string; msg: string; data?: Record<string, unknown> }> } {
  const lines: Array<{ level: string; msg: string; data?: Record<string, unknown> }> = []
  return { lines, log: (level, msg, data) => lines.push({ level, msg, ...(data != null ? { data } : {}) }) }
}

/** A raw client on one stream: send frames, read typed answers. */
async function rawClient(from: BertyLibp2p, server: BertyLibp2p, maxFrame = 1024 * 1024) {
  const stream = await from.dialProtocol(server.getMultiaddrs(), RENDEZVOUS_PROTOCOL)
  const lp = lpStream(stream, { maxDataLength: maxFrame })
  return {
    stream,
    lp,
    async ask(msg: Partial<rendezvous.Message>): Promise<rendezvous.Message> {
      await lp.write(rendezvous.Message.encode(msg))
      return rendezvous.Message.decode(await lp.read({ signal: AbortSignal.timeout(5_000) }))
    }
  }
}

function register(self: PeerId, ns: string, addr: Uint8Array, ttl = 3600n): Partial<rendezvous.Message> {
  return { type: Type.REGISTER, register: { ns, peer: { id: self.toMultihash().bytes, addrs: [addr] }, ttl } }
}

const closed = (stream: Stream): Promise<void> =>
  new Promise((resolve) => {
    if (stream.status === 'reset' || stream.status === 'closed' || stream.status === 'aborted') resolve()
    else stream.addEventListener('close', () => resolve(), { once: true })
  })

describe('rendezvous over libp2p (loopback)', () => {
  it('A registers, B discovers A by namespace only and connects; UNREGISTER removes it', async () => {
    const rec = recorder()
    const s = await node({ reach: { serveRendezvous: { log: rec.log }, holePunching: false, autonat: false } })
    const servers = [s.getMultiaddrs()[0]!.toString()]
    const a = await node({ reach: { discovery: { drivers: [rendezvousDriver({ servers })] }, holePunching: false, autonat: false } })
    const b = await node({ reach: { discovery: { drivers: [rendezvousDriver({ servers })] }, holePunching: false, autonat: false } })
    const ns = 'bm9ib2R5IGtub3dzIHRoaXMgcG9pbnQ='

    a.services.discovery!.advertise(ns, { ttlMs: 3600_000 })
    const found = new Promise<FoundPeer>((resolve) => b.services.discovery!.addEventListener('peer', (e) => resolve(e.detail), { once: true }))
    const connected = new Promise<void>((resolve) => b.addEventListener('peer:connect', (e) => { if (e.detail.equals(a.peerId)) resolve() }))
    b.services.discovery!.watch(ns)
    const f = await found
    expect(f.peer.id.equals(a.peerId)).toBe(true)
    expect(f.driver).toBe('rendezvous')
    // Registered without the /p2p/<self> suffix (as go-libp2p-rendezvous clients do), dialable as found.
    expect(f.peer.multiaddrs.every((m) => !m.toString().includes('/p2p/'))).toBe(true)
    await connected
    expect(s.services.rendezvousServer!.stats().registrations).toBe(1)
    const st = b.services.discovery!.status().drivers[0]!
    expect(st.name).toBe('rendezvous')
    expect(st.lastFoundPeer).toBe(a.peerId.toString())

    await a.services.discovery!.stopAdvertising(ns)
    expect(s.services.rendezvousServer!.stats().registrations).toBe(0)
    expect(rec.lines.filter((l) => l.level === 'warn')).toEqual([])
  })

  it('DISCOVER_SUBSCRIBE: a registration is pushed to a watcher long before its next poll', async () => {
    const s = await node({ reach: { serveRendezvous: true, holePunching: false, autonat: false } })
    const servers = [s.getMultiaddrs()[0]!.toString()]
    const slow = { findInterval: { minMs: 60_000, maxMs: 60_000 } }
    const a = await node({ reach: { discovery: { drivers: [rendezvousDriver({ servers })] }, holePunching: false, autonat: false } })
    const b = await node({ reach: { discovery: { drivers: [rendezvousDriver({ servers })], ...slow }, holePunching: false, autonat: false } })
    const ns = 'cHVzaGVkIHBvaW50'
    b.services.discovery!.watch(ns)
    // B's first poll found nothing and it subscribed; its next poll is a minute away.
    await vi.waitFor(() => expect(s.services.rendezvousServer!.stats().subscriptions).toBe(1), { timeout: 10_000, interval: 20 })
    const found = new Promise<FoundPeer>((resolve) => b.services.discovery!.addEventListener('peer', (e) => resolve(e.detail), { once: true }))
    a.services.discovery!.advertise(ns)
    expect((await found).peer.id.equals(a.peerId)).toBe(true)
  }, 20_000)

  it('DISCOVER pages with the cookie; a forged cookie and an empty namespace are refused', async () => {
    const s = await node({ reach: { serveRendezvous: true, holePunching: false, autonat: false } })
    const a = await node()
    const c = await rawClient(a, s)
    const addr = a.getMultiaddrs()[0]!.decapsulateCode(421).bytes
    expect((await c.ask(register(a.peerId, 'ns', addr))).registerResponse?.status).toBe(Status.OK)
    const first = (await c.ask({ type: Type.DISCOVER, discover: { ns: 'ns', limit: 10n, cookie: new Uint8Array(0) } })).discoverResponse!
    expect(first.status).toBe(Status.OK)
    expect(first.registrations.length).toBe(1)
    expect(first.cookie.byteLength).toBe(40)
    const again = (await c.ask({ type: Type.DISCOVER, discover: { ns: 'ns', limit: 10n, cookie: first.cookie } })).discoverResponse!
    expect(again.registrations.length).toBe(0)
    const forged = first.cookie.slice()
    forged[39] = (forged[39] as number) ^ 1
    expect((await c.ask({ type: Type.DISCOVER, discover: { ns: 'ns', limit: 10n, cookie: forged } })).discoverResponse?.status).toBe(Status.E_INVALID_COOKIE)
    expect((await c.ask({ type: Type.DISCOVER, discover: { ns: '', limit: 10n, cookie: new Uint8Array(0) } })).discoverResponse?.status).toBe(Status.E_INVALID_NAMESPACE)
    // Another peer's id in REGISTER is refused (svc.go "peer id mismatch").
    expect((await c.ask(register(s.peerId, 'ns', addr))).registerResponse?.statusText).toBe('peer id mismatch')
    expect((await c.ask({ type: Type.REGISTER, register: { ns: 'ns', peer: { id: new Uint8Array(0), addrs: [addr] }, ttl: 73n * 3600n } })).registerResponse?.status).toBe(Status.E_INVALID_TTL)
    // DISCOVER_SUBSCRIBE: "inmem" is offered with Go's JSON details; other types are not.
    const sub = (await c.ask({ type: Type.DISCOVER_SUBSCRIBE, discoverSubscribe: { supportedSubscriptionTypes: ['inmem'], ns: 'ns' } })).discoverSubscribeResponse!
    expect([sub.status, sub.subscriptionType, JSON.parse(sub.subscriptionDetails)]).toEqual([Status.OK, 'inmem', { PeerID: s.peerId.toString(), ChannelName: 'ns' }])
    expect((await c.ask({ type: Type.DISCOVER_SUBSCRIBE, discoverSubscribe: { supportedSubscriptionTypes: ['grpc'], ns: 'ns' } })).discoverSubscribeResponse?.statusText).toBe('subscription type not found')
  })

  it('hostile input: oversized, malformed and unknown frames reset the stream with a log line; floods are bounded; the server stays healthy', async () => {
    const rec = recorder()
    const s = await node({ reach: { serveRendezvous: { log: rec.log, maxPerPeer: 20, burst: 40, ratePerSec: 1 }, holePunching: false, autonat: false } })
    const evil = await node()
    const addr = evil.getMultiaddrs()[0]!.decapsulateCode(421).bytes

    // Oversized: a 64 KiB frame against an 8 KiB cap.
    const big = await rawClient(evil, s)
    await big.lp.write(new Uint8Array(64 * 1024))
    await closed(big.stream)
    // Malformed: not a protobuf.
    const bad = await rawClient(evil, s)
    await bad.lp.write(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]))
    await closed(bad.stream)
    // Unknown message type (a response type sent as a request).
    const odd = await rawClient(evil, s)
    await odd.lp.write(rendezvous.Message.encode({ type: Type.REGISTER_RESPONSE }))
    await closed(odd.stream)
    // Oversized registration: 4 KiB of addresses (cap 2048 bytes).
    const c = await rawClient(evil, s)
    const fat = await c.ask({ type: Type.REGISTER, register: { ns: 'x', peer: { id: new Uint8Array(0), addrs: Array.from({ length: 64 }, () => new Uint8Array(64)) }, ttl: 60n } })
    expect(fat.registerResponse?.statusText).toBe('peer info too long')
    expect((await c.ask(register(evil.peerId, 'n'.repeat(257), addr))).registerResponse?.status).toBe(Status.E_INVALID_NAMESPACE)

    // Flood of registrations from one peer: the per-peer cap holds at 20.
    const statuses: rendezvous.Message.ResponseStatus[] = []
    for (let i = 0; i < 30; i++) statuses.push((await c.ask(register(evil.peerId, `ns-${i}`, addr))).registerResponse!.status)
    expect(statuses.filter((x) => x === Status.OK).length).toBe(20)
    expect(statuses.slice(20).every((x) => x === Status.E_NOT_AUTHORIZED)).toBe(true)
    expect(s.services.rendezvousServer!.stats().registrations).toBe(20)

    // Request flood: the token bucket (burst 40) answers "rate limited" and closes the stream.
    let limited: rendezvous.Message | undefined
    const flood = await rawClient(evil, s)
    for (let i = 0; i < 60 && limited == null; i++) {
      const r = await flood.ask({ type: Type.DISCOVER, discover: { ns: 'ns-0', limit: 1n, cookie: new Uint8Array(0) } })
      if (r.discoverResponse?.status === Status.E_UNAVAILABLE) limited = r
    }
    expect(limited?.discoverResponse?.statusText).toBe('rate limited')
    await closed(flood.stream)

    const reasons = rec.lines.filter((l) => l.level === 'warn').map((l) => l.msg)
    for (const r of ['oversized frame', 'malformed frame', 'unexpected message type', 'peer info too long', 'too many registrations', 'rate limited']) {
      expect(reasons.some((m) => m.includes(r)), r).toBe(true)
    }
    // One line per (peer, reason) per minute, however long the flood.
    expect(reasons.filter((m) => m.includes('too many registrations')).length).toBe(1)
    expect(rec.lines.every((l) => !JSON.stringify(l).includes('ns-1'))).toBe(true)

    // Healthy: an honest peer registers and discovers.
    const honest = await node()
    const h = await rawClient(honest, s)
    expect((await h.ask(register(honest.peerId, 'ns-0', honest.getMultiaddrs()[0]!.decapsulateCode(421).bytes))).registerResponse?.status).toBe(Status.OK)
    const d = (await h.ask({ type: Type.DISCOVER, discover: { ns: 'ns-0', limit: 10n, cookie: new Uint8Array(0) } })).discoverResponse!
    expect(d.registrations.map((r) => r.peer?.id.length)).toEqual([evil.peerId.toMultihash().bytes.length, honest.peerId.toMultihash().bytes.length])
  })
})
