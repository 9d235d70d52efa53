/**
 * The ChaCha20-Poly1305 backends (core/crypto/aead.ts), the noise transport's cipher: libsodium and @noble
 * must give RFC 8439's answer, each open what the other seals, with Node's OpenSSL as a third opinion,
 * and refuse anything tampered.
 */
import { createCipheriv } from 'node:crypto'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import * as c from '../../../core/crypto'
import { hex, toHex } from './helpers'

const hasPrebuild = existsSync(join(process.cwd(), 'node_modules', 'sodium-native', 'prebuilds', `${process.platform}-${process.arch}`))

const backends: Array<[string, c.AeadBackend]> = [
  ['noble', c.nobleAead],
  ...(c.sodiumAead ? ([['sodium', c.sodiumAead]] as Array<[string, c.AeadBackend]>) : [])
]

/** RFC 8439 §2.8.2, "Example and Test Vector for AEAD_CHACHA20_POLY1305". */
const RFC = {
  key: '808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f',
  nonce: '070000004041424344454647',
  ad: '50515253c0c1c2c3c4c5c6c7',
  plaintext: Buffer.from("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.").toString('hex'),
  ciphertext:
    'd31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b' +
    '1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc' +
    '3ff4def08e4b7a9de576d26586cec64b6116',
  tag: '1ae10b594f09e26a7e902ecbd0600691'
}

/** Node's OpenSSL, an implementation shared with neither backend. */
function opensslSeal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, ad: Uint8Array): string {
  const cipher = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 })
  cipher.setAAD(ad, { plaintextLength: plaintext.length })
  return Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]).toString('hex')
}

describe('ChaCha20-Poly1305 backend selection', () => {
  it.runIf(hasPrebuild)('sodium-native passes its self-test where a prebuild exists', () => {
    expect(c.sodiumAead?.name).toBe('sodium')
  })
})

describe.each(backends)('ChaCha20-Poly1305 on the %s backend', (_name, aead) => {
  it('gives the RFC 8439 §2.8.2 answer, as OpenSSL does', () => {
    const [key, nonce, ad, plaintext] = [hex(RFC.key), hex(RFC.nonce), hex(RFC.ad), hex(RFC.plaintext)]
    expect(opensslSeal(key, nonce, plaintext, ad)).toBe(RFC.ciphertext + RFC.tag)
    expect(toHex(aead.seal(key, nonce, plaintext, ad))).toBe(RFC.ciphertext + RFC.tag)
    expect(toHex(aead.open(key, nonce, hex(RFC.ciphertext + RFC.tag), ad)!)).toBe(RFC.plaintext)
  })

  it('refuses every flipped bit, a wrong key, nonce or associated data, and input shorter than a tag', () => {
    const [key, nonce, ad] = [c.randomBytes(32), c.randomBytes(12), c.randomBytes(7)]
    const sealed = aead.seal(key, nonce, c.randomBytes(40), ad)
    for (let i = 0; i < sealed.length * 8; i += 3) {
      const bad = sealed.slice()
      bad[i >> 3] = bad[i >> 3]! ^ (1 << (i & 7))
      expect(aead.open(key, nonce, bad, ad)).toBeUndefined()
    }
    const flip = (b: Uint8Array) => Uint8Array.from(b, (x, i) => (i === 0 ? x ^ 1 : x))
    expect(aead.open(flip(key), nonce, sealed, ad)).toBeUndefined()
    expect(aead.open(key, flip(nonce), sealed, ad)).toBeUndefined()
    expect(aead.open(key, nonce, sealed, flip(ad))).toBeUndefined()
    expect(aead.open(key, nonce, sealed.subarray(0, 15), ad)).toBeUndefined()
    expect(aead.open(key, nonce, new Uint8Array(0), ad)).toBeUndefined()
  })
})

describe.runIf(c.sodiumAead !== undefined)('sodium, noble and OpenSSL agree', () => {
  it('on random keys, nonces, associated data and sizes (0 to 64 KiB)', () => {
    const sodium = c.sodiumAead!
    for (const size of [0, 1, 15, 16, 17, 63, 64, 65, 600, 1199, 1200, 4096, 65519]) {
      const [key, nonce, msg, ad] = [c.randomBytes(32), c.randomBytes(12), c.randomBytes(size), c.randomBytes(size % 13)]
      const bySodium = sodium.seal(key, nonce, msg, ad)
      expect(toHex(bySodium)).toBe(toHex(c.nobleAead.seal(key, nonce, msg, ad)))
      expect(toHex(bySodium)).toBe(opensslSeal(key, nonce, msg, ad))
      expect(toHex(c.nobleAead.open(key, nonce, bySodium, ad)!)).toBe(toHex(msg))
      expect(toHex(sodium.open(key, nonce, bySodium, ad)!)).toBe(toHex(msg))
    }
  })
})
