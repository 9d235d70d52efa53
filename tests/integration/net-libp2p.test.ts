/**
 * The libp2p composition on loopback: key derivation, each transport, relay + WebRTC, bootstrap, private DHT.
 */
import { randomBytes } from 'node:crypto'
import { circuitRelayServer } from '@libp2p/circuit-relay-v2'
import { privateKeyFromRaw } from '@libp2p/crypto/keys'
import { ed25519 } from '@noble/curves/ed25519.js'
import { WebRTC, WebRTCDirect } from '@multiformats/multiaddr-matcher'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { tcp } from '@libp2p/tcp'
import { createLibp2p, type Libp2p } from 'libp2p'
import { afterEach, describe, expect, it } from 'vitest'
import { BERTY_DHT_PROTOCOL, BERTY_KEEP_ALIVE_TAG, createLibp2pNode, peerKeyFromSeed, type BertyLibp2p, type Libp2pNodeOptions } from '../../core/net/libp2p'
import { NetError } from '../../core/net/errors'

const running: Libp2p[] = []
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

afterEach(async () => {
  await Promise.all(running.splice(0).map((n) => n.stop()))
})

/** A plain js-libp2p circuit relay v2 server on loopback. */
async function relayServer(): Promise<Libp2p> {
  const relay = await createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify(), relay: circuitRelayServer() }
  })
  running.push(relay)
  return relay
}

const event = <T = unknown>(target: EventTarget, type: string, match: (detail: T) => boolean = () => true): Promise<T> =>
  new Promise((resolve) => {
    const on = (evt: Event): void => {
      const detail = (evt as CustomEvent<T>).detail
      if (!match(detail)) return
      target.removeEventListener(type, on)
      resolve(detail)
    }
    target.addEventListener(type, on)
  })

