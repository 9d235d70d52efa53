// Frames of /berty/log-sync/1.0.0 as received from a peer: the fetch request's optional version
// vector is validated (hex writer keys, positive safe integers, at most MAX_CLOCK_WRITERS) and a
// request without one still parses.
import * as dagCbor from '@ipld/dag-cbor'
import { describe, expect, it } from 'vitest'
import { MAX_CLOCK_WRITERS, clockField, fetchClock, parseFrame } from '../../../core/groups/sync/frames'

const W = 'ab'.repeat(32)
const fetch = (extra: Record<string, unknown> = {}) => dagCbor.encode({ t: 'fetch', k: 'topic', w: ['zdpuA'], h: [], n: 4, ...extra })

describe('log-sync frames', () => {
  it('reads a fetch with and without a version vector', () => {
    const plain = parseFrame(fetch())
    expect(plain).toEqual({ t: 'fetch', k: 'topic', w: ['zdpuA'], h: [], n: 4 })
    const withClock = parseFrame(fetch({ v: { [W]: 7 } }))
    expect(withClock.t === 'fetch' && fetchClock(withClock)).toEqual(new Map([[W, 7]]))
  })

  it.each([
    ['a key that is not a writer key', { v: { nothex: 1 } }],
    ['an upper-case key', { v: { [W.toUpperCase()]: 1 } }],
    ['a time of 0', { v: { [W]: 0 } }],
    ['a fractional time', { v: { [W]: 1.5 } }],
    ['a time past 2^53', { v: { [W]: 2 ** 60 } }],
    ['a list instead of a map', { v: [[W, 1]] }],
    ['bytes instead of a map', { v: new Uint8Array(4) }],
    ['too many writers', { v: Object.fromEntries(Array.from({ length: MAX_CLOCK_WRITERS + 1 }, (_, i) => [i.toString(16).padStart(64, '0'), 1])) }]
  ])('refuses a version vector with %s', (_name, extra) => {
    expect(() => parseFrame(fetch(extra))).toThrow(/malformed frame/)
  })

  it('sends at most MAX_CLOCK_WRITERS writers, and nothing for an empty clock', () => {
    const big = new Map(Array.from({ length: MAX_CLOCK_WRITERS + 10 }, (_, i) => [i.toString(16).padStart(64, '0'), i + 1] as const))
    expect(Object.keys(clockField(big)!)).toHaveLength(MAX_CLOCK_WRITERS)
    expect(clockField(new Map())).toBeUndefined()
    expect(() => parseFrame(fetch({ v: clockField(big) }))).not.toThrow()
  })
})
