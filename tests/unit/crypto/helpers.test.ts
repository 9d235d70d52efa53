import { describe, expect, it } from 'vitest'
import * as c from '../../../core/crypto'
import { toHex } from './helpers'

describe('byte helpers', () => {
  it('u64be is big-endian and limited to safe integers', () => {
    expect(toHex(c.u64be(0))).toBe('0000000000000000')
    expect(toHex(c.u64be(0x0102030405))).toBe('0000000102030405')
    expect(toHex(c.u64be(Number.MAX_SAFE_INTEGER))).toBe('001fffffffffffff')
    expect(() => c.u64be(-1)).toThrow(c.CryptoError)
    expect(() => c.u64be(2 ** 53)).toThrow(c.CryptoError)
  })

  it('equalBytes compares content and length', () => {
    expect(c.equalBytes(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toBe(true)
    expect(c.equalBytes(new Uint8Array([1, 2]), new Uint8Array([1, 3]))).toBe(false)
    expect(c.equalBytes(new Uint8Array([1]), new Uint8Array([1, 0]))).toBe(false)
    expect(c.equalBytes(new Uint8Array(), new Uint8Array())).toBe(true)
  })

  it('wipe zeroes every buffer and tolerates undefined', () => {
    const a = new Uint8Array([1, 2, 3])
    const b = new Uint8Array([4])
    c.wipe(a, undefined, b)
    expect([...a, ...b]).toEqual([0, 0, 0, 0])
  })

  it('randomBytes returns fresh bytes of the requested length', () => {
    expect(c.randomBytes(0).length).toBe(0)
    const x = c.randomBytes(32)
    expect(x.length).toBe(32)
    expect(c.equalBytes(x, c.randomBytes(32))).toBe(false)
  })

  it('randomNonce draws distinct nonces across pool refills, and refuses bad lengths', () => {
    const seen = new Set<string>()
    // 1,000 × 24 bytes spans several 4 KiB pool refills.
    for (let i = 0; i < 1000; i++) {
      const n = c.randomNonce(24)
      expect(n.length).toBe(24)
      seen.add(Buffer.from(n).toString('hex'))
    }
    expect(seen.size).toBe(1000)
    // Each nonce is its own copy: changing one leaves the next draws alone.
    const a = c.randomNonce(24)
    a.fill(0)
    expect(c.isAllZero(c.randomNonce(24))).toBe(false)
    for (const bad of [0, 65, 1.5, -1, Number.NaN]) expect(() => c.randomNonce(bad)).toThrow(c.CryptoError)
  })
})

describe('secretbox / box with random nonces', () => {
  it('round-trips and refuses tampering', () => {
    const key = c.randomBytes(32)
    const pt = c.randomBytes(100)
    const sealed = c.secretboxSeal(key, pt)
    expect(sealed.length).toBe(24 + 16 + 100)
    expect(toHex(c.secretboxOpen(key, sealed))).toBe(toHex(pt))
    sealed[50] = (sealed[50] as number) ^ 1
    expect(() => c.secretboxOpen(key, sealed)).toThrow(expect.objectContaining({ code: 'ERR_DECRYPT' }))
    expect(() => c.secretboxOpen(key, new Uint8Array(39))).toThrow(expect.objectContaining({ code: 'ERR_DECRYPT' }))
  })

  it('naclBox round-trips between two key pairs', () => {
    const a = c.x25519Keygen()
    const b = c.x25519Keygen()
    const sealed = c.naclBox(b.publicKey, a.secretKey, new Uint8Array([7, 8, 9]))
    expect([...c.naclBoxOpen(a.publicKey, b.secretKey, sealed)]).toEqual([7, 8, 9])
  })
})

describe('rendezvous periods', () => {
  it('floors to the interval and exposes the previous point during the grace period', () => {
    expect(c.rendezvousPeriodStart(86400 * 3 + 5)).toBe(86400 * 3)
    expect(c.rendezvousPeriodStart(7199.9, 3600)).toBe(3600)
    const topic = c.randomBytes(32)
    const seed = c.randomBytes(32)
    const inGrace = c.activeRendezvousPoints(topic, seed, 86400 * 10 + 60)
    expect(inGrace).toHaveLength(2)
    expect(toHex(inGrace[1]!)).toBe(toHex(c.rendezvousPoint(topic, seed, 86400 * 9)))
    expect(c.activeRendezvousPoints(topic, seed, 86400 * 10 + 601)).toHaveLength(1)
    expect(() => c.rendezvousPeriodStart(10, 0)).toThrow(c.CryptoError)
  })
})

describe('ratchet', () => {
  it('seals and opens with the derived message key, and a wrong counter fails', () => {
    const { messageKey } = c.deriveNextKeys(c.randomBytes(32), c.randomBytes(32))
    const ct = c.sealMessageBody(messageKey, 42, new Uint8Array([1, 2, 3]))
    expect([...c.openMessageBody(messageKey, 42, ct)]).toEqual([1, 2, 3])
    expect(() => c.openMessageBody(messageKey, 43, ct)).toThrow(expect.objectContaining({ code: 'ERR_DECRYPT' }))
  })
})
