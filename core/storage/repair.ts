/**
 * Salvage of a damaged account database (a page that no longer reads: bit rot, a disk fault, a copy
 * cut short), run with the node stopped: `npm run headless -- --data DIR --repair`.
 *
 * Every row that still reads is copied into a fresh file with the same schema version, the indexes
 * are built anew (a damaged index, the common case, loses nothing), rows whose parent was lost go
 * with it, and the damaged file is kept beside the new one (`berty.sqlite.damaged-<time>`), never
 * deleted. Keys (the keystore and the account row) must come through whole: if any of them cannot
 * be read, nothing is changed and the person is told to restore a backup or link the device again.
 *
 * A table scan that meets a damaged page stops there; a rowid table's scan then goes on past it
 * (seeking further and further ahead), so one bad page loses its own rows, not the rest of the
 * table. What was lost is said per table. Nothing read is logged: only names and counts.
 */
import { closeSync, existsSync, openSync, readSync, renameSync, rmSync } from 'node:fs'
import BetterSqlite3 from 'better-sqlite3'
import { toHex } from '../bytes'
import { openDatabase } from './database'
import { StorageError } from './errors'
import { MIGRATIONS } from './migrations'
import { finishRepairSwap, repairedCopyOf } from './repair-swap'

/** Tables whose every row must be read, or the repair changes nothing. */
const KEY_TABLES = ['keystore', 'account']
const GIVE_UP = 'Restore the directory from a backup, or move it aside and link this device again from another of your devices'
/** How far ahead a resumed scan seeks at most before it gives the rest of the table up. */
const MAX_SKIP_STEPS = 48

export interface RepairedTable {
  name: string
  /** Rows written to the new file. */
  copied: number
  /** The scan met damage: rows of this table were lost (how many cannot be known). */
  damaged: boolean
}

export interface RepairReport {
  /** False when the file checked whole: nothing was done. */
  repaired: boolean
  /** SQLite's integrity check, first lines (names of structures, never stored values). */
  problems: string[]
  tables: RepairedTable[]
  /** Rows dropped because a row they belong to was lost (foreign keys). */
  orphans: number
  /** Groups whose sender chain was lost: dropped here, joined again at the next start. */
  groupsRejoined: number
  /** Where the damaged file now is. */
  keptAt?: string
}

/** The settings key that asks a group's next open to walk its whole message log (set by a repair). */
export function fullRecoverKey(groupPk: Uint8Array): string {
  return `storage.fullRecover.${toHex(groupPk)}`
}

/**
 * The settings key of a membership the repair dropped (its sender chain lost): the next start
 * learns the device key it had from its seed, still in the keystore, before joining again under a
 * new one (core/groups/replaced-devices.ts). The value is when (ISO time).
 */
export const DROPPED_MEMBERSHIP_PREFIX = 'storage.droppedMembership.'

