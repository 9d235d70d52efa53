/**
 * A group log made whole again after a repair of the database (core/storage/repair.ts), which keeps
 * the rows that still read and can lose any of them:
 * - an index row whose entry is gone says the log holds that entry, so sync would never fetch it
 *   again: the row is dropped, and the entry comes back from a peer like any missing one;
 * - a heads record naming an entry that is gone (or a heads record lost) breaks every append and
 *   traversal: the heads are rebuilt from what is left, the entries no other entry links to.
 * Run once, at the first open after the repair (group-opener.ts); a log that is whole is unchanged.
 */
import { HEADS_KEY, type GroupLogStorage, type HeadRecord } from './group-log-storage'
import { isLinks } from './log-entry'

export interface HealResult {
  /** Index rows dropped: their entries are gone. */
  dropped: number
  /** Whether the heads record was rebuilt. */
  headsRebuilt: boolean
}

/** `linksOf(bytes, hash)`: an entry's `next` and Lamport time, read from its block (when its index row has no links). */
export async function healLog(storage: GroupLogStorage, linksOf: (bytes: Uint8Array, hash: string) => { next: string[]; time: number }): Promise<HealResult> {
  const { entries, heads, index } = storage
  const present = new Map<string, { next: string[]; time: number }>()
  const gone: string[] = []
  for await (const [hash, value] of index.iterator()) {
    const bytes = await entries.get(hash)
    if (!(bytes instanceof Uint8Array)) {
      gone.push(hash)
      continue
    }
    present.set(hash, isLinks(value) ? { next: value.n, time: value.t } : linksOf(bytes, hash))
  }
  for (const hash of gone) await index.del(hash)

  const raw = await heads.get(HEADS_KEY)
  const named = raw instanceof Uint8Array ? (JSON.parse(new TextDecoder().decode(raw)) as HeadRecord[]).map((h) => h.hash) : []
  if (named.every((h) => present.has(h)) && (named.length > 0 || present.size === 0)) return { dropped: gone.length, headsRebuilt: false }

  const linked = new Set<string>()
  for (const { next } of present.values()) for (const h of next) linked.add(h)
  const tips = [...present].filter(([hash]) => !linked.has(hash))
  // Newest first, as OrbitDB orders heads (log.js).
  tips.sort(([ha, a], [hb, b]) => b.time - a.time || (ha < hb ? 1 : ha > hb ? -1 : 0))
  const record: HeadRecord[] = tips.map(([hash, { next }]) => ({ hash, next }))
  await heads.put(HEADS_KEY, new TextEncoder().encode(JSON.stringify(record)))
  return { dropped: gone.length, headsRebuilt: true }
}
