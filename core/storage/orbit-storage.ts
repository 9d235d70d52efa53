/**
 * OrbitDB 4 storage (the `{ put, get, del, iterator, merge, clear, close }` shape of
 * @orbitdb/core/src/storage/*.js) over the account's SQLite file, table `orbit_kv`, one namespace per
 * instance. Pass instances as `entryStorage` / `headsStorage` / `indexStorage` (optionally wrapped in
 * OrbitDB's `ComposedStorage(LRUStorage, …)`) so a database's log lives in the same file as everything
 * else.
 *
 * Values: OrbitDB stores bytes (entries, heads) and plain JS values (`true` in its entry index, entry
 * objects in KeyValueIndexed). Bytes round-trip as bytes; anything else is stored as JSON, like
 * LevelStorage with `valueEncoding: 'json'`. `undefined`, functions and non-JSON values are refused.
 * Iteration is in key order (`reverse` flips it, `amount` limits it), matching LevelStorage.
 *
 * `close()` only detaches this instance: the database belongs to the account and outlives any one
 * OrbitDB store. Operations after `close()` throw `ERR_CLOSED`.
 */
import type { Statement } from 'better-sqlite3'
import type { SqliteDatabase } from './database'
import { StorageError } from './errors'
import { MAX_VALUE_BYTES, asUint8Array, assertKeyString } from './limits'
import type { OrbitStorage } from '@orbitdb/core'

const PAGE = 256
const MERGE_BATCH = 256
const ENC_BYTES = 0
const ENC_JSON = 1

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** The storage interface OrbitDB 4 calls (typed once, in core/types/orbitdb-core.d.ts). */
export type { OrbitStorage }

interface Row {
  key: string
  enc: number
  value: Uint8Array
}

function encode(data: unknown): { enc: number; value: Uint8Array } {
  if (data instanceof Uint8Array) {
    if (data.byteLength > MAX_VALUE_BYTES) {
      throw new StorageError('ERR_TOO_LARGE', `value is ${data.byteLength} bytes, the limit is ${MAX_VALUE_BYTES}`)
    }
    return { enc: ENC_BYTES, value: data }
  }
  let json: string | undefined
  try {
    json = JSON.stringify(data)
  } catch (err) {
    throw new StorageError('ERR_BAD_INPUT', 'value is neither bytes nor JSON-serialisable', { cause: err })
  }
  if (json === undefined) throw new StorageError('ERR_BAD_INPUT', 'value is neither bytes nor JSON-serialisable')
  const value = encoder.encode(json)
  if (value.byteLength > MAX_VALUE_BYTES) {
    throw new StorageError('ERR_TOO_LARGE', `value is ${value.byteLength} bytes as JSON, the limit is ${MAX_VALUE_BYTES}`)
  }
  return { enc: ENC_JSON, value }
}

function decode(row: { enc: number; value: Uint8Array }): unknown {
  const bytes = asUint8Array(row.value)
  return row.enc === ENC_BYTES ? bytes : JSON.parse(decoder.decode(bytes))
}

function assertAmount(amount: unknown): number | undefined {
  if (amount === undefined || amount === null) return undefined
  // OrbitDB passes -1 (and ComposedStorage `amount || -1`) to mean "no limit".
  if (amount === -1) return undefined
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount < 0) {
    throw new StorageError('ERR_BAD_INPUT', 'amount must be a non-negative integer or -1')
  }
  return amount
}

const page = (where: string, dir: 'ASC' | 'DESC'): string =>
  `SELECT key, enc, value FROM orbit_kv WHERE namespace = ? ${where} ORDER BY key ${dir} LIMIT ?`

/** Exported so tests can assert every hot query is an index search (EXPLAIN QUERY PLAN). */
export const ORBIT_SQL = {
  put: `INSERT INTO orbit_kv (namespace, key, enc, value) VALUES (?, ?, ?, ?)
        ON CONFLICT(namespace, key) DO UPDATE SET enc = excluded.enc, value = excluded.value`,
  putIfAbsent: `INSERT INTO orbit_kv (namespace, key, enc, value) VALUES (?, ?, ?, ?)
        ON CONFLICT(namespace, key) DO NOTHING`,
  get: 'SELECT enc, value FROM orbit_kv WHERE namespace = ? AND key = ?',
  del: 'DELETE FROM orbit_kv WHERE namespace = ? AND key = ?',
  clear: 'DELETE FROM orbit_kv WHERE namespace = ?',
  first: page('', 'ASC'),
  after: page('AND key > ?', 'ASC'),
  firstDesc: page('', 'DESC'),
  before: page('AND key < ?', 'DESC')
} as const

