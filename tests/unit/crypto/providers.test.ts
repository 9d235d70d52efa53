/** The node:crypto and @noble providers must agree byte for byte on random inputs (provider.ts claim). */
import { describe, expect, it } from 'vitest'
import * as c from '../../../core/crypto'
import { nobleProvider, nodeProvider, nodeProviderAvailable } from '../../../core/crypto'
import { providers, toHex } from './helpers'

describe.runIf(nodeProviderAvailable)('providers agree on random inputs', () => {
  it('node is selected automatically under Node', () => {
    expect(c.getCurveProvider().name).toBe('node')
  })

  it('ed25519 pub/sign/verify', () => {
    for (let i = 0; i < 50; i++) {
      const seed = c.randomBytes(32)
      const msg = c.randomBytes(i * 7)
      const pk = nobleProvider.ed25519PublicFromSeed(seed)
      expect(toHex(nodeProvider.ed25519PublicFromSeed(seed))).toBe(toHex(pk))
      const sig = nobleProvider.ed25519Sign(seed, msg)
      expect(toHex(nodeProvider.ed25519Sign(seed, msg))).toBe(toHex(sig))
      // After a signature the node provider answers pubFromSeed from its OpenSSL key, not @noble.
      expect(toHex(nodeProvider.ed25519PublicFromSeed(seed))).toBe(toHex(pk))
      expect(nodeProvider.ed25519Verify(pk, msg, sig)).toBe(true)
      expect(nobleProvider.ed25519Verify(pk, msg, sig)).toBe(true)
      const bad = sig.slice()
      bad[i % 64] = (bad[i % 64] as number) ^ 4
      expect(nodeProvider.ed25519Verify(pk, msg, bad)).toBe(false)
      expect(nobleProvider.ed25519Verify(pk, msg, bad)).toBe(false)
    }
  })

  it('verify agrees on random garbage public keys and signatures', () => {
    for (let i = 0; i < 50; i++) {
      const pk = c.randomBytes(32)
      const sig = c.randomBytes(64)
      const msg = c.randomBytes(8)
      expect(nodeProvider.ed25519Verify(pk, msg, sig)).toBe(nobleProvider.ed25519Verify(pk, msg, sig))
    }
  })

  it('x25519 public keys and shared secrets (also on unclamped / high-bit inputs)', () => {
    for (let i = 0; i < 50; i++) {
      const a = c.randomBytes(32)
      const b = c.randomBytes(32)
      const pb = nobleProvider.x25519PublicFromSecret(b)
      expect(toHex(nodeProvider.x25519PublicFromSecret(b))).toBe(toHex(pb))
      expect(toHex(nodeProvider.x25519(a, pb))).toBe(toHex(nobleProvider.x25519(a, pb)))
      // Random 32 bytes as a u-coordinate (high bit set half the time): both mask and agree.
      const u = c.randomBytes(32)
      expect(toHex(nodeProvider.x25519(a, u))).toBe(toHex(nobleProvider.x25519(a, u)))
    }
  })

  it('contact group derivation is symmetric on random accounts for every provider', () => {
    for (const [, p] of providers) {
      c.setCurveProvider(p)
      const a = c.ed25519Keygen()
      const b = c.ed25519Keygen()
      const ab = c.contactGroupKeys(a.seed, b.publicKey)
      const ba = c.contactGroupKeys(b.seed, a.publicKey)
      expect(toHex(ab.groupPk)).toBe(toHex(ba.groupPk))
      expect(toHex(ab.groupSecret)).toBe(toHex(ba.groupSecret))
    }
    c.setCurveProvider(nodeProvider)
  })
})

describe.runIf(nodeProviderAvailable)('node key cache', () => {
  it('signs correctly across LRU eviction and after clearCurveKeyCache()', () => {
    const seeds = Array.from({ length: 40 }, () => c.randomBytes(32))
    const msg = c.randomBytes(10)
    for (let round = 0; round < 2; round++) {
      for (const seed of seeds) {
        expect(toHex(nodeProvider.ed25519Sign(seed, msg))).toBe(toHex(nobleProvider.ed25519Sign(seed, msg)))
      }
      c.clearCurveKeyCache()
    }
  })

  it('a reused buffer with new content is not served a stale key', () => {
    const seed = c.randomBytes(32)
    const msg = c.randomBytes(10)
    nodeProvider.ed25519Sign(seed, msg)
    seed.set(c.randomBytes(32))
    expect(toHex(nodeProvider.ed25519Sign(seed, msg))).toBe(toHex(nobleProvider.ed25519Sign(seed, msg)))
    expect(toHex(nodeProvider.ed25519PublicFromSeed(seed))).toBe(toHex(nobleProvider.ed25519PublicFromSeed(seed)))
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
