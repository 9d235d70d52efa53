/**
 * Byte helpers shared by every construction: early input checks (STYLE.md "inputs checked early"),
 * constant-time comparison, wiping, randomness and the `u64be` encoding PROTOCOL.md uses for
 * rendezvous periods and ratchet nonces.
 */
import { randomBytes as nobleRandomBytes } from '@noble/hashes/utils.js'
import { CryptoError, type CryptoErrorCode } from './errors'

export function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array || (ArrayBuffer.isView(value) && value.constructor.name === 'Uint8Array')
}

/** Throws `ERR_BAD_TYPE` unless `value` is a Uint8Array. */
export function assertBytes(value: unknown, field: string): asserts value is Uint8Array {
  if (!isBytes(value)) {
    throw new CryptoError('ERR_BAD_TYPE', `${field} must be a Uint8Array`)
  }
}

/** Throws `code` unless `value` is a Uint8Array of exactly `length` bytes. */
export function assertLength(
  value: unknown,
  length: number,
  field: string,
  code: CryptoErrorCode = 'ERR_BAD_KEY_LENGTH'
): asserts value is Uint8Array {
  assertBytes(value, field)
  if (value.length !== length) {
    throw new CryptoError(code, `${field} must be ${length} bytes, got ${value.length}`)
  }
}

export function assertKey32(value: unknown, field: string): asserts value is Uint8Array {
  assertLength(value, 32, field, 'ERR_BAD_KEY_LENGTH')
}

/** Cryptographically secure random bytes (WebCrypto `getRandomValues`, present in Node and Electron). */
export function randomBytes(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new CryptoError('ERR_BAD_LENGTH', `n must be a non-negative safe integer, got ${String(n)}`)
  }
  return nobleRandomBytes(n)
}

/**
 * Random nonces (public values: they travel beside the ciphertext) drawn from a pool refilled
 * NONCE_POOL_BYTES at a time. Each getrandom call cost ~5 µs on the reference machine (a VM, where a
 * syscall is dear), and a send draws three nonces. Each pooled byte is handed out once. Never use
 * this for keys: pooled bytes sit in memory until drawn.
 */
const NONCE_POOL_BYTES = 4096
let noncePool = new Uint8Array(0)
let noncePoolAt = 0

export function randomNonce(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 1 || n > 64) {
    throw new CryptoError('ERR_BAD_LENGTH', `nonce length must be an integer in 1..64, got ${String(n)}`)
  }
  if (noncePoolAt + n > noncePool.length) {
    noncePool = nobleRandomBytes(NONCE_POOL_BYTES)
    noncePoolAt = 0
  }
  const out = noncePool.slice(noncePoolAt, noncePoolAt + n)
  noncePoolAt += n
  return out
}

/** Overwrites every buffer with zeros; secrets must not outlive their use (ARCHITECTURE.md "wipes secrets"). */
export function wipe(...bufs: Array<Uint8Array | undefined | null>): void {
  for (const b of bufs) b?.fill(0)
}

/**
 * Constant-time equality: the running time depends only on the lengths, never on where the
 * inputs differ, so MACs and derived keys can be compared without a timing oracle.
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  assertBytes(a, 'a')
  assertBytes(b, 'b')
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number)
  return diff === 0
}

/** True when every byte is zero; constant time in the content. */
export function isAllZero(a: Uint8Array): boolean {
  let acc = 0
  for (let i = 0; i < a.length; i++) acc |= a[i] as number
  return acc === 0
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let len = 0
  for (const p of parts) len += p.length
  const out = new Uint8Array(len)
  let off = 0
  for (const p of parts) {
    out.set(p, off)
    off += p.length
  }
  return out
}

/** Throws `ERR_BAD_COUNTER` unless `n` is a safe non-negative integer. */
export function assertCounter(n: unknown, field: string): asserts n is number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw new CryptoError('ERR_BAD_COUNTER', `${field} must be a non-negative safe integer`)
  }
}

/**
 * 8-byte big-endian encoding (PROTOCOL.md notation `u64be`). Limited to safe integers: counters
 * and Unix seconds never approach 2^53, and refusing larger values avoids silent float rounding.
 */
export function u64be(n: number): Uint8Array {
  assertCounter(n, 'n')
  const out = new Uint8Array(8)
  new DataView(out.buffer).setBigUint64(0, BigInt(n), false)
  return out
}
