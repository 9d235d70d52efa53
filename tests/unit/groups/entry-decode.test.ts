// The one-pass decoder of received entries (core/groups/entry-decode.ts) against @ipld/dag-cbor: on
// every block it accepts, the entry equals dag-cbor's decode and the signed bytes equal dag-cbor's
// encode of the signed body; it declines (never refuses, never differs) on everything else: other
// shapes, non-canonical encodings, non-ASCII text, BigInt times, and every mutation of a valid block.
import { randomBytes } from 'node:crypto'
import * as dagCbor from '@ipld/dag-cbor'
import { describe, expect, it } from 'vitest'
import { decodeOpenedEntry, decodeOwnShapeEntry } from '../../../core/groups/entry-decode'
import { writerSignedBytes } from '../../../core/groups/log-entry'

const hex = (n: number) => randomBytes(n).toString('hex')
const bytes = (n: number) => new Uint8Array(randomBytes(n))
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex')

const LENGTHS = [0, 1, 23, 24, 25, 255, 256, 257, 1000, 65535, 65536, 70000]
const TIMES = [1, 23, 24, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32, 2 ** 40 + 7, Number.MAX_SAFE_INTEGER]

/** A stored entry as our writers make it, as a plain object (encoded below by dag-cbor itself). */
function entryObject(): Record<string, unknown> {
  const key = hex(32)
  return {
    id: pick(['/berty/1/' + hex(32) + '/msg', 'x'.repeat(pick([0, 1, 23, 24, 255, 256, 1000]))]),
    payload: { v: 1, s: bytes(pick(LENGTHS)), g: bytes(64) },
    next: Array.from({ length: pick([0, 1, 2, 23, 24, 30, 300]) }, () => 'zdpu' + hex(pick([0, 10, 22, 60]))),
    refs: Array.from({ length: pick([0, 1, 3]) }, () => 'zdpu' + hex(22)),
    clock: { id: key, time: pick(TIMES) },
    v: 2,
    key,
    identity: pick([key, '', 'i'.repeat(300)]),
    sig: hex(64)
  }
}

/** What the generic path gives: dag-cbor decode, and dag-cbor encode of the signed body. */
function generic(block: Uint8Array): { entry: unknown; signed: string } | undefined {
  let e: Record<string, unknown>
  try {
    e = dagCbor.decode(block)
  } catch {
    return undefined
  }
  if (typeof e !== 'object' || e === null || Array.isArray(e)) return { entry: e, signed: '' }
  const body = { id: e.id, payload: e.payload, next: e.next, refs: e.refs, clock: e.clock, v: e.v }
  let signed = ''
  try {
    signed = toHex(dagCbor.encode(body))
  } catch {
    signed = 'unencodable'
  }
  return { entry: e, signed }
}

function expectSameAsGeneric(block: Uint8Array): boolean {
  const fast = decodeOwnShapeEntry(block)
  if (!fast) return false
  const g = generic(block)
  expect(g, 'dag-cbor refuses what the fast decoder accepted').toBeDefined()
  expect(fast.entry).toEqual(g!.entry)
  expect(toHex(fast.signed)).toBe(g!.signed)
  return true
}

