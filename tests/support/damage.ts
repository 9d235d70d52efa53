// Damages a node's database file for real, as bit rot or a disk fault would: used by the
// integration and UI tests of a database found damaged while the node runs.
import { closeSync, openSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'

/**
 * Overwrites every page of `table`'s B-tree in the data directory's database file (checkpointed
 * first, the node stopped) with junk; returns how many pages. `leavesEvery: n`: only every n-th
 * leaf page, the first one spared (a few bad sectors in a table whose tree still reads).
 */
export function damageTable(dataDir: string, table: string, opts: { leavesEvery?: number } = {}): number {
  const file = join(dataDir, 'berty.sqlite')
  const db = new Database(file)
  db.pragma('wal_checkpoint(TRUNCATE)')
  const pageSize = db.pragma('page_size', { simple: true }) as number
  const all = db.prepare<[string], { pageno: number; pagetype: string }>('SELECT pageno, pagetype FROM dbstat WHERE name = ? ORDER BY path').all(table)
  const every = opts.leavesEvery
  const pages = every === undefined ? all : all.filter((p) => p.pagetype === 'leaf').filter((_, i) => i % every === every - 1)
  db.close()
  const fd = openSync(file, 'r+')
  try {
    for (const { pageno } of pages) writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, (pageno - 1) * pageSize)
  } finally {
    closeSync(fd)
  }
  return pages.length
}
