/**
 * A second reason a message row can be a placeholder: 'key-gone'. The entry's counter is one this
 * device held the key for (at or after the chain key it received), but the key is no longer here:
 * used to read it, with the copy that was read since lost (a database repaired after damage), or
 * dropped from the skipped-key cache before the message came. Before, such an entry was labelled
 * 'before-join' ("sent before you joined"), which it was not.
 *
 * SQLite cannot change a column's CHECK in place: the table is rebuilt, rows, columns and indexes
 * as they were (one copy of the table, once).
 */
import type { Migration } from './types'

export const migration0013: Migration = {
  version: 10,
  name: 'unreadable-key-gone',
  up(db) {
    db.exec(`
      CREATE TABLE messages_next (
        group_pk    BLOB    NOT NULL REFERENCES groups(group_pk) ON DELETE CASCADE,
        id          TEXT    NOT NULL,
        lamport     INTEGER NOT NULL,
        writer      TEXT    NOT NULL,
        device_pk   BLOB    NOT NULL CHECK (length(device_pk) = 32),
        mine        INTEGER NOT NULL CHECK (mine IN (0, 1)),
        sent_at     INTEGER NOT NULL,
        received_at INTEGER NOT NULL,
        body        BLOB    NOT NULL,
        state       TEXT    NOT NULL CHECK (state IN ('sending', 'sent', 'delivered', 'received', 'failed')),
        unreadable  TEXT    CHECK (unreadable IN ('before-join', 'key-gone')),
        client_id   TEXT    CHECK (client_id IS NULL OR length(client_id) BETWEEN 8 AND 64),
        PRIMARY KEY (group_pk, id)
      ) STRICT;
      INSERT INTO messages_next (group_pk, id, lamport, writer, device_pk, mine, sent_at, received_at, body, state, unreadable, client_id)
        SELECT group_pk, id, lamport, writer, device_pk, mine, sent_at, received_at, body, state, unreadable, client_id FROM messages;
      DROP TABLE messages;
      ALTER TABLE messages_next RENAME TO messages;
      CREATE INDEX messages_order ON messages (group_pk, lamport, writer, id);
      CREATE INDEX messages_client_id ON messages (group_pk, client_id) WHERE client_id IS NOT NULL;
    `)
  }
}
