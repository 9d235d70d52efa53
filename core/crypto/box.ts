/**
 * NaCl `crypto_box` over X25519 keys: `beforenm` = HSalsa20(key = X25519 shared, nonce = 16 zero
 * bytes, sigma), then secretbox. This is Go `box.Precompute`, the `k(x, Y)` of PROTOCOL.md
 * "Contact request handshake" and the cipher of "Secret (chain key) entries".
 */
import { hsalsa } from '@noble/ciphers/salsa.js'
import { assertBytes, assertKey32, concatBytes, randomNonce, wipe } from './bytes'
import { x25519 } from './keys'
import {
  SECRETBOX_NONCE_LENGTH,
  secretboxOpen,
  secretboxOpenWithNonce,
  secretboxSealWithNonce
} from './secretbox'

// "expand 32-byte k", the Salsa20 constant.
const SIGMA = new Uint8Array([
  0x65, 0x78, 0x70, 0x61, 0x6e, 0x64, 0x20, 0x33, 0x32, 0x2d, 0x62, 0x79, 0x74, 0x65, 0x20, 0x6b
])

/** HSalsa20(key, nonce16) with the standard sigma → 32-byte subkey. */
export function hsalsa20(key: Uint8Array, nonce16: Uint8Array): Uint8Array {
  assertKey32(key, 'key')
  assertBytes(nonce16, 'nonce16')
  // Copies give 4-byte-aligned buffers for the word views; hsalsa handles big-endian hosts itself.
  const k = new Uint32Array(8)
  new Uint8Array(k.buffer).set(key)
  const n = new Uint32Array(4)
  new Uint8Array(n.buffer).set(nonce16)
  const s = new Uint32Array(4)
  new Uint8Array(s.buffer).set(SIGMA)
  const out = new Uint32Array(8)
  hsalsa(s, k, n, out)
  wipe(new Uint8Array(k.buffer))
  return new Uint8Array(out.buffer)
}

/** NaCl `crypto_box_beforenm(theirPk, mySk)`; low-order `theirX25519Public` → `ERR_LOW_ORDER`. */
export function naclBoxBeforeNm(theirX25519Public: Uint8Array, myX25519Secret: Uint8Array): Uint8Array {
  const shared = x25519(myX25519Secret, theirX25519Public)
  try {
    return hsalsa20(shared, new Uint8Array(16))
  } finally {
    wipe(shared)
  }
}

/** NaCl box with an explicit nonce: `tag ‖ ciphertext` (libsodium `crypto_box_easy`). */
export function naclBoxWithNonce(
  theirX25519Public: Uint8Array,
  myX25519Secret: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array
): Uint8Array {
  const k = naclBoxBeforeNm(theirX25519Public, myX25519Secret)
  try {
    return secretboxSealWithNonce(k, nonce, plaintext)
  } finally {
    wipe(k)
  }
}

export function naclBoxOpenWithNonce(
  theirX25519Public: Uint8Array,
  myX25519Secret: Uint8Array,
  nonce: Uint8Array,
  ciphertext: Uint8Array
): Uint8Array {
  const k = naclBoxBeforeNm(theirX25519Public, myX25519Secret)
  try {
    return secretboxOpenWithNonce(k, nonce, ciphertext)
  } finally {
    wipe(k)
  }
}

/** NaCl box with a random nonce → `nonce(24) ‖ tag ‖ ciphertext`. */
export function naclBox(theirX25519Public: Uint8Array, myX25519Secret: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const nonce = randomNonce(SECRETBOX_NONCE_LENGTH)
  return concatBytes(nonce, naclBoxWithNonce(theirX25519Public, myX25519Secret, nonce, plaintext))
}

/** Opens `nonce ‖ tag ‖ ciphertext` from `naclBox`. */
export function naclBoxOpen(theirX25519Public: Uint8Array, myX25519Secret: Uint8Array, sealed: Uint8Array): Uint8Array {
  const k = naclBoxBeforeNm(theirX25519Public, myX25519Secret)
  try {
    return secretboxOpen(k, sealed)
  } finally {
    wipe(k)
  }
}
