/**
 * Curve backends for the two hot primitives, Ed25519 and X25519 (ARCHITECTURE.md "Performance-critical
 * primitives may use node:crypto ... behind the same interface as @noble and verified equal to it").
 *
 * Claims: both providers compute the same bytes for every valid input (tests run every known-answer
 * vector on both, plus random inputs), and both reject low-order X25519 peers with `ERR_LOW_ORDER`.
 * Disclaims: providers do not validate lengths; the public functions in `keys.ts` do, before
 * delegating. Signature verification of deliberately malleable edge cases: both refuse non-canonical
 * S; on a small-order public key OpenSSL's cofactorless check accepts what @noble's strict mode refuses
 * (tests/unit/crypto/providers.test.ts), so the native providers (this node one, sodium-provider.ts)
 * follow OpenSSL and @noble, the fallback where node:crypto is absent, is the exception.
 *
 * `node:crypto` is reached through `process.getBuiltinModule` (no static or dynamic import), so this
 * module still loads where Node is absent and simply falls back to @noble.
 */
import type * as NodeCrypto from 'node:crypto'
import { ed25519, x25519 as nobleX25519 } from '@noble/curves/ed25519.js'
import { CryptoError } from './errors'
import { sha256 } from '@noble/hashes/sha2.js'
import { hkdf } from '@noble/hashes/hkdf.js'
import { isAllZero, wipe } from './bytes'
import { sodium } from './sodium'

export interface CurveProvider {
  readonly name: 'noble' | 'node' | 'sodium'
  /** Ed25519 public key (32 bytes) from a 32-byte seed. */
  ed25519PublicFromSeed(seed: Uint8Array): Uint8Array
  /** Ed25519 signature (64 bytes, RFC 8032, pure) with a 32-byte seed. */
  ed25519Sign(seed: Uint8Array, msg: Uint8Array): Uint8Array
  /** False for any invalid signature or public key; never throws for well-sized inputs. */
  ed25519Verify(publicKey: Uint8Array, msg: Uint8Array, sig: Uint8Array): boolean
  /** Raw X25519; throws `CryptoError('ERR_LOW_ORDER')` when the shared secret would be all zero. */
  x25519(secret: Uint8Array, publicKey: Uint8Array): Uint8Array
  /** X25519 public key of a 32-byte secret scalar (clamped per RFC 7748). */
  x25519PublicFromSecret(secret: Uint8Array): Uint8Array
}

export function lowOrder(cause?: unknown): CryptoError {
  return new CryptoError('ERR_LOW_ORDER', 'x25519 publicKey is a low-order point (all-zero shared secret)', {
    cause
  })
}

// --- @noble -----------------------------------------------------------------------------------------

export const nobleProvider: CurveProvider = Object.freeze({
  name: 'noble' as const,
  ed25519PublicFromSeed: (seed: Uint8Array) => ed25519.getPublicKey(seed),
  ed25519Sign: (seed: Uint8Array, msg: Uint8Array) => ed25519.sign(msg, seed),
  ed25519Verify(publicKey: Uint8Array, msg: Uint8Array, sig: Uint8Array): boolean {
    try {
      // zip215:false = strict RFC 8032 decoding, the same rules OpenSSL (node provider) applies,
      // so the two providers accept the same signatures.
      return ed25519.verify(sig, msg, publicKey, { zip215: false })
    } catch {
      return false
    }
  },
  x25519(secret: Uint8Array, publicKey: Uint8Array): Uint8Array {
    let out: Uint8Array
    try {
      out = nobleX25519.getSharedSecret(secret, publicKey)
    } catch (err) {
      // Lengths are checked by the caller, so the only failure left is a low-order peer key.
      throw lowOrder(err)
    }
    if (isAllZero(out)) throw lowOrder()
    return out
  },
  x25519PublicFromSecret: (secret: Uint8Array) => nobleX25519.getPublicKey(secret)
})

// --- node:crypto ------------------------------------------------------------------------------------

// DER wrappers of raw 32-byte keys (RFC 8410): PKCS#8 for private keys, SPKI for public keys.
const ED25519_PKCS8 = hex('302e020100300506032b657004220420')
const ED25519_SPKI = hex('302a300506032b6570032100')
const X25519_PKCS8 = hex('302e020100300506032b656e04220420')
const X25519_SPKI = hex('302a300506032b656e032100')

