/**
 * Internal helpers shared by the group modules: bounded, canonical protobuf decoding, field checks,
 * hex keys for maps, strict base64url and UTF-8. Not exported from the package barrel.
 */
import { decodeMessage, encodeMessage, type Codec } from 'protons-runtime'
import { ed25519Sign, equalBytes } from '../../crypto'
import { assertProtoWellFormed, type ProtoShape } from '../proto-check'
import { GroupProtocolError } from './errors'

export const KEY_LENGTH = 32
export const SIGNATURE_LENGTH = 64

/** protons types bytes fields as `Uint8Array<ArrayBuffer>`; copies only when backed by something else. */
export function buf(u: Uint8Array): Uint8Array<ArrayBuffer> {
  return u.buffer instanceof ArrayBuffer ? (u as Uint8Array<ArrayBuffer>) : new Uint8Array(u)
}

export function encode<T>(codec: Codec<T>, value: T): Uint8Array {
  return encodeMessage(value, codec)
}

/**
 * Decodes `bytes` with `codec` after a size cap, then re-encodes and compares: any unknown or
 * repeated field, non-minimal varint, out-of-order field or invalid UTF-8 makes the bytes differ, so
 * exactly one byte string is accepted per value. Only for structures of our own that never come from
 * a weshnet peer (local chain states, the earlier share-link payload); anything Go may send goes
 * through `decodeWire`, which skips unknown fields as Go does.
 */
export function decodeCanonical<T>(codec: Codec<T>, bytes: Uint8Array, maxBytes: number, what: string): T {
  const value = decodeBounded(codec, bytes, maxBytes, what)
  let again: Uint8Array
  try {
    again = encodeMessage(value, codec)
  } catch (err) {
    throw new GroupProtocolError('ERR_MALFORMED', `${what} does not re-encode`, { cause: err })
  }
  const same = equalBytes(again, bytes)
  // The re-encoding may hold secrets (invitations, chain keys).
  again.fill(0)
  if (!same) {
    throw new GroupProtocolError('ERR_MALFORMED', `${what} is not in canonical protobuf form`)
  }
  return value
}

/** Size cap + protobuf decode, tolerating unknown fields (for forward-compatible plaintexts). */
export function decodeBounded<T>(codec: Codec<T>, bytes: Uint8Array, maxBytes: number, what: string): T {
  if (!(bytes instanceof Uint8Array)) {
    throw new GroupProtocolError('ERR_MALFORMED', `${what} must be a Uint8Array`)
  }
  if (bytes.length > maxBytes) {
    throw new GroupProtocolError('ERR_TOO_LARGE', `${what} is ${bytes.length} bytes, over the ${maxBytes}-byte cap`)
  }
  try {
    return decodeMessage(bytes, codec, { limits: {} })
  } catch (err) {
    throw new GroupProtocolError('ERR_MALFORMED', `${what} is not a valid protobuf`, { cause: err })
  }
}

/**
 * Decoding of weshnet / Berty wire structures (core/protocol/proto/wesh.ts, app-message.ts): a size
 * cap, Go's structural rules (field number 0, bad UTF-8 in `shape`'s string fields: ../proto-check),
 * then the protons decoder, which skips unknown fields as Go does. Not canonical on purpose: Go may
 * add fields we do not know; signatures in these structures are over the bytes as sent, not over a
 * re-encoding, so tolerance does not make anything malleable.
 */
export function decodeWire<T>(
  codec: { decode(b: Uint8Array): T },
  bytes: Uint8Array,
  maxBytes: number,
  what: string,
  shape?: ProtoShape
): T {
  if (!(bytes instanceof Uint8Array)) {
    throw new GroupProtocolError('ERR_MALFORMED', `${what} must be a Uint8Array`)
  }
  if (bytes.length > maxBytes) {
    throw new GroupProtocolError('ERR_TOO_LARGE', `${what} is ${bytes.length} bytes, over the ${maxBytes}-byte cap`)
  }
  try {
    assertProtoWellFormed(bytes, shape)
    return codec.decode(bytes)
  } catch (err) {
    throw new GroupProtocolError('ERR_MALFORMED', `${what} is not a valid protobuf`, { cause: err })
  }
}

/** A uint64 / int64 from the wire as a JS number: non-negative and safe, or ERR_MALFORMED. */
export function safeNumber(value: bigint, field: string): number {
  if (typeof value !== 'bigint' || value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new GroupProtocolError('ERR_MALFORMED', `${field} must be a non-negative safe integer`)
  }
  return Number(value)
}

export function assertBytesField(value: unknown, length: number, field: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array) || value.length !== length) {
    const got = value instanceof Uint8Array ? `${value.length} bytes` : typeof value
    throw new GroupProtocolError('ERR_MALFORMED', `${field} must be ${length} bytes, got ${got}`)
  }
}

export function assertKeyField(value: unknown, field: string): asserts value is Uint8Array {
  assertBytesField(value, KEY_LENGTH, field)
}

export function assertSigField(value: unknown, field: string): asserts value is Uint8Array {
  assertBytesField(value, SIGNATURE_LENGTH, field)
}

export function assertCounterField(value: unknown, field: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new GroupProtocolError('ERR_MALFORMED', `${field} must be a non-negative safe integer`)
  }
}

export function u32be(n: number): Uint8Array {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) {
    throw new GroupProtocolError('ERR_MALFORMED', 'u32 out of range')
  }
  const out = new Uint8Array(4)
  new DataView(out.buffer).setUint32(0, n, false)
  return out
}

const utf8Encoder = new TextEncoder()
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

export function utf8(s: string): Uint8Array {
  return utf8Encoder.encode(s)
}

/** True when `s` survives a UTF-8 round trip (no lone surrogates). */
export function isWellFormedString(s: string): boolean {
  try {
    return utf8Decoder.decode(utf8Encoder.encode(s)) === s
  } catch {
    return false
  }
}

export { toHex, fromHex, base64urlEncode, base64urlDecode } from '../../bytes'

/**
 * A real copy: `Buffer.prototype.slice` returns a view, so `.slice()` on caller-supplied bytes (often
 * Buffers from storage or the network) would alias them.
 */
export function copy(u: Uint8Array): Uint8Array {
  return new Uint8Array(u)
}

/** Ed25519 signature as a plain Uint8Array (a backend may hand back a Node Buffer subclass). */
export function signBytes(seed: Uint8Array, msg: Uint8Array): Uint8Array {
  return copy(ed25519Sign(seed, msg))
}
