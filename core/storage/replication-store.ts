/**
 * The replication tables of the account database (migration 0006): what a replication server
 * serves and why (`replica_served`, `replica_served_tokens`), how big each served group is (its
 * OrbitDB rows in `orbit_kv`), and, on a member, which servers it asked (`group_replicas`).
 */
import type { SqliteDatabase } from './database'

export type ServedState = 'active' | 'left' | 'full'

export interface ServedGroupRow {
  group_pk: Uint8Array
  state: ServedState
  added_at: number
  left_at: number | null
  last_sync_at: number | null
  entries: number
  bytes: number
}

export interface ServedTokenRow {
  group_pk: Uint8Array
  jti: string
  expires_at: number
  quota_bytes: number | null
  added_at: number
}

export interface GroupReplicaRow {
  group_pk: Uint8Array
  peer_id: string
  server: string
  added_at: number
}

/** Upper bound (exclusive) of the namespaces that start with `prefix`: the prefix with its last char bumped. */
function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1)
}

export class ReplicationStore {
  constructor(private readonly db: SqliteDatabase) {}

  // ---- server side --------------------------------------------------------------------

  /** Records (or refreshes) a served group and the token that asked for it, in one transaction. */
  serve(groupPk: Uint8Array, token: { jti: string; expiresAt: number; quotaBytes?: number }, now: number): void {
    this.db.durable(() => {
      this.db
        .stmt(
          `INSERT INTO replica_served (group_pk, state, added_at) VALUES (?, 'active', ?)
           ON CONFLICT(group_pk) DO UPDATE SET state = 'active', left_at = NULL`
        )
        .run(groupPk, now)
      this.db
        .stmt(
          `INSERT INTO replica_served_tokens (group_pk, jti, expires_at, quota_bytes, added_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT(group_pk, jti) DO UPDATE SET expires_at = excluded.expires_at, quota_bytes = excluded.quota_bytes`
        )
        .run(groupPk, token.jti, token.expiresAt, token.quotaBytes ?? null, now)
    })
  }

  served(groupPk: Uint8Array): ServedGroupRow | undefined {
    return this.db.stmt<[Uint8Array], ServedGroupRow>('SELECT * FROM replica_served WHERE group_pk = ?').get(groupPk)
  }

  allServed(): ServedGroupRow[] {
    return this.db.stmt<[], ServedGroupRow>('SELECT * FROM replica_served ORDER BY added_at').all()
  }

  /** Groups in `state`, least recently grown first (what eviction drops first). */
  servedByAge(state: ServedState): ServedGroupRow[] {
    return this.db
      .stmt<[string], ServedGroupRow>('SELECT * FROM replica_served WHERE state = ? ORDER BY coalesce(last_sync_at, added_at), added_at')
      .all(state)
  }

  tokensOf(groupPk: Uint8Array): ServedTokenRow[] {
    return this.db.stmt<[Uint8Array], ServedTokenRow>('SELECT * FROM replica_served_tokens WHERE group_pk = ?').all(groupPk)
  }

  /** Groups a token (jti) asked for, and how many bytes they hold together. */
  tokenUsage(jti: string): { groups: number; bytes: number } {
    const row = this.db
      .stmt<[string], { groups: number; bytes: number | null }>(
        `SELECT count(*) AS groups, sum(s.bytes) AS bytes FROM replica_served_tokens t
         JOIN replica_served s ON s.group_pk = t.group_pk WHERE t.jti = ? AND s.state != 'left'`
      )
      .get(jti)
    return { groups: row?.groups ?? 0, bytes: row?.bytes ?? 0 }
  }

  hasToken(groupPk: Uint8Array, jti: string): boolean {
    return this.db.stmt<[Uint8Array, string], { one: number }>('SELECT 1 AS one FROM replica_served_tokens WHERE group_pk = ? AND jti = ?').get(groupPk, jti) !== undefined
  }

