/**
 * Known-answer vectors from tests/vectors (libsodium / OpenSSL, see tests/vectors/README.md), run on
 * every curve provider: each pins a PROTOCOL.md construction byte for byte.
 */
import { describe, expect, it } from 'vitest'
import * as c from '../../../core/crypto'
import rendezvous from '../../vectors/rendezvous.json'
import rendezvousGo from '../../vectors/rendezvous-go.json'
import ratchet from '../../vectors/ratchet.json'
import messageBody from '../../vectors/message-body.json'
import keys from '../../vectors/keys.json'
import x25519Vectors from '../../vectors/x25519.json'
import box from '../../vectors/box.json'
import contactGroup from '../../vectors/contact-group.json'
import memberKey from '../../vectors/member-key.json'
import linkKey from '../../vectors/link-key.json'
import handshakeKeys from '../../vectors/handshake-keys.json'
import transcript from '../../vectors/handshake-transcript.json'
import { hex, providers, toHex, useProvider } from './helpers'

describe('provider-independent vectors', () => {
  it('rendezvous points (PROTOCOL.md "Rendezvous point")', () => {
    for (const v of rendezvous.vectors) {
      expect(c.rendezvousPeriodStart(v.unixSeconds, v.intervalSeconds)).toBe(v.periodStart)
      expect(toHex(c.rendezvousPoint(hex(v.topic), hex(v.seed), v.periodStart))).toBe(v.point)
    }
  })

  it('rendezvous points published by the Go reference implementation', () => {
    for (const v of rendezvousGo.vectors) {
      expect(toHex(c.rendezvousPointAnySeed(hex(v.topic), hex(v.seed), v.periodStart))).toBe(v.point)
    }
  })

  it('ratchet chains (PROTOCOL.md "Symmetric ratchet")', () => {
    for (const chain of ratchet.vectors) {
      const groupPk = hex(chain.groupPk)
      let ck = hex(chain.steps[0]!.chainKey)
      for (const step of chain.steps) {
        expect(toHex(ck)).toBe(step.chainKey)
        const next = c.deriveNextKeys(ck, groupPk)
        expect(toHex(next.chainKey)).toBe(step.nextChainKey)
        expect(toHex(next.messageKey)).toBe(step.messageKey)
        ck = next.chainKey
      }
    }
  })

  it('message bodies seal and open (XSalsa20-Poly1305, nonce u64be(counter) ‖ 0^16)', () => {
    for (const v of messageBody.vectors) {
      const mk = hex(v.messageKey)
      expect(toHex(c.messageBodyNonce(v.counter))).toBe(v.nonce)
      expect(toHex(c.sealMessageBody(mk, v.counter, hex(v.plaintext)))).toBe(v.ciphertext)
      expect(toHex(c.openMessageBody(mk, v.counter, hex(v.ciphertext)))).toBe(v.plaintext)
    }
  })

  it('secretbox', () => {
    for (const v of box.vectors.secretbox) {
      expect(toHex(c.secretboxSealWithNonce(hex(v.key), hex(v.nonce), hex(v.plaintext)))).toBe(v.ciphertext)
      expect(toHex(c.secretboxOpenWithNonce(hex(v.key), hex(v.nonce), hex(v.ciphertext)))).toBe(v.plaintext)
      const sealed = new Uint8Array([...hex(v.nonce), ...hex(v.ciphertext)])
      expect(toHex(c.secretboxOpen(hex(v.key), sealed))).toBe(v.plaintext)
    }
  })

  it('link key and group signing key (PROTOCOL.md "Link key", "Group signing key")', () => {
    for (const v of linkKey.vectors) {
      const lk = c.groupLinkKey(hex(v.groupSecret), hex(v.groupPk))
      expect(toHex(lk)).toBe(v.linkKey)
      expect(toHex(c.groupSigningKey(hex(v.groupSecret)).signPub)).toBe(v.signPub)
      expect(toHex(c.ed25519Sign(hex(v.groupSeed), lk))).toBe(v.linkKeySig)
    }
  })

  it('handshake box keys (PROTOCOL.md "Contact request handshake")', () => {
    for (const v of handshakeKeys.vectors) {
      expect(toHex(c.handshakeAuthenticateKey(hex(v.k_ab), hex(v.k_aB)))).toBe(v.authenticateKey)
      expect(toHex(c.handshakeAcceptKey(hex(v.k_ab), hex(v.k_AB)))).toBe(v.acceptKey)
    }
  })
})

