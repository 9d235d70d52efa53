/**
 * The noise transport's crypto on libsodium (core/net/noise-crypto.ts): every function gives what the
 * library's own pure-JS implementation gives, and nodes using it complete handshakes, as initiator and
 * as responder, with nodes on the library's default, then carry data both ways (messages above noise's
 * 65,519-byte limit included, split in several noise messages).
 */
import { randomBytes as nodeRandomBytes } from 'node:crypto'
import { noise, pureJsCrypto, type ICryptoInterface } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { tcp } from '@libp2p/tcp'
import type { Libp2p, Stream } from '@libp2p/interface'
import { createLibp2p } from 'libp2p'
import { Uint8ArrayList } from 'uint8arraylist'
import { afterEach, describe, expect, it } from 'vitest'
import { randomBytes, sodiumAead } from '../../core/crypto'
import { noiseCrypto } from '../../core/net/noise-crypto'

const hex = (b: Uint8Array | { subarray(): Uint8Array }) => Buffer.from(b.subarray()).toString('hex')
/** What the noise library passes: a Uint8Array or its own (older) Uint8ArrayList. */
type NoiseBytes = Parameters<ICryptoInterface['hashSHA256']>[0]
/** `bytes` in two pieces, as a list (another copy of the class than the library's: the same shape). */
const listOf = (bytes: Uint8Array, at: number) => new Uint8ArrayList(bytes.subarray(0, at), bytes.subarray(at)) as unknown as NoiseBytes
const flat = (b: NoiseBytes): Uint8Array => b.subarray()
const ECHO = '/berty/test-echo/1.0.0'

describe.runIf(sodiumAead !== undefined)('net: noise crypto on libsodium', () => {
  const mine = noiseCrypto!
  const nodes: Libp2p[] = []
  afterEach(async () => {
    await Promise.all(nodes.splice(0).map((n) => n.stop()))
  })

  it('is in use where libsodium loaded', () => {
    expect(noiseCrypto).toBeDefined()
  })

  it('gives the same bytes as the library’s pure-JS crypto, function by function', () => {
    for (const size of [0, 1, 32, 600, 1199, 1200, 5000, 65519]) {
      const data = randomBytes(size)
      const list = listOf(data, size >> 1)
      expect(hex(mine.hashSHA256(data))).toBe(hex(pureJsCrypto.hashSHA256(data)))
      expect(hex(mine.hashSHA256(list))).toBe(hex(pureJsCrypto.hashSHA256(data)))
      const [k, nonce, ad] = [randomBytes(32), randomBytes(12), randomBytes(32)]
      const sealed = flat(pureJsCrypto.chaCha20Poly1305Encrypt(data, nonce, ad, k))
      expect(hex(mine.chaCha20Poly1305Encrypt(data, nonce, ad, k))).toBe(hex(sealed))
      expect(hex(mine.chaCha20Poly1305Encrypt(list, nonce, ad, k))).toBe(hex(sealed))
      expect(hex(mine.chaCha20Poly1305Decrypt(sealed, nonce, ad, k))).toBe(hex(data))
      const sealedList = listOf(sealed, 7)
      expect(hex(mine.chaCha20Poly1305Decrypt(sealedList, nonce, ad, k))).toBe(hex(data))
      const forged = sealed.slice()
      forged[0]! ^= 1
      expect(() => mine.chaCha20Poly1305Decrypt(forged, nonce, ad, k)).toThrow(expect.objectContaining({ code: 'ERR_DECRYPT' }))
    }
    const [ck, ikm] = [randomBytes(32), randomBytes(32)]
    expect(mine.getHKDF(ck, ikm).map(hex)).toEqual(pureJsCrypto.getHKDF(ck, ikm).map(hex))
    const [a, b] = [randomBytes(32), randomBytes(32)]
    const [pa, pb] = [mine.generateX25519KeyPairFromSeed(a), pureJsCrypto.generateX25519KeyPairFromSeed(b)]
    expect(hex(pa.publicKey)).toBe(hex(pureJsCrypto.generateX25519KeyPairFromSeed(a).publicKey))
    expect(hex(mine.generateX25519SharedKey(a, pb.publicKey))).toBe(hex(pureJsCrypto.generateX25519SharedKey(b, pa.publicKey)))
    const fresh = mine.generateX25519KeyPair()
    expect(hex(fresh.publicKey)).toBe(hex(pureJsCrypto.generateX25519KeyPairFromSeed(fresh.privateKey).publicKey))
  })

  it('refuses a low-order peer key (an all-zero shared secret), as the library does', () => {
    const zero = new Uint8Array(32)
    expect(() => pureJsCrypto.generateX25519SharedKey(randomBytes(32), zero)).toThrow()
    expect(() => mine.generateX25519SharedKey(randomBytes(32), zero)).toThrow(expect.objectContaining({ code: 'ERR_LOW_ORDER' }))
  })

  async function echoNode(sodium: boolean): Promise<Libp2p> {
    const n = await createLibp2p({
      addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
      transports: [tcp()],
      connectionEncrypters: [sodium ? noise({ crypto: mine }) : noise()],
      streamMuxers: [yamux()]
    })
    await n.handle(ECHO, (stream: Stream) => {
      stream.addEventListener('message', (evt) => {
        stream.send(evt.data)
      })
    })
    nodes.push(n)
    return n
  }

  async function echo(from: Libp2p, to: Libp2p, payload: Uint8Array): Promise<Uint8Array> {
    const stream = await from.dialProtocol(to.getMultiaddrs(), ECHO)
    const got = new Uint8ArrayList()
    const done = new Promise<void>((resolve) => {
      stream.addEventListener('message', (evt) => {
        got.append(evt.data)
        if (got.byteLength >= payload.byteLength) resolve()
      })
    })
    stream.send(payload)
    await done
    await stream.close()
    return got.subarray()
  }

  it.each([
    ['libsodium dials the default', true, false],
    ['the default dials libsodium', false, true],
    ['libsodium dials libsodium', true, true]
  ])('%s: handshake, then data both ways', async (_name, dialerSodium, listenerSodium) => {
    const [dialer, listener] = [await echoNode(dialerSodium), await echoNode(listenerSodium)]
    for (const size of [1, 600, 70_000, 200_000]) {
      const payload = new Uint8Array(nodeRandomBytes(size))
      expect(hex(await echo(dialer, listener, payload))).toBe(hex(payload))
    }
    const back = randomBytes(1000)
    expect(hex(await echo(listener, dialer, back))).toBe(hex(back))
  })
})
