/**
 * libsodium through `sodium-native` (N-API prebuilds), loaded once for every native backend here
 * (salsa-backend.ts: secretbox; sodium-provider.ts: Ed25519, X25519, SHA-256; the verify workers;
 * core/net/noise-crypto.ts: the noise transport's cipher).
 *
 * Claims: `sodium` is the module when it loaded in a Node runtime, undefined otherwise, and then
 * `sodiumUnavailableReason` says why (an error code, never a secret). Each backend self-tests the calls
 * it uses against @noble before using them.
 *
 * It is loaded with a `require` made through `process.getBuiltinModule('node:module')` (no static or
 * dynamic import), so this module still loads where Node is absent and the callers fall back to @noble.
 */

/** The calls used from sodium-native (its typings come from @types/sodium-native, which lag v5). */
export interface SodiumNative {
  crypto_secretbox_easy(c: Uint8Array, m: Uint8Array, n: Uint8Array, k: Uint8Array): void
  crypto_secretbox_open_easy(m: Uint8Array, c: Uint8Array, n: Uint8Array, k: Uint8Array): boolean
  crypto_sign_seed_keypair(pk: Uint8Array, sk: Uint8Array, seed: Uint8Array): void
  crypto_sign_detached(sig: Uint8Array, m: Uint8Array, sk: Uint8Array): void
  crypto_sign_verify_detached(sig: Uint8Array, m: Uint8Array, pk: Uint8Array): boolean
  /** Throws when the result would be all zero (a low-order peer key). */
  crypto_scalarmult(q: Uint8Array, n: Uint8Array, p: Uint8Array): void
  crypto_scalarmult_base(q: Uint8Array, n: Uint8Array): void
  crypto_hash_sha256(out: Uint8Array, m: Uint8Array): void
  /** Throws for a small-order point, a non-point, or one outside the prime-order subgroup. */
  crypto_sign_ed25519_pk_to_curve25519(x25519Pk: Uint8Array, ed25519Pk: Uint8Array): void
  sodium_memzero(buf: Uint8Array): void
  /** ChaCha20-Poly1305 (IETF, 96-bit nonce; RFC 8439), the noise transport's cipher (core/net/noise-crypto.ts). */
  crypto_aead_chacha20poly1305_ietf_encrypt(c: Uint8Array, m: Uint8Array, ad: Uint8Array | null, nsec: null, npub: Uint8Array, k: Uint8Array): number
  /** Throws when the tag does not verify. */
  crypto_aead_chacha20poly1305_ietf_decrypt(m: Uint8Array, nsec: null, c: Uint8Array, ad: Uint8Array | null, npub: Uint8Array, k: Uint8Array): number
}

const CALLS: (keyof SodiumNative)[] = [
  'crypto_secretbox_easy',
  'crypto_secretbox_open_easy',
  'crypto_sign_seed_keypair',
  'crypto_sign_detached',
  'crypto_sign_verify_detached',
  'crypto_scalarmult',
  'crypto_scalarmult_base',
  'crypto_hash_sha256',
  'crypto_sign_ed25519_pk_to_curve25519',
  'sodium_memzero',
  'crypto_aead_chacha20poly1305_ietf_encrypt',
  'crypto_aead_chacha20poly1305_ietf_decrypt'
]

interface Loaded {
  sodium?: SodiumNative
  /** Absolute path of the module's entry, for worker threads that load it themselves. */
  path?: string
  reason?: string
}

function load(): Loaded {
  const proc = (globalThis as {
    process?: { versions?: { node?: string }; getBuiltinModule?: (id: string) => unknown }
  }).process
  if (proc?.versions?.node === undefined || typeof proc.getBuiltinModule !== 'function') {
    return { reason: 'no Node runtime' }
  }
  try {
    const mod = proc.getBuiltinModule('node:module') as
      | { createRequire(from: string): ((id: string) => unknown) & { resolve(id: string): string } }
      | undefined
    if (!mod) return { reason: 'node:module unavailable' }
    const req = mod.createRequire(import.meta.url)
    const sodium = req('sodium-native') as Partial<SodiumNative>
    const missing = CALLS.find((c) => typeof sodium[c] !== 'function')
    if (missing) return { reason: `sodium-native lacks ${missing}` }
    let path: string | undefined
    try {
      path = req.resolve('sodium-native')
    } catch {
      path = undefined
    }
    return { sodium: sodium as SodiumNative, path }
  } catch (err) {
    const code = (err as { code?: unknown }).code
    return { reason: typeof code === 'string' ? code : 'sodium-native did not load' }
  }
}

const loaded = load()

export const sodium: SodiumNative | undefined = loaded.sodium
export const sodiumPath: string | undefined = loaded.path
export const sodiumLoadFailure: string | undefined = loaded.reason
