// The limb-wise base58btc of entry hashes (core/groups/base58.ts) against multiformats' base58btc.
import { randomBytes } from 'node:crypto'
import { base58btc } from 'multiformats/bases/base58'
import { describe, expect, it } from 'vitest'
import { base58btcMultibase } from '../../../core/groups/base58'

describe('base58btcMultibase', () => {
  it('equals multiformats base58btc.encode on random inputs of every length, with leading zeros', () => {
    for (let len = 0; len <= 80; len++) {
      for (let i = 0; i < 40; i++) {
        const b = new Uint8Array(randomBytes(len))
        if (i % 4 === 1) b.fill(0, 0, Math.min(len, i % 7))
        if (i % 9 === 2) b.fill(0)
        if (i % 9 === 3) b.fill(0xff)
        expect(base58btcMultibase(b), Buffer.from(b).toString('hex')).toBe(base58btc.encode(b))
      }
    }
  })

  it('CIDv1 dag-cbor sha2-256 bytes (the entry hashes) and limb boundaries', () => {
    for (let i = 0; i < 3000; i++) {
      const cid = new Uint8Array(36)
      cid.set([0x01, 0x71, 0x12, 0x20])
      cid.set(randomBytes(32), 4)
      expect(base58btcMultibase(cid)).toBe(base58btc.encode(cid))
    }
    for (const v of [0, 1, 57, 58, 58 ** 4 - 1, 58 ** 4, 2 ** 24 - 1, 2 ** 24, 2 ** 48 - 1, 2 ** 48]) {
      const b = new Uint8Array(8)
      new DataView(b.buffer).setBigUint64(0, BigInt(v))
      expect(base58btcMultibase(b)).toBe(base58btc.encode(b))
    }
  })
})
