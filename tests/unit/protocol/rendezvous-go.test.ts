/**
 * Public rendezvous points, the whole chain from account key + seed + time to namespace and DHT key,
 * against tests/vectors/wesh-go.json (computed by weshnet's own code, tests/vectors/go).
 */
import { describe, expect, it } from 'vitest'
import { CryptoError } from '../../../core/crypto'
import { publicRendezvousPoint, rendezvousDhtKey } from '../../../core/protocol'
import vectors from '../../vectors/wesh-go.json'

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'))
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

describe('publicRendezvousPoint (weshnet tinder_swiper + rotation + go-libp2p nsToCid)', () => {
  for (const v of vectors.rendezvousChain) {
    it(`at ${v.unixSeconds}`, async () => {
      const at = new Date(v.unixSeconds * 1000 + 999) // sub-second part is dropped, as Go's Unix() does
      const r = publicRendezvousPoint(hex(v.accountPk), hex(v.seed), at)
      expect(r.periodStart).toBe(v.periodStart)
      expect(toHex(r.point)).toBe(v.point)
      expect(r.namespace).toBe(v.namespace)
      const cid = await rendezvousDhtKey(r.namespace)
      expect(toHex(cid.bytes)).toBe(v.dhtKeyCid)
      expect(cid.toString()).toBe(v.dhtKeyCidString)
    })
  }

  it('rotates at the 24 h boundary', () => {
    const a = vectors.rendezvousChain[4] as (typeof vectors.rendezvousChain)[number]
    const b = vectors.rendezvousChain[5] as (typeof vectors.rendezvousChain)[number]
    expect(a.periodStart + 86400).toBe(b.periodStart)
    expect(a.point).not.toBe(b.point)
  })

  it('refuses bad inputs with a typed error', async () => {
    const pk = new Uint8Array(32)
    expect(() => publicRendezvousPoint(new Uint8Array(31), new Uint8Array(32), new Date())).toThrow(CryptoError)
    expect(() => publicRendezvousPoint(pk, new Uint8Array(16), new Date())).toThrow(CryptoError)
    expect(() => publicRendezvousPoint(pk, new Uint8Array(32), new Date(Number.NaN))).toThrow(CryptoError)
    await expect(rendezvousDhtKey('')).rejects.toBeInstanceOf(CryptoError)
  })
})
