import { Key } from 'interface-datastore'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { afterAll, describe, expect, it } from 'vitest'
import { SqliteBlockstore } from '../../../core/storage/blockstore'
import { openDatabase } from '../../../core/storage/database'
import { SqliteDatastore, prefixSuccessor } from '../../../core/storage/datastore'
import { MAX_BLOCK_BYTES, MAX_KEY_BYTES, MAX_VALUE_BYTES } from '../../../core/storage/limits'
import { expectCode, tempDir } from './helpers'

const tmp = tempDir('stores')
afterAll(() => tmp.cleanup())

const DAG_PB = 0x70

/**
 * The blockstore is typed with Helia's multiformats copy (v14), the app still pins v13: same run-time
 * shape, distinct declarations. Cast at this one boundary until the app's multiformats is bumped.
 */
type BlockCID = Parameters<SqliteBlockstore['has']>[0]
const asBlockCID = (cid: CID): BlockCID => cid as unknown as BlockCID

async function block(text: string): Promise<{ cid: BlockCID; own: CID; bytes: Uint8Array }> {
  const bytes = new TextEncoder().encode(text)
  const own = CID.createV1(raw.code, await sha256.digest(bytes))
  return { cid: asBlockCID(own), own, bytes }
}

async function collect<T>(it: AsyncIterable<T> | Iterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const x of it) out.push(x)
  return out
}

async function concat(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(Buffer.concat(await collect(chunks)))
}

describe('SqliteBlockstore', () => {
  it('caps block size, also while streaming chunks in', async () => {
    const bs = new SqliteBlockstore(openDatabase(':memory:'))
    const { cid } = await block('x')
    await expectCode(() => bs.put(cid, new Uint8Array(MAX_BLOCK_BYTES + 1)), 'ERR_TOO_LARGE')
    let pulled = 0
    async function* chunks(): AsyncGenerator<Uint8Array> {
      for (;;) {
        pulled++
        yield new Uint8Array(1024 * 1024)
      }
    }
    await expectCode(() => bs.put(cid, chunks()), 'ERR_TOO_LARGE')
    expect(pulled).toBe(5) // stops reading as soon as the cap is passed
    await bs.put(cid, new Uint8Array(MAX_BLOCK_BYTES))
    expect(await bs.has(cid)).toBe(true)
  })

  it('rejects keys that are not CIDs and chunks that are not bytes', async () => {
    const bs = new SqliteBlockstore(openDatabase(':memory:'))
    await expectCode(() => bs.put('bafy' as unknown as BlockCID, new Uint8Array(1)), 'ERR_BAD_INPUT')
    await expectCode(() => bs.has({} as unknown as BlockCID), 'ERR_BAD_INPUT')
    const { cid } = await block('y')
    await expectCode(() => bs.put(cid, ['nope'] as unknown as Uint8Array[]), 'ERR_BAD_INPUT')
    await expectCode(() => bs.put(cid, 42 as unknown as Uint8Array), 'ERR_BAD_INPUT')
  })

  it('joins chunks and returns plain Uint8Arrays', async () => {
    const bs = new SqliteBlockstore(openDatabase(':memory:'))
    const { cid } = await block('ab')
    await bs.put(cid, [new Uint8Array([0x61]), new Uint8Array([0x62])])
    const [out] = await collect(bs.get(cid))
    expect(Object.getPrototypeOf(out)).toBe(Uint8Array.prototype)
    expect(out).toEqual(new Uint8Array([0x61, 0x62]))
  })

  it('keys by multihash: CIDv0/v1 and other codecs share one block; getAll reports the last CID written', async () => {
    const bs = new SqliteBlockstore(openDatabase(':memory:'))
    const { cid, own, bytes } = await block('shared')
    const v0 = asBlockCID(CID.createV0(own.multihash as Parameters<typeof CID.createV0>[0]))
    const pb = asBlockCID(CID.createV1(DAG_PB, own.multihash))
    await bs.put(cid, bytes)
    expect(await bs.has(v0)).toBe(true)
    expect(await concat(bs.get(pb))).toEqual(bytes)
    await bs.put(pb, bytes)
    const all = await collect(bs.getAll())
    expect(all).toHaveLength(1)
    expect(all[0]?.cid.equals(pb)).toBe(true)
    await bs.delete(v0)
    expect(await bs.has(cid)).toBe(false)
    await expectCode(() => collect(bs.get(cid)), 'ERR_NOT_FOUND')
  })

  it('persists across reopen and pages through getAll', async () => {
    const path = tmp.path('blocks.sqlite')
    const db = openDatabase(path)
    const blocks = await Promise.all(Array.from({ length: 300 }, async (_, i) => block(`b${i}`)))
    await collect(new SqliteBlockstore(db).putMany(blocks.map(({ cid, bytes }) => ({ cid, bytes }))))
    db.close()
    const db2 = openDatabase(path)
    const all = await collect(new SqliteBlockstore(db2).getAll())
    expect(all).toHaveLength(300)
    db2.close()
  })

  it('throws ERR_CLOSED once the database is closed', async () => {
    const db = openDatabase(':memory:')
    const bs = new SqliteBlockstore(db)
    db.close()
    const { cid } = await block('z')
    await expectCode(() => bs.has(cid), 'ERR_CLOSED')
  })
})