function hex(s: string): Uint8Array {
  const out = new Uint8Array(s.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(i * 2, i * 2 + 2), 16)
  return out
}

function loadNodeCrypto(): typeof NodeCrypto | undefined {
  const proc = (globalThis as { process?: { versions?: { node?: string }; getBuiltinModule?: (id: string) => unknown } })
    .process
  if (proc?.versions?.node === undefined || typeof proc.getBuiltinModule !== 'function') return undefined
  try {
    return proc.getBuiltinModule('node:crypto') as typeof NodeCrypto | undefined
  } catch {
    return undefined
  }
}

const nodeCrypto = loadNodeCrypto()

function requireNode(): typeof NodeCrypto {
  if (nodeCrypto === undefined) {
    throw new Error('node:crypto is not available in this runtime; use nobleProvider')
  }
  return nodeCrypto
}

/**
 * node:crypto's one-shot `hash` (Node ≥ 20.12; OpenSSL, with the CPU's SHA extensions where it has
 * them) when present and agreeing with @noble on a fixed input.
 */
const oneShotSha256 = ((): ((data: Uint8Array) => Uint8Array) | undefined => {
  const hash = (nodeCrypto as { hash?: (alg: string, data: Buffer, enc: 'buffer') => Buffer } | undefined)?.hash
  if (typeof hash !== 'function') return undefined
  try {
    const probe = new Uint8Array([0x62, 0x65, 0x72, 0x74, 0x79])
    const ref = sha256(probe)
    const out = hash('sha256', asBuffer(probe), 'buffer')
    return out.length === 32 && out.every((v, i) => v === ref[i]) ? (d) => toU8(hash('sha256', asBuffer(d), 'buffer')) : undefined
  } catch {
    return undefined
  }
})()

/** Below this many bytes libsodium's SHA-256 is the faster (no Buffer per call), above it OpenSSL's. */
const SODIUM_SHA256_MAX = 256

function withPrefix(prefix: Uint8Array, raw: Uint8Array): Uint8Array {
  const der = new Uint8Array(prefix.length + raw.length)
  der.set(prefix, 0)
  der.set(raw, prefix.length)
  return der
}

function privateKeyObject(prefix: Uint8Array, raw: Uint8Array): NodeCrypto.KeyObject {
  const der = withPrefix(prefix, raw)
  try {
    return requireNode().createPrivateKey({ key: asBuffer(der), format: 'der', type: 'pkcs8' })
  } finally {
    // The DER copy holds the secret; OpenSSL keeps its own copy inside the KeyObject.
    wipe(der)
  }
}

function rawPublic(key: NodeCrypto.KeyObject): Uint8Array {
  // JWK export of a public key is ~100x faster than SPKI DER export in OpenSSL 3.
  const x = key.export({ format: 'jwk' }).x
  if (typeof x !== 'string') throw new Error('node:crypto returned a public JWK without x')
  return Uint8Array.from(Buffer.from(x, 'base64url'))
}

/** libsodium's SHA-256 when it loaded and agrees with @noble on a fixed input. */
const sodiumSha256 = ((): ((out: Uint8Array, data: Uint8Array) => void) | undefined => {
  const s = sodium
  if (!s) return undefined
  try {
    const probe = new Uint8Array([0x62, 0x65, 0x72, 0x74, 0x79])
    const out = new Uint8Array(32)
    s.crypto_hash_sha256(out, probe)
    const ref = sha256(probe)
    return out.every((v, i) => v === ref[i]) ? (o, d) => s.crypto_hash_sha256(o, d) : undefined
  } catch {
    return undefined
  }
})()

/**
 * OpenSSL 3 spends ~0.3 ms decoding a PKCS#8 key and ~0.07 ms an SPKI key, against ~0.025 ms for
 * the signature itself, so KeyObjects are cached (bounded, least-recently-used first out):
 * - public keys (verify, DH peers): not secret, cached freely;
 * - Ed25519 signing keys: long-lived (account, device, group signing key) and reused for every
 *   message; the map key is SHA-256 of the seed, never the seed. Call `clearCurveKeyCache()` when
 *   an account is closed.
 * X25519 secrets are never cached: ephemeral handshake keys must not outlive their use.
 */
