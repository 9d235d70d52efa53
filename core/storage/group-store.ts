/**
 * The `groups` table: one row per group this node is a member of or replicates (migration 0002).
 * Key material and user content are never here: rows name keystore entries (`keys_ref`,
 * `device_ref`); `local_name` is only read to move a name an earlier version stored in the clear.
 */
import type { SqliteDatabase } from './database'

export type GroupKindColumn = 'account' | 'contact' | 'multi'
export type GroupRoleColumn = 'member' | 'replica'

export interface GroupRow {
  group_pk: Uint8Array
  kind: GroupKindColumn
  role: GroupRoleColumn
  keys_ref: string
  device_ref: string | null
  local_name: string | null
  created_at: number
  read_rowid: number
}

export interface NewGroupRow {
  groupPk: Uint8Array
  kind: GroupKindColumn
  role: GroupRoleColumn
  keysRef: string
  deviceRef?: string
  createdAt: number
  /** The caller's name for the creation (`group:create` clientId), for creating again safely. */
  clientId?: string
}

export class GroupStore {
  constructor(private readonly db: SqliteDatabase) {}

  /** Durable: a group that was reported created survives a power loss. */
  insert(row: NewGroupRow): void {
    this.db.durable(() => {
      this.db
        .stmt('INSERT INTO groups (group_pk, kind, role, keys_ref, device_ref, created_at, client_id) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(row.groupPk, row.kind, row.role, row.keysRef, row.deviceRef ?? null, row.createdAt, row.clientId ?? null)
    })
  }

  /** The newest group created under `clientId` (NewGroupRow.clientId), if any. */
  byClientId(clientId: string): GroupRow | undefined {
    return this.db.stmt<[string], GroupRow>('SELECT * FROM groups WHERE client_id = ? ORDER BY created_at DESC LIMIT 1').get(clientId)
  }

  get(groupPk: Uint8Array): GroupRow | undefined {
    return this.db.stmt<[Uint8Array], GroupRow>('SELECT * FROM groups WHERE group_pk = ?').get(groupPk)
  }

  all(): GroupRow[] {
    return this.db.stmt<[], GroupRow>('SELECT * FROM groups ORDER BY created_at').all()
  }

  /** The local name moved out of this row (it is kept sealed elsewhere). */
  clearLocalName(groupPk: Uint8Array): void {
    this.db.stmt('UPDATE groups SET local_name = NULL WHERE group_pk = ?').run(groupPk)
  }

  /** Removes the row; chains, messages and processing state go with it (ON DELETE CASCADE). */
  delete(groupPk: Uint8Array): void {
    this.db.stmt('DELETE FROM groups WHERE group_pk = ?').run(groupPk)
  }

  readMarker(groupPk: Uint8Array): number {
    return this.db.stmt<[Uint8Array], { read_rowid: number }>('SELECT read_rowid FROM groups WHERE group_pk = ?').get(groupPk)?.read_rowid ?? 0
  }

  /** Everything indexed so far counts as read. */
  markAllRead(groupPk: Uint8Array): void {
    this.db
      .stmt('UPDATE groups SET read_rowid = (SELECT coalesce(max(rowid), 0) FROM messages WHERE group_pk = ?) WHERE group_pk = ?')
      .run(groupPk, groupPk)
  }
}
