/**
 * DHT and local-record drivers over real libp2p nodes on loopback (the network-namespace suites run the
 * same drivers across real subnets): the DHT finds a provider two hops away by namespace only; local
 * records travel on connect and on advertise; malformed or oversized record frames are refused.
 */
import { randomBytes, createHash } from 'node:crypto'
import type { Stream } from '@libp2p/interface'
import { lpStream } from '@libp2p/utils'
import { base32 } from 'multiformats/bases/base32'
import { afterEach, describe, expect, it } from 'vitest'
import type { Logger } from '../../core/log'
import { createLibp2pNode, peerKeyFromSeed, type BertyLibp2p, type Libp2pNodeOptions } from '../../core/net/libp2p'
import { dhtDriver, namespaceCid } from '../../core/net/discovery/dht-driver'
import type { FoundPeer } from '../../core/net/discovery/discovery'
import { LOCAL_RECORD_PROTOCOL, localRecordDriver } from '../../core/net/discovery/local-record-driver'
import { tinder } from '../../core/net/discovery/proto/records'

const running: BertyLibp2p[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((n) => n.stop()))
})

async function node(options: Partial<Libp2pNodeOptions> = {}): Promise<BertyLibp2p> {
  const n = await createLibp2pNode({ privateKey: await peerKeyFromSeed(randomBytes(32)), listen: ['/ip4/127.0.0.1/tcp/0'], webrtc: false, ...options, start: true })
  running.push(n)
  return n
}

function recorder(): { log: Logger; lines: Array<{ level: string; msg: string }> } {
  const lines: Array<{ level: string; msg: string }> = []
  return { lines, log: (level, msg) => lines.push({ level, msg }) }
}

const foundBy = (n: BertyLibp2p, driver: string): Promise<FoundPeer> =>
  new Promise((resolve) => n.services.discovery!.addEventListener('peer', (e) => { if (e.detail.driver === driver) resolve(e.detail) }))

const closed = (stream: Stream): Promise<void> =>
  new Promise((resolve) => {
    if (stream.status !== 'open') resolve()
    else stream.addEventListener('close', () => resolve(), { once: true })
  })

const fast = { findInterval: { minMs: 100, maxMs: 400 } }

describe('discovery drivers on loopback', () => {
  it('namespaceCid is CIDv1(raw, sha256(namespace)) as go-libp2p nsToCid', async () => {
    const cid = await namespaceCid('berty-point')
    const digest = createHash('sha256').update('berty-point').digest()
    // CIDv1 = varint(1) ‖ varint(0x55 raw) ‖ multihash(0x12 sha2-256, 0x20, digest); base32 multibase.
    expect(cid.toString()).toBe(base32.encode(Uint8Array.from([0x01, 0x55, 0x12, 0x20, ...digest])))
  })

  it('DHT: the two ends of a line A–B–C meet by namespace only', async () => {
    const b = await node()
    const hub = b.getMultiaddrs()[0]!.toString()
    const reach = { discovery: { drivers: [dhtDriver()], ...fast }, holePunching: false, autonat: false }
    const a = await node({ bootstrap: [hub], reach })
    const c = await node({ bootstrap: [hub], reach })
    const ns = 'a-rendezvous-point'
    a.services.discovery!.advertise(ns)
    const found = foundBy(c, 'dht')
    c.services.discovery!.watch(ns)
    const f = await found
    expect(f.peer.id.equals(a.peerId)).toBe(true)
    await new Promise<void>((resolve) => {
      if (c.getConnections(a.peerId).length > 0) resolve()
      c.addEventListener('peer:connect', (e) => { if (e.detail.equals(a.peerId)) resolve() })
    })
  })

  it('local records: pushed on connect and on advertise; found by namespace; hostile frames refused', async () => {
    const rec = recorder()
    const reach = (log?: Logger) => ({ discovery: { drivers: [localRecordDriver()], ...fast, ...(log ? { log } : {}) }, holePunching: false, autonat: false })
    const a = await node({ reach: reach() })
    const b = await node({ reach: reach(rec.log) })
    a.services.discovery!.advertise('before-connect')
    const found1 = foundBy(b, 'localrecord')
    b.services.discovery!.watch('before-connect')
    await b.dial(a.getMultiaddrs())
    expect((await found1).peer.id.equals(a.peerId)).toBe(true)

    const found2 = foundBy(b, 'localrecord')
    b.services.discovery!.watch('after-connect')
    a.services.discovery!.advertise('after-connect')
    const f2 = await found2
    expect(f2.namespace).toBe('after-connect')
    expect(b.services.discovery!.status().drivers[0]).toMatchObject({ name: 'localrecord', running: true, lastFoundPeer: a.peerId.toString() })

    // Hostile: 4 KiB frame (cap 2048), garbage, an empty namespace, a 300-byte namespace.
    const evil = await node()
    const send = async (bytes: Uint8Array): Promise<Stream> => {
      const s = await evil.dialProtocol(b.getMultiaddrs(), LOCAL_RECORD_PROTOCOL)
      await lpStream(s).write(bytes)
      await s.close().catch(() => {})
      return s
    }
    await closed(await send(new Uint8Array(4096)))
    await closed(await send(Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f])))
    const far = BigInt(Math.floor(Date.now() / 1000) + 3600)
    await closed(await send(tinder.Records.encode({ records: [{ cid: '', expire: far }, { cid: 'x'.repeat(300), expire: far }] })))
    const warns = rec.lines.filter((l) => l.level === 'warn').map((l) => l.msg)
    expect(warns.some((m) => m.includes('malformed or oversized'))).toBe(true)
    expect(warns.some((m) => m.includes('bad namespace'))).toBe(true)
    expect(warns.every((m) => !m.includes('x'.repeat(20)))).toBe(true)
    // Still healthy: an honest record from the same peer is accepted.
    const found3 = foundBy(b, 'localrecord')
    b.services.discovery!.watch('honest')
    await closed(await send(tinder.Records.encode({ records: [{ cid: 'honest', expire: far }] })))
    expect((await found3).peer.id.equals(evil.peerId)).toBe(true)
  })
})
