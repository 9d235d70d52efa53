/**
 * A reader of canonical dag-cbor for the hand decoders (entry-decode.ts, sync/frames.ts): minimal heads,
 * definite lengths, ASCII text only. It throws DECLINE (never an error of its own) at anything else,
 * so the caller falls back to `@ipld/dag-cbor` with its own checks and refusals.
 */
export const MAJOR_UINT = 0
export const MAJOR_BYTES = 2
export const MAJOR_TEXT = 3
export const MAJOR_ARRAY = 4
export const MAJOR_MAP = 5

/** Thrown inside, caught at the top: "not the fast shape". Never escapes. */
export const DECLINE = Symbol('decline')

/** Big-endian u32 at `at` (the caller checked the bounds); a number, never negative. */
function u32At(b: Uint8Array, at: number): number {
  return b[at]! * 0x1000000 + ((b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!)
}

export class CanonicalReader {
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
      const n = u32At(b, this.at)
      this.at += 4
      if (n < 0x10000) throw DECLINE
      return n
    }
    if (info === 27) {
      if (this.at + 8 > b.length) throw DECLINE
      const hi = u32At(b, this.at)
      const lo = u32At(b, this.at + 4)
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
