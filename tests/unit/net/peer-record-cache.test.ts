// The peer-record cache (core/net/peer-record-cache.ts) under libp2p's real peer store over the real
// SQLite datastore: merges on every stream cost no datastore write until the flush, and nothing is lost.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { TypedEventEmitter } from '@libp2p/interface'
import { defaultLogger } from '@libp2p/logger'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { persistentPeerStore } from '@libp2p/peer-store'
import { Key, type Datastore } from 'interface-datastore'
import { afterEach, describe, expect, it } from 'vitest'
import { peerRecordCache } from '../../../core/net/peer-record-cache'
import { SqliteDatastore } from '../../../core/storage/datastore'
import { openDatabase, type SqliteDatabase } from '../../../core/storage/database'

const open: SqliteDatabase[] = []
afterEach(() => {
  for (const db of open.splice(0)) db.close()
})

/** The real SQLite datastore, with its writes counted. */
function countedStore(): { store: SqliteDatastore; writes: () => number } {
  const db = openDatabase(':memory:')
  open.push(db)
  const store = new SqliteDatastore(db)
  let n = 0
  const put = store.put.bind(store)
  store.put = async (...args: Parameters<SqliteDatastore['put']>) => {
    n++
    return put(...args)
  }
  const batch = store.batch.bind(store)
  store.batch = () => {
    const b = batch()
    const p = b.put.bind(b)
    b.put = (k, v) => {
      n++
      p(k, v)
    }
    return b
  }
  return { store, writes: () => n }
}

async function peerStoreOver(datastore: Datastore) {
  const peerId = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
  return persistentPeerStore({ peerId, datastore, events: new TypedEventEmitter(), logger: defaultLogger() })
}

async function somePeer() {
  return peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
}

describe('peer-record cache', () => {
  it('coalesces the peer store write of every merge into one per flush, and the flushed record is complete', async () => {
    const { store, writes } = countedStore()
    const cache = peerRecordCache(store, { flushMs: 60_000 })
    const peers = await peerStoreOver(cache)
    const remote = await somePeer()
    // What libp2p does on each inbound stream (connection.js): merge the negotiated protocol.
    for (let i = 0; i < 200; i++) await peers.merge(remote, { protocols: [`/p/${i % 3}`] })
    expect(writes()).toBe(0)
    expect(cache.pending()).toBe(1)
    // Reads see the latest record before any flush.
    expect((await peers.get(remote)).protocols.sort()).toEqual(['/p/0', '/p/1', '/p/2'])
    await cache.flush()
    expect(writes()).toBe(1)
    expect(cache.pending()).toBe(0)
    // A peer store over the bare datastore (a restart) reads what was flushed.
    const fresh = await peerStoreOver(store)
    expect((await fresh.get(remote)).protocols.sort()).toEqual(['/p/0', '/p/1', '/p/2'])
  })

  it('writes pending records within flushMs without being asked', async () => {
    const { store, writes } = countedStore()
    const cache = peerRecordCache(store, { flushMs: 50 })
    const peers = await peerStoreOver(cache)
    const remote = await somePeer()
    await peers.merge(remote, { protocols: ['/a'] })
    expect(writes()).toBe(0)
    const end = Date.now() + 5_000
    while (writes() === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20))
    expect(writes()).toBe(1)
    expect(await store.has(new Key(`/peers/${remote.toCID().toString()}`))).toBe(true)
  })

  it('a query (peerStore.all) sees writes not yet flushed; a delete is not undone by a later flush', async () => {
    const { store } = countedStore()
    const cache = peerRecordCache(store, { flushMs: 60_000 })
    const peers = await peerStoreOver(cache)
    const a = await somePeer()
    const b = await somePeer()
    await peers.merge(a, { protocols: ['/a'] })
    await peers.merge(b, { protocols: ['/b'] })
    const all = []
    for await (const p of await peers.all()) all.push(p.id.toString())
    expect(all.sort()).toEqual([a.toString(), b.toString()].sort())
    await peers.merge(a, { protocols: ['/a2'] })
    await peers.delete(a)
    await cache.flush()
    expect(await peers.has(a)).toBe(false)
    expect(await store.has(new Key(`/peers/${a.toCID().toString()}`))).toBe(false)
  })

  it('other keys go straight to the datastore; memory stays bounded', async () => {
    const { store, writes } = countedStore()
    const cache = peerRecordCache(store, { flushMs: 60_000, maxRecords: 4 })
    await cache.put(new Key('/dht/record/x'), Uint8Array.of(1))
    expect(writes()).toBe(1)
    for (let i = 0; i < 10; i++) await cache.put(new Key(`/peers/p${i}`), Uint8Array.of(i))
    // Past 4 records the pending ones were written out and memory dropped.
    expect(cache.pending()).toBeLessThanOrEqual(4)
    await cache.flush()
    for (let i = 0; i < 10; i++) expect(await store.get(new Key(`/peers/p${i}`))).toEqual(Uint8Array.of(i))
  })
})
