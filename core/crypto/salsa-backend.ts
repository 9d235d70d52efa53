/**
 * XSalsa20-Poly1305 backends behind one interface: libsodium through `sodium-native` (N-API prebuilds)
 * when it loads, @noble/ciphers otherwise (a platform with no prebuild, a runtime without Node).
 *
 * Claims: both backends produce and accept the same bytes, the NaCl / Go `secretbox` combined format
 * `tag(16) ‖ ciphertext` (tests/unit/crypto/salsa-backend.test.ts seals with each and opens with the
 * other, and runs the known-answer vectors on both). `open` returns undefined for any box that fails
 * authentication and never throws for well-sized inputs.
 * Disclaims: backends do not validate lengths; secretbox.ts does, before delegating (native code is
 * never called with a wrong-sized key or nonce). Keys are passed through as given, never copied.
 *
 * `sodium-native` is loaded by sodium.ts (shared with the curve provider and the verify workers).
 */
import { xsalsa20poly1305 } from '@noble/ciphers/salsa.js'
import { sodium, sodiumLoadFailure, type SodiumNative } from './sodium'

export interface SalsaBackend {
  readonly name: 'sodium' | 'noble'
  /** secretbox seal: `tag ‖ ciphertext` (plaintext.length + 16 bytes). */
  seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array): Uint8Array
  /** secretbox open of `tag ‖ ciphertext` (≥ 16 bytes); undefined when authentication fails. */
  open(key: Uint8Array, nonce: Uint8Array, box: Uint8Array): Uint8Array | undefined
}

const TAG = 16

export const nobleSalsa: SalsaBackend = Object.freeze({
  name: 'noble' as const,
  seal: (key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array) => xsalsa20poly1305(key, nonce).encrypt(plaintext),
  open(key: Uint8Array, nonce: Uint8Array, box: Uint8Array): Uint8Array | undefined {
    try {
      return xsalsa20poly1305(key, nonce).decrypt(box)
    } catch {
      return undefined
    }
  }
})

type SodiumSecretbox = Pick<SodiumNative, 'crypto_secretbox_easy' | 'crypto_secretbox_open_easy'>

function sodiumBackend(sodium: SodiumSecretbox): SalsaBackend {
  return Object.freeze({
    name: 'sodium' as const,
    seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array): Uint8Array {
      const out = new Uint8Array(plaintext.length + TAG)
      sodium.crypto_secretbox_easy(out, plaintext, nonce, key)
      return out
    },
    open(key: Uint8Array, nonce: Uint8Array, box: Uint8Array): Uint8Array | undefined {
      const out = new Uint8Array(box.length - TAG)
      return sodium.crypto_secretbox_open_easy(out, box, nonce, key) ? out : undefined
    }
  })
}

/** The sodium backend when sodium-native loaded and passes the self-test, or why it is not used. */
function loadSodium(): { backend?: SalsaBackend; reason?: string } {
  if (!sodium) return { reason: sodiumLoadFailure }
  try {
    const backend = sodiumBackend(sodium)
    return selfTest(backend) ? { backend } : { reason: 'sodium-native failed its self-test' }
  } catch {
    return { reason: 'sodium-native failed its self-test' }
  }
}

/** One known box from the other backend must open and re-seal identically before sodium is used. */
function selfTest(backend: SalsaBackend): boolean {
  const key = new Uint8Array(32).fill(7)
  const nonce = new Uint8Array(24).fill(9)
  const msg = new Uint8Array([1, 2, 3, 4, 5])
  const ref = nobleSalsa.seal(key, nonce, msg)
  const mine = backend.seal(key, nonce, msg)
  if (mine.length !== ref.length || mine.some((b, i) => b !== ref[i])) return false
  const opened = backend.open(key, nonce, ref)
  return opened !== undefined && opened.length === msg.length && opened.every((b, i) => b === msg[i])
}

const loaded = loadSodium()

/** The native backend when it loaded, else undefined (tests compare both). */
export const sodiumSalsa: SalsaBackend | undefined = loaded.backend

/** Why sodium-native is not used (undefined when it is); for the one start-up log line. */
export const sodiumUnavailableReason: string | undefined = loaded.reason

let current: SalsaBackend = sodiumSalsa ?? nobleSalsa

export function getSalsaBackend(): SalsaBackend {
  return current
}

/** For tests and benches: pin a backend. */
export function setSalsaBackend(backend: SalsaBackend): void {
  current = backend
}