export function repairDatabase(path: string, now: () => number = Date.now): RepairReport {
  finishRepairSwap(path, now)
  if (!existsSync(path)) throw new StorageError('ERR_NOT_FOUND', `${path} does not exist`)
  const src = new BetterSqlite3(path, { fileMustExist: true })
  let dst: BetterSqlite3.Database | undefined
  const target = `${path}.repairing`
  try {
    holdForRepair(src, path)
    const problems = integrity(src)
    if (problems.length === 1 && problems[0] === 'ok') return { repaired: false, problems: [], tables: [], orphans: 0, groupsRejoined: 0 }
    const version = schemaVersionOf(path)
    if (version === undefined) throw new StorageError('ERR_UNREPAIRABLE', `${path}: the file header cannot be read; nothing was changed. ${GIVE_UP}`)
    if (!Number.isSafeInteger(version) || version < 1 || version > MIGRATIONS.length) {
      throw new StorageError('ERR_SCHEMA_TOO_NEW', `${path}: schema version ${version} is not one this app knows`)
    }
    for (const f of [target, `${target}-wal`, `${target}-shm`]) rmSync(f, { force: true })
    // The same schema version as the damaged file: the node brings it up to date at its next start.
    const fresh = openDatabase(target, { migrations: MIGRATIONS.slice(0, version) })
    dst = fresh.sql
    dst.pragma('foreign_keys = OFF')
    const tables = dst
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .all()
      .map((r) => r.name)
    const report: RepairedTable[] = []
    for (const name of tables) report.push(copyTable(src, dst, name))
    const lostKeys = report.filter((t) => KEY_TABLES.includes(t.name) && t.damaged)
    if (lostKeys.length > 0) {
      throw new StorageError('ERR_UNREPAIRABLE', `${path}: the account's keys cannot be read (${lostKeys.map((t) => t.name).join(', ')} damaged); nothing was changed. ${GIVE_UP}`)
    }
    const orphans = dropOrphans(dst)
    dst.pragma('foreign_keys = ON')
    // A membership whose sender chain was lost cannot write on: a fresh chain under the same device
    // key is one its members already hold a key for (they would not read it). The group goes, with
    // what it held here; the node joins it again at its next start (from the account group, as a new
    // device of this member) and reads its history from the log again.
    // (A file of schema version 1 has no groups yet.)
    const hasGroups = tables.includes('groups')
    const stranded = hasGroups
      ? dst
          .prepare<[], { group_pk: Uint8Array }>("SELECT group_pk FROM groups WHERE role = 'member' AND group_pk NOT IN (SELECT group_pk FROM group_chains WHERE role = 'send')")
          .all()
      : []
    const droppedAt = new Date(now()).toISOString()
    for (const { group_pk } of stranded) {
      dst.prepare('DELETE FROM groups WHERE group_pk = ?').run(group_pk)
      dst.prepare('INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)').run(`${DROPPED_MEMBERSHIP_PREFIX}${toHex(group_pk)}`, droppedAt)
    }
    // At each group's next open (group-opener.ts), once: its logs are made whole (an index row whose
    // entry was lost would keep sync from fetching it again; heads naming a lost entry break appends),
    // and, since message rows lost in the middle of a log are behind entries processed since, where
    // the node's recovery stops, the whole message log is walked.
    const at = new Date(now()).toISOString()
    for (const { group_pk } of hasGroups ? dst.prepare<[], { group_pk: Uint8Array }>('SELECT group_pk FROM groups').all() : []) {
      dst.prepare('INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)').run(fullRecoverKey(group_pk), at)
    }
    const check = integrity(dst)
    if (check.length !== 1 || check[0] !== 'ok') throw new Error(`the repaired copy does not check whole: ${check[0]}`)
    dst.close()
    dst = undefined
    // Whole from here: named so, a swap a crash cuts short is finished by the next open (repair-swap.ts).
    renameSync(target, repairedCopyOf(path))
    src.close()
    const keptAt = `${path}.damaged-${new Date(now()).toISOString().replace(/[:.]/g, '-')}`
    renameSync(path, keptAt)
    for (const suffix of ['-wal', '-shm']) if (existsSync(path + suffix)) renameSync(path + suffix, keptAt + suffix)
    renameSync(repairedCopyOf(path), path)
    return { repaired: true, problems: problems.slice(0, 20), tables: report, orphans, groupsRejoined: stranded.length, keptAt }
  } catch (err) {
    dst?.close()
    for (const f of [target, `${target}-wal`, `${target}-shm`]) rmSync(f, { force: true })
    throw err
  } finally {
    if (src.open) src.close()
  }
}

/**
 * The schema version (`user_version`) from the file's 100-byte header, read as bytes: SQLite refuses
 * the pragma on a file cut short ("malformed"), though everything before the cut still reads.
 */
function schemaVersionOf(path: string): number | undefined {
  const header = Buffer.alloc(100)
  const fd = openSync(path, 'r')
  try {
    if (readSync(fd, header, 0, 100, 0) < 100) return undefined
  } finally {
    closeSync(fd)
  }
  if (header.toString('latin1', 0, 16) !== 'SQLite format 3\u0000') return undefined
  return header.readUInt32BE(60)
}

/**
 * Takes the file for the repair's whole run, as a node does (exclusive locking mode), so a node
 * started meanwhile refuses. A running node holds it already: the repair refuses (ERR_LOCKED) instead
 * of racing it. The lock is taken by a read, not by a write transaction as the node's start does: a
 * truncated file refuses every write ("malformed") but still reads up to where it was cut.
 */
function holdForRepair(sql: BetterSqlite3.Database, path: string): void {
  sql.pragma('busy_timeout = 0')
  sql.pragma('locking_mode = EXCLUSIVE')
  // A file cut short says it has more pages than it holds, which SQLite refuses outright unless the
  // schema is "writable"; then it reads what is there. Nothing is written to this file.
  sql.unsafeMode(true)
  sql.pragma('writable_schema = ON')
  try {
    sql.prepare('SELECT count(*) FROM sqlite_master').get()
  } catch (err) {
    if ((err as { code?: string }).code === 'SQLITE_BUSY') {
      throw new StorageError('ERR_LOCKED', `${path} is in use by another Berty process (one process per data directory): stop it first`, { cause: err })
    }
    // Damage: the integrity check below names it.
  }
}

