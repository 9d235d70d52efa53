/**
 * The message index and the per-entry processing record (migration 0002): `messages` in Lamport
 * order (PROTOCOL.md "Ordering": time, then writer, then id) and `log_processed`, what became of
 * every message-log entry this node looked at, except readable messages first opened with no record
 * (own sends, and received messages opened at once): their messages row says it, one row per
 * message instead of two, see `processedStatus`. Bodies arrive sealed by the caller.
 */
import type { SqliteDatabase } from './database'

export type MessageStateColumn = 'sending' | 'sent' | 'delivered' | 'received' | 'failed'
export type ProcessedStatus = 'ok' | 'pending' | 'rejected' | 'undecryptable'

export interface MessageRow {
  rowid: number
  id: string
  lamport: number
  writer: string
  device_pk: Uint8Array
  mine: number
  sent_at: number
  body: Uint8Array
  state: MessageStateColumn
  unreadable: UnreadableReason | null
}

export interface NewMessageRow {
  groupPk: Uint8Array
  id: string
  lamport: number
  writer: string
  devicePk: Uint8Array
  mine: boolean
  sentAt: number
  receivedAt: number
  body: Uint8Array
  state: MessageStateColumn
  /** A placeholder for an entry this device cannot open. */
  unreadable?: UnreadableReason
  /** The name the caller gave this own send (`message:send` clientId), for sending again safely. */
  clientId?: string
}

export interface ProcessedRecord {
  status: ProcessedStatus
  devicePk?: Uint8Array
  counter?: number
  reason?: string
  /** The entry's place in the log (kept for pending entries). */
  lamport?: number
  writer?: string
}

/**
 * Why a message row is a placeholder (migrations 0003, 0013): 'before-join', sent before the chain
 * key this device received; 'key-gone', a counter this device held the key for, but the key is no
 * longer here (used, with the copy read since lost to a repaired database, or dropped from the
 * skipped-key cache before the message came).
 */
export type UnreadableReason = 'before-join' | 'key-gone'

export const BEFORE_JOIN_REASON = "sent before this device received the sender's chain key"
export const KEY_GONE_REASON = 'its key is no longer on this device (used or dropped)'

/** The newest Lamport time indexed in a group (an index seek on messages_order). */
const MAX_LAMPORT_SQL = 'SELECT max(lamport) FROM messages WHERE group_pk = ?'

/** Exported for the query-plan test: both halves are primary-key searches. */
export const PROCESSED_STATUS_SQL = `SELECT status FROM log_processed WHERE group_pk = ? AND log = 'msg' AND hash = ?
  UNION ALL SELECT 'ok' FROM messages WHERE group_pk = ? AND id = ? AND unreadable IS NULL
  LIMIT 1`

const ORDER_DESC = 'ORDER BY lamport DESC, writer DESC, id DESC'

export class MessageStore {
  constructor(private readonly db: SqliteDatabase) {}

  /**
   * Returns the row's rowid, or 0 when the message was already indexed. A placeholder row is
   * replaced by the real message if it later becomes readable.
   */
  insert(m: NewMessageRow): number {
    const row = this.db
      .stmt<unknown[], { rowid: number }>(
        `INSERT INTO messages (group_pk, id, lamport, writer, device_pk, mine, sent_at, received_at, body, state, unreadable, client_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT DO UPDATE SET mine = excluded.mine, sent_at = excluded.sent_at, body = excluded.body,
           state = excluded.state, unreadable = excluded.unreadable
         WHERE messages.unreadable IS NOT NULL AND excluded.unreadable IS NULL
         RETURNING rowid`
      )
      .get(m.groupPk, m.id, m.lamport, m.writer, m.devicePk, m.mine ? 1 : 0, m.sentAt, m.receivedAt, m.body, m.state, m.unreadable ?? null, m.clientId ?? null)
    return row?.rowid ?? 0
  }

  /** The id of this device's message sent in `groupPk` under `clientId` (NewMessageRow.clientId), if any. */
  idByClientId(groupPk: Uint8Array, clientId: string): string | undefined {
    return this.db
      .stmt<[Uint8Array, string], { id: string }>('SELECT id FROM messages WHERE group_pk = ? AND client_id = ? AND mine = 1 LIMIT 1')
      .get(groupPk, clientId)?.id
  }

  /** The newest `limit` messages strictly before `before` (or the newest overall), newest first. */
  page(groupPk: Uint8Array, limit: number, before?: { lamport: number; writer: string; id: string }): MessageRow[] {
    if (before) {
      return this.db
        .stmt<[Uint8Array, number, string, string, number], MessageRow>(
          `SELECT rowid, * FROM messages WHERE group_pk = ? AND (lamport, writer, id) < (?, ?, ?) ${ORDER_DESC} LIMIT ?`
        )
        .all(groupPk, before.lamport, before.writer, before.id, limit)
    }
    return this.db.stmt<[Uint8Array, number], MessageRow>(`SELECT rowid, * FROM messages WHERE group_pk = ? ${ORDER_DESC} LIMIT ?`).all(groupPk, limit)
  }

  position(groupPk: Uint8Array, id: string): { lamport: number; writer: string; id: string } | undefined {
    return this.db
      .stmt<[Uint8Array, string], { lamport: number; writer: string; id: string }>('SELECT lamport, writer, id FROM messages WHERE group_pk = ? AND id = ?')
      .get(groupPk, id)
  }

