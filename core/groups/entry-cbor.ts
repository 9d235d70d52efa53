/**
 * The dag-cbor bytes of an entry this device appends (./group-log.ts appendAtomic), written
 * directly: the same bytes `@ipld/dag-cbor` encode gives for these exact shapes (canonical CBOR:
 * shortest lengths, map keys ordered by length then bytes), without building its token list. Two
 * generic encodes were ~5 % of a send. Only for objects the append builds itself: an entry
 * decoded from the network may carry other fields and is encoded generically (log-entry.ts
 * writerSignedBytes). tests/unit/groups/entry-cbor.test.ts checks equality with dag-cbor.
 */
import type { EntryPayload } from './log-entry'

/** What OrbitDB signs (src/oplog/entry.js create): `{ id, payload, next, refs, clock, v }`. */
export interface OwnEntryBody {
  id: string
  payload: EntryPayload
  next: string[]
  refs: string[]
  clock: { id: string; time: number }
  v: 2
}

/** The stored entry before sealing: the body plus `key`, `identity` and `sig`. */
export interface OwnEntry extends OwnEntryBody {
  key: string
  identity: string
  sig: string
}

const MAJOR_UINT = 0
const MAJOR_BYTES = 2
const MAJOR_TEXT = 3
const MAJOR_ARRAY = 4
const MAJOR_MAP = 5
const encoder = new TextEncoder()

class Writer {
  private buf: Uint8Array
  private at = 0

  constructor(size: number) {
    this.buf = new Uint8Array(size)
  }

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return
    const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.at + n))
    bigger.set(this.buf.subarray(0, this.at))
    this.buf = bigger
  }

  head(major: number, n: number): void {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`cannot encode ${n} as a CBOR length or uint`)
    this.room(9)
    const m = major << 5
    const b = this.buf
    if (n < 24) b[this.at++] = m | n
    else if (n < 0x100) {
      b[this.at++] = m | 24
      b[this.at++] = n
    } else if (n < 0x10000) {
      b[this.at++] = m | 25
      b[this.at++] = n >>> 8
      b[this.at++] = n & 0xff
    } else if (n < 0x100000000) {
      b[this.at++] = m | 26
      b[this.at++] = n >>> 24
      b[this.at++] = (n >>> 16) & 0xff
      b[this.at++] = (n >>> 8) & 0xff
      b[this.at++] = n & 0xff
    } else {
      b[this.at++] = m | 27
      const hi = Math.floor(n / 0x100000000)
      const lo = n >>> 0
      for (const word of [hi, lo]) {
        b[this.at++] = word >>> 24
        b[this.at++] = (word >>> 16) & 0xff
        b[this.at++] = (word >>> 8) & 0xff
        b[this.at++] = word & 0xff
      }
    }
  }

  bytes(v: Uint8Array): void {
    this.head(MAJOR_BYTES, v.length)
    this.room(v.length)
    this.buf.set(v, this.at)
    this.at += v.length
  }

  text(s: string): void {
    // Ids, keys, hashes and signatures are ASCII: written as they are; anything else as UTF-8.
    let ascii = true
    for (let i = 0; i < s.length; i++) {
      if (s.charCodeAt(i) > 0x7f) {
        ascii = false
        break
      }
    }
    if (!ascii) {
      const utf8 = encoder.encode(s)
      this.head(MAJOR_TEXT, utf8.length)
      this.room(utf8.length)
      this.buf.set(utf8, this.at)
      this.at += utf8.length
      return
    }
    this.head(MAJOR_TEXT, s.length)
    this.room(s.length)
    for (let i = 0; i < s.length; i++) this.buf[this.at++] = s.charCodeAt(i)
  }

  /** A map key: keys here are short ASCII literals. */
  key(k: string): void {
    this.text(k)
  }

  uint(n: number): void {
    this.head(MAJOR_UINT, n)
  }

  texts(list: readonly string[]): void {
    this.head(MAJOR_ARRAY, list.length)
    for (const s of list) this.text(s)
  }

  done(): Uint8Array {
    return this.buf.slice(0, this.at)
  }
}

