/**
 * The libsodium curve provider (sodium.ts), the default when it loads and passes its self-test: on this
 * machine Ed25519 verify 48 µs (OpenSSL 84), sign 18 µs (33), X25519 36 µs (OpenSSL with its PKCS#8
 * import 430): `npm run bench -- crypto`.
 *
 * Claims: the same bytes as nobleProvider and nodeProvider for every valid input (the self-test below at
 * load; tests/unit/crypto/sodium-provider.test.ts on vectors and random inputs), and exactly the
 * signatures OpenSSL accepts: libsodium is stricter (it also refuses small-order keys and R
 * components), so a signature it refuses is checked again by the node provider (@noble where
 * node:crypto is absent) before it is called invalid. Honest signatures pass on the first check; only invalid ones pay twice.
 * X25519 throws `ERR_LOW_ORDER` for an all-zero shared secret, like the others.
 * Signing keys are cached like nodeProvider's (bounded LRU, keyed by SHA-256 of the seed, never the
 * seed), as libsodium's 64-byte secret keys, wiped when evicted or by `clearSodiumKeyCache()`.
 */
import { ed25519, x25519 as nobleX25519 } from '@noble/curves/ed25519.js'
import { isAllZero, wipe } from './bytes'
import { lowOrder, lruGet, lruSet, nobleProvider, nodeProvider, nodeProviderAvailable, signingKeyId, type CurveProvider } from './provider'
import { sodium, type SodiumNative } from './sodium'

const SIGNING_CACHE_MAX = 256
const signing = new Map<string, { sk: Uint8Array; pk: Uint8Array }>()

function signingPair(s: SodiumNative, seed: Uint8Array): { sk: Uint8Array; pk: Uint8Array } {
  const id = signingKeyId(seed)
  const hit = lruGet(signing, id)
  if (hit !== undefined) return hit
  const pair = { sk: new Uint8Array(64), pk: new Uint8Array(32) }
  s.crypto_sign_seed_keypair(pair.pk, pair.sk, seed)
  lruSet(signing, id, pair, SIGNING_CACHE_MAX, (gone) => wipe(gone.sk))
  return pair
}

/** Wipes and drops every cached signing key (an account closed or locked). */
export function clearSodiumKeyCache(): void {
  for (const { sk } of signing.values()) wipe(sk)
  signing.clear()
}

function makeProvider(s: SodiumNative): CurveProvider {
  const strict = nodeProviderAvailable ? nodeProvider : nobleProvider
  return Object.freeze({
    name: 'sodium' as const,
    ed25519PublicFromSeed(seed: Uint8Array): Uint8Array {
      const hit = lruGet(signing, signingKeyId(seed))
      if (hit !== undefined) return hit.pk.slice()
      // Not cached: the seed may be a derived secret (contact-group `s`, member seeds).
      const pk = new Uint8Array(32)
      const sk = new Uint8Array(64)
      s.crypto_sign_seed_keypair(pk, sk, seed)
      wipe(sk)
      return pk
    },
    ed25519Sign(seed: Uint8Array, msg: Uint8Array): Uint8Array {
      const sig = new Uint8Array(64)
      s.crypto_sign_detached(sig, msg, signingPair(s, seed).sk)
      return sig
    },
    ed25519Verify(publicKey: Uint8Array, msg: Uint8Array, sig: Uint8Array): boolean {
      try {
        if (s.crypto_sign_verify_detached(sig, msg, publicKey)) return true
      } catch {
        // refused: the strict verifier decides
      }
      return strict.ed25519Verify(publicKey, msg, sig)
    },
    x25519(secret: Uint8Array, publicKey: Uint8Array): Uint8Array {
      const out = new Uint8Array(32)
      try {
        s.crypto_scalarmult(out, secret, publicKey)
      } catch (err) {
        wipe(out)
        throw lowOrder(err)
      }
      if (isAllZero(out)) throw lowOrder()
      return out
    },
    x25519PublicFromSecret(secret: Uint8Array): Uint8Array {
      const out = new Uint8Array(32)
      s.crypto_scalarmult_base(out, secret)
      return out
    }
  })
}

/** Fixed inputs: every call must give @noble's bytes before the provider is used. */
function selfTest(p: CurveProvider): boolean {
  const seed = new Uint8Array(32).map((_, i) => i + 1)
  const msg = new Uint8Array([0x62, 0x65, 0x72, 0x74, 0x79])
  try {
    const pk = p.ed25519PublicFromSeed(seed)
    const sig = p.ed25519Sign(seed, msg)
    const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i])
    if (!same(pk, ed25519.getPublicKey(seed)) || !same(sig, ed25519.sign(msg, seed))) return false
    if (!p.ed25519Verify(pk, msg, sig) || p.ed25519Verify(pk, new Uint8Array([1]), sig)) return false
    const other = seed.slice().reverse()
    if (!same(p.x25519PublicFromSecret(other), nobleX25519.getPublicKey(other))) return false
    return same(p.x25519(seed, nobleX25519.getPublicKey(other)), nobleX25519.getSharedSecret(seed, nobleX25519.getPublicKey(other)))
  } catch {
    return false
  } finally {
    clearSodiumKeyCache()
  }
}

function load(): CurveProvider | undefined {
  if (!sodium) return undefined
  const p = makeProvider(sodium)
  return selfTest(p) ? p : undefined
}

/** y ≥ p (2^255 − 19): a non-canonical encoding, which @noble's strict decoding refuses. */
function nonCanonicalY(pk: Uint8Array): boolean {
  if ((pk[31]! & 0x7f) !== 0x7f || pk[0]! < 0xed) return false
  for (let i = 1; i < 31; i++) if (pk[i] !== 0xff) return false
  return true
}

/**
 * Ed25519 public key → X25519 public key with libsodium (~10× @noble's, which decompresses the
 * point twice): the Montgomery u of a canonical, non-small-order point, or undefined whenever
 * libsodium refuses the key (it is stricter: it also refuses points outside the prime-order
 * subgroup) or the encoding is not canonical. The caller then takes @noble's path, which decides,
 * so the result is always @noble's (tests/unit/crypto/providers.test.ts).
 */
export const sodiumEdPkToX25519: ((edPk: Uint8Array) => Uint8Array | undefined) | undefined = sodium
  ? (edPk: Uint8Array) => {
      if (edPk.length !== 32 || nonCanonicalY(edPk)) return undefined
      const out = new Uint8Array(32)
      try {
        sodium!.crypto_sign_ed25519_pk_to_curve25519(out, edPk)
        return out
      } catch {
        return undefined
      }
    }
  : undefined

/** The libsodium provider, or undefined where sodium-native did not load or failed its self-test. */
export const sodiumProvider: CurveProvider | undefined = load()
