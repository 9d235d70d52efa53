/**
 * Whether the account database has been found damaged while the node runs. A page of the file that
 * no longer reads (bit rot, a disk fault, a copy cut short) surfaces only when something touches it:
 * an API call, a summary built for the window, a sync write. The first such error is recorded here
 * once, for the whole node: the host is told (an event, `node:info`), calls that hit the damage
 * answer DATA_DAMAGED instead of INTERNAL, and everything the file can still give keeps working.
 * Nothing is repaired or deleted in place: the file stays as it is for a backup or a recovery.
 */
import { isDatabaseDamaged } from './errors'

export interface StorageDamage {
  /** SQLite's own words ("database disk image is malformed"): no stored value, no key material. */
  reason: string
  /** When it was first seen (ms since the epoch). */
  at: number
}

export class StorageHealth {
  #damage: StorageDamage | null = null
  readonly #listeners = new Set<(damage: StorageDamage) => void>()

  constructor(private readonly now: () => number = Date.now) {}

  /** The first damage seen, or null while none was. */
  get damage(): StorageDamage | null {
    return this.#damage
  }

  /**
   * Records `err` if it says the file is damaged (see isDatabaseDamaged) and says whether it did.
   * Listeners hear of the first one only: one notice per run, not one per failed read.
   */
  note(err: unknown): boolean {
    if (!isDatabaseDamaged(err)) return false
    if (this.#damage) return true
    this.#damage = { reason: reasonOf(err), at: this.now() }
    for (const l of this.#listeners) {
      try {
        l(this.#damage)
      } catch {
        // A listener's failure must not hide the damage from the others.
      }
    }
    return true
  }

  /** Called once, when damage is first seen (at once if it already was); returns the unsubscribe function. */
  onDamaged(listener: (damage: StorageDamage) => void): () => void {
    if (this.#damage) listener(this.#damage)
    else this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }
}

/** The innermost SQLite message of the error chain, capped; the code alone if there is none. */
function reasonOf(err: unknown): string {
  for (let e = err, depth = 0; e != null && depth < 8; depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && code.startsWith('SQLITE_')) {
      const message = e instanceof Error ? e.message : ''
      return (message || code).slice(0, 200)
    }
    e = (e as { cause?: unknown }).cause
  }
  return 'the database file is damaged'
}
