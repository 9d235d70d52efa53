/**
 * `deadline` (core/net/deadline.ts) fires even after a garbage collection. Node's
 * `AbortSignal.any([AbortSignal.timeout(ms)])` does not once its timeout signal was collected
 * (nodejs/node#57736): 0 of 20 fired in the same conditions on Node 20.
 */
import v8 from 'node:v8'
import vm from 'node:vm'
import { describe, expect, it } from 'vitest'
import { deadline } from '../../core/net/deadline'

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
})