/** `PRAGMA integrity_check`'s lines, or the error it met (a damaged header or first page). */
function integrity(db: BetterSqlite3.Database): string[] {
  try {
    return db
      .prepare<[], { integrity_check: string }>('PRAGMA integrity_check(50)')
      .all()
      .map((r) => r.integrity_check)
  } catch (err) {
    return [err instanceof Error ? err.message.slice(0, 200) : String(err)]
  }
}

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`
}

/** Copies every row of `name` that reads, in one transaction of the new file. */
function copyTable(src: BetterSqlite3.Database, dst: BetterSqlite3.Database, name: string): RepairedTable {
  const columns = dst
    .prepare<[string], { name: string }>('SELECT name FROM pragma_table_info(?)')
    .all(name)
    .map((c) => quote(c.name))
  const withoutRowid = /WITHOUT\s+ROWID/i.test(
    dst.prepare<[string], { sql: string }>("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?").get(name)?.sql ?? ''
  )
  // Rowids are kept as they were: a group's read mark (groups.read_rowid) and the window's message
  // positions are messages' rowids. (No table here has an INTEGER PRIMARY KEY aliasing the rowid.)
  const written = withoutRowid ? columns : ['rowid', ...columns]
  const insert = dst.prepare(`INSERT OR IGNORE INTO ${quote(name)} (${written.join(', ')}) VALUES (${written.map(() => '?').join(', ')})`)
  try {
    src.prepare(`SELECT ${written.join(', ')} FROM ${quote(name)} NOT INDEXED LIMIT 0`)
  } catch {
    // The file no longer names the table (its schema page lost: a file cut short), or not with
    // these columns: its rows are lost, not the rest.
    return { name, copied: 0, damaged: true }
  }
  let copied = 0
  let damaged = false
  // A row read from a damaged page may break the schema's checks: it is left out, as lost.
  const put = (row: unknown[]): void => {
    try {
      insert.run(...row)
      copied++
    } catch {
      damaged = true
    }
  }
  dst.transaction(() => {
    if (withoutRowid) {
      // No rowid to seek past a damaged page with: what precedes it is kept.
      try {
        for (const row of src.prepare(`SELECT ${columns.join(', ')} FROM ${quote(name)} NOT INDEXED`).raw().iterate()) put(row as unknown[])
      } catch {
        damaged = true
      }
      return
    }
    const scan = src.prepare(`SELECT rowid, ${columns.join(', ')} FROM ${quote(name)} NOT INDEXED WHERE rowid >= ? ORDER BY rowid`).raw()
    const probe = src.prepare(`SELECT rowid FROM ${quote(name)} NOT INDEXED WHERE rowid >= ? ORDER BY rowid LIMIT 1`).pluck()
    const reads = (from: number): boolean => {
      try {
        probe.get(from)
        return true
      } catch {
        return false
      }
    }
    let from = Number.MIN_SAFE_INTEGER
    for (;;) {
      let last: number | undefined
      try {
        for (const row of scan.iterate(from) as Iterable<unknown[]>) {
          last = Number(row[0])
          put(row)
        }
        return
      } catch {
        damaged = true
      }
      // A page failed after `last`. Seek 1, 2, 4, … rowids further until a seek reads, then narrow
      // down to the first rowid whose seek reads: the next good page is kept from its first row.
      let bad = last ?? Math.max(from, 0)
      let good: number | undefined
      for (let step = 1, n = 0; n < MAX_SKIP_STEPS && bad + step <= Number.MAX_SAFE_INTEGER; step *= 2, n++) {
        if (reads(bad + step)) {
          good = bad + step
          break
        }
        bad += step
      }
      if (good === undefined) return
      let first: number = good
      while (first - bad > 1) {
        const mid: number = bad + Math.floor((first - bad) / 2)
        if (reads(mid)) first = mid
        else bad = mid
      }
      from = first
    }
  })()
  return { name, copied, damaged }
}

/**
 * Deletes rows whose parent row was lost (every foreign key here is one column), until none is
 * left: a lost group takes its chains and messages with it. Returns how many went.
 */
function dropOrphans(dst: BetterSqlite3.Database): number {
  const tables = dst.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all()
  let total = 0
  for (let changed = true; changed; ) {
    changed = false
    for (const { name } of tables) {
      const keys = dst.prepare<[string], { table: string; from: string; to: string | null }>('SELECT "table", "from", "to" FROM pragma_foreign_key_list(?)').all(name)
      for (const fk of keys) {
        const parentColumn = fk.to ?? 'rowid'
        const { changes } = dst
          .prepare(`DELETE FROM ${quote(name)} WHERE ${quote(fk.from)} IS NOT NULL AND ${quote(fk.from)} NOT IN (SELECT ${quote(parentColumn)} FROM ${quote(fk.table)})`)
          .run()
        if (changes > 0) {
          total += changes
          changed = true
        }
      }
    }
  }
  return total
}
