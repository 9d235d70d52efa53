// Frames of /berty/log-sync/1.0.0 as received from a peer: the fetch request's optional version
// vector is validated (hex writer keys, positive safe integers, at most MAX_CLOCK_WRITERS) and a
// request without one still parses.
import { randomBytes } from 'node:crypto'
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

  it('reads a paced fetch and the part / next frames; refuses any other pacing value or extra key', () => {
    expect(parseFrame(fetch({ p: true, v: { [W]: 7 } }))).toEqual({ t: 'fetch', k: 'topic', w: ['zdpuA'], h: [], n: 4, p: true, v: { [W]: 7 } })
    for (const p of [false, 1, 'yes', null]) expect(() => parseFrame(fetch({ p }))).toThrow(/malformed frame/)
    expect(parseFrame(dagCbor.encode({ t: 'part' }))).toEqual({ t: 'part' })
    expect(parseFrame(dagCbor.encode({ t: 'next' }))).toEqual({ t: 'next' })
    expect(() => parseFrame(dagCbor.encode({ t: 'next', n: 5 }))).toThrow(/malformed frame/)
    expect(() => parseFrame(dagCbor.encode({ t: 'part', e: [] }))).toThrow(/malformed frame/)
  })

  it('sends at most MAX_CLOCK_WRITERS writers, and nothing for an empty clock', () => {
    const big = new Map(Array.from({ length: MAX_CLOCK_WRITERS + 10 }, (_, i) => [i.toString(16).padStart(64, '0'), i + 1] as const))
    expect(Object.keys(clockField(big)!)).toHaveLength(MAX_CLOCK_WRITERS)
    expect(clockField(new Map())).toBeUndefined()
    expect(() => parseFrame(fetch({ v: clockField(big) }))).not.toThrow()
  })

  describe('entries frames read in place', () => {
    /** What the generic parse gives for an entries frame (dag-cbor decode, then the shape check), or 'other'. */
    const reference = (b: Uint8Array): Uint8Array[] | 'other' => {
      let v: Record<string, unknown>
      try {
        v = dagCbor.decode(b)
      } catch {
        return 'other'
      }
      if (typeof v !== 'object' || v === null || v.t !== 'entries') return 'other'
      return Array.isArray(v.e) && v.e.every((x) => x instanceof Uint8Array) ? (v.e as Uint8Array[]) : 'other'
    }
    const parsed = (b: Uint8Array): Uint8Array[] | 'other' => {
      try {
        const f = parseFrame(b)
        return f.t === 'entries' ? f.e : 'other'
      } catch {
        return 'other'
      }
    }
    const blocks = (n: number) => Array.from({ length: n }, (_, i) => new Uint8Array(randomBytes(n < 10 ? [0, 24, 256, 70000][i % 4]! : [0, 1, 23, 24, 255, 256, 400][i % 7]!)))

    it('gives the blocks dag-cbor gives, for every count and block length class', () => {
      for (const n of [0, 1, 8, 23, 24, 300]) {
        const frame = dagCbor.encode({ t: 'entries', e: blocks(n) })
        expect(parsed(frame)).toEqual(reference(frame))
        expect((parsed(frame) as Uint8Array[]).length).toBe(n)
      }
    })

    it('every single-byte mutation and truncation: the same answer as the generic parse', () => {
      const frame = dagCbor.encode({ t: 'entries', e: [new Uint8Array([1, 2, 3]), new Uint8Array(30).fill(7)] })
      for (let i = 0; i < frame.length; i++) {
        for (const v of [0x00, 0x01, 0x17, 0x18, 0x40, 0x41, 0x58, 0x60, 0x61, 0x80, 0x82, 0xa2, 0xa3, 0xff, frame[i]! ^ 1]) {
          const m = frame.slice()
          m[i] = v
          expect(parsed(m), `byte ${i} = ${v}`).toEqual(reference(m))
        }
      }
      for (let n = 0; n < frame.length; n++) expect(parsed(frame.subarray(0, n))).toEqual(reference(frame.subarray(0, n)))
    })

    it('other encodings of an entries frame still parse generically (extra keys, non-minimal heads)', () => {
      const extra = dagCbor.encode({ t: 'entries', e: [new Uint8Array([5])], x: 1 })
      expect(parsed(extra)).toEqual([new Uint8Array([5])])
      // 'e' with a one-byte array length for a count of 1: dag-cbor (strict) refuses, and so does the parse.
      const hex = Buffer.from(dagCbor.encode({ t: 'entries', e: [new Uint8Array([5])] })).toString('hex')
      expect(hex.startsWith('a2616581')).toBe(true)
      const nonMinimal = new Uint8Array(Buffer.from('a26165980101' + hex.slice('a2616581'.length), 'hex'))
      expect(parsed(nonMinimal)).toBe('other')
      expect(reference(nonMinimal)).toBe('other')
    })
  })
})

