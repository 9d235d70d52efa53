/**
 * Reliability (issue 8): a send that may or may not have happened (the window lost its connection or
 * timed out before the answer, the node was killed) can be sent again without a second message.
 * The caller names each send (`message:send` `clientId`); it is kept with the own message it made,
 * in the transaction that appends it, and a send with a name already used in that group answers
 * that message instead of sending again.
 */
import type { Migration } from './types'

export const migration0010: Migration = {
  version: 7,
  name: 'send-client-id',
  up(db) {
    db.exec(`
      ALTER TABLE messages ADD COLUMN client_id TEXT CHECK (client_id IS NULL OR length(client_id) BETWEEN 8 AND 64);
      CREATE INDEX messages_client_id ON messages (group_pk, client_id) WHERE client_id IS NOT NULL;
    `)
  }
}
