/**
 * Ed25519 / X25519 entry points. Lengths are checked here, then the work is delegated to the active
 * `CurveProvider` (provider.ts), so both backends see only well-formed inputs.
 * Key conversion follows PROTOCOL.md notation `mont(edSk)` / `mont(edPk)`.
 */
import { ed25519 } from '@noble/curves/ed25519.js'
import { sha512 } from '@noble/hashes/sha2.js'
import { assertBytes, assertKey32, assertLength, randomBytes, wipe } from './bytes'
import { CryptoError } from './errors'
import { getCurveProvider } from './curve-select'
import { sodiumEdPkToX25519 } from './sodium-provider'

export const ED25519_SEED_LENGTH = 32
export const ED25519_PUBLIC_LENGTH = 32
export const ED25519_SIGNATURE_LENGTH = 64
export const X25519_KEY_LENGTH = 32

export function ed25519PublicFromSeed(seed: Uint8Array): Uint8Array {
  assertKey32(seed, 'seed')
  return getCurveProvider().ed25519PublicFromSeed(seed)
}

export function ed25519Sign(seed: Uint8Array, msg: Uint8Array): Uint8Array {
  assertKey32(seed, 'seed')
  assertBytes(msg, 'msg')
  return getCurveProvider().ed25519Sign(seed, msg)
}

/** Returns false for a wrong signature or an invalid public key; throws only on malformed lengths. */
export function ed25519Verify(publicKey: Uint8Array, msg: Uint8Array, sig: Uint8Array): boolean {
  assertKey32(publicKey, 'publicKey')
  assertBytes(msg, 'msg')
  assertLength(sig, ED25519_SIGNATURE_LENGTH, 'sig', 'ERR_BAD_SIGNATURE_LENGTH')
  return getCurveProvider().ed25519Verify(publicKey, msg, sig)
}

export interface Ed25519KeyPair {
  seed: Uint8Array
  publicKey: Uint8Array
}

export function ed25519Keygen(seed: Uint8Array = randomBytes(ED25519_SEED_LENGTH)): Ed25519KeyPair {
  return { seed, publicKey: ed25519PublicFromSeed(seed) }
}

/** Raw X25519 (RFC 7748). All-zero output (low-order peer) → `CryptoError('ERR_LOW_ORDER')`. */
export function x25519(secret: Uint8Array, publicKey: Uint8Array): Uint8Array {
  assertKey32(secret, 'secret')
  assertKey32(publicKey, 'publicKey')
  return getCurveProvider().x25519(secret, publicKey)
}

export function x25519PublicFromSecret(secret: Uint8Array): Uint8Array {
  assertKey32(secret, 'secret')
  return getCurveProvider().x25519PublicFromSecret(secret)
}

export interface X25519KeyPair {
  secretKey: Uint8Array
  publicKey: Uint8Array
}

export function x25519Keygen(secretKey: Uint8Array = randomBytes(X25519_KEY_LENGTH)): X25519KeyPair {
  return { secretKey, publicKey: x25519PublicFromSecret(secretKey) }
}

/**
 * `mont(edSk)`: X25519 secret of an Ed25519 seed = clamp(SHA-512(seed)[0:32]), identical to libsodium
 * `crypto_sign_ed25519_sk_to_curve25519` (PROTOCOL.md "Notation").
 */
export function edSeedToX25519Secret(edSeed: Uint8Array): Uint8Array {
  assertKey32(edSeed, 'edSeed')
  const h = sha512(edSeed)
  const out = h.slice(0, 32)
  // The upper half is the Ed25519 nonce prefix; it must not linger.
  wipe(h)
  out[0] = (out[0] as number) & 248
  out[31] = ((out[31] as number) & 127) | 64
  return out
}

/**
 * `mont(edPk)`: u = (1+y)/(1-y) mod p (PROTOCOL.md "Notation"). Rejects encodings that are not a
 * point (`ERR_BAD_KEY`) and small-order points (`ERR_LOW_ORDER`), as libsodium's
 * `crypto_sign_ed25519_pk_to_curve25519` does; an honest key is never either.
 */
export function edPublicToX25519Public(edPk: Uint8Array): Uint8Array {
  assertKey32(edPk, 'edPk')
  // libsodium when it takes the key (same bytes); anything it refuses is decided below.
  const fast = sodiumEdPkToX25519?.(edPk)
  if (fast !== undefined) return fast
  let point
  try {
    point = ed25519.Point.fromBytes(edPk, false)
  } catch (err) {
    throw new CryptoError('ERR_BAD_KEY', 'edPk is not a valid Ed25519 point encoding', { cause: err })
  }
  if (point.isSmallOrder()) {
    throw new CryptoError('ERR_LOW_ORDER', 'edPk is a small-order Ed25519 point')
  }
  return ed25519.utils.toMontgomery(edPk)
}
