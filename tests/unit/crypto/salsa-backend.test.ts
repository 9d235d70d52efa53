/**
 * The XSalsa20-Poly1305 backends (core/crypto/salsa-backend.ts): libsodium (sodium-native) and @noble must
 * seal and open the same bytes; the known-answer and tampered vectors pass on both; lengths are refused
 * in secretbox.ts before any backend runs.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as c from '../../../core/crypto'
import box from '../../vectors/box.json'
import negative from '../../vectors/negative.json'
import { hex, toHex } from './helpers'

const hasPrebuild = existsSync(
  join(process.cwd(), 'node_modules', 'sodium-native', 'prebuilds', `${process.platform}-${process.arch}`)
)

const backends: Array<[string, c.SalsaBackend]> = [
  ['noble', c.nobleSalsa],
  ...(c.sodiumSalsa ? ([['sodium', c.sodiumSalsa]] as Array<[string, c.SalsaBackend]>) : [])
]

function useBackend(backend: c.SalsaBackend): void {
  let previous: c.SalsaBackend
  beforeAll(() => {
    previous = c.getSalsaBackend()
    c.setSalsaBackend(backend)
  })
  afterAll(() => c.setSalsaBackend(previous))
}

describe('backend selection', () => {
  it.runIf(hasPrebuild)('sodium-native loads and is selected where a prebuild exists', () => {
    expect(c.sodiumUnavailableReason).toBeUndefined()
    expect(c.sodiumSalsa?.name).toBe('sodium')
    expect(c.getSalsaBackend().name).toBe('sodium')
  })
})

describe.each(backends)('secretbox vectors on the %s backend', (name, backend) => {
  useBackend(backend)

  it('is the selected backend', () => {
    expect(c.getSalsaBackend().name).toBe(name)
  })

  it('known answers (tests/vectors/box.json, libsodium)', () => {
    for (const v of box.vectors.secretbox) {
      expect(toHex(c.secretboxSealWithNonce(hex(v.key), hex(v.nonce), hex(v.plaintext)))).toBe(v.ciphertext)
      expect(toHex(c.secretboxOpenWithNonce(hex(v.key), hex(v.nonce), hex(v.ciphertext)))).toBe(v.plaintext)
    }
  })

  it.each(negative.vectors.tamperedSecretbox.map((t) => [t.name, t] as const))('tampered: %s → ERR_DECRYPT', (_n, t) => {
    expect(() => c.secretboxOpenWithNonce(hex(t.key), hex(t.nonce), hex(t.ciphertext))).toThrow(
      expect.objectContaining({ name: 'CryptoError', code: 'ERR_DECRYPT' })
    )
  })

  it('every single flipped bit of a box → ERR_DECRYPT', () => {
    const key = c.randomBytes(32)
    const nonce = c.randomBytes(24)
    const sealed = c.secretboxSealWithNonce(key, nonce, c.randomBytes(40))
    for (let i = 0; i < sealed.length * 8; i += 3) {
      const bad = sealed.slice()
      bad[i >> 3] = (bad[i >> 3] as number) ^ (1 << (i & 7))
      expect(() => c.secretboxOpenWithNonce(key, nonce, bad)).toThrow(expect.objectContaining({ code: 'ERR_DECRYPT' }))
    }
    const wrongKey = key.slice()
    wrongKey[0] = (wrongKey[0] as number) ^ 1
    expect(() => c.secretboxOpenWithNonce(wrongKey, nonce, sealed)).toThrow(expect.objectContaining({ code: 'ERR_DECRYPT' }))
  })
})

describe.runIf(c.sodiumSalsa !== undefined)('sodium and noble agree', () => {
  const sodium = c.sodiumSalsa as c.SalsaBackend
  const sizes = [0, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 200, 1000, 4096, 16384, 65536]

  it('seal with one, open with the other, on random keys, nonces and sizes', () => {
    for (const size of sizes) {
      const key = c.randomBytes(32)
      const nonce = c.randomBytes(24)
      const pt = c.randomBytes(size)
      const a = sodium.seal(key, nonce, pt)
      const b = c.nobleSalsa.seal(key, nonce, pt)
      expect(toHex(a), `size ${size}`).toBe(toHex(b))
      expect(toHex(c.nobleSalsa.open(key, nonce, a) as Uint8Array)).toBe(toHex(pt))
      expect(toHex(sodium.open(key, nonce, b) as Uint8Array)).toBe(toHex(pt))
    }
  })

  it('inputs that are views into larger buffers (offsets, Buffers) give the same bytes', () => {
    const backing = c.randomBytes(32 + 24 + 300 + 7)
    const key = backing.subarray(3, 35)
    const nonce = Buffer.from(backing.buffer, backing.byteOffset + 35, 24)
    const pt = backing.subarray(59, 359)
    const a = sodium.seal(key, nonce, pt)
    expect(toHex(a)).toBe(toHex(c.nobleSalsa.seal(key, nonce, pt)))
    const inner = new Uint8Array(a.length + 5)
    inner.set(a, 5)
    expect(toHex(sodium.open(key, nonce, inner.subarray(5)) as Uint8Array)).toBe(toHex(pt))
  })

  it('both refuse the same forgeries', () => {
    for (let i = 0; i < 50; i++) {
      const key = c.randomBytes(32)
      const nonce = c.randomBytes(24)
      const junk = c.randomBytes(16 + i * 3)
      expect(sodium.open(key, nonce, junk)).toBeUndefined()
      expect(c.nobleSalsa.open(key, nonce, junk)).toBeUndefined()
    }
  })
})

describe('lengths are refused before any backend runs', () => {
  const calls: string[] = []
  const recording: c.SalsaBackend = {
    name: c.getSalsaBackend().name,
    seal: (k, n, p) => {
      calls.push('seal')
      return (c.sodiumSalsa ?? c.nobleSalsa).seal(k, n, p)
    },
    open: (k, n, b) => {
      calls.push('open')
      return (c.sodiumSalsa ?? c.nobleSalsa).open(k, n, b)
    }
  }
  useBackend(recording)

  it('bad key, bad nonce, short box, wrong types', () => {
    const expectCode = (fn: () => unknown, code: string): void => {
      expect(fn).toThrow(expect.objectContaining({ name: 'CryptoError', code }))
    }
    expectCode(() => c.secretboxOpenWithNonce(new Uint8Array(31), new Uint8Array(24), new Uint8Array(16)), 'ERR_BAD_KEY_LENGTH')
    expectCode(() => c.secretboxOpenWithNonce(new Uint8Array(33), new Uint8Array(24), new Uint8Array(16)), 'ERR_BAD_KEY_LENGTH')
    expectCode(() => c.secretboxOpenWithNonce(new Uint8Array(32), new Uint8Array(23), new Uint8Array(16)), 'ERR_BAD_NONCE')
    expectCode(() => c.secretboxOpenWithNonce(new Uint8Array(32), new Uint8Array(24), new Uint8Array(15)), 'ERR_DECRYPT')
    expectCode(() => c.secretboxSealWithNonce(new Uint8Array(16), new Uint8Array(24), new Uint8Array(1)), 'ERR_BAD_KEY_LENGTH')
    expectCode(() => c.secretboxSealWithNonce(new Uint8Array(32), new Uint8Array(8), new Uint8Array(1)), 'ERR_BAD_NONCE')
    expectCode(() => c.secretboxSealWithNonce(new Uint8Array(32), new Uint8Array(24), 'x' as unknown as Uint8Array), 'ERR_BAD_TYPE')
    expectCode(() => c.secretboxOpen(new Uint8Array(32), new Uint8Array(39)), 'ERR_DECRYPT')
    expect(calls).toEqual([])
    // A well-sized call does reach the backend.
    const sealed = c.secretboxSeal(new Uint8Array(32), new Uint8Array(3))
    expect(toHex(c.secretboxOpen(new Uint8Array(32), sealed))).toBe('000000')
    expect(calls).toEqual(['seal', 'open'])
  })
})
