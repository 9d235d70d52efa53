// The contacts fold (core/contacts/reducer.ts) over weshnet account events, the contact metadata codec
// against Berty Messenger's bytes, and the fingerprint's symmetry.
import { describe, expect, it } from 'vitest'
import { contactPayloads } from '../../core/contacts/payloads'
import { foldContactEvents, type ContactEventInput } from '../../core/contacts/reducer'
import { contactView } from '../../core/contacts/view'
import * as c from '../../core/crypto'
import { contactFingerprint } from '../../core/protocol/contact-fingerprint'
import { decodeContactMetadata, encodeContactMetadata } from '../../core/protocol/contact-metadata'

const dev = c.randomBytes(32)
const peer = c.randomBytes(32)
const me = c.randomBytes(32)
const seed = c.randomBytes(32)
let lamport = 0
const ev = (e: { eventType: number; payload: Uint8Array }): ContactEventInput => ({ ...e, lamport: ++lamport })
const contact = { pk: peer, publicRendezvousSeed: seed, metadata: encodeContactMetadata('Pat') }
const stateAfter = (events: ContactEventInput[], peerJoined = false) => {
  const rec = foldContactEvents(events).contacts.get(Buffer.from(peer).toString('hex'))
  return rec && contactView(rec, { ownAccountPk: me, groupPk: undefined, peerJoined, error: undefined })?.state
}

describe('contacts fold', () => {
  it('maps weshnet events onto the API states, latest event wins', () => {
    const enq = ev(contactPayloads.enqueued(dev, contact, encodeContactMetadata('Me')))
    expect(stateAfter([enq])).toBe('outgoing')
    const sent = ev(contactPayloads.sent(dev, peer))
    expect(stateAfter([enq, sent])).toBe('outgoing')
    expect(stateAfter([enq, sent], true)).toBe('accepted')
    const rcv = ev(contactPayloads.received(dev, peer, seed, encodeContactMetadata('Pat')))
    expect(stateAfter([rcv])).toBe('incoming')
    expect(stateAfter([rcv, ev(contactPayloads.accepted(dev, peer))])).toBe('accepted')
    expect(stateAfter([rcv, ev(contactPayloads.discarded(dev, peer))])).toBe('declined')
    expect(stateAfter([rcv, ev(contactPayloads.blocked(dev, peer))])).toBe('blocked')
    // A mutual request: they asked, then we "requested" (weshnet posts Sent) — accepted at once.
    expect(stateAfter([rcv, ev(contactPayloads.sent(dev, peer))])).toBe('accepted')
    // Our own request discarded is a cancel: the contact leaves the list.
    expect(stateAfter([enq, ev(contactPayloads.discarded(dev, peer))])).toBeUndefined()
  })

  it('keeps the latest seed and the requests switch; skips a payload that does not decode', () => {
    const s2 = c.randomBytes(32)
    const fold = foldContactEvents([
      ev(contactPayloads.enabled(dev)),
      ev(contactPayloads.referenceReset(dev, seed)),
      ev(contactPayloads.disabled(dev)),
      { eventType: 108, payload: Uint8Array.from([0xff, 0xff]), lamport: ++lamport },
      ev(contactPayloads.referenceReset(dev, s2))
    ])
    expect(fold.requestsEnabled).toBe(false)
    expect(Buffer.from(fold.rendezvousSeed!).equals(Buffer.from(s2))).toBe(true)
    expect(fold.contacts.size).toBe(0)
  })
})

describe('contact metadata and fingerprint', () => {
  it('decodes Berty Messenger ContactMetadata bytes (field 1, string) and refuses unsafe names', () => {
    // proto.Marshal(&messengertypes.ContactMetadata{DisplayName: "Alice"}) = 0a 05 "Alice" (field 1, wire type 2).
    expect(decodeContactMetadata(Uint8Array.from([0x0a, 0x05, 0x41, 0x6c, 0x69, 0x63, 0x65]))).toBe('Alice')
    expect(Buffer.from(encodeContactMetadata('Alice')).toString('hex')).toBe('0a05416c696365')
    expect(decodeContactMetadata(new TextEncoder().encode('requester metadata'))).toBeUndefined()
    expect(decodeContactMetadata(encodeContactMetadata('a\u202Eb'))).toBeUndefined()
    expect(decodeContactMetadata(new Uint8Array(0))).toBeUndefined()
  })

  it('is the same on both sides, differs per pair, six groups of five digits', () => {
    const fp = contactFingerprint(me, peer)
    expect(fp).toMatch(/^(\d{5} ){5}\d{5}$/)
    expect(contactFingerprint(peer, me)).toBe(fp)
    expect(contactFingerprint(me, c.randomBytes(32))).not.toBe(fp)
    expect(() => contactFingerprint(me, new Uint8Array(31))).toThrow(TypeError)
  })
})
