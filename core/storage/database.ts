/**
 * One SQLite file per account (ARCHITECTURE.md "core/storage"), opened with better-sqlite3.
 *
 * Guarantees:
 * - WAL journal, `foreign_keys=ON`, a busy timeout, STRICT tables.
 * - `synchronous=NORMAL` by default: in WAL mode a crash or power loss can roll back the last few
 *   commits but never corrupts the file, which is fine for data we can re-fetch or re-derive (blocks,
 *   logs, indexes). Writes that must survive a power cut once acknowledged (keystore, account
 *   creation, rendezvous seed renewal) go through `durable()`, which commits with `synchronous=FULL`.
 * - The schema is brought up to date by numbered migrations, each in its own transaction with
 *   `PRAGMA user_version`; a file written by a newer version of the app is refused, never downgraded.
 * - A new file is created owner-only (0600) before SQLite opens it; SQLite gives the -wal and -shm
 *   files the same permissions.
 *
 * Not guaranteed: confidentiality of the file itself. Secrets are sealed by the keystore; everything
 * else (public keys, blocks sealed by group keys, indexes) relies on the OS account's file protection.
 */
import { closeSync, mkdirSync, openSync } from 'node:fs'
import { dirname } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { finishRepairSwap } from './repair-swap'
import { StorageError } from './errors'
import { StorageHealth } from './health'
import { MIGRATIONS, type Migration } from './migrations'

export interface OpenDatabaseOptions {
  /** Defaults to the app's migrations; tests pass their own lists. */
  migrations?: readonly Migration[]
  /** How long a write waits for another connection's lock before failing. Default 5000 ms. */
  busyTimeoutMs?: number
  /**
   * Hold the file for this process alone, until it closes the database or dies (an OS file lock
   * taken by SQLite's EXCLUSIVE locking mode: a crash never leaves a stale lock). A second process
   * opening the file fails at once with `ERR_LOCKED`. Default false (tests open files repeatedly).
   */
  exclusive?: boolean
}

export type { Migration }

export class SqliteDatabase {
  readonly sql: BetterSqlite3.Database
  readonly path: string
  readonly #statements = new Map<string, BetterSqlite3.Statement>()
  /**
   * One transaction wrapper for every call: better-sqlite3 builds a wrapper (five functions and
   * their properties) per `transaction(fn)`, ~20 µs, paid twice per send when made per call. Its
   * behaviour is decided per call (a nested call is a savepoint), so one wrapper serves all.
   */
  readonly #tx: BetterSqlite3.Transaction<(fn: () => unknown) => unknown>
  /** Damage found while the node runs (health.ts): noted by every transaction that meets it, and by the node's callers. */
  readonly health = new StorageHealth()
  #rollbacks = 0

  constructor(sql: BetterSqlite3.Database, path: string) {
    this.sql = sql
    this.path = path
    this.#tx = sql.transaction((fn: () => unknown) => fn())
  }

  get isOpen(): boolean {
    return this.sql.open
  }

  get schemaVersion(): number {
    return this.sql.pragma('user_version', { simple: true }) as number
  }

  /**
   * How many transactions (savepoints included) this connection has rolled back: a cache of what the
   * rows hold is stale once this moved past the value it was filled at (core/groups/chain-keeper.ts).
   */
  get rollbacks(): number {
    return this.#rollbacks
  }

  /** Runs `fn` in a transaction (a savepoint when nested); rolls back if it throws. */
  transaction<T>(fn: () => T): T {
    this.assertOpen()
    try {
      return this.#tx.immediate(fn) as T
    } catch (err) {
      this.#rollbacks++
      this.health.note(err)
      throw err
    }
  }

  /**
   * Like `transaction`, but the commit is fsynced (`synchronous=FULL`) before returning. When called
   * inside another transaction it joins it and the outer commit decides durability, so call it at
   * the outermost level for writes that must not be lost.
   */
  durable<T>(fn: () => T): T {
    this.assertOpen()
    if (this.sql.inTransaction) {
      try {
        return this.#tx(fn) as T
      } catch (err) {
        this.#rollbacks++
        throw err
      }
    }
    this.sql.pragma('synchronous = FULL')
    try {
      return this.#tx.immediate(fn) as T
    } catch (err) {
      this.#rollbacks++
      this.health.note(err)
      throw err
    } finally {
      this.sql.pragma('synchronous = NORMAL')
    }
  }

  /** A prepared statement, compiled once per SQL text: preparing dominated the send path. */
  stmt<P extends unknown[] = unknown[], R = unknown>(sql: string): BetterSqlite3.Statement<P, R> {
    let st = this.#statements.get(sql)
    if (!st) {
      st = this.sql.prepare(sql)
      this.#statements.set(sql, st)
    }
    return st as unknown as BetterSqlite3.Statement<P, R>
  }

