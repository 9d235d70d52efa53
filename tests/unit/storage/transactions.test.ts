// SqliteDatabase.transaction/durable share one better-sqlite3 wrapper (core/storage/database.ts):
// each call must still be its own transaction, a nested call a savepoint that rolls back alone,
// and a throw roll back everything its call wrote.
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../core/storage/database'

function setup() {
  const db = openDatabase(':memory:')
  db.sql.exec('CREATE TABLE t (v INTEGER NOT NULL)')
  const put = (v: number) => db.sql.prepare('INSERT INTO t VALUES (?)').run(v)
  const values = () => db.sql.prepare<[], { v: number }>('SELECT v FROM t ORDER BY rowid').all().map((r) => r.v)
  return { db, put, values }
}

describe('SqliteDatabase transactions', () => {
  it('returns the value, commits, and rolls back a throwing call entirely', () => {
    const { db, put, values } = setup()
    expect(db.transaction(() => (put(1), 'done'))).toBe('done')
    expect(() =>
      db.transaction(() => {
        put(2)
        throw new Error('boom')
      })
    ).toThrow('boom')
    expect(values()).toEqual([1])
    expect(db.sql.inTransaction).toBe(false)
  })

  it('nests as a savepoint: a caught inner failure rolls back only the inner writes', () => {
    const { db, put, values } = setup()
    db.transaction(() => {
      put(1)
      expect(() =>
        db.transaction(() => {
          put(2)
          throw new Error('inner')
        })
      ).toThrow('inner')
      db.durable(() => put(3))
      expect(db.sql.inTransaction).toBe(true)
    })
    expect(values()).toEqual([1, 3])
  })

  it('durable() at the outermost level commits and restores synchronous=NORMAL, also after a throw', () => {
    const { db, put, values } = setup()
    db.durable(() => put(1))
    expect(() =>
      db.durable(() => {
        put(2)
        throw new Error('boom')
      })
    ).toThrow('boom')
    expect(values()).toEqual([1])
    // In-memory databases report synchronous as set (1 = NORMAL).
    expect(db.sql.pragma('synchronous', { simple: true })).toBe(1)
  })
})