  dropToken(jti: string): void {
    this.db.stmt('DELETE FROM replica_served_tokens WHERE jti = ?').run(jti)
  }

  dropExpiredTokens(now: number): number {
    return this.db.stmt('DELETE FROM replica_served_tokens WHERE expires_at <= ?').run(now).changes
  }

  /** Active groups no token holds any more (every one expired or was revoked). */
  orphaned(): Uint8Array[] {
    return this.db
      .stmt<[], { group_pk: Uint8Array }>(
        `SELECT group_pk FROM replica_served s WHERE state != 'left'
         AND NOT EXISTS (SELECT 1 FROM replica_served_tokens t WHERE t.group_pk = s.group_pk)`
      )
      .all()
      .map((r) => new Uint8Array(r.group_pk))
  }

  setState(groupPk: Uint8Array, state: ServedState, now: number): void {
    this.db
      .stmt(`UPDATE replica_served SET state = ?, left_at = CASE WHEN ? = 'active' THEN NULL ELSE coalesce(left_at, ?) END WHERE group_pk = ?`)
      .run(state, state, now, groupPk)
  }

  touched(groupPk: Uint8Array, now: number): void {
    this.db.stmt('UPDATE replica_served SET last_sync_at = ? WHERE group_pk = ?').run(now, groupPk)
  }

  setUsage(groupPk: Uint8Array, usage: { entries: number; bytes: number }): void {
    this.db.stmt('UPDATE replica_served SET entries = ?, bytes = ? WHERE group_pk = ?').run(usage.entries, usage.bytes, groupPk)
  }

  totals(): { groups: number; bytes: number; entries: number } {
    const row = this.db
      .stmt<[], { groups: number; bytes: number | null; entries: number | null }>(
        'SELECT count(*) AS groups, sum(bytes) AS bytes, sum(entries) AS entries FROM replica_served'
      )
      .get()
    return { groups: row?.groups ?? 0, bytes: row?.bytes ?? 0, entries: row?.entries ?? 0 }
  }

  /**
   * What a group occupies in the file: its OrbitDB rows (every namespace `<groupHex>:…`, an index
   * range on the primary key) and its entry count (the rows of its two `…:entries` namespaces).
   */
  measure(groupHex: string): { entries: number; bytes: number } {
    const lo = `${groupHex}:`
    const all = this.db
      .stmt<[string, string], { bytes: number | null }>('SELECT sum(length(value) + length(key)) AS bytes FROM orbit_kv WHERE namespace >= ? AND namespace < ?')
      .get(lo, prefixEnd(lo))
    const count = this.db.stmt<[string], { n: number }>('SELECT count(*) AS n FROM orbit_kv WHERE namespace = ?')
    const entries = (count.get(`${groupHex}:meta:entries`)?.n ?? 0) + (count.get(`${groupHex}:msg:entries`)?.n ?? 0)
    return { entries, bytes: all?.bytes ?? 0 }
  }

  // ---- member side --------------------------------------------------------------------

  addReplica(groupPk: Uint8Array, peerId: string, server: string, now: number): void {
    this.db
      .stmt(
        `INSERT INTO group_replicas (group_pk, peer_id, server, added_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(group_pk, peer_id) DO UPDATE SET server = excluded.server`
      )
      .run(groupPk, peerId, server, now)
  }

  replicasOf(groupPk: Uint8Array): GroupReplicaRow[] {
    return this.db.stmt<[Uint8Array], GroupReplicaRow>('SELECT * FROM group_replicas WHERE group_pk = ? ORDER BY added_at').all(groupPk)
  }

  allReplicas(): GroupReplicaRow[] {
    return this.db.stmt<[], GroupReplicaRow>('SELECT * FROM group_replicas ORDER BY added_at').all()
  }

  removeReplica(groupPk: Uint8Array, peerId: string): boolean {
    return this.db.stmt('DELETE FROM group_replicas WHERE group_pk = ? AND peer_id = ?').run(groupPk, peerId).changes > 0
  }
}