const PUBLIC_CACHE_MAX = 512
// A node signs with its device key per group, each group's signing key and its account keys:
// with tens of groups, 32 thrashed (a PKCS#8 import costs more than the signature).
const SIGNING_CACHE_MAX = 256
const publicCache = new Map<string, NodeCrypto.KeyObject>()
const signingCache = new Map<string, { key: NodeCrypto.KeyObject; publicKey: Uint8Array }>()

/** LRU read of a bounded key cache (a Map in insertion order): a hit moves to the newest end. */
export function lruGet<V>(map: Map<string, V>, id: string): V | undefined {
  const hit = map.get(id)
  if (hit !== undefined) {
    map.delete(id)
    map.set(id, hit)
  }
  return hit
}

/** LRU write: at `max` entries the oldest goes first, handed to `evicted` (to wipe a secret). */
export function lruSet<V>(map: Map<string, V>, id: string, value: V, max: number, evicted?: (value: V) => void): void {
  if (map.size >= max) {
    const oldest = map.keys().next().value
    if (oldest !== undefined) {
      const gone = map.get(oldest)!
      map.delete(oldest)
      evicted?.(gone)
    }
  }
  map.set(id, value)
}

function publicKeyObject(kind: 'ed' | 'x', raw: Uint8Array): NodeCrypto.KeyObject {
  const id = kind + asBuffer(raw).toString('hex')
  const hit = lruGet(publicCache, id)
  if (hit !== undefined) return hit
  const der = withPrefix(kind === 'ed' ? ED25519_SPKI : X25519_SPKI, raw)
  const key = requireNode().createPublicKey({ key: asBuffer(der), format: 'der', type: 'spki' })
  lruSet(publicCache, id, key, PUBLIC_CACHE_MAX)
  return key
}

/** A signing-key cache's map key: SHA-256 of the seed, never the seed. */
export function signingKeyId(seed: Uint8Array): string {
  return asBuffer(fastSha256(seed)).toString('base64')
}

function signingKey(seed: Uint8Array): { key: NodeCrypto.KeyObject; publicKey: Uint8Array } {
  const id = signingKeyId(seed)
  const hit = lruGet(signingCache, id)
  if (hit !== undefined) return hit
  const key = privateKeyObject(ED25519_PKCS8, seed)
  const entry = { key, publicKey: rawPublic(requireNode().createPublicKey(key)) }
  lruSet(signingCache, id, entry, SIGNING_CACHE_MAX)
  return entry
}

/** Drops every cached KeyObject (curve-select.ts clearCurveKeyCache: an account closed or locked). */
export function clearNodeKeyCache(): void {
  publicCache.clear()
  signingCache.clear()
}

function toU8(buf: Buffer): Uint8Array {
  // A plain Uint8Array copy: Buffer subclasses compare unequal in tests and leak pooled memory.
  return new Uint8Array(buf)
}

function asBuffer(u8: Uint8Array): Buffer {
  return Buffer.from(u8.buffer, u8.byteOffset, u8.length)
}

export const nodeProvider: CurveProvider = Object.freeze({
  name: 'node' as const,
  ed25519PublicFromSeed(seed: Uint8Array): Uint8Array {
    // A signing key already loaded knows its public half; otherwise @noble's fixed-base
    // multiplication is faster than an OpenSSL PKCS#8 import, and does not cache a seed that may be
    // a derived secret (contact-group `s`, member seeds).
    const hit = lruGet(signingCache, signingKeyId(seed))
    return hit !== undefined ? hit.publicKey.slice() : ed25519.getPublicKey(seed)
  },
  ed25519Sign(seed: Uint8Array, msg: Uint8Array): Uint8Array {
    return toU8(requireNode().sign(null, asBuffer(msg), signingKey(seed).key))
  },
  ed25519Verify(publicKey: Uint8Array, msg: Uint8Array, sig: Uint8Array): boolean {
    try {
      return requireNode().verify(null, asBuffer(msg), publicKeyObject('ed', publicKey), asBuffer(sig))
    } catch {
      return false
    }
  },
  x25519(secret: Uint8Array, publicKey: Uint8Array): Uint8Array {
    const node = requireNode()
    let out: Uint8Array
    try {
      const shared = node.diffieHellman({
        privateKey: privateKeyObject(X25519_PKCS8, secret),
        publicKey: publicKeyObject('x', publicKey)
      })
      out = toU8(shared)
      shared.fill(0)
    } catch (err) {
      // OpenSSL refuses to derive an all-zero secret (RFC 7748 §6.1); lengths were checked already.
      throw lowOrder(err)
    }
    if (isAllZero(out)) {
      wipe(out)
      throw lowOrder()
    }
    return out
  },
  // @noble's fixed-base multiplication beats an OpenSSL PKCS#8 import (bench/crypto.ts), and the
  // secret is usually ephemeral, so it never enters OpenSSL at all.
  x25519PublicFromSecret: (secret: Uint8Array) => nobleX25519.getPublicKey(secret)
})

