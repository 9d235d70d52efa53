/**
 * Send rate (issue 8): a group log keeps each entry's links ({ n: next, r: refs, t: time }) as the
 * entry's value in its OrbitDB index (core/groups/group-log.ts GroupLogStorage.links), so an append
 * writes one row there instead of `true` in `…:index` plus the links in `…:links` (one B-tree page
 * fewer per send). This moves the existing links into the index rows and drops the `…:links`
 * namespaces. An index row without links keeps `true`: its links are read from the entry once.
 *
 * Numbered 0008 for the integration order of issue branches; its `version` is its position in
 * MIGRATIONS on this branch (the integrator renumbers both together).
 */
import type { Migration } from './types'

export const migration0008: Migration = {
  version: 5,
  name: 'entry-links-in-index',
  up(db) {
    // Group log namespaces are `<groupHex>:<meta|msg>:<store>` (core/groups/group-opener.ts).
    db.exec(`
      UPDATE orbit_kv AS i SET enc = l.enc, value = l.value
      FROM orbit_kv AS l
      WHERE i.namespace GLOB '*:index'
        AND l.namespace = substr(i.namespace, 1, length(i.namespace) - 5) || 'links'
        AND l.key = i.key;
      DELETE FROM orbit_kv WHERE namespace GLOB '*:links';
    `)
  }
}
