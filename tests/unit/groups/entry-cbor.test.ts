// The direct encoder of own entries (core/groups/entry-cbor.ts) must give exactly the bytes
// @ipld/dag-cbor gives (what OrbitDB signs, seals and hashes), for every length class of CBOR
// heads: strings, byte strings, arrays and the Lamport time across the 1/2/3/5/9-byte forms.
import { randomBytes } from 'node:crypto'
import * as dagCbor from '@ipld/dag-cbor'
import { describe, expect, it } from 'vitest'
import { decodeCborBytes, encodeCborBytes, encodeOwnEntry, encodeOwnEntryBody, type OwnEntry } from '../../../core/groups/entry-cbor'
import { writerSignedBytes } from '../../../core/groups/log-entry'
import type { LogEntry } from '@orbitdb/core'

const hex = (n: number) => randomBytes(n).toString('hex')
const bytes = (n: number) => new Uint8Array(randomBytes(n))
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!

// Sizes at and around every CBOR length boundary.
const LENGTHS = [0, 1, 23, 24, 25, 255, 256, 257, 1000, 65535, 65536, 70000]
const TIMES = [1, 23, 24, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32, 2 ** 40 + 7, Number.MAX_SAFE_INTEGER]

function entry(): OwnEntry {
  const key = hex(32)
  const nNext = pick([0, 1, 2, 23, 24, 30])
  return {
    id: pick(['/berty/1/' + hex(32) + '/msg', 'x'.repeat(pick(LENGTHS.filter((l) => l < 2000))), '/berty/1/é✓/meta']),
    payload: { v: 1, s: bytes(pick(LENGTHS)), g: bytes(64) },
    next: Array.from({ length: nNext }, () => 'zdpu' + hex(pick([0, 10, 22, 60]))),
    refs: Array.from({ length: pick([0, 1, 3]) }, () => 'zdpu' + hex(22)),
    clock: { id: key, time: pick(TIMES) },
    v: 2,
    key,
    identity: key,
    sig: hex(64)
  }
}

describe('own entry dag-cbor', () => {
  it('body, entry and sealed wrapper equal @ipld/dag-cbor byte for byte', () => {
    for (let i = 0; i < 200; i++) {
      const e = entry()
      const body = { id: e.id, payload: e.payload, next: e.next, refs: e.refs, clock: e.clock, v: e.v }
      expect(Buffer.from(encodeOwnEntryBody(body)).toString('hex')).toBe(Buffer.from(dagCbor.encode(body)).toString('hex'))
      expect(Buffer.from(encodeOwnEntry(e)).toString('hex')).toBe(Buffer.from(dagCbor.encode(e)).toString('hex'))
      const sealed = e.payload.s
      expect(Buffer.from(encodeCborBytes(sealed)).toString('hex')).toBe(Buffer.from(dagCbor.encode(sealed)).toString('hex'))
    }
  })

  it('decodes back to the same entry', () => {
    const e = entry()
    expect(dagCbor.decode(encodeOwnEntry(e))).toEqual(e)
  })

  it('refuses a time dag-cbor would not encode as an unsigned integer', () => {
    const e = entry()
    for (const time of [-1, 1.5, Number.MAX_SAFE_INTEGER + 1]) expect(() => encodeOwnEntryBody({ ...e, clock: { ...e.clock, time } })).toThrow(RangeError)
  })

  it('writerSignedBytes of a received entry is dag-cbor of its body, whatever the entry carries', () => {
    const signed = (e: unknown) => Buffer.from(writerSignedBytes(e as LogEntry)).toString('hex')
    const generic = (e: OwnEntry) =>
      Buffer.from(dagCbor.encode({ id: e.id, payload: e.payload, next: e.next, refs: e.refs, clock: e.clock, v: e.v })).toString('hex')
    for (let i = 0; i < 100; i++) {
      // As it arrives: decoded from the stored block (the fast path).
      const e = dagCbor.decode(encodeOwnEntry(entry())) as OwnEntry
      expect(signed(e)).toBe(generic(e))
      // Shapes the direct encoder does not write: the generic path, still dag-cbor of the body.
      const odd: OwnEntry[] = [
        { ...e, payload: { ...e.payload, x: 1 } as OwnEntry['payload'] },
        { ...e, clock: { ...e.clock, extra: 'y' } as OwnEntry['clock'] },
        { ...e, next: [...e.next, 'ü'] },
        { ...e, refs: [7 as unknown as string] },
        { ...e, payload: { ...e.payload, v: 2 as 1 } },
        { ...e, clock: { ...e.clock, time: 1.5 } },
        { ...e, extraTopLevel: true } as OwnEntry
      ]
      for (const o of odd) expect(signed(o)).toBe(generic(o))
    }
  })

  it('decodeCborBytes reads a canonical byte string as dag-cbor does, and nothing else', () => {
    const hex = (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString('hex') : b)
    for (const n of LENGTHS) {
      const block = encodeCborBytes(bytes(n))
      expect(hex(decodeCborBytes(block))).toBe(hex(dagCbor.decode(block) as Uint8Array))
      // Truncated or trailing bytes: not one byte string.
      if (n > 0) expect(decodeCborBytes(block.subarray(0, block.length - 1))).toBeUndefined()
      expect(decodeCborBytes(new Uint8Array([...block, 0]))).toBeUndefined()
    }
    // Non-canonical length heads (dag-cbor refuses them), other major types, empty input.
    expect(decodeCborBytes(new Uint8Array([0x58, 5, 1, 2, 3, 4, 5]))).toBeUndefined()
    expect(decodeCborBytes(new Uint8Array([0x59, 0, 30, ...new Uint8Array(30)]))).toBeUndefined()
    expect(decodeCborBytes(new Uint8Array([0x5a, 0, 0, 1, 0, ...new Uint8Array(256)]))).toBeUndefined()
    expect(decodeCborBytes(new Uint8Array([0x5f, 0x41, 1, 0xff]))).toBeUndefined()
    expect(decodeCborBytes(new Uint8Array([0x63, 0x61, 0x62, 0x63]))).toBeUndefined()
    expect(decodeCborBytes(new Uint8Array(0))).toBeUndefined()
  })
})
