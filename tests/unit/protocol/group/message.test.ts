import { describe, expect, it } from 'vitest'
import { secretboxOpenWithNonce, secretboxSealWithNonce } from '../../../../core/crypto'
import {
  createMultiMemberGroup,
  MAX_MESSAGE_TEXT_BYTES,
  newSenderChain,
  openMessageBody,
  openMessageHeaders,
  openMessageWithChain,
  receiveKey,
  receiverChainFrom,
  sealMessage,
  shareableChainKey,
  type ReceiverChain,
  type SenderChain
} from '../../../../core/protocol/group'
import { MessageEnvelope, MessageHeaders as HeadersWire } from '../../../../core/protocol/proto/wesh'
import { expectGroupError, flipByte, newDevice } from './helpers'

describe('message entries', () => {
  function setup() {
    const { secrets } = createMultiMemberGroup()
    const alice = newDevice()
    let aliceChain: SenderChain = newSenderChain()
    const bobView: ReceiverChain = receiverChainFrom(shareableChainKey(aliceChain))
    const send = (text: string, at = 1_700_000_000_000) => {
      const out = sealMessage(secrets, alice, aliceChain, { text, sentAtMs: at })
      aliceChain = out.next
      return out
    }
    const shareNow = () => shareableChainKey(aliceChain)
    return { secrets, alice, send, bobView, shareNow }
  }

  it('seal/open end to end between two devices', () => {
    const { secrets, alice, send, bobView } = setup()
    const m0 = send('hello')
    const m1 = send('world 🌍', 1_700_000_000_123)
    expect([m0.counter, m1.counter]).toEqual([0, 1])
    // On the wire weshnet's numbering: position + 1 (the first message of a chain carries 1).
    const wire = (m: { sealed: Uint8Array }) => HeadersWire.decode(secretboxOpenWithNonce(secrets.secret, MessageEnvelope.decode(m.sealed).nonce, MessageEnvelope.decode(m.sealed).messageHeaders)).counter
    expect([wire(m0), wire(m1)]).toEqual([1n, 2n])

    let bob = bobView
    for (const [m, text] of [[m0, 'hello'], [m1, 'world 🌍']] as const) {
      const h = openMessageHeaders(secrets, m.sealed)
      expect(h.devicePk).toEqual(alice.pk)
      expect(h.counter).toBe(m.counter)
      const { messageKey, chain } = receiveKey(bob, secrets.groupPk, h.counter)
      expect(openMessageBody(messageKey, h)).toEqual({ appType: 1, text, sentAtMs: text === 'hello' ? 1_700_000_000_000 : 1_700_000_000_123 })
      bob = chain
    }
  })

  it('openMessageWithChain: out of order, once per key, chain untouched on failure', () => {
    const { secrets, send, bobView } = setup()
    const ms = [send('a'), send('b'), send('c')]
    let bob = bobView
    const h2 = openMessageHeaders(secrets, (ms[2] as { sealed: Uint8Array }).sealed)
    const r2 = openMessageWithChain(secrets.groupPk, h2, bob)
    expect(r2.payload.text).toBe('c')
    expect(bob.chainKey.every((b) => b === 0)).toBe(true) // superseded chain wiped
    bob = r2.chain
    const h0 = openMessageHeaders(secrets, (ms[0] as { sealed: Uint8Array }).sealed)
    bob = openMessageWithChain(secrets.groupPk, h0, bob).chain
    expectGroupError(() => openMessageWithChain(secrets.groupPk, h0, bob), 'ERR_KEY_USED')
    // A forged body for counter 1 fails and does not burn the key of the real message 1.
    const h1 = openMessageHeaders(secrets, (ms[1] as { sealed: Uint8Array }).sealed)
    expectGroupError(() => openMessageWithChain(secrets.groupPk, { ...h1, body: flipByte(h1.body, 0) }, bob), 'ERR_DECRYPT')
    expect(openMessageWithChain(secrets.groupPk, h1, bob).payload.text).toBe('b')
  })

  it('forward secrecy: a device given the chain at counter 5 cannot open messages 0..4', () => {
    const { secrets, send, shareNow } = setup()
    const early = [0, 1, 2, 3, 4].map((i) => send(`early ${i}`))
    // What a member joining now receives in its Secret entry: the sender's state at counter 5.
    const shared = shareNow()
    expect(shared.counter).toBe(5)
    const late = send('late')
    expect(late.counter).toBe(5)
    for (const m of early) {
      const h = openMessageHeaders(secrets, m.sealed)
      expectGroupError(() => openMessageWithChain(secrets.groupPk, h, receiverChainFrom(shared)), 'ERR_KEY_USED')
    }
    const hl = openMessageHeaders(secrets, late.sealed)
    expect(openMessageWithChain(secrets.groupPk, hl, receiverChainFrom(shared)).payload.text).toBe('late')
  })

  it('headers: tamper → ERR_DECRYPT; wrong group → ERR_DECRYPT; garbage → ERR_MALFORMED', () => {
    const { secrets, send } = setup()
    const m = send('hi')
    const env = MessageEnvelope.decode(m.sealed)
    const badHeaders = MessageEnvelope.encode({ ...env, messageHeaders: flipByte(env.messageHeaders, 30) })
    expectGroupError(() => openMessageHeaders(secrets, badHeaders), 'ERR_DECRYPT')
    expectGroupError(() => openMessageHeaders(secrets, MessageEnvelope.encode({ ...env, nonce: flipByte(env.nonce, 3) })), 'ERR_DECRYPT')
    expectGroupError(() => openMessageHeaders(createMultiMemberGroup().secrets, m.sealed), 'ERR_DECRYPT')
    expectGroupError(() => openMessageHeaders(secrets, new Uint8Array([1, 2, 3])), 'ERR_MALFORMED')
    expectGroupError(() => openMessageHeaders(secrets, new Uint8Array(70_000)), 'ERR_TOO_LARGE')
    // An unknown field Go may add is skipped (as Go does); field number 0 is refused (as Go does).
    expect(openMessageHeaders(secrets, new Uint8Array([...m.sealed, 0x78, 0x01])).counter).toBe(0)
    expectGroupError(() => openMessageHeaders(secrets, new Uint8Array([...m.sealed, 0x00, 0x01])), 'ERR_MALFORMED')
    // A header counter of 0 does not exist in weshnet's numbering.
    const hw = HeadersWire.decode(secretboxOpenWithNonce(secrets.secret, env.nonce, env.messageHeaders))
    const zero = MessageEnvelope.encode({ ...env, messageHeaders: secretboxSealWithNonce(secrets.secret, env.nonce, HeadersWire.encode({ ...hw, counter: 0n })) })
    expectGroupError(() => openMessageHeaders(secrets, zero), 'ERR_MALFORMED')
  })

  it('body: wrong key / counter → ERR_DECRYPT; signature by another device → ERR_BAD_SIGNATURE', () => {
    const { secrets, send, bobView } = setup()
    const m = send('signed')
    const h = openMessageHeaders(secrets, m.sealed)
    const { messageKey } = receiveKey(bobView, secrets.groupPk, 0)
    expectGroupError(() => openMessageBody(messageKey, { ...h, counter: 1 }), 'ERR_DECRYPT')
    expectGroupError(() => openMessageBody(new Uint8Array(32).fill(7), h), 'ERR_DECRYPT')
    // An insider re-seals the headers claiming another device: the plaintext signature fails.
    const env = MessageEnvelope.decode(m.sealed)
    const hw = HeadersWire.decode(secretboxOpenWithNonce(secrets.secret, env.nonce, env.messageHeaders))
    hw.devicePk = newDevice().pk
    const forged = MessageEnvelope.encode({ ...env, messageHeaders: secretboxSealWithNonce(secrets.secret, env.nonce, HeadersWire.encode(hw)) })
    const hf = openMessageHeaders(secrets, forged)
    expectGroupError(() => openMessageBody(messageKey, hf), 'ERR_BAD_SIGNATURE')
    expect(openMessageBody(messageKey, h).text).toBe('signed')
  })

  it('writerVerified (the entry signature covers the message) skips the header signature only', () => {
    const { secrets, send, bobView } = setup()
    const h = openMessageHeaders(secrets, send('covered').sealed)
    const { messageKey } = receiveKey(bobView, secrets.groupPk, 0)
    const badSig = { ...h, sig: flipByte(h.sig, 3) }
    expectGroupError(() => openMessageBody(messageKey, badSig), 'ERR_BAD_SIGNATURE')
    expect(openMessageBody(messageKey, badSig, { writerVerified: true }).text).toBe('covered')
    // The body must still authenticate under the message key.
    expectGroupError(() => openMessageBody(new Uint8Array(32).fill(7), h, { writerVerified: true }), 'ERR_DECRYPT')
    expectGroupError(() => openMessageBody(messageKey, { ...h, counter: 1 }, { writerVerified: true }), 'ERR_DECRYPT')
  })

  it('caps: text ≤ 16 KiB, sentAtMs a safe integer', () => {
    const { send } = setup()
    expect(send('a'.repeat(MAX_MESSAGE_TEXT_BYTES)).sealed.length).toBeLessThan(17_000)
    expectGroupError(() => send('a'.repeat(MAX_MESSAGE_TEXT_BYTES + 1)), 'ERR_TOO_LARGE')
    expectGroupError(() => send('é'.repeat(MAX_MESSAGE_TEXT_BYTES / 2 + 1)), 'ERR_TOO_LARGE')
    expectGroupError(() => send('x', -1), 'ERR_MALFORMED')
    expectGroupError(() => send('\ud800'), 'ERR_MALFORMED')
  })
})
