// ChainStore.pruneCheckpoints (one SQL statement) keeps exactly what the hand-over rule keeps: every
// checkpoint from the first one whose successor was taken after the threshold (the rule chain-keeper.ts
// applied in JS before), for in-order and out-of-order clocks alike.
import { describe, expect, it } from 'vitest'
import { ChainStore } from '../../../core/storage/chain-store'
import { openDatabase } from '../../../core/storage/database'

/** The rule as it was written in JS: index of the first row whose successor is after `threshold`. */
function expectedKept(rows: Array<{ counter: number; at: number }>, threshold: number): number[] {
  const keep = rows.findIndex((_, i) => rows[i + 1] === undefined || rows[i + 1]!.at > threshold)
  return rows.slice(Math.max(keep, 0)).map((r) => r.counter)
}

describe('ChainStore.pruneCheckpoints', () => {
  const db = openDatabase(':memory:')
  db.sql.prepare("INSERT INTO keystore VALUES ('keys', x'00', 0)").run()
  const store = new ChainStore(db)
  let n = 0

  function group(): Uint8Array {
    const gpk = new Uint8Array(32)
    new DataView(gpk.buffer).setUint32(0, ++n)
    db.sql.prepare("INSERT INTO groups (group_pk, kind, role, keys_ref, device_ref, created_at) VALUES (?, 'multi', 'replica', 'keys', NULL, 0)").run(gpk)
    return gpk
  }

  it('matches the JS rule on random windows, clocks going backwards included', () => {
    for (let round = 0; round < 200; round++) {
      const gpk = group()
      const other = group()
      const rows: Array<{ counter: number; at: number }> = []
      let at = 1_000
      for (let i = 0; i < Math.floor(Math.random() * 12); i++) {
        at += Math.floor(Math.random() * 100) - (round % 3 === 0 ? 40 : 0)
        rows.push({ counter: i * 16, at })
        store.addCheckpoint(gpk, i * 16, at, new Uint8Array([1]))
        store.addCheckpoint(other, i * 16, at, new Uint8Array([1]))
      }
      const threshold = 1_000 + Math.floor(Math.random() * 600)
      store.pruneCheckpoints(gpk, threshold)
      expect(store.checkpoints(gpk).map((r) => r.counter)).toEqual(expectedKept(rows, threshold))
      // Other groups are untouched.
      expect(store.checkpoints(other).length).toBe(rows.length)
    }
  })

  it('keeps the newest checkpoint before the threshold and everything after it', () => {
    const gpk = group()
    for (const [counter, at] of [[0, 10], [16, 20], [32, 30], [48, 40]] as const) store.addCheckpoint(gpk, counter, at, new Uint8Array([1]))
    store.pruneCheckpoints(gpk, 25)
    expect(store.checkpoints(gpk).map((r) => r.counter)).toEqual([16, 32, 48])
    store.pruneCheckpoints(gpk, 100)
    expect(store.checkpoints(gpk).map((r) => r.counter)).toEqual([48])
  })

  it('keeps counter 0 when a hand-over floor holds it, the rest pruned as usual', () => {
    const gpk = group()
    for (const [counter, at] of [[0, 10], [16, 20], [32, 30], [48, 40]] as const) store.addCheckpoint(gpk, counter, at, new Uint8Array([1]))
    store.pruneCheckpoints(gpk, 35, true)
    expect(store.checkpoints(gpk).map((r) => r.counter)).toEqual([0, 32, 48])
    store.pruneCheckpoints(gpk, 35)
    expect(store.checkpoints(gpk).map((r) => r.counter)).toEqual([32, 48])
  })

  it('records the floor and its first contact only once', () => {
    const gpk = group()
    expect(store.floor(gpk)).toBeUndefined()
    store.setFloor(gpk)
    expect(store.floor(gpk)).toEqual({ contactAt: null })
    store.contacted(gpk, 1_000)
    store.contacted(gpk, 9_000)
    expect(store.floor(gpk)).toEqual({ contactAt: 1_000 })
    store.setFloor(gpk)
    expect(store.floor(gpk)).toEqual({ contactAt: 1_000 })
    store.dropFloor(gpk)
    expect(store.floor(gpk)).toBeUndefined()
  })
})
