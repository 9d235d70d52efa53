// The haves a pull sends (pull.ts `haveHints`): the heads plus ancestors at depths 1, 2, 4, … along
// first `next` links, read from the links store. Concurrent writers' heads meet a few links down;
// each walk stops where an earlier one passed, so the store is read about once per entry of the
// deepest walk (8 heads over a 3,000-entry chain read it ~8 × 3,000 times before).
import { describe, expect, it } from 'vitest'
import { Puller } from '../../../core/groups/sync/pull'
import type { Registered, SyncContext } from '../../../core/groups/sync/types'

/** A log as the walk sees it: a chain of `depth` entries, and `heads` tips each two links above it. */
function forkedLog(depth: number, heads: number) {
  const next = new Map<string, string[]>()
  for (let i = 1; i < depth; i++) next.set(`c${i}`, [`c${i - 1}`])
  next.set('c0', [])
  const tips: string[] = []
  for (let h = 0; h < heads; h++) {
    next.set(`h${h}`, [`m${h}`])
    next.set(`m${h}`, [`c${depth - 1}`])
    tips.push(`h${h}`)
  }
  let reads = 0
  const log = {
    headHashes: async () => tips,
    getLinks: async (hash: string) => {
      reads++
      const n = next.get(hash)
      return n ? { next: n, refs: [], time: 1 } : undefined
    }
  }
  return { log, next, reads: () => reads }
}

const hintsOf = (reg: unknown): Promise<string[]> =>
  (new Puller({} as SyncContext) as unknown as { haveHints(r: Registered): Promise<string[]> }).haveHints(reg as Registered)

describe('sync: have hints', () => {
  it('8 heads over one 3,000-entry chain: the chain is read once, and every hint is in the log', async () => {
    const { log, next, reads } = forkedLog(3_000, 8)
    const hints = await hintsOf({ log })
    expect(reads()).toBeLessThan(3_000 + 8 * 3)
    for (const h of hints) expect(next.has(h)).toBe(true)
    // The heads, then the first walk's marks at depths 1, 2, 4, … (m0 at 1, c2999 at 2, c2997 at 4, …).
    expect(hints.slice(0, 8)).toEqual(Array.from({ length: 8 }, (_, h) => `h${h}`))
    expect(hints).toContain('m0')
    expect(hints).toContain(`c${3_000 - 1 - (2048 - 2)}`)
    // The other heads' walks stop at the chain: their first parent only.
    for (let h = 1; h < 8; h++) expect(hints).toContain(`m${h}`)
  })

  it('reuses the list until enough entries joined', async () => {
    const { log, reads } = forkedLog(100, 2)
    const reg: { log: typeof log; hints?: { list: string[]; stale: number } } = { log }
    const first = await hintsOf(reg)
    const after = reads()
    expect(await hintsOf(reg)).toEqual(first)
    expect(reads()).toBe(after)
  })
})
