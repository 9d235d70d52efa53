/**
 * The native providers (node:crypto, libsodium) and @noble must agree byte for byte on random inputs,
 * and accept exactly the same signatures (provider.ts, sodium-provider.ts claims).
 */
import { describe, expect, it } from 'vitest'
import { ed25519 } from '@noble/curves/ed25519.js'
import * as c from '../../../core/crypto'
import { nobleProvider, nodeProvider, nodeProviderAvailable, sodiumProvider } from '../../../core/crypto'
import { providers, toHex } from './helpers'

const natives = providers.filter(([name]) => name !== 'noble')

describe.runIf(natives.length > 0)('native providers agree with @noble on random inputs', () => {
  it('node:crypto passes its load-time self-test under Node (else its tests here would drop out silently)', () => {
    expect(nodeProviderAvailable).toBe(typeof process !== 'undefined' && process.versions.node !== undefined)
  })

  it('libsodium is selected automatically when it loads, else node:crypto', () => {
    expect(c.getCurveProvider().name).toBe(sodiumProvider ? 'sodium' : 'node')
  })

  it.each(natives)('%s: ed25519 pub/sign/verify', (_name, p) => {
    for (let i = 0; i < 50; i++) {
      const seed = c.randomBytes(32)
      const msg = c.randomBytes(i * 7)
      const pk = nobleProvider.ed25519PublicFromSeed(seed)
      expect(toHex(p.ed25519PublicFromSeed(seed))).toBe(toHex(pk))
      const sig = nobleProvider.ed25519Sign(seed, msg)
      expect(toHex(p.ed25519Sign(seed, msg))).toBe(toHex(sig))
      // After a signature the provider answers pubFromSeed from its cached signing key, not @noble.
      expect(toHex(p.ed25519PublicFromSeed(seed))).toBe(toHex(pk))
      expect(p.ed25519Verify(pk, msg, sig)).toBe(true)
      expect(nobleProvider.ed25519Verify(pk, msg, sig)).toBe(true)
      const bad = sig.slice()
      bad[i % 64] = (bad[i % 64] as number) ^ 4
      expect(p.ed25519Verify(pk, msg, bad)).toBe(false)
      expect(nobleProvider.ed25519Verify(pk, msg, bad)).toBe(false)
    }
  })

  it.each(natives)('%s: verify agrees on random garbage public keys and signatures', (_name, p) => {
    for (let i = 0; i < 50; i++) {
      const pk = c.randomBytes(32)
      const sig = c.randomBytes(64)
      const msg = c.randomBytes(8)
      expect(p.ed25519Verify(pk, msg, sig)).toBe(nobleProvider.ed25519Verify(pk, msg, sig))
    }
  })

  it.runIf(nodeProviderAvailable).each(natives)('%s: the verdict of OpenSSL on a small-order key, which libsodium alone refuses', (_name, p) => {
    // A = the identity (small order): R = sB satisfies sB = R + hA for every message. OpenSSL's
    // cofactorless check accepts it; libsodium (and @noble in strict mode) refuse small-order keys.
    // Both native providers must give OpenSSL's verdict, so nodes on either backend accept the same
    // entries; @noble, the fallback where node:crypto is absent, is the known exception.
    const identity = new Uint8Array(32)
    identity[0] = 1
    for (let i = 0; i < 5; i++) {
      const s = ed25519.Point.Fn.create(BigInt('0x' + toHex(c.randomBytes(32))))
      const sig = new Uint8Array([...ed25519.Point.BASE.multiply(s).toBytes(), ...ed25519.Point.Fn.toBytes(s)])
      const msg = c.randomBytes(12)
      expect(nodeProvider.ed25519Verify(identity, msg, sig)).toBe(true)
      expect(p.ed25519Verify(identity, msg, sig)).toBe(true)
      expect(nobleProvider.ed25519Verify(identity, msg, sig)).toBe(false)
    }
  })

  it.each(natives)('%s: x25519 public keys and shared secrets (also on unclamped / high-bit inputs)', (_name, p) => {
    for (let i = 0; i < 50; i++) {
      const a = c.randomBytes(32)
      const b = c.randomBytes(32)
      const pb = nobleProvider.x25519PublicFromSecret(b)
      expect(toHex(p.x25519PublicFromSecret(b))).toBe(toHex(pb))
      expect(toHex(p.x25519(a, pb))).toBe(toHex(nobleProvider.x25519(a, pb)))
      // Random 32 bytes as a u-coordinate (high bit set half the time): both mask and agree.
      const u = c.randomBytes(32)
      expect(toHex(p.x25519(a, u))).toBe(toHex(nobleProvider.x25519(a, u)))
    }
  })

  it.each(natives)('%s: x25519 with a low-order peer throws ERR_LOW_ORDER', (_name, p) => {
    expect(() => p.x25519(c.randomBytes(32), new Uint8Array(32))).toThrow(expect.objectContaining({ code: 'ERR_LOW_ORDER' }))
  })

  it('contact group derivation is symmetric on random accounts for every provider', () => {
    const before = c.getCurveProvider()
    for (const [, p] of providers) {
      c.setCurveProvider(p)
      const a = c.ed25519Keygen()
      const b = c.ed25519Keygen()
      const ab = c.contactGroupKeys(a.seed, b.publicKey)
      const ba = c.contactGroupKeys(b.seed, a.publicKey)
      expect(toHex(ab.groupPk)).toBe(toHex(ba.groupPk))
      expect(toHex(ab.groupSecret)).toBe(toHex(ba.groupSecret))
    }
    c.setCurveProvider(before)
  })
})

