/**
 * NaCl secretbox (XSalsa20-Poly1305), combined format `tag(16) ‖ ciphertext` as in libsodium
 * `crypto_secretbox_easy` and Go `nacl/secretbox.Seal`, so sealed bytes interoperate with the reference
 * implementation. Tampering of any byte → `CryptoError('ERR_DECRYPT')`. The cipher itself is the one backend
 * of salsa-backend.ts (libsodium when it loads, @noble otherwise); lengths are checked here, before it.
 */
import { assertBytes, assertKey32, assertLength, concatBytes, randomNonce } from './bytes'
import { CryptoError } from './errors'
import { getSalsaBackend } from './salsa-backend'

export const SECRETBOX_KEY_LENGTH = 32
export const SECRETBOX_NONCE_LENGTH = 24
export const SECRETBOX_TAG_LENGTH = 16

export function secretboxSealWithNonce(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array): Uint8Array {
  assertKey32(key, 'key')
  assertLength(nonce, SECRETBOX_NONCE_LENGTH, 'nonce', 'ERR_BAD_NONCE')
  assertBytes(plaintext, 'plaintext')
  return getSalsaBackend().seal(key, nonce, plaintext)
}

export function secretboxOpenWithNonce(key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  assertKey32(key, 'key')
  assertLength(nonce, SECRETBOX_NONCE_LENGTH, 'nonce', 'ERR_BAD_NONCE')
  assertBytes(ciphertext, 'ciphertext')
  if (ciphertext.length < SECRETBOX_TAG_LENGTH) {
    throw new CryptoError('ERR_DECRYPT', 'ciphertext is shorter than the authentication tag')
  }
  const opened = getSalsaBackend().open(key, nonce, ciphertext)
  if (opened === undefined) throw new CryptoError('ERR_DECRYPT', 'ciphertext failed authentication')
  return opened
}

/** Seals with a fresh random 24-byte nonce (safe to pick at random for XSalsa20); returns `nonce ‖ box`. */
export function secretboxSeal(key: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const nonce = randomNonce(SECRETBOX_NONCE_LENGTH)
  return concatBytes(nonce, secretboxSealWithNonce(key, nonce, plaintext))
}

/** Opens `nonce ‖ box` as produced by `secretboxSeal`. */
export function secretboxOpen(key: Uint8Array, sealed: Uint8Array): Uint8Array {
  assertKey32(key, 'key')
  assertBytes(sealed, 'sealed')
  if (sealed.length < SECRETBOX_NONCE_LENGTH + SECRETBOX_TAG_LENGTH) {
    throw new CryptoError('ERR_DECRYPT', 'sealed is shorter than nonce + authentication tag')
  }
  return secretboxOpenWithNonce(
    key,
    sealed.subarray(0, SECRETBOX_NONCE_LENGTH),
    sealed.subarray(SECRETBOX_NONCE_LENGTH)
  )
}
