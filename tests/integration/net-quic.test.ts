/** QUIC v1 transport (the only one deployed weshnet listens on): two nodes on loopback, QUIC only. */
import { randomBytes } from 'node:crypto'
import { multiaddr } from '@multiformats/multiaddr'
import { afterEach, describe, expect, it } from 'vitest'
import * as c from '../../core/crypto'
import { createLibp2pNode, DEFAULT_LISTEN, peerKeyFromSeed, type BertyLibp2p } from '../../core/net/libp2p'
import type { ContactRequestServiceInit, IncomingContactRequest } from '../../core/net/contact-request'

const nodes: BertyLibp2p[] = []

async function node(listen: string[], contactRequest?: ContactRequestServiceInit): Promise<BertyLibp2p> {
  const n = await createLibp2pNode({
    privateKey: await peerKeyFromSeed(randomBytes(32)),
    listen,
    webrtc: false,
    start: true,
    ...(contactRequest !== undefined ? { contactRequest } : {})
  })
  nodes.push(n)
  return n
}

afterEach(async () => {
  await Promise.all(nodes.splice(0).map((n) => n.stop()))
})

const isQuic = (a: { toString(): string }): boolean => a.toString().includes('/udp/') && a.toString().includes('/quic-v1')

describe('net: QUIC v1', () => {
  it('listens on QUIC by default', () => {
    expect(DEFAULT_LISTEN).toContain('/ip4/0.0.0.0/udp/0/quic-v1')
  })

  it('two QUIC-only nodes connect and ping over QUIC', async () => {
    const a = await node(['/ip4/127.0.0.1/udp/0/quic-v1'])
    const b = await node(['/ip4/127.0.0.1/udp/0/quic-v1'])
    const addrs = b.getMultiaddrs()
    expect(addrs.length).toBeGreaterThan(0)
    expect(addrs.every(isQuic)).toBe(true)
    const rtt = await a.services.ping.ping(addrs, { signal: AbortSignal.timeout(10_000) })
    expect(rtt).toBeGreaterThanOrEqual(0)
    const conns = a.getConnections(b.peerId)
    expect(conns.length).toBeGreaterThan(0)
    expect(conns.every((cn) => isQuic(cn.remoteAddr))).toBe(true)
  })

  it('a contact request travels over QUIC when only QUIC addresses are dialled', async () => {
    const bSeed = randomBytes(32)
    let resolve!: (r: IncomingContactRequest) => void
    const got = new Promise<IncomingContactRequest>((r) => (resolve = r))
    const b = await node(['/ip4/127.0.0.1/tcp/0', '/ip4/127.0.0.1/udp/0/quic-v1'], {
      account: () => ({ accountSeed: Uint8Array.from(bSeed), accountPk: c.ed25519PublicFromSeed(bSeed), publicRendezvousSeed: randomBytes(32) }),
      onIncomingRequest: (r) => resolve(r)
    })
    const aSeed = randomBytes(32)
    const a = await node(['/ip4/127.0.0.1/udp/0/quic-v1'], {
      account: () => ({ accountSeed: Uint8Array.from(aSeed), accountPk: c.ed25519PublicFromSeed(aSeed), publicRendezvousSeed: randomBytes(32) }),
      onIncomingRequest: () => {}
    })
    const quicAddrs = b.getMultiaddrs().filter(isQuic).map((m) => multiaddr(m.toString()))
    expect(quicAddrs.length).toBeGreaterThan(0)
    await a.services.contactRequest?.request(quicAddrs, c.ed25519PublicFromSeed(bSeed))
    expect(Buffer.from((await got).accountPk).toString('hex')).toBe(Buffer.from(c.ed25519PublicFromSeed(aSeed)).toString('hex'))
    expect(a.getConnections(b.peerId).every((cn) => isQuic(cn.remoteAddr))).toBe(true)
  })
})