describe.runIf(natives.length > 0)('signing key caches', () => {
  it.each(natives)('%s: signs correctly across LRU eviction and after clearCurveKeyCache()', (_name, p) => {
    const seeds = Array.from({ length: 300 }, () => c.randomBytes(32))
    const msg = c.randomBytes(10)
    for (let round = 0; round < 2; round++) {
      for (const seed of seeds) {
        expect(toHex(p.ed25519Sign(seed, msg))).toBe(toHex(nobleProvider.ed25519Sign(seed, msg)))
      }
      c.clearCurveKeyCache()
    }
  })

  it.each(natives)('%s: a reused buffer with new content is not served a stale key', (_name, p) => {
    const seed = c.randomBytes(32)
    const msg = c.randomBytes(10)
    p.ed25519Sign(seed, msg)
    seed.set(c.randomBytes(32))
    expect(toHex(p.ed25519Sign(seed, msg))).toBe(toHex(nobleProvider.ed25519Sign(seed, msg)))
    expect(toHex(p.ed25519PublicFromSeed(seed))).toBe(toHex(nobleProvider.ed25519PublicFromSeed(seed)))
  })
})

describe('provider selection', () => {
  it('setCurveProvider switches the backend', () => {
    const before = c.getCurveProvider()
    c.setCurveProvider(nobleProvider)
    expect(c.getCurveProvider().name).toBe('noble')
    c.setCurveProvider(before)
    expect(c.getCurveProvider()).toBe(before)
  })
})

describe('fastHkdfSha256', () => {
  it('gives @noble hkdf(sha256) bytes for random inputs, salts and lengths', async () => {
    const { hkdf } = await import('@noble/hashes/hkdf.js')
    const { sha256 } = await import('@noble/hashes/sha2.js')
    for (let i = 0; i < 60; i++) {
      const ikm = c.randomBytes(1 + (i % 40))
      const info = c.randomBytes(i % 33)
      const salt = i % 3 === 0 ? undefined : c.randomBytes(i % 70)
      const len = [1, 31, 32, 33, 64, 100, 255][i % 7]!
      expect(toHex(c.fastHkdfSha256(ikm, salt, info, len))).toBe(toHex(hkdf(sha256, ikm, salt, info, len)))
    }
  })
})

describe('fastSha256', () => {
  it('gives @noble sha256 bytes on both sides of the libsodium / OpenSSL switch (256 bytes)', async () => {
    const { sha256 } = await import('@noble/hashes/sha2.js')
    for (const len of [0, 1, 55, 56, 64, 255, 256, 257, 600, 1000, 8192, 65_536]) {
      for (let i = 0; i < 3; i++) {
        const data = c.randomBytes(len)
        expect(toHex(c.fastSha256(data))).toBe(toHex(sha256(data)))
      }
    }
    // A view into a larger buffer hashes the view only.
    const big = c.randomBytes(1000)
    const view = big.subarray(100, 700)
    expect(toHex(c.fastSha256(view))).toBe(toHex(sha256(view.slice())))
  })
})

describe.runIf(sodiumProvider !== undefined)('edPublicToX25519Public through libsodium', () => {
  it('gives @noble toMontgomery bytes for random keys, and @noble errors for refused keys', async () => {
    const { sodiumEdPkToX25519 } = await import('../../../core/crypto/sodium-provider')
    for (let i = 0; i < 100; i++) {
      const pk = nobleProvider.ed25519PublicFromSeed(c.randomBytes(32))
      expect(toHex(sodiumEdPkToX25519!(pk)!)).toBe(toHex(ed25519.utils.toMontgomery(pk)))
      expect(toHex(c.edPublicToX25519Public(pk))).toBe(toHex(ed25519.utils.toMontgomery(pk)))
    }
    // Small order (the identity), outside the prime-order subgroup (a key plus a torsion point),
    // non-canonical y: libsodium refuses all three; the result is what @noble's path decides.
    const identity = new Uint8Array(32)
    identity[0] = 1
    expect(sodiumEdPkToX25519!(identity)).toBeUndefined()
    expect(() => c.edPublicToX25519Public(identity)).toThrow(expect.objectContaining({ code: 'ERR_LOW_ORDER' }))
    const torsion = ed25519.Point.fromHex('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa')
    const mixed = ed25519.Point.fromBytes(nobleProvider.ed25519PublicFromSeed(c.randomBytes(32))).add(torsion).toBytes()
    expect(sodiumEdPkToX25519!(mixed)).toBeUndefined()
    expect(toHex(c.edPublicToX25519Public(mixed))).toBe(toHex(ed25519.utils.toMontgomery(mixed)))
    const nonCanonical = new Uint8Array(32).fill(0xff)
    nonCanonical[0] = 0xee
    nonCanonical[31] = 0x7f
    expect(sodiumEdPkToX25519!(nonCanonical)).toBeUndefined()
  })
})
