/**
 * The noise transport's crypto (`ICryptoInterface` of @chainsafe/libp2p-noise) on this codebase's own
 * primitives, all libsodium: ChaCha20-Poly1305 (core/crypto/aead.ts), X25519 from the curve provider (which
 * refuses a low-order peer key), SHA-256 and HKDF from provider.ts.
 *
 * Why: every noise message of a connection is sealed and opened once. For the few hundred bytes of a group
 * entry the library's default takes 7–16 µs to seal and 10–16 to open (WebAssembly below 1,200 bytes),
 * libsodium 2–3 and 3–5 (core/crypto/aead.ts); a join moves tens of thousands of such messages. Bench
 * wire, same run: 27.9 → 22.1 µs CPU per 600-byte stream message (`npm run bench -- wire`).
 *
 * Claims: the same bytes as the library's own implementations, so peers of either kind (go-libp2p, the
 * library's default) talk to it unchanged: tests/unit/net/noise-crypto.test.ts compares every function
 * with `pureJsCrypto` and completes handshakes both ways with a node on the default. Used only when the
 * native AEAD loaded and passed its self-test (`noiseCrypto` is undefined otherwise and the library's
 * default applies).
 */
import type { ICryptoInterface } from '@chainsafe/libp2p-noise'
import { CryptoError, fastHkdfSha256, fastSha256, randomBytes, sodiumAead, x25519, x25519PublicFromSecret, type AeadBackend } from '../crypto'

/** A Uint8ArrayList's bytes in one piece (a copy); a Uint8Array as it is. */
const flat = (b: Uint8Array | { subarray(): Uint8Array }): Uint8Array => (b instanceof Uint8Array ? b : b.subarray())
const NO_INFO = new Uint8Array(0)

export function noiseCryptoOn(aead: AeadBackend): ICryptoInterface {
  return {
    hashSHA256: (data) => fastSha256(flat(data)),
    // Noise's HKDF: HMAC-SHA-256 extract with the chaining key as salt, then 3 × 32 bytes, no info.
    getHKDF(ck, ikm) {
      const okm = fastHkdfSha256(ikm, ck, NO_INFO, 96)
      return [okm.subarray(0, 32), okm.subarray(32, 64), okm.subarray(64, 96)]
    },
    generateX25519KeyPair() {
      const privateKey = randomBytes(32)
      return { publicKey: x25519PublicFromSecret(privateKey), privateKey }
    },
    generateX25519KeyPairFromSeed: (seed) => ({ publicKey: x25519PublicFromSecret(seed), privateKey: seed }),
    generateX25519SharedKey: (privateKey, publicKey) => x25519(flat(privateKey), flat(publicKey)),
    chaCha20Poly1305Encrypt: (plaintext, nonce, ad, k) => aead.seal(k, nonce, flat(plaintext), ad),
    chaCha20Poly1305Decrypt(ciphertext, nonce, ad, k) {
      const plaintext = aead.open(k, nonce, flat(ciphertext), ad)
      if (plaintext === undefined) throw new CryptoError('ERR_DECRYPT', 'noise message does not authenticate')
      return plaintext
    }
  }
}

/** The sodium-backed noise crypto, or undefined where libsodium is not in use (the library's default then). */
export const noiseCrypto: ICryptoInterface | undefined = sodiumAead === undefined ? undefined : noiseCryptoOn(sodiumAead)