/**
 * Self-test at load: the node path is only used if it exists and agrees with @noble on a fixed
 * input (guards against a host whose OpenSSL/BoringSSL lacks Ed25519/X25519, e.g. an odd Electron).
 */
function nodeProviderWorks(): boolean {
  if (nodeCrypto === undefined) return false
  try {
    const seed = new Uint8Array(32).map((_, i) => i + 1)
    const msg = new Uint8Array([0x62, 0x65, 0x72, 0x74, 0x79])
    const pk = nodeProvider.ed25519PublicFromSeed(seed)
    const sig = nodeProvider.ed25519Sign(seed, msg)
    if (!nobleProvider.ed25519Verify(pk, msg, sig) || !nodeProvider.ed25519Verify(pk, msg, sig)) return false
    // Now served from the OpenSSL key loaded by the signature above.
    if (!nodeProvider.ed25519PublicFromSeed(seed).every((v, i) => v === pk[i])) return false
    const other = nobleProvider.x25519PublicFromSecret(seed.slice().reverse())
    const a = nodeProvider.x25519(seed, other)
    const b = nobleProvider.x25519(seed, other)
    return a.length === 32 && a.every((v, i) => v === b[i])
  } catch {
    return false
  } finally {
    clearNodeKeyCache()
  }
}

export const nodeProviderAvailable: boolean = nodeProviderWorks()

/**
 * SHA-256 on the fastest native path present: libsodium below SODIUM_SHA256_MAX bytes, node:crypto's
 * one-shot `hash` above (this machine, per call: 100 B 0.45 / 0.69 µs, 600 B 1.80 / 0.98, 1,000 B
 * 2.70 / 1.19, 8 KiB 21.7 / 5.2: libsodium's is portable C, OpenSSL's uses the SHA extensions), else
 * node:crypto's Hash object; @noble where neither loaded. Content addressing of every received
 * block (catch-up, a join's metadata) and noise's handshake hash run here. The same function; tests
 * compare the paths.
 */
export function fastSha256(data: Uint8Array): Uint8Array {
  if (oneShotSha256 && (data.length >= SODIUM_SHA256_MAX || !sodiumSha256)) return oneShotSha256(data)
  if (sodiumSha256) {
    const out = new Uint8Array(32)
    sodiumSha256(out, data)
    return out
  }
  if (nodeCrypto === undefined) return sha256(data)
  return toU8(nodeCrypto.createHash('sha256').update(asBuffer(data)).digest())
}

/** HKDF's default salt: HashLen zero bytes. */
const ZERO_SALT = new Uint8Array(32)

/**
 * HKDF-SHA256 (RFC 5869) with node:crypto's HMAC when present (9.5 µs against @noble's 14 µs for the
 * ratchet's 64 bytes: one derivation per message sent or received), @noble's `hkdf` otherwise. The
 * same function: tests compare both on random inputs. A missing salt is HashLen zero bytes, the
 * same HMAC key as @noble's default.
 */
export function fastHkdfSha256(ikm: Uint8Array, salt: Uint8Array | undefined, info: Uint8Array, length: number): Uint8Array {
  if (nodeCrypto === undefined || !Number.isInteger(length) || length <= 0 || length > 255 * 32) return hkdf(sha256, ikm, salt, info, length)
  const prk = nodeCrypto.createHmac('sha256', asBuffer(salt ?? ZERO_SALT)).update(asBuffer(ikm)).digest()
  const out = new Uint8Array(length)
  let prev: Buffer = Buffer.alloc(0)
  const counter = new Uint8Array(1)
  try {
    for (let at = 0, i = 1; at < length; i++, at += 32) {
      counter[0] = i
      const t = nodeCrypto.createHmac('sha256', prk).update(prev).update(asBuffer(info)).update(counter).digest()
      prev.fill(0)
      prev = t
      out.set(t.subarray(0, Math.min(32, length - at)), at)
    }
    return out
  } finally {
    prk.fill(0)
    prev.fill(0)
  }
}