describe.each(providers)('curve vectors on the %s provider', (_name, provider) => {
  useProvider(provider)

  it('is the active provider', () => {
    expect(c.getCurveProvider()).toBe(provider)
  })

  it('ed25519 public keys, signatures and mont conversions', () => {
    for (const v of keys.vectors) {
      const seed = hex(v.seed)
      const pk = hex(v.publicKey)
      expect(toHex(c.ed25519PublicFromSeed(seed))).toBe(v.publicKey)
      expect(toHex(c.edSeedToX25519Secret(seed))).toBe(v.x25519Secret)
      expect(toHex(c.edPublicToX25519Public(pk))).toBe(v.x25519Public)
      expect(toHex(c.x25519PublicFromSecret(hex(v.x25519Secret)))).toBe(v.x25519PublicFromSecret)
      for (const s of v.signatures) {
        expect(toHex(c.ed25519Sign(seed, hex(s.msg)))).toBe(s.sig)
        expect(c.ed25519Verify(pk, hex(s.msg), hex(s.sig))).toBe(true)
      }
    }
  })

  it('x25519 (incl. RFC 7748 §6.1)', () => {
    for (const v of x25519Vectors.vectors) {
      expect(toHex(c.x25519PublicFromSecret(hex(v.secretA)))).toBe(v.publicA)
      expect(toHex(c.x25519PublicFromSecret(hex(v.secretB)))).toBe(v.publicB)
      expect(toHex(c.x25519(hex(v.secretA), hex(v.publicB)))).toBe(v.shared)
      expect(toHex(c.x25519(hex(v.secretB), hex(v.publicA)))).toBe(v.shared)
    }
  })

  it('nacl box beforenm and box', () => {
    for (const v of box.vectors.box) {
      expect(toHex(c.naclBoxBeforeNm(hex(v.publicB), hex(v.secretA)))).toBe(v.beforenm)
      expect(toHex(c.naclBoxBeforeNm(hex(v.publicA), hex(v.secretB)))).toBe(v.beforenm)
      expect(toHex(c.naclBoxWithNonce(hex(v.publicB), hex(v.secretA), hex(v.nonce), hex(v.plaintext)))).toBe(
        v.ciphertext
      )
      const sealed = new Uint8Array([...hex(v.nonce), ...hex(v.ciphertext)])
      expect(toHex(c.naclBoxOpen(hex(v.publicA), hex(v.secretB), sealed))).toBe(v.plaintext)
    }
  })

  it('contact group keys, symmetric (PROTOCOL.md "Contact group")', () => {
    for (const v of contactGroup.vectors) {
      for (const g of [
        c.contactGroupKeys(hex(v.seedA), hex(v.publicB)),
        c.contactGroupKeys(hex(v.seedB), hex(v.publicA))
      ]) {
        expect(toHex(g.groupSeed)).toBe(v.groupSeed)
        expect(toHex(g.groupPk)).toBe(v.groupPk)
        expect(toHex(g.groupSecret)).toBe(v.groupSecret)
      }
    }
  })

  it('member keys (PROTOCOL.md "Multi-member group")', () => {
    for (const v of memberKey.vectors) {
      const m = c.memberKeyForGroup(hex(v.accountProofSeed), hex(v.groupPk))
      expect(toHex(m.memberSeed)).toBe(v.memberSeed)
      expect(toHex(m.memberPk)).toBe(v.memberPk)
    }
  })

  it('handshake k(x, Y) values from the transcript', () => {
    for (const t of transcript.vectors) {
      const a = hex(t.requesterEphemeralSecret)
      const b = hex(t.responderEphemeralSecret)
      expect(toHex(c.x25519PublicFromSecret(a))).toBe(t.requesterEphemeralPk)
      expect(toHex(c.naclBoxBeforeNm(hex(t.responderEphemeralPk), a))).toBe(t.k_ab)
      expect(toHex(c.naclBoxBeforeNm(hex(t.requesterEphemeralPk), b))).toBe(t.k_ab)
      const Bx = c.edPublicToX25519Public(hex(t.responderAccountPk))
      expect(toHex(c.naclBoxBeforeNm(Bx, a))).toBe(t.k_aB)
      const Ax = c.edSeedToX25519Secret(hex(t.requesterAccountSeed))
      expect(toHex(c.naclBoxBeforeNm(Bx, Ax))).toBe(t.k_AB)
      expect(toHex(c.ed25519Sign(hex(t.requesterAccountSeed), hex(t.k_ab)))).toBe(t.requesterSig)
    }
  })
})
