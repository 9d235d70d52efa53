/**
 * The `group_chains` table: this device's sender chain and one receiver chain per known device,
 * per group, and `group_chain_skipped`: a receiver chain's skipped message keys, one row each. Rows
 * hold chain states and keys sealed by the caller (core/groups/chain-keeper.ts); this store never
 * sees a chain key in the clear.
 */
import type { SqliteDatabase } from './database'

export type ChainRole = 'send' | 'recv'

export interface SealedChainRow {
  device_pk: Uint8Array
  role: ChainRole
  sealed: Uint8Array
}

export class ChainStore {
  constructor(private readonly db: SqliteDatabase) {}

  load(groupPk: Uint8Array): SealedChainRow[] {
    return this.db.stmt<[Uint8Array], SealedChainRow>('SELECT device_pk, role, sealed FROM group_chains WHERE group_pk = ?').all(groupPk)
  }

  /** `durable` fsyncs the commit: the sender chain's write-ahead reservation must survive a crash. */
  save(groupPk: Uint8Array, devicePk: Uint8Array, role: ChainRole, sealed: Uint8Array, durable = false): void {
    const write = (): void => {
      this.db
        .stmt('INSERT INTO group_chains (group_pk, device_pk, role, sealed) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET sealed = excluded.sealed')
        .run(groupPk, devicePk, role, sealed)
    }
    if (durable) this.db.durable(write)
    else write()
  }

  // ---- skipped message keys of receiver chains (migration 0012) ----------------------------

  /** Every skipped key row of the group, by device then counter. */
  loadSkipped(groupPk: Uint8Array): Array<{ device_pk: Uint8Array; counter: number; sealed: Uint8Array }> {
    return this.db
      .stmt<[Uint8Array], { device_pk: Uint8Array; counter: number; sealed: Uint8Array }>(
        'SELECT device_pk, counter, sealed FROM group_chain_skipped WHERE group_pk = ? ORDER BY device_pk, counter'
      )
      .all(groupPk)
  }

  skippedCounters(groupPk: Uint8Array, devicePk: Uint8Array): number[] {
    return this.db
      .stmt<[Uint8Array, Uint8Array], { counter: number }>('SELECT counter FROM group_chain_skipped WHERE group_pk = ? AND device_pk = ?')
      .all(groupPk, devicePk)
      .map((r) => r.counter)
  }

  putSkipped(groupPk: Uint8Array, devicePk: Uint8Array, counter: number, sealed: Uint8Array): void {
    this.db
      .stmt('INSERT INTO group_chain_skipped (group_pk, device_pk, counter, sealed) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET sealed = excluded.sealed')
      .run(groupPk, devicePk, counter, sealed)
  }

  deleteSkipped(groupPk: Uint8Array, devicePk: Uint8Array, counter: number): void {
    this.db.stmt('DELETE FROM group_chain_skipped WHERE group_pk = ? AND device_pk = ? AND counter = ?').run(groupPk, devicePk, counter)
  }

  /** See SqliteDatabase.rollbacks. */
  get rollbacks(): number {
    return this.db.rollbacks
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)
  }

  // ---- sender checkpoints (migration 0003) ---------------------------------------------

  addCheckpoint(groupPk: Uint8Array, counter: number, at: number, sealed: Uint8Array): void {
    this.db.stmt('INSERT INTO sender_checkpoints (group_pk, counter, at, sealed) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING').run(groupPk, counter, at, sealed)
  }

  /** Oldest first. */
  checkpoints(groupPk: Uint8Array): Array<{ counter: number; at: number; sealed: Uint8Array }> {
    return this.db
      .stmt<[Uint8Array], { counter: number; at: number; sealed: Uint8Array }>('SELECT counter, at, sealed FROM sender_checkpoints WHERE group_pk = ? ORDER BY counter')
      .all(groupPk)
  }

  /**
   * Deletes the checkpoints before the first one whose successor (by counter) was taken after
   * `threshold`: what a hand-over from `threshold` on can still start from is kept. In one
   * statement: the send path prunes every few sends, and reading every row of a busy window into
   * JS objects to pick the cut cost more than the checkpoint itself. `keepFirst` keeps counter 0
   * (a hand-over floor holds it).
   */
  pruneCheckpoints(groupPk: Uint8Array, threshold: number, keepFirst = false): void {
    this.db
      .stmt(
        `DELETE FROM sender_checkpoints WHERE group_pk = ? AND counter >= ? AND counter < (
           SELECT min(counter) FROM (
             SELECT counter, lead(at) OVER (ORDER BY counter) AS next_at FROM sender_checkpoints WHERE group_pk = ?
           ) WHERE next_at IS NULL OR next_at > ?
         )`
      )
      .run(groupPk, keepFirst ? 1 : 0, groupPk, threshold)
  }

  // ---- hand-over floor (migration 0009) --------------------------------------------------

  /** Keep counter 0 for the hand-over until the window after the first contact has passed. */
  setFloor(groupPk: Uint8Array): void {
    this.db.stmt('INSERT INTO handover_floors (group_pk, contact_at) VALUES (?, NULL) ON CONFLICT DO NOTHING').run(groupPk)
  }

  /** The group's floor: absent, not contacted yet (`contactAt` null), or contacted at a time. */
  floor(groupPk: Uint8Array): { contactAt: number | null } | undefined {
    const row = this.db.stmt<[Uint8Array], { contact_at: number | null }>('SELECT contact_at FROM handover_floors WHERE group_pk = ?').get(groupPk)
    return row ? { contactAt: row.contact_at } : undefined
  }

  /** The first contact: the floor now holds for a window from `at` (only the first call counts). */
  contacted(groupPk: Uint8Array, at: number): void {
    this.db.stmt('UPDATE handover_floors SET contact_at = ? WHERE group_pk = ? AND contact_at IS NULL').run(at, groupPk)
  }

  dropFloor(groupPk: Uint8Array): void {
    this.db.stmt('DELETE FROM handover_floors WHERE group_pk = ?').run(groupPk)
  }
}
