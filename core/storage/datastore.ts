/**
 * Helia/libp2p datastore (interface-datastore v10) over the account's SQLite file, table `kv`.
 *
 * Keys are stored as their raw bytes: a datastore Key is a byte string, and in byte order every key
 * starting with a prefix lies in one contiguous index range `[prefix, successor(prefix))`, so prefix
 * queries never scan the table. Filters and orders are JS callbacks and run in JS after the range
 * scan; offset and limit apply after them, as in datastore-core. Scans page through the index with
 * keyset pagination, so no statement stays open across a `yield` and callers may write meanwhile.
 *
 * Guarantees: keys ≤ {@link MAX_KEY_BYTES}, values ≤ {@link MAX_VALUE_BYTES}; `batch().commit()` and
 * `putMany`/`deleteMany` batches are atomic transactions.
 */
import type { Statement } from 'better-sqlite3'
import { Key, type Batch, type Datastore, type KeyQuery, type Pair, type Query } from 'interface-datastore'
import type { SqliteDatabase } from './database'
import { NotFoundError, StorageError } from './errors'
import { type AbortOptions, MAX_KEY_BYTES, MAX_VALUE_BYTES, asUint8Array, assertBytes, throwIfAborted } from './limits'

const BATCH = 128
const PAGE = 256
/** A batch is held in memory until commit; bound it like any other input. */
const MAX_BATCH_OPS = 100_000

const encoder = new TextEncoder()

function keyBytes(key: unknown): Uint8Array {
  const bytes = typeof (key as Key)?.uint8Array === 'function' ? (key as Key).uint8Array() : undefined
  if (!(bytes instanceof Uint8Array)) throw new StorageError('ERR_BAD_INPUT', 'key must be a datastore Key')
  if (bytes.byteLength === 0) throw new StorageError('ERR_BAD_INPUT', 'key must not be empty')
  if (bytes.byteLength > MAX_KEY_BYTES) {
    throw new StorageError('ERR_TOO_LARGE', `key is ${bytes.byteLength} bytes, the limit is ${MAX_KEY_BYTES}`)
  }
  return bytes
}

function assertValue(value: unknown): asserts value is Uint8Array {
  assertBytes(value, 'value', MAX_VALUE_BYTES)
}

/**
 * Smallest byte string greater than every string that starts with `prefix`, or undefined if none
 * exists (empty prefix or all 0xff): drop trailing 0xff bytes, then increment the last byte.
 */
export function prefixSuccessor(prefix: Uint8Array): Uint8Array | undefined {
  let end = prefix.length
  while (end > 0 && prefix[end - 1] === 0xff) end--
  if (end === 0) return undefined
  const out = prefix.slice(0, end)
  out[end - 1] = (out[end - 1] as number) + 1
  return out
}

function assertCount(value: unknown, field: string): asserts value is number | undefined {
  if (value === undefined || value === null) return
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new StorageError('ERR_BAD_INPUT', `${field} must be a non-negative integer`)
  }
}

function assertCallbacks(value: unknown, field: string): void {
  if (value === undefined || value === null) return
  if (!Array.isArray(value) || !value.every((f) => typeof f === 'function')) {
    throw new StorageError('ERR_BAD_INPUT', `${field} must be an array of functions`)
  }
}

interface Row {
  key: Uint8Array
  value: Uint8Array
}
interface KeyRow {
  key: Uint8Array
}

interface RangeStatements<R> {
  from: Statement<[Uint8Array, number], R>
  fromTo: Statement<[Uint8Array, Uint8Array, number], R>
  after: Statement<[Uint8Array, number], R>
  afterTo: Statement<[Uint8Array, Uint8Array, number], R>
}

const range = (columns: string, where: string): string =>
  `SELECT ${columns} FROM kv WHERE ${where} ORDER BY key LIMIT ?`

/** Exported so tests can assert every hot query is an index search (EXPLAIN QUERY PLAN). */
export const DATASTORE_SQL = {
  put: 'INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  get: 'SELECT value FROM kv WHERE key = ?',
  has: 'SELECT 1 AS one FROM kv WHERE key = ?',
  del: 'DELETE FROM kv WHERE key = ?',
  rowsFrom: range('key, value', 'key >= ?'),
  rowsFromTo: range('key, value', 'key >= ? AND key < ?'),
  rowsAfter: range('key, value', 'key > ?'),
  rowsAfterTo: range('key, value', 'key > ? AND key < ?'),
  keysFrom: range('key', 'key >= ?'),
  keysFromTo: range('key', 'key >= ? AND key < ?'),
  keysAfter: range('key', 'key > ?'),
  keysAfterTo: range('key', 'key > ? AND key < ?')
} as const

