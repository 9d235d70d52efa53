/**
 * Helia 7 on our libp2p: bitswap between connected peers, and (opt-in) provider lookup on the private DHT.
 */
import { randomBytes } from 'node:crypto'
import { MemoryBlockstore } from 'blockstore-core'
import { MemoryDatastore } from 'datastore-core'
import * as raw from 'multiformats/codecs/raw'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { afterEach, describe, expect, it } from 'vitest'
import { createHeliaNode, type BertyHelia } from '../../core/net/helia'
import { createLibp2pNode, peerKeyFromSeed } from '../../core/net/libp2p'

const running: BertyHelia[] = []
async function heliaNode(routing: 'none' | 'libp2p'): Promise<BertyHelia> {
  const libp2p = await createLibp2pNode({ privateKey: await peerKeyFromSeed(randomBytes(32)), listen: ['/ip4/127.0.0.1/tcp/0'], webrtc: false })
  const h = await createHeliaNode({ libp2p, blockstore: new MemoryBlockstore(), datastore: new MemoryDatastore(), routing, start: true })
  running.push(h)
  return h
}

afterEach(async () => {
  for (const h of running.splice(0)) {
    await h.stop()
    await h.libp2p.stop() // Helia does not own libp2p
  }
})

async function block(): Promise<{ cid: CID; bytes: Uint8Array }> {
  const bytes = randomBytes(1000)
  return { cid: CID.createV1(raw.code, await sha256.digest(bytes)), bytes }
}

const get = async (h: BertyHelia, cid: CID): Promise<Uint8Array> => {
  const chunks: Uint8Array[] = []
  for await (const c of h.blockstore.get(cid as never, { signal: AbortSignal.timeout(10_000) })) chunks.push(c)
  return Buffer.concat(chunks)
}

describe('net: Helia 7 over our libp2p', () => {
  it('starts libp2p, fetches a block over bitswap from a connected peer, leaves libp2p running on stop', async () => {
    const [a, b] = [await heliaNode('none'), await heliaNode('none')]
    expect(a.libp2p.status).toBe('started')
    expect(a.libp2p.getProtocols()).toContain('/ipfs/bitswap/1.2.0')
    const { cid, bytes } = await block()
    await a.blockstore.put(cid as never, bytes)
    await b.libp2p.dial(a.libp2p.getMultiaddrs())
    expect(Buffer.from(await get(b, cid)).equals(Buffer.from(bytes))).toBe(true)
    await b.stop()
    expect(b.libp2p.status).toBe('started')
  })

  it("routing 'libp2p': B finds a provider it is not connected to through the private DHT and fetches from it", async () => {
    const [a, hub, b] = [await heliaNode('libp2p'), await heliaNode('libp2p'), await heliaNode('libp2p')]
    await a.libp2p.dial(hub.libp2p.getMultiaddrs())
    const { cid, bytes } = await block()
    await a.blockstore.put(cid as never, bytes)
    // Nothing provides automatically (helia 7 put only notifies block brokers): announce explicitly.
    await a.routing.provide(cid as never, { signal: AbortSignal.timeout(10_000) })
    // B joins only after the record is on the hub (a provide also dials the closest peers it learns of).
    await b.libp2p.dial(hub.libp2p.getMultiaddrs())
    expect(b.libp2p.getConnections(a.libp2p.peerId)).toHaveLength(0)
    expect(Buffer.from(await get(b, cid)).equals(Buffer.from(bytes))).toBe(true)
    expect(b.libp2p.getConnections(a.libp2p.peerId).length).toBeGreaterThan(0)
  })
})
