/**
 * Helia blockstore (interface-blockstore v7) over the account's SQLite file, table `blocks`.
 *
 * Guarantees: keyed by multihash (like blockstore-core/fs), so one block's bytes are stored once
 * whatever CID version or codec asked for it; every block is capped at {@link MAX_BLOCK_BYTES}
 * (checked while streaming in, before buffering more); `putMany`/`deleteMany` write in batched
 * transactions and yield each CID only once its batch is committed; iteration pages through the
 * table, so callers may read and write the store while iterating.
 * Not guaranteed: that the bytes hash to the CID. Helia verifies blocks it fetches from the network
 * before storing them; local writers are trusted.
 */
import type { Statement } from 'better-sqlite3'
import type { Blockstore, InputPair, Pair } from 'interface-blockstore'
import { CID } from 'multiformats/cid'
import type { SqliteDatabase } from './database'
import { NotFoundError, StorageError } from './errors'
import { type AbortOptions, MAX_BLOCK_BYTES, MAX_KEY_BYTES, asUint8Array, throwIfAborted } from './limits'

/** Rows per write transaction in putMany/deleteMany, and keys per page when iterating. */
const BATCH = 64
const PAGE = 256

/**
 * The CID type interface-blockstore is declared with. Helia's tree resolves its own multiformats copy,
 * which may differ from the app's; CIDs are duck-typed across copies at run time (`CID.asCID`), so the
 * boundary only needs this type-level bridge.
 */
type BlockCID = Parameters<Blockstore['has']>[0]

type BlockInput = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>

function toCID(value: unknown): CID {
  const cid = CID.asCID(value)
  if (cid === null) throw new StorageError('ERR_BAD_INPUT', 'key must be a CID')
  if (cid.bytes.byteLength > MAX_KEY_BYTES) {
    throw new StorageError('ERR_TOO_LARGE', `CID is longer than ${MAX_KEY_BYTES} bytes`)
  }
  return cid
}

function isAsyncIterable(value: unknown): value is AsyncIterable<Uint8Array> {
  return typeof (value as AsyncIterable<Uint8Array>)?.[Symbol.asyncIterator] === 'function'
}

function isIterable(value: unknown): value is Iterable<Uint8Array> {
  return typeof (value as Iterable<Uint8Array>)?.[Symbol.iterator] === 'function'
}

