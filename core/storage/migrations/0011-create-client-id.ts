/**
 * Reliability (issue 8): a `group:create` whose answer was lost (the window's connection dropped, a
 * timeout) can be made again without a second group. The caller names the creation (`clientId`); it
 * is kept on the group's row, written with its keys, and a creation under a name already used answers
 * that group (if its creation finished) instead of creating another.
 */
import type { Migration } from './types'

export const migration0011: Migration = {
  version: 8,
  name: 'create-client-id',
  up(db) {
    db.exec(`
      ALTER TABLE groups ADD COLUMN client_id TEXT CHECK (client_id IS NULL OR length(client_id) BETWEEN 8 AND 64);
      CREATE INDEX groups_client_id ON groups (client_id) WHERE client_id IS NOT NULL;
    `)
  }
}
