/**
 * OrbitDB 4 `events` databases replicating over our libp2p + Helia composition on loopback TCP.
 */
import { IPFSAccessController, type EventsDatabase, type LogEntry } from '@orbitdb/core'
import { afterEach, describe, expect, it } from 'vitest'
import type { PeerId } from '@libp2p/interface'
import { denyPeers } from '../../core/net/libp2p'
import { connect, nextUpdate, startTestPeer, waitForSubscriber, type TestPeer } from '../support/orbitdb-peer'

const peers: TestPeer[] = []
async function peer(name: string, options: Parameters<typeof startTestPeer>[1] = {}): Promise<TestPeer> {
  const p = await startTestPeer(name, options)
  peers.push(p)
  return p
}

afterEach(async () => {
  await Promise.all(peers.splice(0).map((p) => p.stop()))
})

const valueIs = (v: string) => (e: { payload: { value: unknown } }) => e.payload.value === v

describe('net: OrbitDB over libp2p 3 + Helia 7', () => {
  it('replicates an append from A to B over TCP', async () => {
    const a = await peer('a')
    const b = await peer('b')
    await connect(b, a)

    const dbA: EventsDatabase = await a.orbitdb.open('net-two', { AccessController: IPFSAccessController({ write: ['*'] }) })
    // B fetches the manifest and the access controller block from A over bitswap.
    const dbB: EventsDatabase = await b.orbitdb.open(dbA.address)
    expect(dbB.address).toBe(dbA.address)

    const seen = nextUpdate(dbB, valueIs('hello'))
    await dbA.add('hello')
    await seen
    expect((await dbB.all()).map((e) => e.value)).toEqual(['hello'])
  })

  it('catches up on join: B opens after A appended, receives the whole log through the heads exchange', async () => {
    const a = await peer('a')
    const b = await peer('b')
    const dbA: EventsDatabase = await a.orbitdb.open('net-join', { AccessController: IPFSAccessController({ write: ['*'] }) })
    for (let i = 0; i < 20; i++) await dbA.add(`m${i}`)
    await connect(b, a)
    const dbB: EventsDatabase = await b.orbitdb.open(dbA.address)
    await nextUpdate(dbB, valueIs('m19'))
    // The head's 'update' fires after joinEntry fetched and verified the whole DAG behind it.
    expect((await dbB.all()).map((e) => e.value)).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`))
  })

  it('line A–B–C (A not connected to C): C receives A’s entry via B, which has the db open', async () => {
    // Without the gater the private DHT meshes A and C within ~1 s (query-self finds them through B).
    const aDenies: PeerId[] = []
    const cDenies: PeerId[] = []
    const a = await peer('a', { connectionGater: denyPeers(aDenies) })
    const b = await peer('b')
    const c = await peer('c', { connectionGater: denyPeers(cDenies) })
    aDenies.push(c.libp2p.peerId)
    cDenies.push(a.libp2p.peerId)
    await connect(b, a)
    await connect(c, b)
    expect(a.libp2p.getConnections(c.libp2p.peerId)).toHaveLength(0)

    const dbA: EventsDatabase = await a.orbitdb.open('net-line', { AccessController: IPFSAccessController({ write: ['*'] }) })
    const dbB: EventsDatabase = await b.orbitdb.open(dbA.address)
    // C must fetch the manifest through B: B has it (it opened the db) and bitswap serves it.
    const dbC: EventsDatabase = await c.orbitdb.open(dbA.address)
    await waitForSubscriber(b, dbA.address, c)
    await waitForSubscriber(b, dbA.address, a)

    const atB = nextUpdate(dbB, valueIs('over-two-hops'))
    const atC = nextUpdate(dbC, valueIs('over-two-hops'))
    await dbA.add('over-two-hops')
    await atB
    const entry = await atC
    expect(entry).toBeTruthy()
    expect(a.libp2p.getConnections(c.libp2p.peerId)).toHaveLength(0)
  })

  it('line A–B–C: a later C joins and catches up through B’s heads exchange (B relays state, not only messages)', async () => {
    const aDenies: PeerId[] = []
    const cDenies: PeerId[] = []
    const a = await peer('a', { connectionGater: denyPeers(aDenies) })
    const b = await peer('b')
    const c = await peer('c', { connectionGater: denyPeers(cDenies) })
    aDenies.push(c.libp2p.peerId)
    cDenies.push(a.libp2p.peerId)
    await connect(b, a)
    const dbA: EventsDatabase = await a.orbitdb.open('net-line-late', { AccessController: IPFSAccessController({ write: ['*'] }) })
    const dbB: EventsDatabase = await b.orbitdb.open(dbA.address)
    const atB = nextUpdate(dbB, valueIs('x5'))
    for (let i = 0; i <= 5; i++) await dbA.add(`x${i}`)
    await atB

    await connect(c, b)
    const dbC: EventsDatabase = await c.orbitdb.open(dbA.address)
    await nextUpdate(dbC, valueIs('x5'))
    expect((await dbC.all()).map((e) => e.value)).toEqual(['x0', 'x1', 'x2', 'x3', 'x4', 'x5'])
    expect(a.libp2p.getConnections(c.libp2p.peerId)).toHaveLength(0)
  })

  it('an Ed25519 OrbitDB identity (pre-seeded keystore, no custom provider) replicates to a default secp256k1 peer', async () => {
    const a = await peer('a', { identityKey: 'Ed25519' })
    const b = await peer('b')
    expect(a.orbitdb.identity.publicKey).toHaveLength(64) // 32-byte Ed25519, hex
    expect(b.orbitdb.identity.publicKey).toHaveLength(66) // 33-byte compressed secp256k1, hex
    await connect(b, a)
    const dbA: EventsDatabase = await a.orbitdb.open('net-ed25519', { AccessController: IPFSAccessController({ write: ['*'] }) })
    const dbB: EventsDatabase = await b.orbitdb.open(dbA.address)
    const atB = nextUpdate(dbB, valueIs('signed with ed25519'))
    await dbA.add('signed with ed25519')
    const entry = (await atB) as unknown as LogEntry
    expect(entry.key).toBe(a.orbitdb.identity.publicKey)
    expect(entry.sig).toHaveLength(128) // 64-byte Ed25519 signature, hex
  })
})