  assertOpen(): void {
    if (!this.sql.open) throw new StorageError('ERR_CLOSED', 'database is closed')
  }

  close(): void {
    if (this.sql.open) this.sql.close()
  }
}

function isMemoryPath(path: string): boolean {
  return path === ':memory:' || path === ''
}

/** Creates the file owner-only if it does not exist yet (an empty file is a valid empty database). */
function createPrivateFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  try {
    closeSync(openSync(path, 'wx', 0o600))
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
  }
}

function checkMigrations(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new StorageError('ERR_BAD_INPUT', `migration "${m.name}" has version ${m.version}, expected ${i + 1}`)
    }
  })
}

/** Applies every migration newer than the file's `user_version`, each in its own transaction. */
export function migrate(sql: BetterSqlite3.Database, migrations: readonly Migration[] = MIGRATIONS): number {
  checkMigrations(migrations)
  const latest = migrations.length
  const current = sql.pragma('user_version', { simple: true }) as number
  if (current > latest) {
    throw new StorageError(
      'ERR_SCHEMA_TOO_NEW',
      `database schema version ${current} is newer than this app supports (${latest}); update the app`
    )
  }
  for (const m of migrations.slice(current)) {
    try {
      sql.transaction(() => {
        m.up(sql)
        // user_version lives in the file header, which is journaled: it rolls back with the step.
        sql.pragma(`user_version = ${m.version}`)
      }).immediate()
    } catch (err) {
      throw new StorageError('ERR_MIGRATION_FAILED', `migration ${m.version} "${m.name}" failed`, { cause: err })
    }
  }
  return latest
}

/**
 * Takes SQLite's exclusive lock before the first access (so WAL mode runs without shared memory and
 * the lock is held for the connection's life). The probe does not wait: the holder never lets go.
 */
export function lockExclusively(sql: BetterSqlite3.Database, path: string): void {
  sql.pragma('busy_timeout = 0')
  sql.pragma('locking_mode = EXCLUSIVE')
  try {
    sql.exec('BEGIN IMMEDIATE; COMMIT')
  } catch (err) {
    if ((err as { code?: string }).code === 'SQLITE_BUSY') {
      throw new StorageError('ERR_LOCKED', `${path} is in use by another Berty process (one process per data directory)`, { cause: err })
    }
    throw err
  }
}

/** Opens (creating if needed) and migrates the account database at `path`, or an in-memory one. */
export function openDatabase(path: string, opts: OpenDatabaseOptions = {}): SqliteDatabase {
  if (typeof path !== 'string') throw new StorageError('ERR_BAD_INPUT', 'path must be a string')
  const busyTimeoutMs = opts.busyTimeoutMs ?? 5000
  if (!Number.isSafeInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
    throw new StorageError('ERR_BAD_INPUT', 'busyTimeoutMs must be a non-negative integer')
  }
  const memory = isMemoryPath(path)
  // A repair's swap a crash cut short is finished first, or an empty file would take the name.
  if (!memory) finishRepairSwap(path)
  if (!memory) createPrivateFile(path)

  const sql = new BetterSqlite3(memory ? ':memory:' : path)
  try {
    if (opts.exclusive === true && !memory) lockExclusively(sql, path)
    sql.pragma(`busy_timeout = ${busyTimeoutMs}`)
    sql.pragma('journal_mode = WAL')
    sql.pragma('synchronous = NORMAL')
    sql.pragma('foreign_keys = ON')
    // Write throughput (bench/groups.ts "send"): one commit per send dirties ~17 pages, most of
    // them hot (table tails, heads, chains). A checkpoint every 1,000 frames (the default) copied
    // those pages to the file and fsynced every ~60 sends; at 16,384 frames a checkpoint copies each
    // hot page once per ~1,000 sends. The WAL is truncated back to 64 MiB after a checkpoint.
    // Reads of log entries and indexes hit random B-tree leaves: a 32 MiB page cache (the default
    // is 2 MiB) keeps a group's working set in memory; pages are only allocated when touched.
    sql.pragma('wal_autocheckpoint = 16384')
    sql.pragma(`journal_size_limit = ${64 * 1024 * 1024}`)
    sql.pragma('cache_size = -32768')
    // Freed pages are zeroed when that costs no extra I/O, so deleted rows (old messages, deleted
    // keys) do not linger in the file indefinitely; full secure_delete would double GC writes for
    // blocks, which are sealed by group keys anyway.
    sql.pragma('secure_delete = FAST')
    migrate(sql, opts.migrations ?? MIGRATIONS)
  } catch (err) {
    sql.close()
    throw err
  }
  return new SqliteDatabase(sql, memory ? ':memory:' : path)
}
