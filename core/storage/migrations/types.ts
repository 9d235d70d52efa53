import type BetterSqlite3 from 'better-sqlite3'

/**
 * One schema step. `up` runs inside a transaction that also bumps `PRAGMA user_version`, so a
 * failing step leaves the file exactly as it was. Steps are append-only: a released migration is
 * never edited, a later one fixes it.
 */
export interface Migration {
  readonly version: number
  readonly name: string
  up(db: BetterSqlite3.Database): void
}
