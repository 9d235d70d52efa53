// The receive queue keeps a group's received batches in order, runs a retry (a chain key arrived)
// ahead of the batches queued after it, defers the retried sender's entries met meanwhile, and
// keeps decoded waiting entries within a bound.
import { describe, expect, it } from 'vitest'
import type { BertyLogEntry } from '../../../core/groups/group-log'
import { ReceiveQueues, WAITING_MAX_BYTES_PER_GROUP, WAITING_MAX_PER_GROUP, type Retry } from '../../../core/groups/receive-queue'
import type { OpenGroup } from '../../../core/groups/types'
import type { MessageHeaders } from '../../../core/protocol/group'

const group = () => ({}) as OpenGroup
const entry = (hash: string) => ({ hash }) as BertyLogEntry
const headers = (device: number, counter: number): MessageHeaders => ({
  devicePk: new Uint8Array(32).fill(device),
  counter,
  sig: new Uint8Array(64),
  body: new Uint8Array(0)
})

function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void
  const wait = new Promise<void>((r) => (open = r))
  return { wait, open }
}

describe('ReceiveQueues', () => {
  it('runs a group’s batches one at a time, in order; a failure does not stop the queue', async () => {
    const q = new ReceiveQueues(async () => {})
    const g = group()
    const log: string[] = []
    const first = gate()
    const a = q.run(g, async () => {
      log.push('a start')
      await first.wait
      log.push('a end')
    })
    const b = q.run(g, async () => {
      log.push('b')
      throw new Error('b failed')
    })
    const c = q.run(g, async () => void log.push('c'))
    expect(q.busy(g)).toBe(true)
    expect(q.busy(group())).toBe(false)
    first.open()
    await a
    await expect(b).rejects.toThrow('b failed')
    await c
    expect(log).toEqual(['a start', 'a end', 'b', 'c'])
    expect(q.busy(g)).toBe(false)
  })

  it('runs a retry before the batches queued earlier and defers the retried sender’s entries met meanwhile', async () => {
    const retries: Retry[] = []
    const log: string[] = []
    const q = new ReceiveQueues(async (_g, r) => {
      log.push('retry')
      retries.push(r)
    })
    const g = group()
    const running = gate()
    const a = q.run(g, async () => {
      await running.wait
      // The batch being opened when the key arrived meets entries of that sender (device 1).
      log.push(`a defers d1: ${q.deferToRetry(g, 'd1', entry('late'), headers(1, 9))}`)
      log.push(`a defers d2: ${q.deferToRetry(g, 'd2', entry('other'), headers(2, 0))}`)
    })
    const b = q.run(g, async () => void log.push('b'))
    q.keep(g, entry('h1'), headers(1, 1))
    q.keep(g, entry('h0'), headers(1, 0))
    const retried = q.retry(g, 'd1', ['h1', 'h0', 'gone'])
    running.open()
    await Promise.all([a, b, retried])
    expect(log).toEqual(['a defers d1: true', 'a defers d2: false', 'retry', 'b'])
    expect(retries).toHaveLength(1)
    expect(retries[0]!.kept.map((w) => w.entry.hash)).toEqual(['h1', 'h0', 'late'])
    expect(retries[0]!.unkept).toEqual(['gone'])
    // Once the retry ran nothing is deferred any more.
    expect(q.deferToRetry(g, 'd1', entry('x'), headers(1, 10))).toBe(false)
  })

  it('keeps waiting entries up to the bound, gives each back once, and drops what was settled below a counter', async () => {
    const seen: Retry[] = []
    const q = new ReceiveQueues(async (_g, r) => void seen.push(r))
    const g = group()
    q.keep(g, entry('other'), headers(2, 0))
    for (let i = 0; i < WAITING_MAX_PER_GROUP + 5; i++) q.keep(g, entry(`h${i}`), headers(1, i))
    q.dropBelow(g, new Uint8Array(32).fill(1), 10)
    await q.retry(g, 'd1', ['h0', 'h9', 'h10', `h${WAITING_MAX_PER_GROUP + 1}`, 'other'])
    await q.retry(g, 'd1', ['h10', 'other'])
    // h0 and h9 were dropped (below 10), the fourth was never kept (over the bound); each kept
    // entry is given back once.
    expect(seen.map((r) => r.kept.map((w) => w.entry.hash))).toEqual([['h10', 'other'], []])
    expect(seen.map((r) => r.unkept)).toEqual([['h0', 'h9', `h${WAITING_MAX_PER_GROUP + 1}`], ['h10', 'other']])
    expect(q.busy(g)).toBe(false)
  })

  it('keeps waiting entries within a byte bound too, and gives the bytes back as entries leave', async () => {
    const q = new ReceiveQueues(async () => {})
    const g = group()
    const big = (hash: string) => ({ hash, payload: { v: 1, s: new Uint8Array(64 * 1024), g: new Uint8Array(64) } }) as unknown as BertyLogEntry
    // Before the byte bound: 1,000 entries of 64 KiB were all kept (64 MB for one group).
    for (let i = 0; i < 1_000; i++) q.keep(g, big(`b${i}`), headers(1, i))
    const full = q.kept(g)
    expect(full.bytes).toBeLessThanOrEqual(WAITING_MAX_BYTES_PER_GROUP)
    expect(full.entries).toBeLessThan(WAITING_MAX_BYTES_PER_GROUP / (64 * 1024))
    expect(full.entries).toBeGreaterThan(200)
    q.dropBelow(g, new Uint8Array(32).fill(1), 100)
    await q.retry(g, 'd1', Array.from({ length: 50 }, (_, i) => `b${100 + i}`))
    expect(q.kept(g).entries).toBe(full.entries - 150)
    // Room made is room to keep again.
    for (let i = 1_000; i < 1_200; i++) q.keep(g, big(`b${i}`), headers(1, i))
    expect(q.kept(g).entries).toBe(full.entries)
    expect(q.kept(g).bytes).toBe(full.bytes)
  })

  it('idle resolves once the queued batches and a retry asked meanwhile have run (a stopping node waits on it)', async () => {
    const retried: string[] = []
    const q = new ReceiveQueues(async (_g, r) => void retried.push(...r.unkept))
    const g = group()
    await q.idle(g) // nothing queued: at once
    const log: string[] = []
    const first = gate()
    void q.run(g, async () => {
      await first.wait
      log.push('a')
    })
    void q.run(g, async () => void log.push('b'))
    let idle = false
    const waiting = q.idle(g).then(() => (idle = true))
    await new Promise((r) => setTimeout(r, 10))
    expect(idle).toBe(false)
    // A chain key arrives while the first batch is open: its retry runs before idle resolves.
    void q.retry(g, 'dev', ['h1'])
    first.open()
    await waiting
    expect(log).toEqual(['a', 'b'])
    expect(retried).toEqual(['h1'])
    expect(q.busy(g)).toBe(false)
  })
})
