import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../core/storage/database'
import { MAX_VALUE_BYTES } from '../../../core/storage/limits'
import { SqliteOrbitStorage, type OrbitStorage } from '../../../core/storage/orbit-storage'
import { expectCode, tempDir } from './helpers'

const tmp = tempDir('orbit')
afterAll(() => tmp.cleanup())

async function entries(storage: OrbitStorage, options?: { amount?: number; reverse?: boolean }): Promise<Array<[string, unknown]>> {
  const out: Array<[string, unknown]> = []
  for await (const pair of storage.iterator(options)) out.push(pair)
  return out
}

describe('SqliteOrbitStorage', () => {
  it('stores bytes as bytes and other values as JSON', async () => {
    const s = new SqliteOrbitStorage(openDatabase(':memory:'), 'ns')
    const bytes = new Uint8Array([1, 2, 3])
    await s.put('bytes', bytes)
    await s.put('flag', true)
    await s.put('obj', { hash: 'zd', next: ['a'], n: 1 })
    const got = await s.get('bytes')
    expect(Object.getPrototypeOf(got)).toBe(Uint8Array.prototype)
    expect(got).toEqual(bytes)
    expect(await s.get('flag')).toBe(true)
    expect(await s.get('obj')).toEqual({ hash: 'zd', next: ['a'], n: 1 })
    expect(await s.get('missing')).toBeUndefined()
    await s.put('flag', new Uint8Array([9]))
    expect(await s.get('flag')).toEqual(new Uint8Array([9]))
    await s.del('flag')
    expect(await s.get('flag')).toBeUndefined()
  })

  it('putIfAbsentSync writes only a missing key, says whether it wrote, and isolates namespaces', async () => {
    const db = openDatabase(':memory:')
    const s = new SqliteOrbitStorage(db, 'ns')
    const other = new SqliteOrbitStorage(db, 'other')
    expect(s.putIfAbsentSync('k', { n: ['a'], r: [], t: 1 })).toBe(true)
    expect(s.putIfAbsentSync('k', { n: ['b'], r: [], t: 2 })).toBe(false)
    expect(s.getSync('k')).toEqual({ n: ['a'], r: [], t: 1 })
    expect(other.putIfAbsentSync('k', new Uint8Array([7]))).toBe(true)
    expect(other.getSync('k')).toEqual(new Uint8Array([7]))
    s.putSync('k2', true)
    expect(s.putIfAbsentSync('k2', new Uint8Array([1]))).toBe(false)
    expect(s.getSync('k2')).toBe(true)
    await expectCode(() => s.putIfAbsentSync('', true), 'ERR_BAD_INPUT')
  })

  it('iterates in key order, reversed, and limited', async () => {
    const s = new SqliteOrbitStorage(openDatabase(':memory:'), 'ns')
    for (const k of ['b', 'a', 'd', 'c']) await s.put(k, k)
    expect((await entries(s)).map(([k]) => k)).toEqual(['a', 'b', 'c', 'd'])
    expect((await entries(s, { reverse: true })).map(([k]) => k)).toEqual(['d', 'c', 'b', 'a'])
    expect(await entries(s, { amount: 2, reverse: true })).toEqual([
      ['d', 'd'],
      ['c', 'c']
    ])
    expect(await entries(s, { amount: -1 })).toHaveLength(4)
    expect(await entries(s, { amount: 0 })).toHaveLength(0)
    await expectCode(() => entries(s, { amount: 1.5 }), 'ERR_BAD_INPUT')
  })

  it('pages through more rows than one page, even while writing', async () => {
    const s = new SqliteOrbitStorage(openDatabase(':memory:'), 'ns')
    const keys = Array.from({ length: 600 }, (_, i) => `k${String(i).padStart(4, '0')}`)
    for (const k of keys) await s.put(k, k)
    const seen: string[] = []
    for await (const [k] of s.iterator()) {
      seen.push(k)
      if (seen.length === 1) await s.put('zzz', 'added during iteration')
    }
    expect(seen).toEqual([...keys, 'zzz'])
    expect(await entries(s, { amount: 300, reverse: true })).toHaveLength(300)
  })

  it('isolates namespaces; clear() empties only its own', async () => {
    const db = openDatabase(':memory:')
    const a = new SqliteOrbitStorage(db, 'a')
    const b = new SqliteOrbitStorage(db, 'b')
    await a.put('k', 1)
    await b.put('k', 2)
    expect(await a.get('k')).toBe(1)
    await a.clear()
    expect(await a.get('k')).toBeUndefined()
    expect(await b.get('k')).toBe(2)
  })

  it('merges another storage', async () => {
    const db = openDatabase(':memory:')
    const a = new SqliteOrbitStorage(db, 'a')
    const b = new SqliteOrbitStorage(db, 'b')
    for (let i = 0; i < 300; i++) await b.put(`k${i}`, i)
    await a.put('own', true)
    await a.merge(b)
    await a.merge(undefined)
    expect(await entries(a)).toHaveLength(301)
    expect(await a.get('k299')).toBe(299)
  })

  it('validates keys, namespaces and values', async () => {
    const db = openDatabase(':memory:')
    expect(() => new SqliteOrbitStorage(db, '')).toThrow(/namespace/)
    const s = new SqliteOrbitStorage(db, 'ns')
    await expectCode(() => s.put('', 1), 'ERR_BAD_INPUT')
    await expectCode(() => s.put(42 as unknown as string, 1), 'ERR_BAD_INPUT')
    await expectCode(() => s.put('\uD800', 1), 'ERR_BAD_INPUT')
    await expectCode(() => s.put('x'.repeat(1025), 1), 'ERR_TOO_LARGE')
    await expectCode(() => s.put('k', undefined), 'ERR_BAD_INPUT')
    await expectCode(() => s.put('k', 10n), 'ERR_BAD_INPUT')
    await expectCode(() => s.put('k', new Uint8Array(MAX_VALUE_BYTES + 1)), 'ERR_TOO_LARGE')
  })

  it('refuses use after close() without closing the shared database', async () => {
    const db = openDatabase(':memory:')
    const s = new SqliteOrbitStorage(db, 'ns')
    await s.close()
    await expectCode(() => s.get('k'), 'ERR_CLOSED')
    expect(db.isOpen).toBe(true)
    await new SqliteOrbitStorage(db, 'ns').put('k', 1)
  })
})

