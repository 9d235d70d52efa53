// Device-link invitation and handshake steps (core/protocol/device-link): the invitation carries no
// secret, decodes from both forms, refuses malformed input; the channel opens only with the
// invitation's key, frames cannot be replayed or reordered, and every signature binds the transcript.
import { describe, expect, it } from 'vitest'
import { ed25519PublicFromSeed, randomBytes, x25519Keygen } from '../../../core/crypto'
import {
  DeviceLinkError,
  decodeDeviceLink,
  decodeHello,
  deviceFingerprint,
  doneSignature,
  encodeDeviceLink,
  fingerprintSignature,
  formatFingerprint,
  inviterAccept,
  joinerHello,
  newPin,
  parseFingerprint,
  pinSignature,
  verifyDoneSignature,
  verifyFingerprintSignature,
  verifyPinSignature
} from '../../../core/protocol/device-link'
import { LinkChallengeKind } from '../../../core/protocol/proto/device-link'

const peerId = Uint8Array.from([0x00, 0x24, 0x08, 0x01, 0x12, 0x20, ...randomBytes(32)])

function invitation() {
  const e = x25519Keygen()
  const invite = { peerId, ephemeralPk: e.publicKey, expiresAt: Date.now() + 600_000, addrs: [Uint8Array.of(4, 127, 0, 0, 1)], challenge: 'pin' as const }
  return { e, invite }
}

