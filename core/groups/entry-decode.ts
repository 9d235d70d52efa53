/**
 * The decode of a received entry (the link-key opened block) for the one shape our writers produce,
 * in one pass and without cborg's token list: the entry object AND the bytes its writer signed, as
 * slices of the block. The generic path (dag-cbor decode of the whole map, then an encode of the
 * signed body for the writer signature) was the largest share of a catch-up after the ciphers.
 *
 * Claims: for every block it accepts, the entry equals `@ipld/dag-cbor` decode of the block and the
 * signed bytes equal `writerSignedBytes` of that decoded entry (tests/unit/groups/entry-decode.test.ts,
 * on valid and mutated blocks). It accepts only canonical dag-cbor of exactly
 * `{ v: 2, id, key, sig, next: [..], refs: [..], clock: { id, time }, payload: { g, s, v: 1 }, identity }`:
 * keys in canonical order (length, then bytes), every head minimal, every text ASCII, `time` a safe
 * integer, nothing after the map. In canonical form the encoding of a value is unique, so the body's
 * slices are its canonical re-encoding. Anything else returns undefined and the caller decodes
 * generically, with dag-cbor's own checks and refusals: this decoder never refuses what dag-cbor accepts.
 * Byte strings of the result are views into `block` (the caller's freshly opened plaintext).
 */
import * as dagCbor from '@ipld/dag-cbor'
import { GroupLogError, rememberSignedBytes, type BertyLogEntry, type EntryPayload } from './log-entry'

export interface DecodedOwnShape {
  entry: {
    v: 2
    id: string
    key: string
    sig: string
    next: string[]
    refs: string[]
    clock: { id: string; time: number }
    payload: EntryPayload
    identity: string
  }
  /** dag-cbor of `{ id, payload, next, refs, clock, v }`: what the writer signed. */
  signed: Uint8Array
}

const MAJOR_UINT = 0
const MAJOR_BYTES = 2
const MAJOR_TEXT = 3
const MAJOR_ARRAY = 4
const MAJOR_MAP = 5

/** Thrown inside, caught at the top: "not the fast shape". Never escapes. */
const DECLINE = Symbol('decline')

class Reader {
  at = 0
  /** The same bytes as a Buffer, for flat one-byte strings (latin1 of ASCII is the text itself). */
  private readonly buf: Buffer
  constructor(readonly b: Uint8Array) {
    this.buf = Buffer.from(b.buffer, b.byteOffset, b.length)
  }

  /** A minimal head of `major`; its argument (length / value). */
  head(major: number): number {
    const b = this.b
    if (this.at >= b.length) throw DECLINE
    const first = b[this.at++]!
    if (first >> 5 !== major) throw DECLINE
    const info = first & 0x1f
    if (info < 24) return info
    if (info === 24) {
      if (this.at + 1 > b.length) throw DECLINE
      const n = b[this.at++]!
      if (n < 24) throw DECLINE
      return n
    }
    if (info === 25) {
      if (this.at + 2 > b.length) throw DECLINE
      const n = (b[this.at]! << 8) | b[this.at + 1]!
      this.at += 2
      if (n < 0x100) throw DECLINE
      return n
    }
    if (info === 26) {
      if (this.at + 4 > b.length) throw DECLINE
      const n = b[this.at]! * 0x1000000 + ((b[this.at + 1]! << 16) | (b[this.at + 2]! << 8) | b[this.at + 3]!)
      this.at += 4
      if (n < 0x10000) throw DECLINE
      return n
    }
    if (info === 27) {
      if (this.at + 8 > b.length) throw DECLINE
      const hi = b[this.at]! * 0x1000000 + ((b[this.at + 1]! << 16) | (b[this.at + 2]! << 8) | b[this.at + 3]!)
      const lo = b[this.at + 4]! * 0x1000000 + ((b[this.at + 5]! << 16) | (b[this.at + 6]! << 8) | b[this.at + 7]!)
      this.at += 8
      // Minimal: needs more than 32 bits. Safe integers only (dag-cbor gives a BigInt above).
      if (hi === 0 || hi > 0x1fffff) throw DECLINE
      return hi * 0x100000000 + lo
    }
    throw DECLINE // indefinite lengths, reserved infos
  }

