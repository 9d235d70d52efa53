/**
 * Reliability (issue 8): a device that joined a group others already wrote in (an invitation, a
 * contact group, a group another device of the account joined) keeps its messages readable from its
 * first one for the members it addresses around its first contact, however long it wrote before
 * seeing anyone (offline after the join). `handover_floors` holds that state per group:
 * - a row means the sender checkpoint at counter 0 is kept and handed over;
 * - `contact_at` is when this device first addressed another member (NULL: not yet); the floor holds
 *   for the hand-over window after it, then the row goes (core/groups/chain-keeper.ts).
 */
import type { Migration } from './types'

export const migration0009: Migration = {
  version: 6,
  name: 'handover-floor',
  up(db) {
    db.exec(`
      CREATE TABLE handover_floors (
        group_pk   BLOB    PRIMARY KEY REFERENCES groups(group_pk) ON DELETE CASCADE,
        contact_at INTEGER CHECK (contact_at IS NULL OR contact_at >= 0)
      ) STRICT;
    `)
  }
}
