/**
 * interface-blockstore compliance for SqliteBlockstore (STYLE.md "shared compliance suites"), on an in-memory database
 * and on a WAL file. Runs under Mocha (the suite uses Mocha's hooks):
 *   npx mocha -n import=tsx -n import=./tests/compliance/register.mjs 'tests/compliance/sqlite-*.test.ts'
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { interfaceBlockstoreTests } from 'interface-blockstore-tests'
import { SqliteBlockstore } from '../../core/storage/blockstore'
import { openDatabase, type SqliteDatabase } from '../../core/storage/database'

// Mocha globals, declared locally so no test-framework globals leak into the shared type program.
declare function describe(name: string, fn: () => void): void
declare function after(fn: () => void): void

function suite(open: () => SqliteDatabase): void {
  const dbs = new Map<SqliteBlockstore, SqliteDatabase>()
  interfaceBlockstoreTests({
    setup() {
      const db = open()
      const store = new SqliteBlockstore(db)
      dbs.set(store, db)
      return store
    },
    teardown(store) {
      dbs.get(store as SqliteBlockstore)?.close()
      dbs.delete(store as SqliteBlockstore)
    }
  })
}

describe('SqliteBlockstore: interface-blockstore compliance (in-memory)', () => {
  suite(() => openDatabase(':memory:'))
})

describe('SqliteBlockstore: interface-blockstore compliance (WAL file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berty-blockstore-'))
  let n = 0
  after(() => rmSync(dir, { recursive: true, force: true }))
  suite(() => openDatabase(join(dir, `${n++}.sqlite`)))
})
