/**
 * The `settings` table: the node's UI preferences as key → string (nothing secret), and a few
 * internal markers under `storage.` (repair.ts `fullRecoverKey`), which no API reads.
 */
import type { SqliteDatabase } from './database'

export class SettingsStore {
  constructor(private readonly db: SqliteDatabase) {}

  all(): Map<string, string> {
    const rows = this.db.stmt<[], { key: string; value: string }>('SELECT key, value FROM settings').all()
    return new Map(rows.map((r) => [r.key, r.value]))
  }

  get(key: string): string | undefined {
    return this.db.stmt<[string], { value: string }>('SELECT value FROM settings WHERE key = ?').get(key)?.value
  }

  delete(key: string): void {
    this.db.stmt('DELETE FROM settings WHERE key = ?').run(key)
  }

  /** Writes every entry in one transaction. */
  setMany(entries: Iterable<readonly [string, string]>): void {
    const upsert = this.db.stmt('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT DO UPDATE SET value = excluded.value')
    this.db.transaction(() => {
      for (const [k, v] of entries) upsert.run(k, v)
    })
  }
}
