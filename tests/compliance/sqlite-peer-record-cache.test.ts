/**
 * interface-datastore compliance for the peer-record cache (core/net/peer-record-cache.ts) in front of
 * SqliteDatastore, with every key held in memory (prefix `/`), so each operation of the suite goes
 * through the cached path: reads from memory, coalesced writes, flush before queries and batches.
 *   npx mocha -n import=tsx -n import=./tests/compliance/register.mjs tests/compliance/sqlite-peer-record-cache.test.ts
 */
import { interfaceDatastoreTests } from 'interface-datastore-tests'
import { peerRecordCache, type PeerRecordCache } from '../../core/net/peer-record-cache'
import { SqliteDatastore } from '../../core/storage/datastore'
import { openDatabase, type SqliteDatabase } from '../../core/storage/database'

declare function describe(name: string, fn: () => void): void

describe('peer-record cache over SqliteDatastore: interface-datastore compliance (every key cached)', () => {
  const dbs = new Map<PeerRecordCache, SqliteDatabase>()
  interfaceDatastoreTests({
    setup() {
      const db = openDatabase(':memory:')
      const store = peerRecordCache(new SqliteDatastore(db), { prefix: '/' })
      dbs.set(store, db)
      return store
    },
    async teardown(store) {
      await (store as PeerRecordCache).flush()
      dbs.get(store as PeerRecordCache)?.close()
      dbs.delete(store as PeerRecordCache)
    }
  })
})