describe('entry-decode', () => {
  it('valid entries of every length class: same entry and signed bytes as dag-cbor', () => {
    for (let i = 0; i < 300; i++) {
      const block = dagCbor.encode(entryObject())
      expect(expectSameAsGeneric(block)).toBe(true)
    }
  })

  it('every single-byte mutation, truncation and extension of valid blocks: declined or equal to dag-cbor', () => {
    let accepted = 0
    let declined = 0
    for (let round = 0; round < 3; round++) {
      const o = entryObject()
      o.next = ['zdpu' + hex(4)]
      o.payload = { v: 1, s: bytes(30), g: bytes(64) }
      o.id = 'id'
      o.identity = 'me'
      const block = dagCbor.encode(o)
      for (let i = 0; i < block.length; i++) {
        for (const v of [0x00, 0x01, 0x17, 0x18, 0x19, 0x1b, 0x20, 0x40, 0x60, 0x61, 0x80, 0xa0, 0xff, block[i]! ^ 1, block[i]! ^ 0x20]) {
          const m = block.slice()
          m[i] = v
          if (expectSameAsGeneric(m)) accepted++
          else declined++
        }
      }
      for (let n = 0; n < block.length; n++) expect(decodeOwnShapeEntry(block.subarray(0, n))).toBeUndefined()
      const longer = new Uint8Array(block.length + 1)
      longer.set(block)
      expect(decodeOwnShapeEntry(longer)).toBeUndefined()
    }
    expect(accepted).toBeGreaterThan(0)
    expect(declined).toBeGreaterThan(0)
  })

  it('declines other shapes that dag-cbor decodes (the generic path handles them)', () => {
    const base = entryObject()
    const variants: Array<Record<string, unknown>> = [
      { ...base, extra: 1 },
      { ...base, id: '/berty/é' },
      { ...base, v: 1 },
      { ...base, payload: { v: 2, s: bytes(3), g: bytes(64) } },
      { ...base, payload: { v: 1, s: bytes(3), g: bytes(64), x: 0 } },
      { ...base, clock: { id: base.key, time: 2n ** 53n } },
      { ...base, clock: { id: base.key, time: -1 } },
      { ...base, next: [1] },
      { ...base, refs: 'x' },
      { ...base, sig: bytes(64) }
    ]
    const rest = { ...base }
    delete rest.identity
    variants.push(rest)
    for (const v of variants) {
      const block = dagCbor.encode(v)
      expect(decodeOwnShapeEntry(block)).toBeUndefined()
      expect(() => dagCbor.decode(block)).not.toThrow()
    }
  })

  it('declines non-canonical encodings: keys out of order, non-minimal heads', () => {
    const o = entryObject()
    o.next = []
    o.refs = []
    const block = dagCbor.encode(o)
    const hexBlock = toHex(block)
    // Swap the 'key' and 'sig' entries (each a key and its text value): still a map dag-cbor reads.
    const keyPair = toHex(dagCbor.encode('key')) + toHex(dagCbor.encode(o.key))
    const sigPair = toHex(dagCbor.encode('sig')) + toHex(dagCbor.encode(o.sig))
    expect(hexBlock.includes(keyPair + sigPair)).toBe(true)
    const swapped = Buffer.from(hexBlock.replace(keyPair + sigPair, sigPair + keyPair), 'hex')
    expect(decodeOwnShapeEntry(new Uint8Array(swapped))).toBeUndefined()
    // 'v': 2 written with a one-byte argument (0x18 0x02): dag-cbor (strict) refuses, so must we.
    expect(hexBlock.startsWith('a9617602')).toBe(true)
    const nonMinimal = Buffer.from('a961761802' + hexBlock.slice('a9617602'.length), 'hex')
    expect(decodeOwnShapeEntry(new Uint8Array(nonMinimal))).toBeUndefined()
    expect(() => dagCbor.decode(new Uint8Array(nonMinimal))).toThrow()
  })

  it('decodeOpenedEntry: the hash set, and writerSignedBytes gives the signed body (sliced once, then re-encoded)', () => {
    for (const o of [entryObject(), { ...entryObject(), id: '/berty/é' }]) {
      const block = dagCbor.encode(o)
      const e = decodeOpenedEntry(block, 'zhash')
      expect(e).toEqual({ ...dagCbor.decode<Record<string, unknown>>(block), hash: 'zhash' })
      const body = dagCbor.encode({ id: o.id, payload: o.payload, next: o.next, refs: o.refs, clock: o.clock, v: o.v })
      expect(toHex(writerSignedBytes(e))).toBe(toHex(body))
      expect(toHex(writerSignedBytes(e))).toBe(toHex(body))
    }
    expect(() => decodeOpenedEntry(dagCbor.encode([1]), 'h')).toThrow(/not a map/)
    expect(() => decodeOpenedEntry(new Uint8Array([0xff]), 'h')).toThrow()
  })
})
