/**
 * ChaCha20-Poly1305 (IETF: 96-bit nonce, RFC 8439), the noise transport's cipher (core/net/noise-crypto.ts):
 * libsodium through `sodium-native` when it loads and passes its self-test against @noble/ciphers. Where it
 * does not, there is no backend here: the noise library's own crypto is used, faster than @noble's.
 *
 * Claims: both backends produce and accept the same bytes, `ciphertext ‖ tag(16)`, for any associated data
 * (tests/unit/crypto/aead.test.ts: the RFC 8439 §2.8.2 vector on both, and each opens what the other seals).
 * `open` returns undefined for anything that fails authentication and never throws for a well-sized key and
 * nonce. Disclaims: lengths of key (32) and nonce (12) are the caller's to check; keys are never copied.
 *
 * Why a native backend: for the few hundred bytes of a group entry, libsodium seals in 2–3 µs and opens in
 * 3–5 where the noise library's own choice (WebAssembly below 1,200 bytes) takes 7–16 and 10–16 (best of
 * 5 runs, this machine; `npm run bench -- wire` measures the effect on a connection). Above ≈ 8 KiB
 * OpenSSL is faster (≈ 30 µs against 50 for a full 64 KiB noise message): small next to the gain on
 * the many small messages, so one backend serves all sizes.
 */
import { chacha20poly1305 } from '@noble/ciphers/chacha.js'
import { sodium, sodiumLoadFailure, type SodiumNative } from './sodium'

export interface AeadBackend {
  readonly name: 'sodium' | 'noble'
  /** `ciphertext ‖ tag` (plaintext.length + 16 bytes). */
  seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, ad: Uint8Array): Uint8Array
  /** The plaintext of `ciphertext ‖ tag`; undefined when it is shorter than a tag or fails authentication. */
  open(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, ad: Uint8Array): Uint8Array | undefined
}

const TAG = 16

export const nobleAead: AeadBackend = Object.freeze({
  name: 'noble' as const,
  seal: (key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, ad: Uint8Array) => chacha20poly1305(key, nonce, ad).encrypt(plaintext),
  open(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, ad: Uint8Array): Uint8Array | undefined {
    if (sealed.length < TAG) return undefined
    try {
      return chacha20poly1305(key, nonce, ad).decrypt(sealed)
    } catch {
      return undefined
    }
  }
})

type SodiumAead = Pick<SodiumNative, 'crypto_aead_chacha20poly1305_ietf_encrypt' | 'crypto_aead_chacha20poly1305_ietf_decrypt'>

function sodiumBackend(s: SodiumAead): AeadBackend {
  return Object.freeze({
    name: 'sodium' as const,
    seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, ad: Uint8Array): Uint8Array {
      const out = new Uint8Array(plaintext.length + TAG)
      s.crypto_aead_chacha20poly1305_ietf_encrypt(out, plaintext, ad, null, nonce, key)
      return out
    },
    open(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, ad: Uint8Array): Uint8Array | undefined {
      if (sealed.length < TAG) return undefined
      const out = new Uint8Array(sealed.length - TAG)
      try {
        s.crypto_aead_chacha20poly1305_ietf_decrypt(out, null, sealed, ad, nonce, key)
        return out
      } catch {
        return undefined
      }
    }
  })
}

/** One sealed message from the other backend must open and re-seal identically, and a forged one fail. */
function selfTest(backend: AeadBackend): boolean {
  const key = new Uint8Array(32).fill(7)
  const nonce = new Uint8Array(12).fill(9)
  const ad = new Uint8Array([5, 4, 3])
  const msg = new Uint8Array([1, 2, 3, 4, 5])
  const ref = nobleAead.seal(key, nonce, msg, ad)
  const mine = backend.seal(key, nonce, msg, ad)
  if (mine.length !== ref.length || mine.some((b, i) => b !== ref[i])) return false
  const opened = backend.open(key, nonce, ref, ad)
  if (opened === undefined || opened.length !== msg.length || opened.some((b, i) => b !== msg[i])) return false
  const forged = ref.slice()
  forged[forged.length - 1]! ^= 1
  return backend.open(key, nonce, forged, ad) === undefined
}

function loadSodium(): { backend?: AeadBackend; reason?: string } {
  if (!sodium) return { reason: sodiumLoadFailure }
  try {
    const backend = sodiumBackend(sodium)
    return selfTest(backend) ? { backend } : { reason: 'sodium-native failed the ChaCha20-Poly1305 self-test' }
  } catch {
    return { reason: 'sodium-native failed the ChaCha20-Poly1305 self-test' }
  }
}

const loaded = loadSodium()

/** The native backend when it loaded and passed its self-test, else undefined. */
export const sodiumAead: AeadBackend | undefined = loaded.backend
