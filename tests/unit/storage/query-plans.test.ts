/**
 * Hot queries must be index searches: a key lookup that silently degrades into a table scan is
 * invisible with test-sized data and fatal with a real account (STYLE.md "EXPLAIN QUERY PLAN").
 */
import { describe, expect, it } from 'vitest'
import { BLOCKSTORE_SQL } from '../../../core/storage/blockstore'
import { openDatabase } from '../../../core/storage/database'
import { DATASTORE_SQL } from '../../../core/storage/datastore'
import { KEYSTORE_SQL } from '../../../core/storage/keystore'
import { PROCESSED_STATUS_SQL } from '../../../core/storage/message-store'
import { ORBIT_SQL } from '../../../core/storage/orbit-storage'

const db = openDatabase(':memory:')

function plan(sql: string): string[] {
  const params = (sql.match(/\?/g) ?? []).map(() => null)
  return db.sql
    .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
    .all(...params)
    .map((r) => r.detail)
}

const all = {
  keystore: KEYSTORE_SQL,
  kv: DATASTORE_SQL,
  blocks: BLOCKSTORE_SQL,
  orbit_kv: ORBIT_SQL
}

describe('EXPLAIN QUERY PLAN', () => {
  for (const [table, queries] of Object.entries(all)) {
    for (const [name, sql] of Object.entries(queries)) {
      // Whole-table operations have nothing to search by; every other query must use the key index.
      const fullTable = table === 'blocks' && name === 'firstPage'
      it(`${table}.${name} ${fullTable ? 'walks the primary-key index in order' : 'searches an index'}`, () => {
        const steps = plan(sql)
        const text = steps.join('\n')
        // No sorting step: pagination relies on reading the index in key order.
        expect(text).not.toMatch(/TEMP B-TREE/)
        if (fullTable) {
          expect(text).toMatch(/USING (COVERING )?INDEX sqlite_autoindex_blocks_1/)
          return
        }
        if (/^\s*(INSERT|UPDATE)/i.test(sql)) return // upserts resolve conflicts through the PK index
        expect(text).toMatch(/SEARCH/)
        expect(text).not.toMatch(/\bSCAN\b/)
      })
    }
  }

  it('kv prefix queries are a bounded index range', () => {
    expect(plan(DATASTORE_SQL.rowsFromTo).join('\n')).toMatch(/SEARCH kv USING INDEX sqlite_autoindex_kv_1 \(key>\? AND key<\?\)/)
  })

  it("a message entry's processed status is two primary-key searches (log_processed, then messages)", () => {
    const text = plan(PROCESSED_STATUS_SQL).join('\n')
    expect(text).toMatch(/SEARCH log_processed USING INDEX sqlite_autoindex_log_processed_1 \(group_pk=\? AND log=\? AND hash=\?\)/)
    expect(text).toMatch(/SEARCH messages USING INDEX sqlite_autoindex_messages_1 \(group_pk=\? AND id=\?\)/)
    expect(text).not.toMatch(/\bSCAN\b/)
  })

  it('orbit iteration is an index range within one namespace', () => {
    expect(plan(ORBIT_SQL.after).join('\n')).toMatch(
      /SEARCH orbit_kv USING INDEX sqlite_autoindex_orbit_kv_1 \(namespace=\? AND key>\?\)/
    )
  })

  it('the account row is found by primary key', () => {
    expect(plan('SELECT * FROM account WHERE id = 1').join('\n')).toMatch(/SEARCH account USING INTEGER PRIMARY KEY/)
  })
})
