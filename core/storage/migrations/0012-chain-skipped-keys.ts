/**
 * Reliability (issue 8): a receiver chain's skipped message keys (counters it passed whose messages
 * have not arrived: out of order, lost, or never written by a sender that crashed) each get a row
 * instead of riding in the chain's sealed blob. The blob was rewritten with every message of that
 * sender, all of its keys copied and sealed again: at 4,000 keys, 2.2 ms and a 156 KB row per
 * message. Now a message writes only the keys that came or went. Each `sealed` is one 32-byte
 * message key sealed with the content key, like the chains. A blob from before still carries its
 * keys; they move to rows at that chain's next save (core/groups/chain-keeper.ts).
 */
import type { Migration } from './types'

export const migration0012: Migration = {
  version: 9,
  name: 'chain-skipped-keys',
  up(db) {
    db.exec(`
      CREATE TABLE group_chain_skipped (
        group_pk  BLOB    NOT NULL REFERENCES groups(group_pk) ON DELETE CASCADE,
        device_pk BLOB    NOT NULL CHECK (length(device_pk) = 32),
        counter   INTEGER NOT NULL CHECK (counter >= 0),
        sealed    BLOB    NOT NULL,
        PRIMARY KEY (group_pk, device_pk, counter)
      ) STRICT, WITHOUT ROWID;
    `)
  }
}