/** Just the parts of @orbitdb/core 4 this test drives (the package ships no types). */
interface OrbitModule {
  KeyStore(opts: { storage: unknown }): Promise<unknown>
  Identities(opts: { keystore: unknown }): Promise<{ createIdentity(opts: { id: string }): Promise<unknown> }>
  MemoryStorage(): Promise<unknown>
  LRUStorage(opts: { size: number }): Promise<OrbitStorage>
  ComposedStorage(a: unknown, b: unknown): Promise<OrbitStorage>
  Log(
    identity: unknown,
    opts: { logId: string; entryStorage: unknown; headsStorage: unknown; indexStorage: unknown }
  ): Promise<{
    append(payload: string): Promise<{ hash: string }>
    values(): Promise<Array<{ hash: string; payload: string }>>
    heads(): Promise<Array<{ hash: string }>>
    close(): Promise<void>
  }>
}

describe('SqliteOrbitStorage under a real OrbitDB 4 log', () => {
  it('persists entries, heads and index across a restart', async () => {
    const specifier = '@orbitdb/core'
    const orbit = (await import(specifier)) as OrbitModule
    const keystore = await orbit.KeyStore({ storage: await orbit.MemoryStorage() })
    const identities = await orbit.Identities({ keystore })
    const identity = await identities.createIdentity({ id: 'user-a' })
    const path = tmp.path('orbit-log.sqlite')

    const openLog = async (db: ReturnType<typeof openDatabase>) =>
      await orbit.Log(identity, {
        logId: 'log-a',
        // As OrbitDB composes its defaults: an LRU cache in front of persistent storage.
        entryStorage: await orbit.ComposedStorage(await orbit.LRUStorage({ size: 16 }), new SqliteOrbitStorage(db, 'log-a/entries')),
        headsStorage: new SqliteOrbitStorage(db, 'log-a/heads'),
        indexStorage: new SqliteOrbitStorage(db, 'log-a/index')
      })

    const db1 = openDatabase(path)
    const log1 = await openLog(db1)
    for (const p of ['one', 'two', 'three']) await log1.append(p)
    const values = (await log1.values()).map((e) => e.payload)
    const heads = (await log1.heads()).map((e) => e.hash)
    await log1.close()
    db1.close()

    const db2 = openDatabase(path)
    const log2 = await openLog(db2)
    expect((await log2.values()).map((e) => e.payload)).toEqual(values)
    expect((await log2.heads()).map((e) => e.hash)).toEqual(heads)
    expect(values).toEqual(['one', 'two', 'three'])
    await log2.close()
    db2.close()
  })
})
