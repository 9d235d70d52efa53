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
import { CanonicalReader as Reader, DECLINE, MAJOR_MAP, MAJOR_UINT } from './cbor-reader'
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