function sizeHint(e: OwnEntryBody): number {
  let n = 256 + e.payload.s.length + e.payload.g.length + e.id.length * 4
  for (const l of e.next) n += l.length * 4 + 9
  for (const l of e.refs) n += l.length * 4 + 9
  return n
}

function writeClock(w: Writer, clock: OwnEntryBody['clock']): void {
  w.head(MAJOR_MAP, 2)
  w.key('id')
  w.text(clock.id)
  w.key('time')
  w.uint(clock.time)
}

function writePayload(w: Writer, p: EntryPayload): void {
  w.head(MAJOR_MAP, 3)
  w.key('g')
  w.bytes(p.g)
  w.key('s')
  w.bytes(p.s)
  w.key('v')
  w.uint(p.v)
}

/** The keys next, refs, clock, payload, in that (dag-cbor) order: shared by the body and the whole entry. */
function writeLinksClockPayload(w: Writer, e: OwnEntryBody): void {
  w.key('next')
  w.texts(e.next)
  w.key('refs')
  w.texts(e.refs)
  w.key('clock')
  writeClock(w, e.clock)
  w.key('payload')
  writePayload(w, e.payload)
}

/** dag-cbor of `{ id, payload, next, refs, clock, v }`: keys in order v, id, next, refs, clock, payload. */
export function encodeOwnEntryBody(e: OwnEntryBody): Uint8Array {
  const w = new Writer(sizeHint(e))
  w.head(MAJOR_MAP, 6)
  w.key('v')
  w.uint(e.v)
  w.key('id')
  w.text(e.id)
  writeLinksClockPayload(w, e)
  return w.done()
}

/** dag-cbor of the body plus key, identity, sig: keys in order v, id, key, sig, next, refs, clock, payload, identity. */
export function encodeOwnEntry(e: OwnEntry): Uint8Array {
  const w = new Writer(sizeHint(e) + e.key.length + e.identity.length + e.sig.length + 32)
  w.head(MAJOR_MAP, 9)
  w.key('v')
  w.uint(e.v)
  w.key('id')
  w.text(e.id)
  w.key('key')
  w.text(e.key)
  w.key('sig')
  w.text(e.sig)
  writeLinksClockPayload(w, e)
  w.key('identity')
  w.text(e.identity)
  return w.done()
}

/** dag-cbor of a byte string (the sealed block OrbitDB stores). */
export function encodeCborBytes(v: Uint8Array): Uint8Array {
  const w = new Writer(v.length + 9)
  w.bytes(v)
  return w.done()
}

/**
 * The content of a block that is exactly one dag-cbor byte string in canonical form (shortest length
 * head), as `encodeCborBytes` writes it and `@ipld/dag-cbor` decodes it; `undefined` for anything
 * else (the caller decodes generically, with dag-cbor's own checks). A view, not a copy.
 */
export function decodeCborBytes(block: Uint8Array): Uint8Array | undefined {
  if (block.length === 0 || block[0]! >> 5 !== MAJOR_BYTES) return undefined
  const info = block[0]! & 0x1f
  let len: number
  let head: number
  if (info < 24) {
    len = info
    head = 1
  } else if (info === 24) {
    if (block.length < 2) return undefined
    len = block[1]!
    head = 2
    if (len < 24) return undefined
  } else if (info === 25) {
    if (block.length < 3) return undefined
    len = (block[1]! << 8) | block[2]!
    head = 3
    if (len < 0x100) return undefined
  } else if (info === 26) {
    if (block.length < 5) return undefined
    len = block[1]! * 0x1000000 + ((block[2]! << 16) | (block[3]! << 8) | block[4]!)
    head = 5
    if (len < 0x10000) return undefined
  } else {
    return undefined
  }
  return head + len === block.length ? block.subarray(head) : undefined
}