describe('SqliteDatastore', () => {
  it('caps keys and values', async () => {
    const ds = new SqliteDatastore(openDatabase(':memory:'))
    await expectCode(() => ds.put(new Key('/' + 'k'.repeat(MAX_KEY_BYTES)), new Uint8Array(1)), 'ERR_TOO_LARGE')
    await expectCode(() => ds.put(new Key('/k'), new Uint8Array(MAX_VALUE_BYTES + 1)), 'ERR_TOO_LARGE')
    await expectCode(() => ds.put(new Key('/k'), 'v' as unknown as Uint8Array), 'ERR_BAD_INPUT')
    await expectCode(() => ds.put('/k' as unknown as Key, new Uint8Array(1)), 'ERR_BAD_INPUT')
    const b = ds.batch()
    expect(() => b.put(new Key('/k'), new Uint8Array(MAX_VALUE_BYTES + 1))).toThrow(/limit/)
  })

  it('validates queries', async () => {
    const ds = new SqliteDatastore(openDatabase(':memory:'))
    await expectCode(() => collect(ds.query({ limit: -1 })), 'ERR_BAD_INPUT')
    await expectCode(() => collect(ds.query({ offset: 0.5 })), 'ERR_BAD_INPUT')
    await expectCode(() => collect(ds.query({ prefix: 1 as unknown as string })), 'ERR_BAD_INPUT')
    await expectCode(() => collect(ds.queryKeys({ filters: ['x' as unknown as () => boolean] })), 'ERR_BAD_INPUT')
  })

  it('keeps arbitrary key bytes exact and matches prefixes by bytes', async () => {
    const ds = new SqliteDatastore(openDatabase(':memory:'))
    const odd = new Key(new Uint8Array([0x2f, 0xff, 0xfe, 0x00, 0x80]))
    await ds.put(odd, new Uint8Array([1]))
    await ds.put(new Key('/a/b'), new Uint8Array([2]))
    await ds.put(new Key('/a/bc'), new Uint8Array([3]))
    await ds.put(new Key('/a/c'), new Uint8Array([4]))
    expect(await ds.get(odd)).toEqual(new Uint8Array([1]))
    expect((await collect(ds.queryKeys({ prefix: '/a/b' }))).map(String)).toEqual(['/a/b', '/a/bc'])
    expect(await collect(ds.queryKeys({ prefix: '/a/b/' }))).toEqual([])
    expect(await collect(ds.queryKeys({ prefix: '/zz' }))).toEqual([])
    const everything = await collect(ds.queryKeys({}))
    expect(everything).toHaveLength(4)
    expect(everything.at(-1)?.uint8Array()).toEqual(odd.uint8Array())
  })

  it('applies offset and limit after filters and orders, across pages', async () => {
    const ds = new SqliteDatastore(openDatabase(':memory:'))
    const b = ds.batch()
    for (let i = 0; i < 600; i++) b.put(new Key(`/n/${String(i).padStart(3, '0')}`), new Uint8Array([i % 2]))
    await b.commit()
    const odd = await collect(
      ds.query({
        prefix: '/n',
        filters: [(p) => p.value[0] === 1],
        orders: [(a, b) => (a.key.toString() < b.key.toString() ? 1 : -1)],
        offset: 10,
        limit: 5
      })
    )
    expect(odd.map((p) => p.key.toString())).toEqual(['/n/579', '/n/577', '/n/575', '/n/573', '/n/571'])
    expect(await collect(ds.queryKeys({ limit: 0 }))).toEqual([])
    expect(await collect(ds.queryKeys({ offset: 599 }))).toHaveLength(1)
  })

  it('prefixSuccessor bounds byte ranges', () => {
    expect(prefixSuccessor(new Uint8Array([0x2f, 0x61]))).toEqual(new Uint8Array([0x2f, 0x62]))
    expect(prefixSuccessor(new Uint8Array([0x2f, 0xff, 0xff]))).toEqual(new Uint8Array([0x30]))
    expect(prefixSuccessor(new Uint8Array([0xff]))).toBeUndefined()
    expect(prefixSuccessor(new Uint8Array())).toBeUndefined()
  })

  it('persists across reopen', async () => {
    const path = tmp.path('kv.sqlite')
    const db = openDatabase(path)
    await new SqliteDatastore(db).put(new Key('/peers/x'), new Uint8Array([7]))
    db.close()
    const db2 = openDatabase(path)
    expect(await new SqliteDatastore(db2).get(new Key('/peers/x'))).toEqual(new Uint8Array([7]))
    db2.close()
  })
})
