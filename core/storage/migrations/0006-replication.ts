/**
 * Replication (spec "Replication server", issue 13):
 * - `replica_served`: on a replication server, each group it serves at a member's request: its
 *   state (active; left = every token that asked for it expired or was revoked, or it was removed;
 *   full = over its byte quota), when its logs last grew, and its measured size (entries, bytes of
 *   its OrbitDB rows). Cascades with the `groups` row, so evicting a group (deleting it) clears it.
 * - `replica_served_tokens`: which tokens (by jti) asked for which group, with each token's expiry
 *   and byte quota copied from its claims, so the server re-checks them without the token itself.
 * - `group_replicas`: on a member, the replication servers this device asked to serve a group.
 *
 * Numbered 0006 for the integration order of issue branches; its `version` is its position in
 * MIGRATIONS on this branch (the integrator renumbers both together).
 */
import type { Migration } from './types'

export const migration0006: Migration = {
  version: 4,
  name: 'replication',
  up(db) {
    db.exec(`
      CREATE TABLE replica_served (
        group_pk     BLOB    NOT NULL PRIMARY KEY REFERENCES groups(group_pk) ON DELETE CASCADE,
        state        TEXT    NOT NULL CHECK (state IN ('active', 'left', 'full')),
        added_at     INTEGER NOT NULL,
        left_at      INTEGER,
        last_sync_at INTEGER,
        entries      INTEGER NOT NULL DEFAULT 0 CHECK (entries >= 0),
        bytes        INTEGER NOT NULL DEFAULT 0 CHECK (bytes >= 0)
      ) STRICT;
      CREATE TABLE replica_served_tokens (
        group_pk    BLOB    NOT NULL REFERENCES replica_served(group_pk) ON DELETE CASCADE,
        jti         TEXT    NOT NULL,
        expires_at  INTEGER NOT NULL,
        quota_bytes INTEGER,
        added_at    INTEGER NOT NULL,
        PRIMARY KEY (group_pk, jti)
      ) STRICT;
      CREATE INDEX replica_served_tokens_jti ON replica_served_tokens (jti);
      CREATE TABLE group_replicas (
        group_pk BLOB    NOT NULL REFERENCES groups(group_pk) ON DELETE CASCADE,
        peer_id  TEXT    NOT NULL,
        server   TEXT    NOT NULL,
        added_at INTEGER NOT NULL,
        PRIMARY KEY (group_pk, peer_id)
      ) STRICT;
    `)
  }
}