function toKey(bytes: Uint8Array): Key {
  // Stored keys are already clean; skip re-cleaning and hand Key a plain Uint8Array it owns.
  return new Key(asUint8Array(bytes), false)
}

/** Applies filters, orders (each a stable sort, last one primary, as datastore-core), offset, limit. */
async function* pipeline<T>(
  source: AsyncIterable<T>,
  q: { filters?: Array<(item: T) => boolean>; orders?: Array<(a: T, b: T) => number>; offset?: number; limit?: number },
  signal: AbortSignal | undefined
): AsyncGenerator<T> {
  const filters = q.filters ?? []
  let it: AsyncIterable<T> = source
  if (filters.length > 0) {
    const inner = it
    it = (async function* () {
      for await (const item of inner) if (filters.every((f) => f(item))) yield item
    })()
  }
  if (q.orders != null && q.orders.length > 0) {
    const all: T[] = []
    for await (const item of it) all.push(item)
    for (const order of q.orders) all.sort(order)
    it = (async function* () {
      yield* all
    })()
  }
  let skip = q.offset ?? 0
  let remaining = q.limit ?? Infinity
  if (remaining <= 0) return
  for await (const item of it) {
    throwIfAborted(signal)
    if (skip > 0) {
      skip--
      continue
    }
    yield item
    if (--remaining <= 0) return
  }
}

