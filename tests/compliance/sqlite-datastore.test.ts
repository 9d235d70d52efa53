/**
 * interface-datastore compliance for SqliteDatastore (STYLE.md "shared compliance suites"), on an in-memory database
 * and on a WAL file. Runs under Mocha (the suite uses Mocha's `this.timeout`):
 *   npx mocha -n import=tsx -n import=./tests/compliance/register.mjs 'tests/compliance/sqlite-*.test.ts'
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { interfaceDatastoreTests } from 'interface-datastore-tests'
import { SqliteDatastore } from '../../core/storage/datastore'
import { openDatabase, type SqliteDatabase } from '../../core/storage/database'

// Mocha globals, declared locally so no test-framework globals leak into the shared type program.
declare function describe(name: string, fn: () => void): void
declare function after(fn: () => void): void

function suite(open: () => SqliteDatabase): void {
  const dbs = new Map<SqliteDatastore, SqliteDatabase>()
  interfaceDatastoreTests({
    setup() {
      const db = open()
      const store = new SqliteDatastore(db)
      dbs.set(store, db)
      return store
    },
    teardown(store) {
      dbs.get(store as SqliteDatastore)?.close()
      dbs.delete(store as SqliteDatastore)
    }
  })
}

describe('SqliteDatastore: interface-datastore compliance (in-memory)', () => {
  suite(() => openDatabase(':memory:'))
})

describe('SqliteDatastore: interface-datastore compliance (WAL file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berty-datastore-'))
  let n = 0
  after(() => rmSync(dir, { recursive: true, force: true }))
  suite(() => openDatabase(join(dir, `${n++}.sqlite`)))
})
