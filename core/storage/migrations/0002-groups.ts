/**
 * Groups, ratchet chains, the message index and log-processing state (spec "Groups",
 * "Encryption", "Exchanging messages").
 *
 * Secrets never sit here in the clear: group key material and device seeds are keystore
 * entries referenced by name, chain states and message bodies are sealed with the account's
 * content key (core/groups/groups.ts). What is in the clear is what an index needs: keys'
 * public halves, Lamport order, timestamps, delivery state.
 */
import type { Migration } from './types'

export const migration0002: Migration = {
  version: 2,
  name: 'groups',
  up(db) {
    db.exec(`
      CREATE TABLE groups (
        group_pk    BLOB    NOT NULL PRIMARY KEY CHECK (length(group_pk) = 32),
        kind        TEXT    NOT NULL CHECK (kind IN ('account', 'contact', 'multi')),
        role        TEXT    NOT NULL CHECK (role IN ('member', 'replica')),
        keys_ref    TEXT    NOT NULL REFERENCES keystore(name),
        device_ref  TEXT    REFERENCES keystore(name),
        local_name  TEXT,
        created_at  INTEGER NOT NULL,
        read_rowid  INTEGER NOT NULL DEFAULT 0,
        CHECK ((role = 'member') = (device_ref IS NOT NULL))
      ) STRICT;
      CREATE INDEX groups_keys_ref ON groups (keys_ref);
      CREATE INDEX groups_device_ref ON groups (device_ref);

      -- One sender chain (this device) and one receiver chain per known device, sealed.
      CREATE TABLE group_chains (
        group_pk  BLOB NOT NULL REFERENCES groups(group_pk) ON DELETE CASCADE,
        device_pk BLOB NOT NULL CHECK (length(device_pk) = 32),
        role      TEXT NOT NULL CHECK (role IN ('send', 'recv')),
        sealed    BLOB NOT NULL,
        PRIMARY KEY (group_pk, device_pk, role)
      ) STRICT;

      -- The message index, in Lamport order (PROTOCOL.md "Ordering": time, then writer, then id).
      CREATE TABLE messages (
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
        PRIMARY KEY (group_pk, id)
      ) STRICT;
      CREATE INDEX messages_order ON messages (group_pk, lamport, writer, id);

      -- What became of every log entry this node processed; 'pending' entries wait for the
      -- chain key of device_pk.
      CREATE TABLE log_processed (
        group_pk  BLOB NOT NULL REFERENCES groups(group_pk) ON DELETE CASCADE,
        log       TEXT NOT NULL CHECK (log IN ('meta', 'msg')),
        hash      TEXT NOT NULL,
        status    TEXT NOT NULL CHECK (status IN ('ok', 'pending', 'rejected', 'undecryptable')),
        device_pk BLOB,
        counter   INTEGER,
        reason    TEXT,
        PRIMARY KEY (group_pk, log, hash)
      ) STRICT;
      CREATE INDEX log_processed_pending ON log_processed (group_pk, status, device_pk, counter);

      -- App settings of this node (UI preferences; nothing secret).
      CREATE TABLE settings (
        key   TEXT NOT NULL PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `)
  }
}