export class SqliteDatastore implements Datastore {
  readonly #db: SqliteDatabase
  readonly #stmts: {
    put: Statement<[Uint8Array, Uint8Array]>
    get: Statement<[Uint8Array], { value: Uint8Array }>
    has: Statement<[Uint8Array], { one: number }>
    del: Statement<[Uint8Array]>
    rows: RangeStatements<Row>
    keys: RangeStatements<KeyRow>
  }

  constructor(db: SqliteDatabase) {
    this.#db = db
    const sql = db.sql
    this.#stmts = {
      put: sql.prepare(DATASTORE_SQL.put),
      get: sql.prepare(DATASTORE_SQL.get),
      has: sql.prepare(DATASTORE_SQL.has),
      del: sql.prepare(DATASTORE_SQL.del),
      rows: {
        from: sql.prepare(DATASTORE_SQL.rowsFrom),
        fromTo: sql.prepare(DATASTORE_SQL.rowsFromTo),
        after: sql.prepare(DATASTORE_SQL.rowsAfter),
        afterTo: sql.prepare(DATASTORE_SQL.rowsAfterTo)
      },
      keys: {
        from: sql.prepare(DATASTORE_SQL.keysFrom),
        fromTo: sql.prepare(DATASTORE_SQL.keysFromTo),
        after: sql.prepare(DATASTORE_SQL.keysAfter),
        afterTo: sql.prepare(DATASTORE_SQL.keysAfterTo)
      }
    }
  }

  async put(key: Key, val: Uint8Array, options?: AbortOptions): Promise<Key> {
    throwIfAborted(options?.signal)
    const k = keyBytes(key)
    assertValue(val)
    this.#db.assertOpen()
    this.#stmts.put.run(k, val)
    return key
  }

  async get(key: Key, options?: AbortOptions): Promise<Uint8Array> {
    throwIfAborted(options?.signal)
    return this.#get(key)
  }

  #get(key: Key): Uint8Array {
    const k = keyBytes(key)
    this.#db.assertOpen()
    const row = this.#stmts.get.get(k)
    if (row === undefined) throw new NotFoundError(`key ${key.toString()} not found`)
    return asUint8Array(row.value)
  }

  async has(key: Key, options?: AbortOptions): Promise<boolean> {
    throwIfAborted(options?.signal)
    const k = keyBytes(key)
    this.#db.assertOpen()
    return this.#stmts.has.get(k) !== undefined
  }

  async delete(key: Key, options?: AbortOptions): Promise<void> {
    throwIfAborted(options?.signal)
    const k = keyBytes(key)
    this.#db.assertOpen()
    this.#stmts.del.run(k)
  }

  async *putMany(source: Iterable<Pair> | AsyncIterable<Pair>, options?: AbortOptions): AsyncGenerator<Key> {
    throwIfAborted(options?.signal)
    let pending: Array<{ key: Key; k: Uint8Array; value: Uint8Array }> = []
    const flush = (): Key[] => {
      this.#db.assertOpen()
      this.#db.transaction(() => {
        for (const p of pending) this.#stmts.put.run(p.k, p.value)
      })
      const keys = pending.map((p) => p.key)
      pending = []
      return keys
    }
    for await (const { key, value } of source) {
      throwIfAborted(options?.signal)
      const k = keyBytes(key)
      assertValue(value)
      pending.push({ key, k, value })
      if (pending.length >= BATCH) yield* flush()
    }
    throwIfAborted(options?.signal)
    if (pending.length > 0) yield* flush()
  }

  async *getMany(source: Iterable<Key> | AsyncIterable<Key>, options?: AbortOptions): AsyncGenerator<Pair> {
    throwIfAborted(options?.signal)
    for await (const key of source) {
      throwIfAborted(options?.signal)
      yield { key, value: this.#get(key) }
    }
  }

  async *deleteMany(source: Iterable<Key> | AsyncIterable<Key>, options?: AbortOptions): AsyncGenerator<Key> {
    throwIfAborted(options?.signal)
    let pending: Array<{ key: Key; k: Uint8Array }> = []
    const flush = (): Key[] => {
      this.#db.assertOpen()
      this.#db.transaction(() => {
        for (const p of pending) this.#stmts.del.run(p.k)
      })
      const keys = pending.map((p) => p.key)
      pending = []
      return keys
    }
    for await (const key of source) {
      throwIfAborted(options?.signal)
      pending.push({ key, k: keyBytes(key) })
      if (pending.length >= BATCH) yield* flush()
    }
    throwIfAborted(options?.signal)
    if (pending.length > 0) yield* flush()
  }

  batch(): Batch {
    const ops: Array<{ k: Uint8Array; value?: Uint8Array }> = []
    const push = (op: { k: Uint8Array; value?: Uint8Array }): void => {
      if (ops.length >= MAX_BATCH_OPS) {
        throw new StorageError('ERR_TOO_LARGE', `a batch holds at most ${MAX_BATCH_OPS} operations`)
      }
      ops.push(op)
    }
    return {
      put: (key: Key, value: Uint8Array) => {
        const k = keyBytes(key)
        assertValue(value)
        push({ k, value })
      },
      delete: (key: Key) => {
        push({ k: keyBytes(key) })
      },
      commit: async (options?: AbortOptions) => {
        throwIfAborted(options?.signal)
        this.#db.assertOpen()
        this.#db.transaction(() => {
          for (const op of ops) {
            if (op.value === undefined) this.#stmts.del.run(op.k)
            else this.#stmts.put.run(op.k, op.value)
          }
        })
        ops.length = 0
      }
    }
  }

  query(q: Query, options?: AbortOptions): AsyncGenerator<Pair> {
    this.#checkQuery(q)
    const scan = this.#scan(this.#stmts.rows, q.prefix, options?.signal, (row) => ({
      key: toKey(row.key),
      value: asUint8Array(row.value)
    }))
    return pipeline<Pair>(scan, q, options?.signal)
  }

  queryKeys(q: KeyQuery, options?: AbortOptions): AsyncGenerator<Key> {
    this.#checkQuery(q)
    const scan = this.#scan(this.#stmts.keys, q.prefix, options?.signal, (row) => toKey(row.key))
    return pipeline<Key>(scan, q, options?.signal)
  }

  #checkQuery(q: Query | KeyQuery): void {
    if (q === null || typeof q !== 'object') throw new StorageError('ERR_BAD_INPUT', 'query must be an object')
    if (q.prefix !== undefined && q.prefix !== null && typeof q.prefix !== 'string') {
      throw new StorageError('ERR_BAD_INPUT', 'query.prefix must be a string')
    }
    assertCount(q.offset, 'query.offset')
    assertCount(q.limit, 'query.limit')
    assertCallbacks(q.filters, 'query.filters')
    assertCallbacks(q.orders, 'query.orders')
  }

  async *#scan<R extends KeyRow, T>(
    stmts: RangeStatements<R>,
    prefix: string | undefined,
    signal: AbortSignal | undefined,
    map: (row: R) => T
  ): AsyncGenerator<T> {
    throwIfAborted(signal)
    const lo = prefix == null ? new Uint8Array(0) : encoder.encode(prefix)
    if (lo.byteLength > MAX_KEY_BYTES) return // no stored key can be that long
    const hi = prefixSuccessor(lo)
    let after: Uint8Array | undefined
    for (;;) {
      this.#db.assertOpen()
      let rows: R[]
      if (after === undefined) rows = hi === undefined ? stmts.from.all(lo, PAGE) : stmts.fromTo.all(lo, hi, PAGE)
      else rows = hi === undefined ? stmts.after.all(after, PAGE) : stmts.afterTo.all(after, hi, PAGE)
      for (const row of rows) {
        throwIfAborted(signal)
        yield map(row)
      }
      const last = rows.at(-1)
      if (last === undefined || rows.length < PAGE) return
      after = last.key
    }
  }
}
