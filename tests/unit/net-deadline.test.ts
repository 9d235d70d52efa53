/**
 * `deadline` (core/net/deadline.ts) fires even after a garbage collection. Node's
 * `AbortSignal.any([AbortSignal.timeout(ms)])` does not once its timeout signal was collected
 * (nodejs/node#57736): 0 of 20 fired in the same conditions on Node 20. And it lets go of its
 * sources: a long-lived signal (the node's stop signal) is left with no listener of it once the
 * deadline is cleared, fires, or another source fires; `AbortSignal.any` kept every composite.
 */
import { getEventListeners } from 'node:events'
import v8 from 'node:v8'
import vm from 'node:vm'
import { describe, expect, it } from 'vitest'
import { deadline, linkSignals } from '../../core/net/deadline'

v8.setFlagsFromString('--expose-gc')
const gc = vm.runInNewContext('gc') as () => void
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

describe('net: deadline', () => {
  it('fires after a garbage collection, alone and composed with another signal', async () => {
    const other = new AbortController()
    const alone = Array.from({ length: 20 }, () => deadline(200))
    const composed = Array.from({ length: 20 }, () => deadline(200, other.signal))
    gc()
    await sleep(50)
    gc()
    await sleep(400)
    expect(alone.filter((s) => s.aborted)).toHaveLength(20)
    expect(composed.filter((s) => s.aborted)).toHaveLength(20)
    expect((alone[0]!.reason as Error).name).toBe('TimeoutError')
    expect(other.signal.aborted).toBe(false)
  })

  it('fires at once with a source that fires first, and not before its time otherwise', async () => {
    const other = new AbortController()
    const s = deadline(10_000, other.signal, undefined)
    expect(s.aborted).toBe(false)
    other.abort(new Error('stopping'))
    expect(s.aborted).toBe(true)
    expect((s.reason as Error).message).toBe('stopping')
    const late = deadline(300)
    await sleep(100)
    expect(late.aborted).toBe(false)
    expect(deadline(1_000, AbortSignal.abort()).aborted).toBe(true)
  })

  it('lets go of a long-lived source when cleared, when it fires, and when another source fires', async () => {
    const root = new AbortController()
    const listeners = () => getEventListeners(root.signal, 'abort').length
    // Cleared at the end of the operation: the source holds nothing of it any more.
    for (let i = 0; i < 1_000; i++) deadline(60_000, root.signal).clear()
    expect(listeners()).toBe(0)
    // Not cleared: held until the deadline fires, then released.
    const pending = Array.from({ length: 10 }, () => deadline(100, root.signal))
    expect(listeners()).toBe(10)
    await sleep(250)
    expect(pending.every((s) => s.aborted && (s.reason as Error).name === 'TimeoutError')).toBe(true)
    expect(listeners()).toBe(0)
    // Another source fired: released too.
    const op = new AbortController()
    const s = deadline(60_000, root.signal, op.signal)
    op.abort(new Error('done'))
    expect(s.aborted).toBe(true)
    expect(listeners()).toBe(0)
    // A cleared deadline never fires later.
    const cleared = deadline(50, root.signal)
    cleared.clear()
    await sleep(120)
    expect(cleared.aborted).toBe(false)
    expect(root.signal.aborted).toBe(false)
  })

  it('linkSignals fires with any source and releases them on clear', () => {
    const root = new AbortController()
    const a = new AbortController()
    const linked = linkSignals(root.signal, a.signal, undefined)
    expect(getEventListeners(root.signal, 'abort')).toHaveLength(1)
    a.abort(new Error('a'))
    expect(linked.aborted).toBe(true)
    expect((linked.reason as Error).message).toBe('a')
    expect(getEventListeners(root.signal, 'abort')).toHaveLength(0)
    linkSignals(root.signal).clear()
    expect(getEventListeners(root.signal, 'abort')).toHaveLength(0)
  })
})