/** Concatenates a block's chunks, failing as soon as the running size passes the cap. */
async function collect(input: BlockInput, signal: AbortSignal | undefined): Promise<Uint8Array> {
  if (input instanceof Uint8Array) {
    if (input.byteLength > MAX_BLOCK_BYTES) {
      throw new StorageError('ERR_TOO_LARGE', `block is ${input.byteLength} bytes, the limit is ${MAX_BLOCK_BYTES}`)
    }
    return input
  }
  if (!isAsyncIterable(input) && !isIterable(input)) {
    throw new StorageError('ERR_BAD_INPUT', 'block must be a Uint8Array or an iterable of Uint8Array')
  }
  const chunks: Uint8Array[] = []
  let size = 0
  for await (const chunk of input) {
    throwIfAborted(signal)
    if (!(chunk instanceof Uint8Array)) throw new StorageError('ERR_BAD_INPUT', 'block chunks must be Uint8Array')
    size += chunk.byteLength
    if (size > MAX_BLOCK_BYTES) {
      throw new StorageError('ERR_TOO_LARGE', `block is larger than the limit of ${MAX_BLOCK_BYTES} bytes`)
    }
    chunks.push(chunk)
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array
  const out = new Uint8Array(size)
  let off = 0
  for (const c of chunks) {
    out.set(c, off)
    off += c.byteLength
  }
  return out
}

/** Exported so tests can assert every hot query is an index search (EXPLAIN QUERY PLAN). */
export const BLOCKSTORE_SQL = {
  // Upsert refreshes the CID so getAll reports the most recent codec for these bytes.
  put: `INSERT INTO blocks (multihash, cid, bytes, size) VALUES (?, ?, ?, ?)
        ON CONFLICT(multihash) DO UPDATE SET cid = excluded.cid, bytes = excluded.bytes, size = excluded.size`,
  get: 'SELECT bytes FROM blocks WHERE multihash = ?',
  has: 'SELECT 1 AS one FROM blocks WHERE multihash = ?',
  del: 'DELETE FROM blocks WHERE multihash = ?',
  page: 'SELECT multihash, cid FROM blocks WHERE multihash > ? ORDER BY multihash LIMIT ?',
  firstPage: 'SELECT multihash, cid FROM blocks ORDER BY multihash LIMIT ?'
} as const

export class SqliteBlockstore implements Blockstore {
  readonly #db: SqliteDatabase
  readonly #stmts: {
    put: Statement<[Uint8Array, Uint8Array, Uint8Array, number]>
    get: Statement<[Uint8Array], { bytes: Uint8Array }>
    has: Statement<[Uint8Array], { one: number }>
    del: Statement<[Uint8Array]>
    page: Statement<[Uint8Array, number], { multihash: Uint8Array; cid: Uint8Array }>
    firstPage: Statement<[number], { multihash: Uint8Array; cid: Uint8Array }>
  }

  constructor(db: SqliteDatabase) {
    this.#db = db
    const sql = db.sql
    this.#stmts = {
      put: sql.prepare(BLOCKSTORE_SQL.put),
      get: sql.prepare(BLOCKSTORE_SQL.get),
      has: sql.prepare(BLOCKSTORE_SQL.has),
      del: sql.prepare(BLOCKSTORE_SQL.del),
      page: sql.prepare(BLOCKSTORE_SQL.page),
      firstPage: sql.prepare(BLOCKSTORE_SQL.firstPage)
    }
  }

  #write(rows: Array<{ cid: CID; bytes: Uint8Array }>): void {
    this.#db.transaction(() => {
      for (const { cid, bytes } of rows) this.#stmts.put.run(cid.multihash.bytes, cid.bytes, bytes, bytes.byteLength)
    })
  }

  async put(key: BlockCID, val: BlockInput, options?: AbortOptions): Promise<BlockCID> {
    throwIfAborted(options?.signal)
    const cid = toCID(key)
    const bytes = await collect(val, options?.signal)
    throwIfAborted(options?.signal)
    this.#db.assertOpen()
    this.#write([{ cid, bytes }])
    return key
  }

  async *putMany(source: Iterable<InputPair> | AsyncIterable<InputPair>, options?: AbortOptions): AsyncGenerator<BlockCID> {
    throwIfAborted(options?.signal)
    let pending: Array<{ key: BlockCID; cid: CID; bytes: Uint8Array }> = []
    const flush = (): BlockCID[] => {
      this.#db.assertOpen()
      this.#write(pending)
      const keys = pending.map((p) => p.key)
      pending = []
      return keys
    }
    for await (const pair of source) {
      throwIfAborted(options?.signal)
      pending.push({ key: pair.cid, cid: toCID(pair.cid), bytes: await collect(pair.bytes, options?.signal) })
      if (pending.length >= BATCH) yield* flush()
    }
    throwIfAborted(options?.signal)
    if (pending.length > 0) yield* flush()
  }

  #getBytes(cid: CID): Uint8Array {
    this.#db.assertOpen()
    const row = this.#stmts.get.get(cid.multihash.bytes)
    if (row === undefined) throw new NotFoundError(`block ${cid.toString()} not found`)
    return asUint8Array(row.bytes)
  }

  async *get(key: BlockCID, options?: AbortOptions): AsyncGenerator<Uint8Array> {
    throwIfAborted(options?.signal)
    yield this.#getBytes(toCID(key))
  }

  async *getMany(source: Iterable<BlockCID> | AsyncIterable<BlockCID>, options?: AbortOptions): AsyncGenerator<Pair> {
    throwIfAborted(options?.signal)
    for await (const key of source) {
      throwIfAborted(options?.signal)
      const bytes = this.#getBytes(toCID(key))
      yield { cid: key, bytes: single(bytes) }
    }
  }

  async *getAll(options?: AbortOptions): AsyncGenerator<Pair> {
    throwIfAborted(options?.signal)
    // Keyset pagination: no statement stays open across a yield, so the consumer may write meanwhile.
    let after: Uint8Array | undefined
    for (;;) {
      this.#db.assertOpen()
      const rows = after === undefined ? this.#stmts.firstPage.all(PAGE) : this.#stmts.page.all(after, PAGE)
      for (const row of rows) {
        throwIfAborted(options?.signal)
        const found = this.#stmts.get.get(row.multihash)
        if (found === undefined) continue // deleted since the page was read
        yield { cid: CID.decode(asUint8Array(row.cid)) as unknown as BlockCID, bytes: single(asUint8Array(found.bytes)) }
      }
      const last = rows.at(-1)
      if (last === undefined || rows.length < PAGE) return
      after = last.multihash
    }
  }

  async has(key: BlockCID, options?: AbortOptions): Promise<boolean> {
    throwIfAborted(options?.signal)
    const cid = toCID(key)
    this.#db.assertOpen()
    return this.#stmts.has.get(cid.multihash.bytes) !== undefined
  }

  async delete(key: BlockCID, options?: AbortOptions): Promise<void> {
    throwIfAborted(options?.signal)
    const cid = toCID(key)
    this.#db.assertOpen()
    this.#stmts.del.run(cid.multihash.bytes)
  }

  async *deleteMany(
    source: Iterable<BlockCID> | AsyncIterable<BlockCID>,
    options?: AbortOptions
  ): AsyncGenerator<BlockCID> {
    throwIfAborted(options?.signal)
    let pending: Array<{ key: BlockCID; cid: CID }> = []
    const flush = (): BlockCID[] => {
      this.#db.assertOpen()
      this.#db.transaction(() => {
        for (const { cid } of pending) this.#stmts.del.run(cid.multihash.bytes)
      })
      const keys = pending.map((p) => p.key)
      pending = []
      return keys
    }
    for await (const key of source) {
      throwIfAborted(options?.signal)
      pending.push({ key, cid: toCID(key) })
      if (pending.length >= BATCH) yield* flush()
    }
    throwIfAborted(options?.signal)
    if (pending.length > 0) yield* flush()
  }
}

/** Pair bytes are async (as in blockstore-core): callers may `await all(bytes)` on them. */
async function* single(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes
}
