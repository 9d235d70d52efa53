/**
 * The replication server's token book, in its own small SQLite file beside the account database
 * (`DATA/replication.sqlite`).
 *
 * Why a second file: the account database is held under an exclusive OS lock for the daemon's
 * lifetime (one process per data directory), yet `--issue-token` and `--revoke-token` must work
 * while the server runs. This file is opened in ordinary shared WAL mode by both, so the CLI can
 * write while the server reads, and a revocation is visible to the server at its next request
 * (and at its next sweep, within seconds). It holds:
 * - a keystore table: the server's token-signing key, sealed under the same wrapping key as the
 *   account keystore (keystore.ts; `DATA/key` for the daemon);
 * - `meta`: the server's libp2p peer id (the tokens' audience), written by the server at start or
 *   by the CLI from the account database when the server is not running;
 * - `issued_tokens` (what was issued, for the record and for `--revoke-token JTI`) and
 *   `revoked_tokens`.
 * The tokens themselves are never stored: a token is a bearer secret; its jti identifies it.
 */
import type { Migration } from './migrations/types'
import { openDatabase, type SqliteDatabase } from './database'

export const TOKEN_STORE_FILE = 'replication.sqlite'

const tokenStoreMigration: Migration = {
  version: 1,
  name: 'token-store',
  up(db) {
    db.exec(`
      CREATE TABLE keystore (
        name       TEXT    NOT NULL PRIMARY KEY,
        sealed     BLOB    NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE meta (
        key   TEXT NOT NULL PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
      CREATE TABLE issued_tokens (
        jti          TEXT    NOT NULL PRIMARY KEY,
        audience     TEXT    NOT NULL,
        issued_at    INTEGER NOT NULL,
        expires_at   INTEGER NOT NULL,
        quota_groups INTEGER,
        quota_bytes  INTEGER
      ) STRICT;
      CREATE TABLE revoked_tokens (
        jti        TEXT    NOT NULL PRIMARY KEY,
        revoked_at INTEGER NOT NULL
      ) STRICT;
    `)
  }
}

export const TOKEN_STORE_MIGRATIONS: readonly Migration[] = [tokenStoreMigration]

export interface IssuedTokenRow {
  jti: string
  audience: string
  issued_at: number
  expires_at: number
  quota_groups: number | null
  quota_bytes: number | null
}

export class TokenStore {
  private constructor(readonly db: SqliteDatabase) {}

  /** Opens (creating if needed) the token book at `path`, shared with other processes. */
  static open(path: string): TokenStore {
    return new TokenStore(openDatabase(path, { migrations: TOKEN_STORE_MIGRATIONS, busyTimeoutMs: 5000 }))
  }

  getMeta(key: string): string | undefined {
    return this.db.stmt<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(key)?.value
  }

  setMeta(key: string, value: string): void {
    this.db.durable(() => this.db.stmt('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value))
  }

  recordIssued(row: IssuedTokenRow): void {
    this.db.durable(() =>
      this.db
        .stmt('INSERT INTO issued_tokens (jti, audience, issued_at, expires_at, quota_groups, quota_bytes) VALUES (?, ?, ?, ?, ?, ?)')
        .run(row.jti, row.audience, row.issued_at, row.expires_at, row.quota_groups, row.quota_bytes)
    )
  }

  issued(jti: string): IssuedTokenRow | undefined {
    return this.db.stmt<[string], IssuedTokenRow>('SELECT * FROM issued_tokens WHERE jti = ?').get(jti)
  }

  /** Durable: a revocation that was reported done survives a power cut. Returns false if already revoked. */
  revoke(jti: string, now: number): boolean {
    return this.db.durable(() => this.db.stmt('INSERT OR IGNORE INTO revoked_tokens (jti, revoked_at) VALUES (?, ?)').run(jti, now).changes > 0)
  }

  isRevoked(jti: string): boolean {
    return this.db.stmt<[string], { one: number }>('SELECT 1 AS one FROM revoked_tokens WHERE jti = ?').get(jti) !== undefined
  }

  /** Revocations at or after `since` (ms), for the server's sweep. */
  revokedSince(since: number): string[] {
    return this.db.stmt<[number], { jti: string }>('SELECT jti FROM revoked_tokens WHERE revoked_at >= ? ORDER BY revoked_at').all(since).map((r) => r.jti)
  }

  close(): void {
    this.db.close()
  }
}