describe('net: libp2p composition', () => {
  it('peerKeyFromSeed is deterministic Ed25519 and equals privateKeyFromRaw(seed ‖ pub)', async () => {
    const seed = randomBytes(32)
    const k1 = await peerKeyFromSeed(seed)
    const k2 = privateKeyFromRaw(new Uint8Array([...seed, ...ed25519.getPublicKey(seed)]))
    expect(k1.type).toBe('Ed25519')
    expect(k1.publicKey.equals(k2.publicKey)).toBe(true)
    expect(k1.publicKey.toString()).toBe(k2.publicKey.toString())
    await expect(peerKeyFromSeed(new Uint8Array(31))).rejects.toBeInstanceOf(NetError)
  })

  it('dials over TCP and WebSockets on loopback and pings', async () => {
    const a = await node({ listen: ['/ip4/127.0.0.1/tcp/0', '/ip4/127.0.0.1/tcp/0/ws'] })
    const b = await node()
    for (const ma of a.getMultiaddrs()) {
      const conn = await b.dial(ma, { signal: AbortSignal.timeout(10_000) })
      expect(conn.remoteAddr.toString()).toBe(ma.toString())
      expect(await b.services.ping.ping(a.peerId)).toBeGreaterThanOrEqual(0)
      await conn.close()
    }
    expect(a.getMultiaddrs().map(String).some((s) => s.includes('/ws/'))).toBe(true)
  })

  it('dials WebRTC-direct (UDP + certhash) on loopback when enabled', async () => {
    const a = await node({ listen: ['/ip4/127.0.0.1/udp/0/webrtc-direct'], webrtc: { direct: true, relayed: false } })
    const b = await node({ webrtc: { direct: true, relayed: false } })
    const ma = a.getMultiaddrs().find((m) => WebRTCDirect.matches(m))
    expect(ma?.toString()).toMatch(/\/webrtc-direct\/certhash\//)
    const conn = await b.dial(ma!, { signal: AbortSignal.timeout(15_000) })
    expect(WebRTCDirect.matches(conn.remoteAddr)).toBe(true)
    expect(await b.services.ping.ping(a.peerId)).toBeGreaterThanOrEqual(0)
  })

  it('reserves on a relay, and a peer upgrades to a direct WebRTC connection through it', async () => {
    const relay = await relayServer()
    const listener = await createLibp2pNode({
      privateKey: await peerKeyFromSeed(randomBytes(32)),
      listen: ['/ip4/127.0.0.1/tcp/0'],
      relays: [relay.getMultiaddrs()[0]!.toString()]
    })
    running.push(listener)
    const reserved = event(listener, 'self:peer:update', () => listener.getMultiaddrs().some((m) => WebRTC.matches(m)))
    await listener.start()
    await reserved
    const dialer = await node({ webrtc: {} })
    const target = listener.getMultiaddrs().find((m) => WebRTC.matches(m))!
    expect(target.toString()).toContain('/p2p-circuit/webrtc/')
    // Seen once in ~25 full-suite runs: a TimeoutError well before 20 s; keep where and when for diagnosis.
    const t0 = Date.now()
    const step = <T>(what: string, p: Promise<T>): Promise<T> =>
      p.catch((err: Error) => {
        throw new Error(`${what} failed after ${Date.now() - t0} ms: ${err.name}: ${err.message}`, { cause: err })
      })
    // Under CPU starvation (the suite's other files on both cores) the native WebRTC stack
    // occasionally stalls one negotiation for good; libp2p redials in real use, so one retry of a
    // timed-out dial is what this checks. A second stall fails the test.
    const dial = () => dialer.dial(target, { signal: AbortSignal.timeout(20_000) })
    const conn = await step(
      'webrtc dial',
      dial().catch((err: Error) => {
        if (err.name !== 'TimeoutError') throw err
        return dial()
      })
    )
    expect(conn.limits).toBeUndefined() // a direct WebRTC connection, not the limited relayed one
    expect(await step('ping', dialer.services.ping.ping(listener.peerId))).toBeGreaterThanOrEqual(0)
  })

  it('reserves again on its relay after each lost reservation, on the same circuit listener', async () => {
    const relay = await relayServer()
    const n = await node({ relays: [relay.getMultiaddrs()[0]!.toString()] })
    const listeners = () => (n as unknown as { components: { transportManager: { getListeners(): unknown[] } } }).components.transportManager.getListeners().length
    const reserved = () => n.getMultiaddrs().some((m) => m.toString().includes(`/p2p/${relay.peerId.toString()}/p2p-circuit`))
    const until = async (check: () => boolean, what: string) => {
      const end = Date.now() + 20_000
      while (!check()) {
        if (Date.now() > end) throw new Error(`timed out: ${what}`)
        await new Promise((r) => setTimeout(r, 50))
      }
    }
    await until(reserved, 'the first reservation')
    const first = listeners()
    for (let i = 0; i < 3; i++) {
      await relay.hangUp(n.peerId)
      await until(() => !reserved(), `reservation ${i + 1} withdrawn`)
      await until(reserved, `reservation ${i + 2}`)
    }
    // One listener per lost reservation was left behind before (js-libp2p never closes them).
    expect(listeners()).toBe(first)
  })

  it('keeps more than 10 peers on one IP in the gossip mesh (relays, NAT, loopback)', async () => {
    // Gossipsub's default IP-colocation penalty is -5 × (peers on the address - 10)²: with 16
    // leaves on 127.0.0.1 every leaf scores -180, below the graylist threshold (-80), and the hub
    // ignores them all.
    const hub = await node({ webrtc: false })
    const leaves = await Promise.all(Array.from({ length: 16 }, () => node({ webrtc: false })))
    hub.services.pubsub.subscribe('colocated')
    for (const leaf of leaves) leaf.services.pubsub.subscribe('colocated')
    for (const leaf of leaves) {
      // libp2p admits 5 inbound connections per second per host; every leaf is 127.0.0.1.
      for (let attempt = 0; ; attempt++) {
        try {
          await leaf.dial(hub.getMultiaddrs()[0]!)
          break
        } catch (err) {
          if (attempt > 20) throw err
          await new Promise((r) => setTimeout(r, 250))
        }
      }
    }
    // Subscriptions known both ways: a leaf learning the hub's subscription proves the hub's
    // outbound gossip stream to it is open, so only peer scoring decides who gets the publish.
    const sees = (n: BertyLibp2p, count: number) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (n.services.pubsub.getSubscribers('colocated').length >= count) {
            n.services.pubsub.removeEventListener('subscription-change', check)
            resolve()
          }
        }
        n.services.pubsub.addEventListener('subscription-change', check)
        check()
      })
    let timer: ReturnType<typeof setTimeout> | undefined
    await Promise.race([
      Promise.all([sees(hub, leaves.length), ...leaves.map((leaf) => sees(leaf, 1))]),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('subscriptions never propagated: colocated peers are being ignored')), 20_000)
      })
    ]).finally(() => clearTimeout(timer))
    const got = leaves.map(
      (leaf) =>
        new Promise<void>((resolve) => {
          leaf.services.pubsub.addEventListener('message', (e) => {
            if (e.detail.topic === 'colocated') resolve()
          })
        })
    )
    const res = await hub.services.pubsub.publish('colocated', new TextEncoder().encode('hello'))
    expect(res.recipients.length).toBe(leaves.length)
    await Promise.all(got)
  })

  it('dials bootstrap peers on start and tags them keep-alive', async () => {
    const a = await node()
    const b = await createLibp2pNode({
      privateKey: await peerKeyFromSeed(randomBytes(32)),
      listen: ['/ip4/127.0.0.1/tcp/0'],
      webrtc: false,
      bootstrap: [a.getMultiaddrs()[0]!.toString()]
    })
    running.push(b)
    const connected = event(b, 'peer:connect', (id: { equals(o: unknown): boolean }) => id.equals(a.peerId))
    await b.start()
    await connected
    const peer = await b.peerStore.get(a.peerId)
    expect(peer.tags.has(BERTY_KEEP_ALIVE_TAG)).toBe(true)
  })

  it('runs a private DHT in server mode that keeps loopback addresses: B finds C through A', async () => {
    const a = await node()
    const b = await node()
    const c = await node()
    expect(a.getProtocols()).toContain(BERTY_DHT_PROTOCOL)
    expect(a.getProtocols()).not.toContain('/ipfs/kad/1.0.0')
    expect(a.services.dht.getMode()).toBe('server')

    const aKnowsC = event(a, 'peer:identify', (d: { peerId: { equals(o: unknown): boolean } }) => d.peerId.equals(c.peerId))
    const bKnowsA = event(b, 'peer:identify', (d: { peerId: { equals(o: unknown): boolean } }) => d.peerId.equals(a.peerId))
    await c.dial(a.getMultiaddrs()[0]!)
    await b.dial(a.getMultiaddrs()[0]!)
    await Promise.all([aKnowsC, bKnowsA])

    const found = await b.peerRouting.findPeer(c.peerId, { signal: AbortSignal.timeout(10_000) })
    expect(found.multiaddrs.map(String).some((s) => s.startsWith('/ip4/127.0.0.1/'))).toBe(true)
  })
})