export class SqliteOrbitStorage implements OrbitStorage {
  readonly namespace: string
  readonly #db: SqliteDatabase
  #closed = false
  readonly #stmts: {
    put: Statement<[string, string, number, Uint8Array]>
    putIfAbsent: Statement<[string, string, number, Uint8Array]>
    get: Statement<[string, string], { enc: number; value: Uint8Array }>
    del: Statement<[string, string]>
    clear: Statement<[string]>
    first: Statement<[string, number], Row>
    after: Statement<[string, string, number], Row>
    firstDesc: Statement<[string, number], Row>
    before: Statement<[string, string, number], Row>
  }

  constructor(db: SqliteDatabase, namespace: string) {
    assertKeyString(namespace, 'namespace')
    this.#db = db
    this.namespace = namespace
    const sql = db.sql
    this.#stmts = {
      put: sql.prepare(ORBIT_SQL.put),
      putIfAbsent: sql.prepare(ORBIT_SQL.putIfAbsent),
      get: sql.prepare(ORBIT_SQL.get),
      del: sql.prepare(ORBIT_SQL.del),
      clear: sql.prepare(ORBIT_SQL.clear),
      first: sql.prepare(ORBIT_SQL.first),
      after: sql.prepare(ORBIT_SQL.after),
      firstDesc: sql.prepare(ORBIT_SQL.firstDesc),
      before: sql.prepare(ORBIT_SQL.before)
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw new StorageError('ERR_CLOSED', `orbit storage "${this.namespace}" is closed`)
    this.#db.assertOpen()
  }

  async put(hash: string, data: unknown): Promise<void> {
    assertKeyString(hash, 'hash')
    const { enc, value } = encode(data)
    this.#assertOpen()
    this.#stmts.put.run(this.namespace, hash, enc, value)
  }

  /**
   * Synchronous put, for batch writers that need several namespaces in one transaction
   * (`SqliteDatabase.transaction`); the async interface is what OrbitDB calls.
   */
  putSync(hash: string, data: unknown): void {
    assertKeyString(hash, 'hash')
    const { enc, value } = encode(data)
    this.#assertOpen()
    this.#stmts.put.run(this.namespace, hash, enc, value)
  }

  /**
   * Writes `data` under `hash` only if no row holds that key; whether it wrote. One statement where a
   * batch join did a lookup and a write per entry.
   */
  putIfAbsentSync(hash: string, data: unknown): boolean {
    assertKeyString(hash, 'hash')
    const { enc, value } = encode(data)
    this.#assertOpen()
    return this.#stmts.putIfAbsent.run(this.namespace, hash, enc, value).changes === 1
  }

  getSync(hash: string): unknown {
    assertKeyString(hash, 'hash')
    this.#assertOpen()
    const row = this.#stmts.get.get(this.namespace, hash)
    return row === undefined ? undefined : decode(row)
  }

  /** The database the rows live in, so batch writers can open one transaction over namespaces. */
  get database(): SqliteDatabase {
    return this.#db
  }

  async get(hash: string): Promise<unknown> {
    assertKeyString(hash, 'hash')
    this.#assertOpen()
    const row = this.#stmts.get.get(this.namespace, hash)
    return row === undefined ? undefined : decode(row)
  }

  async del(hash: string): Promise<void> {
    assertKeyString(hash, 'hash')
    this.#assertOpen()
    this.#stmts.del.run(this.namespace, hash)
  }

  async *iterator(options: { amount?: number; reverse?: boolean } = {}): AsyncGenerator<[string, unknown]> {
    let remaining = assertAmount(options.amount) ?? Infinity
    const reverse = options.reverse === true
    let cursor: string | undefined
    while (remaining > 0) {
      this.#assertOpen()
      const limit = Math.min(PAGE, remaining)
      let rows: Row[]
      if (cursor === undefined) {
        rows = (reverse ? this.#stmts.firstDesc : this.#stmts.first).all(this.namespace, limit)
      } else {
        rows = (reverse ? this.#stmts.before : this.#stmts.after).all(this.namespace, cursor, limit)
      }
      for (const row of rows) {
        yield [row.key, decode(row)]
        remaining--
      }
      const last = rows.at(-1)
      if (last === undefined || rows.length < limit) return
      cursor = last.key
    }
  }

  /** Copies every record of `other` into this namespace, in batched transactions. */
  async merge(other?: Pick<OrbitStorage, 'iterator'>): Promise<void> {
    if (other == null) return
    this.#assertOpen()
    let batch: Array<{ key: string; enc: number; value: Uint8Array }> = []
    const flush = (): void => {
      this.#assertOpen()
      this.#db.transaction(() => {
        for (const r of batch) this.#stmts.put.run(this.namespace, r.key, r.enc, r.value)
      })
      batch = []
    }
    for await (const [key, value] of other.iterator()) {
      assertKeyString(key, 'hash')
      batch.push({ key, ...encode(value) })
      if (batch.length >= MERGE_BATCH) flush()
    }
    if (batch.length > 0) flush()
  }

  async clear(): Promise<void> {
    this.#assertOpen()
    this.#stmts.clear.run(this.namespace)
  }

  async close(): Promise<void> {
    this.#closed = true
  }
}

/**
 * Deletes every namespace that starts with `prefix` (a group's logs: `<groupHex>:<log>:<store>`),
 * as a key range so the primary key's index serves it. Part of the caller's transaction.
 */
export function deleteOrbitNamespaces(db: SqliteDatabase, prefix: string): void {
  assertKeyString(prefix, 'prefix')
  db.stmt('DELETE FROM orbit_kv WHERE namespace >= ? AND namespace < ?').run(prefix, `${prefix}\uffff`)
}
