/** Negative vectors (tests/vectors/negative.json): each must return false or throw the typed error. */
import { describe, expect, it } from 'vitest'
import * as c from '../../../core/crypto'
import negative from '../../vectors/negative.json'
import { hex, providers, useProvider } from './helpers'

function expectCryptoError(fn: () => unknown, code: c.CryptoErrorCode): void {
  let thrown: unknown
  try {
    fn()
  } catch (err) {
    thrown = err
  }
  expect(thrown, `expected CryptoError ${code}`).toBeInstanceOf(c.CryptoError)
  expect((thrown as c.CryptoError).name).toBe('CryptoError')
  expect((thrown as c.CryptoError).code).toBe(code)
}

const fns = c as unknown as Record<string, (...args: unknown[]) => unknown>

describe.each(providers)('negative vectors on the %s provider', (_name, provider) => {
  useProvider(provider)
  const v = negative.vectors

  it.each(v.badSignatures.map((s) => [s.name, s] as const))('rejects signature: %s', (_n, s) => {
    expect(c.ed25519Verify(hex(s.publicKey), hex(s.msg), hex(s.sig))).toBe(false)
  })

  it('x25519 with low-order points throws ERR_LOW_ORDER', () => {
    for (const lo of v.lowOrderX25519) {
      expectCryptoError(() => c.x25519(hex(lo.secret), hex(lo.publicKey)), 'ERR_LOW_ORDER')
      expectCryptoError(() => c.naclBoxBeforeNm(hex(lo.publicKey), hex(lo.secret)), 'ERR_LOW_ORDER')
    }
  })

  it('Ed25519 small-order public keys cannot be converted (ERR_LOW_ORDER)', () => {
    for (const p of v.smallOrderEd25519) {
      expectCryptoError(() => c.edPublicToX25519Public(hex(p)), 'ERR_LOW_ORDER')
      expectCryptoError(() => c.contactGroupKeys(hex(v.lowOrderX25519[0]!.secret), hex(p)), 'ERR_LOW_ORDER')
    }
  })

  it('non-points are rejected (ERR_BAD_KEY) and never verify', () => {
    for (const p of v.notOnCurveEd25519) {
      expectCryptoError(() => c.edPublicToX25519Public(hex(p)), 'ERR_BAD_KEY')
      expect(c.ed25519Verify(hex(p), new Uint8Array(1), new Uint8Array(64))).toBe(false)
    }
  })

  it.each(v.tamperedSecretbox.map((t) => [t.name, t] as const))('tampered box: %s → ERR_DECRYPT', (_n, t) => {
    expectCryptoError(() => c.secretboxOpenWithNonce(hex(t.key), hex(t.nonce), hex(t.ciphertext)), 'ERR_DECRYPT')
  })

  it('wrong lengths throw before any work', () => {
    for (const b of v.badLengths) {
      const fn = fns[b.fn]
      expect(fn, b.fn).toBeTypeOf('function')
      const args = b.args.map((a) => (typeof a === 'string' ? hex(a) : a))
      expectCryptoError(() => fn!(...args), b.code as c.CryptoErrorCode)
    }
  })

  it('bad counters throw ERR_BAD_COUNTER', () => {
    const key = new Uint8Array(32)
    for (const n of v.badCounters) {
      expectCryptoError(() => c.sealMessageBody(key, n as number, new Uint8Array(1)), 'ERR_BAD_COUNTER')
      expectCryptoError(() => c.openMessageBody(key, n as number, new Uint8Array(32)), 'ERR_BAD_COUNTER')
      expectCryptoError(() => c.rendezvousPoint(key, key, n as number), 'ERR_BAD_COUNTER')
    }
  })

  it('non-Uint8Array inputs throw ERR_BAD_TYPE', () => {
    expectCryptoError(() => c.sha256('abc' as unknown as Uint8Array), 'ERR_BAD_TYPE')
    expectCryptoError(() => c.ed25519Sign([1, 2] as unknown as Uint8Array, new Uint8Array()), 'ERR_BAD_TYPE')
    expectCryptoError(() => c.secretboxOpen(new Uint8Array(32), null as unknown as Uint8Array), 'ERR_BAD_TYPE')
  })
})