  /** The newest readable message. */
  last(groupPk: Uint8Array): MessageRow | undefined {
    return this.db
      .stmt<[Uint8Array], MessageRow>(`SELECT rowid, * FROM messages WHERE group_pk = ? AND unreadable IS NULL ${ORDER_DESC} LIMIT 1`)
      .get(groupPk)
  }

  /** Readable messages from others indexed after `readRowid` (placeholders do not count). */
  unreadCount(groupPk: Uint8Array, readRowid: number): number {
    return (
      this.db
        .stmt<[Uint8Array, number], { n: number }>('SELECT count(*) AS n FROM messages WHERE group_pk = ? AND rowid > ? AND mine = 0 AND unreadable IS NULL')
        .get(groupPk, readRowid)?.n ?? 0
    )
  }

  /** Moves an own message forward (`sending`/`sent` → `state`); returns the row when it changed. */
  advanceState(groupPk: Uint8Array, id: string, state: MessageStateColumn): MessageRow | undefined {
    return this.db
      .stmt<[string, Uint8Array, string], MessageRow>(
        "UPDATE messages SET state = ? WHERE group_pk = ? AND id = ? AND state IN ('sending', 'sent') RETURNING rowid, *"
      )
      .get(state, groupPk, id)
  }

  // ---- log_processed ----------------------------------------------------------------

  /** The newest Lamport time of the group's messages (0 when it has none). */
  maxLamport(groupPk: Uint8Array): number {
    return (this.db.stmt<[Uint8Array], number | null>(MAX_LAMPORT_SQL).pluck().get(groupPk) as number | null) ?? 0
  }

  /**
   * A readable message opened with no earlier record (an own send indexed as this device sealed it,
   * a received message opened at once; core/groups/message-pipeline.ts) has no log_processed row:
   * its messages row, committed in the same transaction, is the record and counts as 'ok'. A
   * record in log_processed (pending, then opened; rejected; undecryptable) comes first.
   */
  processedStatus(groupPk: Uint8Array, hash: string): ProcessedStatus | undefined {
    return this.db.stmt<[Uint8Array, string, Uint8Array, string], { status: ProcessedStatus }>(PROCESSED_STATUS_SQL).get(groupPk, hash, groupPk, hash)?.status
  }

  markProcessed(groupPk: Uint8Array, hash: string, r: ProcessedRecord): void {
    this.db
      .stmt(
        `INSERT INTO log_processed (group_pk, log, hash, status, device_pk, counter, reason, lamport, writer) VALUES (?, 'msg', ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT DO UPDATE SET status = excluded.status, device_pk = excluded.device_pk, counter = excluded.counter,
           reason = excluded.reason, lamport = coalesce(excluded.lamport, lamport), writer = coalesce(excluded.writer, writer)`
      )
      .run(groupPk, hash, r.status, r.devicePk ?? null, r.counter ?? null, r.reason ?? null, r.lamport ?? null, r.writer ?? null)
  }

  /**
   * Pending entries of `devicePk` below `counter` can never be opened: settled in two statements,
   * each with a placeholder row ('before-join') at its place in the log. Returns how many.
   */
  settlePendingBelow(groupPk: Uint8Array, devicePk: Uint8Array, counter: number, receivedAt: number, mine = false): number {
    this.db
      .stmt(
        `INSERT INTO messages (group_pk, id, lamport, writer, device_pk, mine, sent_at, received_at, body, state, unreadable)
         SELECT group_pk, hash, lamport, writer, device_pk, ?, 0, ?, x'', 'received', 'before-join' FROM log_processed
         WHERE group_pk = ? AND status = 'pending' AND device_pk = ? AND counter < ? AND lamport IS NOT NULL
         ON CONFLICT DO NOTHING`
      )
      .run(mine ? 1 : 0, receivedAt, groupPk, devicePk, counter)
    return this.db
      .stmt(
        `UPDATE log_processed SET status = 'undecryptable', reason = ?
         WHERE group_pk = ? AND status = 'pending' AND device_pk = ? AND counter < ?`
      )
      .run(BEFORE_JOIN_REASON, groupPk, devicePk, counter).changes
  }

  /**
   * Entries of `devicePk` settled as before its chain key, with a counter in [from, to): pending
   * again (an earlier key of the same chain arrived). Their placeholder rows stay until each opens.
   */
  reopenSettled(groupPk: Uint8Array, devicePk: Uint8Array, from: number, to: number): number {
    return this.db
      .stmt(
        `UPDATE log_processed SET status = 'pending', reason = NULL
         WHERE group_pk = ? AND status = 'undecryptable' AND device_pk = ? AND counter >= ? AND counter < ? AND reason = ?`
      )
      .run(groupPk, devicePk, from, to, BEFORE_JOIN_REASON).changes
  }

  pendingFrom(groupPk: Uint8Array, devicePk: Uint8Array, counter: number): string[] {
    return this.db
      .stmt<[Uint8Array, Uint8Array, number], { hash: string }>(
        "SELECT hash FROM log_processed WHERE group_pk = ? AND status = 'pending' AND device_pk = ? AND counter >= ?"
      )
      .all(groupPk, devicePk, counter)
      .map((r) => r.hash)
  }
}
