/** The sixth contact-request frame (ShareableContact) against weshnet's bytes (tests/vectors/wesh-go.json). */
import { describe, expect, it } from 'vitest'
import { HandshakeError, decodeFrame } from '../../../core/protocol/contact-request'
import { decodeContactFrame, encodeContactFrame } from '../../../core/protocol'
import vectors from '../../vectors/wesh-go.json'

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'))
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const go = vectors.contactRequest
const framed = hex(go.requesterToResponder[3] as string)
const body = (decodeFrame(framed) as { frame: Uint8Array }).frame
const pk = hex(go.requesterAccountPk)

describe('ShareableContact sixth frame', () => {
  it("decodes weshnet's frame and encodes the same bytes", () => {
    expect(toHex(body)).toBe(go.shareableContact.encoded)
    const c = decodeContactFrame(body, pk)
    expect(toHex(c.publicRendezvousSeed)).toBe(go.shareableContact.publicRendezvousSeed)
    expect(toHex(c.metadata)).toBe(go.shareableContact.metadata)
    expect(toHex(encodeContactFrame(c))).toBe(go.shareableContact.encoded)
  })

  it('refuses a pk other than the handshake key, bad seed lengths, oversize metadata', () => {
    expect(() => decodeContactFrame(body, new Uint8Array(32))).toThrow(HandshakeError)
    expect(() => encodeContactFrame({ accountPk: pk, publicRendezvousSeed: new Uint8Array(16), metadata: new Uint8Array(0) })).toThrow(HandshakeError)
    expect(() => encodeContactFrame({ accountPk: pk, publicRendezvousSeed: new Uint8Array(0), metadata: new Uint8Array(4096) })).toThrow(HandshakeError)
    // Go's CheckFormat(AllowMissingRDVSeed): an absent seed is fine.
    const noSeed = encodeContactFrame({ accountPk: pk, publicRendezvousSeed: new Uint8Array(0), metadata: new Uint8Array(0) })
    expect(decodeContactFrame(noSeed, pk).publicRendezvousSeed).toHaveLength(0)
  })

  it('fuzzed: truncated, bit-flipped, oversized → HandshakeError or a checked contact, never a crash', () => {
    const survives = (b: Uint8Array): void => {
      try {
        const c = decodeContactFrame(b, pk)
        expect(toHex(c.accountPk)).toBe(go.requesterAccountPk)
      } catch (err) {
        expect(err).toBeInstanceOf(HandshakeError)
      }
    }
    for (let n = 0; n < body.length; n++) survives(body.subarray(0, n))
    for (let i = 0; i < body.length * 8; i++) {
      const m = body.slice()
      m[i >> 3] = (m[i >> 3] as number) ^ (1 << (i & 7))
      survives(m)
    }
    expect(() => decodeContactFrame(new Uint8Array(2049), pk)).toThrow(HandshakeError)
  })
})
