/**
 * Reliability (chain-key hand-over and honest placeholders):
 * - `sender_checkpoints`: this device's sender chain at a few recent counters, sealed by the
 *   caller, with the time each was reached. A member first seen now is handed the chain from the
 *   checkpoint that covers everything sent within the hand-over window, so messages written
 *   concurrently with a join stay readable (core/groups/chain-keeper.ts).
 * - `messages.unreadable`: a row for an entry this device can never open ('before-join': sent
 *   before the chain key it was given), shown as a placeholder instead of silence; the Lamport
 *   position of pending entries is kept in `log_processed` to place those rows.
 */
import type { Migration } from './types'

export const migration0003: Migration = {
  version: 3,
  name: 'handover',
  up(db) {
    db.exec(`
      CREATE TABLE sender_checkpoints (
        group_pk BLOB    NOT NULL REFERENCES groups(group_pk) ON DELETE CASCADE,
        counter  INTEGER NOT NULL CHECK (counter >= 0),
        at       INTEGER NOT NULL,
        sealed   BLOB    NOT NULL,
        PRIMARY KEY (group_pk, counter)
      ) STRICT;
      ALTER TABLE messages ADD COLUMN unreadable TEXT CHECK (unreadable IN ('before-join'));
      -- Where a pending entry sits in the log, so it can become a placeholder row without being read again.
      ALTER TABLE log_processed ADD COLUMN lamport INTEGER;
      ALTER TABLE log_processed ADD COLUMN writer TEXT;
    `)
  }
}