describe('device-link invitation', () => {
  it('round-trips through the web and QR forms and carries only public values', () => {
    const { e, invite } = invitation()
    const { web, qr } = encodeDeviceLink(invite)
    expect(web.startsWith('https://berty.tech/id#device-link/')).toBe(true)
    expect(qr).toMatch(/^BERTY:\/\/DL\/[A-Z0-9$*\-.:/]+$/)
    for (const form of [web, qr, qr.toLowerCase().replace(/^berty:\/\/dl\//, 'berty://dl/') === qr ? qr : `berty://dl/${qr.slice(11)}`]) {
      const d = decodeDeviceLink(form)
      expect(d.peerId).toEqual(peerId)
      expect(d.ephemeralPk).toEqual(e.publicKey)
      expect(d.challenge).toBe('pin')
      expect(Math.abs(d.expiresAt - invite.expiresAt)).toBeLessThan(1000)
    }
    // The one-time secret appears in neither form's bytes.
    const hex = Buffer.from(e.secretKey).toString('hex')
    expect(Buffer.from(web).toString('hex')).not.toContain(hex)
    expect(decodeDeviceLink(web)).not.toHaveProperty('ephemeralSecret')
  })

  it('refuses malformed invitations with a stable code', () => {
    for (const bad of ['', 'https://berty.tech/id#group/abc', 'https://berty.tech/id#device-link/0OIl', 'BERTY://DL/abc', `https://berty.tech/id#device-link/${'z'.repeat(5000)}`]) {
      expect(() => decodeDeviceLink(bad), bad.slice(0, 40)).toThrow(DeviceLinkError)
    }
    const { invite } = invitation()
    expect(() => decodeDeviceLink(encodeDeviceLink({ ...invite, ephemeralPk: new Uint8Array(31) }).web)).toThrow(/32 bytes/)
  })
})

describe('device-link handshake', () => {
  it('B and A agree on the transcript; B proves its device key; frames open in order only', () => {
    const { e, invite } = invitation()
    const deviceSeed = randomBytes(32)
    const b = joinerHello(invite, deviceSeed, { role: 'full', deviceName: 'laptop', requestedChallenge: LinkChallengeKind.LINK_CHALLENGE_UNSPECIFIED })
    const hello = decodeHello(b.hello)
    const a = inviterAccept({ peerId, ephemeralPk: e.publicKey, ephemeralSecret: e.secretKey }, hello)
    expect(a.request.devicePk).toEqual(ed25519PublicFromSeed(deviceSeed))
    expect(a.request.deviceName).toBe('laptop')
    expect(a.channel.transcript).toEqual(b.channel.transcript)

    const f1 = a.channel.seal(Uint8Array.of(1))
    const f2 = a.channel.seal(Uint8Array.of(2))
    expect(b.channel.open(f1)).toEqual(Uint8Array.of(1))
    expect(() => b.channel.open(f1)).toThrow(DeviceLinkError) // replayed: the counter moved on
    // B→A after the hello continues at counter 1.
    expect(a.channel.open(b.channel.seal(Uint8Array.of(9)))).toEqual(Uint8Array.of(9))
    void f2
  })

  it('frames out of order do not open', () => {
    const { e, invite } = invitation()
    const b = joinerHello(invite, randomBytes(32), { role: 'full', deviceName: '', requestedChallenge: LinkChallengeKind.LINK_CHALLENGE_PIN })
    const a = inviterAccept({ peerId, ephemeralPk: e.publicKey, ephemeralSecret: e.secretKey }, decodeHello(b.hello))
    a.channel.seal(Uint8Array.of(1))
    expect(() => b.channel.open(a.channel.seal(Uint8Array.of(2)))).toThrow(DeviceLinkError)
  })

  it('only the invitation key opens the request; a tampered request is refused', () => {
    const { invite } = invitation()
    const other = x25519Keygen()
    const b = joinerHello(invite, randomBytes(32), { role: 'full', deviceName: '', requestedChallenge: LinkChallengeKind.LINK_CHALLENGE_PIN })
    expect(() => inviterAccept({ peerId, ephemeralPk: invite.ephemeralPk, ephemeralSecret: other.secretKey }, decodeHello(b.hello))).toThrow(DeviceLinkError)
    const { e, invite: inv } = invitation()
    const c = decodeHello(joinerHello(inv, randomBytes(32), { role: 'full', deviceName: '', requestedChallenge: LinkChallengeKind.LINK_CHALLENGE_PIN }).hello)
    c.sealed[c.sealed.length - 1]! ^= 1
    expect(() => inviterAccept({ peerId, ephemeralPk: e.publicKey, ephemeralSecret: e.secretKey }, c)).toThrow(/does not open/)
    // Another peer id changes the transcript: B's request signature no longer verifies.
    const { e: e3, invite: inv3 } = invitation()
    const h3 = decodeHello(joinerHello(inv3, randomBytes(32), { role: 'full', deviceName: '', requestedChallenge: LinkChallengeKind.LINK_CHALLENGE_PIN }).hello)
    expect(() => inviterAccept({ peerId: Uint8Array.of(1, 2, 3), ephemeralPk: e3.publicKey, ephemeralSecret: e3.secretKey }, h3)).toThrow(/not signed/)
  })

  it('PIN, fingerprint and done signatures bind the transcript and the value', () => {
    const seed = randomBytes(32)
    const pk = ed25519PublicFromSeed(seed)
    const th = randomBytes(32)
    const other = randomBytes(32)
    const pin = newPin()
    expect(pin).toMatch(/^\d{6}$/)
    expect(verifyPinSignature(pk, th, pin, pinSignature(seed, th, pin))).toBe(true)
    expect(verifyPinSignature(pk, th, pin === '000000' ? '000001' : '000000', pinSignature(seed, th, pin))).toBe(false)
    expect(verifyPinSignature(pk, other, pin, pinSignature(seed, th, pin))).toBe(false)
    const fp = deviceFingerprint(pk)
    expect(verifyFingerprintSignature(pk, th, fp, fingerprintSignature(seed, th, fp))).toBe(true)
    expect(verifyFingerprintSignature(pk, th, fp, pinSignature(seed, th, pin))).toBe(false)
    const ag = randomBytes(32)
    expect(verifyDoneSignature(pk, th, ag, doneSignature(seed, th, ag))).toBe(true)
    expect(verifyDoneSignature(pk, th, other, doneSignature(seed, th, ag))).toBe(false)
  })

  it('fingerprints read back from their shown form, any case, spaces or dashes', () => {
    const fp = deviceFingerprint(randomBytes(32))
    const shown = formatFingerprint(fp)
    expect(shown).toMatch(/^[0-9A-F]{4}( [0-9A-F]{4}){9}$/)
    expect(parseFingerprint(shown)).toEqual(fp)
    expect(parseFingerprint(shown.toLowerCase().replace(/ /g, '-'))).toEqual(fp)
    expect(parseFingerprint(shown.slice(0, -1))).toBeUndefined()
    expect(parseFingerprint('zz')).toBeUndefined()
  })
})
