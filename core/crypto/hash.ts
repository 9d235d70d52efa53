/** Hash, MAC and KDF building blocks named in PROTOCOL.md (SHA-256, HMAC-SHA256, HKDF-SHA256/SHA3-256). */
import { sha256 as nobleSha256, sha512 as nobleSha512 } from '@noble/hashes/sha2.js'
import { sha3_256 } from '@noble/hashes/sha3.js'
import { hmac } from '@noble/hashes/hmac.js'
import { hkdf, extract, expand } from '@noble/hashes/hkdf.js'
import { assertBytes } from './bytes'
import { CryptoError } from './errors'

export function sha256(data: Uint8Array): Uint8Array {
  assertBytes(data, 'data')
  return nobleSha256(data)
}

export function sha512(data: Uint8Array): Uint8Array {
  assertBytes(data, 'data')
  return nobleSha512(data)
}

export function hmacSha256(key: Uint8Array, msg: Uint8Array): Uint8Array {
  assertBytes(key, 'key')
  assertBytes(msg, 'msg')
  return hmac(nobleSha256, key, msg)
}

function assertOkmLength(len: number, max: number): void {
  if (!Number.isSafeInteger(len) || len < 1 || len > max) {
    throw new CryptoError('ERR_BAD_LENGTH', `length must be an integer in 1..${max}`)
  }
}

function checkedHkdf(
  hash: typeof nobleSha256 | typeof sha3_256,
  ikm: Uint8Array,
  salt: Uint8Array | undefined,
  info: Uint8Array | undefined,
  len: number
): Uint8Array {
  assertBytes(ikm, 'ikm')
  if (salt !== undefined) assertBytes(salt, 'salt')
  if (info !== undefined) assertBytes(info, 'info')
  assertOkmLength(len, 255 * 32)
  return hkdf(hash, ikm, salt, info, len)
}

/**
 * RFC 5869 HKDF-SHA256. `salt` undefined or empty both mean "no salt" (HashLen zero bytes), which is
 * what Go's `hkdf.New(sha256.New, ikm, nil, info)` does — PROTOCOL.md uses "salt = none" throughout.
 */
export function hkdfSha256(ikm: Uint8Array, salt: Uint8Array | undefined, info: Uint8Array | undefined, len: number): Uint8Array {
  return checkedHkdf(nobleSha256, ikm, salt, info, len)
}

/** HKDF-SHA3-256 (PROTOCOL.md "Link key"). */
export function hkdfSha3_256(ikm: Uint8Array, salt: Uint8Array | undefined, info: Uint8Array | undefined, len: number): Uint8Array {
  return checkedHkdf(sha3_256, ikm, salt, info, len)
}

/** The two HKDF halves, exposed because the ratchet (PROTOCOL.md "Symmetric ratchet") names them. */
export function hkdfSha256Extract(ikm: Uint8Array, salt?: Uint8Array): Uint8Array {
  assertBytes(ikm, 'ikm')
  if (salt !== undefined) assertBytes(salt, 'salt')
  return extract(nobleSha256, ikm, salt)
}

export function hkdfSha256Expand(prk: Uint8Array, info: Uint8Array | undefined, len: number): Uint8Array {
  assertBytes(prk, 'prk')
  if (info !== undefined) assertBytes(info, 'info')
  assertOkmLength(len, 255 * 32)
  return expand(nobleSha256, prk, info, len)
}