  /** An ASCII text string. */
  text(): string {
    const n = this.head(MAJOR_TEXT)
    const b = this.b
    const end = this.at + n
    if (end > b.length) throw DECLINE
    for (let i = this.at; i < end; i++) if (b[i]! > 0x7f) throw DECLINE
    const s = this.buf.toString('latin1', this.at, end)
    this.at = end
    return s
  }

  bytes(): Uint8Array {
    const n = this.head(MAJOR_BYTES)
    const end = this.at + n
    if (end > this.b.length) throw DECLINE
    const v = this.b.subarray(this.at, end)
    this.at = end
    return v
  }

  texts(): string[] {
    const n = this.head(MAJOR_ARRAY)
    // Each element takes at least one byte: a count past the end is no array of this block.
    if (n > this.b.length - this.at) throw DECLINE
    const out: string[] = new Array<string>(n)
    for (let i = 0; i < n; i++) out[i] = this.text()
    return out
  }

  /** The exact key `k` (ASCII, shorter than 24 bytes), next. */
  key(k: string): void {
    const b = this.b
    if (this.at + 1 + k.length > b.length || b[this.at] !== ((MAJOR_TEXT << 5) | k.length)) throw DECLINE
    for (let i = 0; i < k.length; i++) if (b[this.at + 1 + i] !== k.charCodeAt(i)) throw DECLINE
    this.at += 1 + k.length
  }

  /** The one-byte uint `n`, next. */
  small(n: number): void {
    if (this.b[this.at] !== ((MAJOR_UINT << 5) | n)) throw DECLINE
    this.at++
  }
}

/** The entry and its signed bytes, or undefined when `block` is not exactly the fast shape. */
export function decodeOwnShapeEntry(block: Uint8Array): DecodedOwnShape | undefined {
  try {
    const r = new Reader(block)
    if (r.head(MAJOR_MAP) !== 9) return undefined
    // Canonical key order: length, then bytes: v, id, key, sig, next, refs, clock, payload, identity.
    const bodyHead = r.at
    r.key('v')
    r.small(2)
    r.key('id')
    const id = r.text()
    const headEnd = r.at
    r.key('key')
    const key = r.text()
    r.key('sig')
    const sig = r.text()
    const tailStart = r.at
    r.key('next')
    const next = r.texts()
    r.key('refs')
    const refs = r.texts()
    r.key('clock')
    if (r.head(MAJOR_MAP) !== 2) return undefined
    r.key('id')
    const clockId = r.text()
    r.key('time')
    const time = r.head(MAJOR_UINT)
    r.key('payload')
    if (r.head(MAJOR_MAP) !== 3) return undefined
    r.key('g')
    const g = r.bytes()
    r.key('s')
    const s = r.bytes()
    r.key('v')
    r.small(1)
    const tailEnd = r.at
    r.key('identity')
    const identity = r.text()
    if (r.at !== block.length) return undefined
    // { v, id, next, refs, clock, payload }: a 6-entry map head, then the two runs of the block.
    const signed = new Uint8Array(1 + (headEnd - bodyHead) + (tailEnd - tailStart))
    signed[0] = (MAJOR_MAP << 5) | 6
    signed.set(block.subarray(bodyHead, headEnd), 1)
    signed.set(block.subarray(tailStart, tailEnd), 1 + headEnd - bodyHead)
    return {
      entry: { v: 2, id, key, sig, next, refs, clock: { id: clockId, time }, payload: { v: 1, s, g }, identity },
      signed
    }
  } catch (err) {
    if (err === DECLINE) return undefined
    throw err
  }
}

/**
 * The entry in a link-key opened block, with its hash: our writers' exact shape in one pass, its
 * signed bytes kept for the writer signature that follows (log-entry.ts writerSignedBytes); anything
 * else through dag-cbor. Throws on garbage.
 */
export function decodeOpenedEntry(plain: Uint8Array, hash: string): BertyLogEntry {
  const fast = decodeOwnShapeEntry(plain)
  if (fast) {
    const entry = fast.entry as unknown as BertyLogEntry
    entry.hash = hash
    rememberSignedBytes(entry, fast.signed)
    return entry
  }
  const inner: unknown = dagCbor.decode(plain)
  if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) {
    throw new GroupLogError('ERR_REJECTED', 'sealed entry is not a map')
  }
  return { ...(inner as BertyLogEntry), hash }
}
