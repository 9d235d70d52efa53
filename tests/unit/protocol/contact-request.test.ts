/** Contact request handshake (PROTOCOL.md "Contact request handshake"), driven in memory. */
import { describe, expect, it } from 'vitest'
import * as c from '../../../core/crypto'
import {
  HandshakeError,
  MAX_HANDSHAKE_FRAME_SIZE,
  type HandshakeErrorCode,
  type RequesterState,
  type ResponderState,
  decodeFrame,
  encodeFrame,
  marshalAccountPk,
  requesterStep,
  responderResult,
  responderStep,
  startRequester,
  startResponder
} from '../../../core/protocol/contact-request'
import { BoxEnvelope, RequesterAuthenticatePayload } from '../../../core/protocol/proto/handshake'
import transcript from '../../vectors/handshake-transcript.json'

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'))
const toHex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex')
const isZero = (b: Uint8Array): boolean => b.every((x) => x === 0)

function expectHandshakeError(fn: () => unknown, code: HandshakeErrorCode): HandshakeError {
  let thrown: unknown
  try {
    fn()
  } catch (err) {
    thrown = err
  }
  expect(thrown, `expected HandshakeError ${code}`).toBeInstanceOf(HandshakeError)
  expect((thrown as HandshakeError).name).toBe('HandshakeError')
  expect((thrown as HandshakeError).code).toBe(code)
  return thrown as HandshakeError
}

function accounts() {
  return { A: c.ed25519Keygen(), B: c.ed25519Keygen() }
}

/** Runs steps 1–2 and returns both states plus the step-3 message. */
function upToAuthenticate(A: c.Ed25519KeyPair, B: c.Ed25519KeyPair, peerPk = B.publicKey) {
  const r = startRequester({ ownAccountSeed: A.seed, peerAccountPk: peerPk })
  const responder = startResponder({ ownAccountSeed: B.seed })
  const hello2 = responderStep(responder, r.frame).frame!
  const auth = requesterStep(r.state, hello2).frame!
  return { requester: r.state, responder, hello1: r.frame, hello2, auth }
}

describe('contact request handshake', () => {
  it('completes in memory through length-prefixed frames; responder learns A', () => {
    const { A, B } = accounts()
    const req = startRequester({ ownAccountSeed: A.seed, peerAccountPk: B.publicKey })
    let requester: RequesterState = req.state
    let responder: ResponderState = startResponder({ ownAccountSeed: B.seed })

    // A byte pipe in each direction: frames are encoded, concatenated and decoded back.
    const wire = (msg: Uint8Array): Uint8Array => {
      const framed = encodeFrame(msg)
      const decoded = decodeFrame(framed)
      expect(decoded?.bytesRead).toBe(framed.length)
      return decoded!.frame
    }

    const s2 = responderStep(responder, wire(req.frame))
    responder = s2.state
    const s3 = requesterStep(requester, wire(s2.frame!))
    requester = s3.state
    const s4 = responderStep(responder, wire(s3.frame!))
    const s5 = requesterStep(requester, wire(s4.frame!))
    expect(s5.state.phase).toBe('done')
    const end = responderStep(s4.state, wire(s5.frame!))
    expect(end.frame).toBeUndefined()
    expect(end.state.phase).toBe('done')
    expect(toHex(responderResult(end.state).peerAccountPk)).toBe(toHex(A.publicKey))
  })

  it('matches the independent python transcript byte for byte (both providers)', () => {
    const previous = c.getCurveProvider()
    const providers = [c.nobleProvider, ...(c.nodeProviderAvailable ? [c.nodeProvider] : [])]
    for (const provider of providers) {
      c.setCurveProvider(provider)
      for (const t of transcript.vectors) {
        const aSecret = hex(t.requesterEphemeralSecret)
        const bSecret = hex(t.responderEphemeralSecret)
        const r = startRequester({
          ownAccountSeed: hex(t.requesterAccountSeed),
          peerAccountPk: hex(t.responderAccountPk),
          ephemeralSecret: aSecret
        })
        const responder = startResponder({ ownAccountSeed: hex(t.responderAccountSeed), ephemeralSecret: bSecret })
        const msgs: Uint8Array[] = [r.frame]
        msgs.push(responderStep(responder, msgs[0]!).frame!)
        msgs.push(requesterStep(r.state, msgs[1]!).frame!)
        msgs.push(responderStep(responder, msgs[2]!).frame!)
        msgs.push(requesterStep(r.state, msgs[3]!).frame!)
        responderStep(responder, msgs[4]!)
        expect(msgs.map(toHex)).toEqual(t.messages)
        expect(msgs.map((m) => toHex(encodeFrame(m)))).toEqual(t.frames)
        expect(toHex(responderResult(responder).peerAccountPk)).toBe(t.requesterAccountPk)
        // Ownership of the injected ephemeral secrets passed to the machines, which wiped them.
        expect(isZero(aSecret) && isZero(bSecret)).toBe(true)
      }
    }
    c.setCurveProvider(previous)
  })

  it('wrong responder key: the responder cannot open step 3 and aborts', () => {
    const { A, B } = accounts()
    const wrongB = c.ed25519Keygen()
    const { responder, auth } = upToAuthenticate(A, B, wrongB.publicKey)
    expectHandshakeError(() => responderStep(responder, auth), 'ERR_BAD_BOX')
    expect(responder.phase).toBe('aborted')
    expect(responder.peerAccountPk).toBeUndefined()
  })

  it('an impostor answering step 4 is rejected by the requester', () => {
    const { A, B } = accounts()
    const { requester } = upToAuthenticate(A, B)
    const forged = BoxEnvelope.encode({ box: c.randomBytes(16 + 66) })
    expectHandshakeError(() => requesterStep(requester, forged), 'ERR_BAD_BOX')
    expect(requester.phase).toBe('aborted')
  })

  it('a valid box carrying a signature by the wrong key aborts (ERR_BAD_SIGNATURE)', () => {
    const { A, B } = accounts()
    const requesterEph = c.x25519Keygen()
    const r = startRequester({ ownAccountSeed: A.seed, peerAccountPk: B.publicKey, ephemeralSecret: requesterEph.secretKey.slice() })
    const responder = startResponder({ ownAccountSeed: B.seed })
    responderStep(responder, r.frame)
    // Rebuild step 3 by hand, claiming A but signing k(a,b) with another key.
    const kab = c.naclBoxBeforeNm(responder.ephemeralPk, requesterEph.secretKey)
    const kaB = c.naclBoxBeforeNm(c.edPublicToX25519Public(B.publicKey), requesterEph.secretKey)
    const payload = RequesterAuthenticatePayload.encode({
      requesterAccountId: marshalAccountPk(A.publicKey),
      requesterAccountSig: c.ed25519Sign(c.randomBytes(32), kab)
    })
    const box = c.secretboxSealWithNonce(c.handshakeAuthenticateKey(kab, kaB), c.handshakeAuthenticateNonce(), payload)
    expectHandshakeError(() => responderStep(responder, BoxEnvelope.encode({ box })), 'ERR_BAD_SIGNATURE')
    expect(responder.phase).toBe('aborted')
  })

  it('tampered boxes abort on both sides', () => {
    const { A, B } = accounts()
    const first = upToAuthenticate(A, B)
    const tampered3 = first.auth.slice()
    tampered3[tampered3.length - 1] = (tampered3[tampered3.length - 1] as number) ^ 1
    expectHandshakeError(() => responderStep(first.responder, tampered3), 'ERR_BAD_BOX')

    const second = upToAuthenticate(A, B)
    const accept = responderStep(second.responder, second.auth).frame!
    const tampered4 = accept.slice()
    tampered4[5] = (tampered4[5] as number) ^ 0x40
    expectHandshakeError(() => requesterStep(second.requester, tampered4), 'ERR_BAD_BOX')
    expect(second.requester.phase).toBe('aborted')
  })

  it('replayed frames abort: a second hello, a repeated responder hello', () => {
    const { A, B } = accounts()
    const r = startRequester({ ownAccountSeed: A.seed, peerAccountPk: B.publicKey })
    const responder = startResponder({ ownAccountSeed: B.seed })
    const hello2 = responderStep(responder, r.frame).frame!
    expectHandshakeError(() => responderStep(responder, r.frame), 'ERR_REPLAYED_FRAME')
    expect(responder.phase).toBe('aborted')
    expectHandshakeError(() => responderStep(responder, r.frame), 'ERR_ABORTED')

    requesterStep(r.state, hello2)
    expectHandshakeError(() => requesterStep(r.state, hello2), 'ERR_REPLAYED_FRAME')
    expect(r.state.phase).toBe('aborted')
  })

  it('frames after completion abort', () => {
    const { A, B } = accounts()
    const { requester, responder, auth } = upToAuthenticate(A, B)
    const accept = responderStep(responder, auth).frame!
    const ack = requesterStep(requester, accept).frame!
    responderStep(responder, ack)
    expectHandshakeError(() => requesterStep(requester, c.randomBytes(10)), 'ERR_UNEXPECTED_FRAME')
    expect(requester.phase).toBe('aborted')
    expectHandshakeError(() => responderStep(responder, ack), 'ERR_UNEXPECTED_FRAME')
    expect(responder.phase).toBe('aborted')
  })

  it('an ack without success aborts', () => {
    const { A, B } = accounts()
    const { requester, responder, auth } = upToAuthenticate(A, B)
    requesterStep(requester, responderStep(responder, auth).frame!)
    expectHandshakeError(() => responderStep(responder, new Uint8Array(0)), 'ERR_NOT_ACKNOWLEDGED')
    expect(responder.phase).toBe('aborted')
  })

  it('oversized frames abort before decoding, and framing refuses them', () => {
    const { B } = accounts()
    const responder = startResponder({ ownAccountSeed: B.seed })
    expectHandshakeError(() => responderStep(responder, new Uint8Array(MAX_HANDSHAKE_FRAME_SIZE + 1)), 'ERR_FRAME_TOO_LARGE')
    expect(responder.phase).toBe('aborted')

    expectHandshakeError(() => encodeFrame(new Uint8Array(MAX_HANDSHAKE_FRAME_SIZE + 1)), 'ERR_FRAME_TOO_LARGE')
    // Only the prefix is present: the declared 2049 bytes are refused without waiting for them.
    expectHandshakeError(() => decodeFrame(new Uint8Array([0x81, 0x10])), 'ERR_FRAME_TOO_LARGE')
    expect(decodeFrame(encodeFrame(new Uint8Array(MAX_HANDSHAKE_FRAME_SIZE)))?.frame.length).toBe(MAX_HANDSHAKE_FRAME_SIZE)
  })

  it('low-order or malformed ephemeral keys abort', () => {
    const { A, B } = accounts()
    const responder = startResponder({ ownAccountSeed: B.seed })
    const lowOrder = new Uint8Array([0x0a, 0x20, ...new Uint8Array(32)])
    expectHandshakeError(() => responderStep(responder, lowOrder), 'ERR_BAD_EPHEMERAL_KEY')

    const r = startRequester({ ownAccountSeed: A.seed, peerAccountPk: B.publicKey })
    expectHandshakeError(() => requesterStep(r.state, new Uint8Array([0x0a, 0x03, 1, 2, 3])), 'ERR_BAD_EPHEMERAL_KEY')

    const r2 = startRequester({ ownAccountSeed: A.seed, peerAccountPk: B.publicKey })
    expectHandshakeError(() => requesterStep(r2.state, r2.frame), 'ERR_BAD_EPHEMERAL_KEY') // reflected hello
    const r3 = startRequester({ ownAccountSeed: A.seed, peerAccountPk: B.publicKey })
    expectHandshakeError(() => requesterStep(r3.state, new Uint8Array([0x0a, 0xff])), 'ERR_BAD_FRAME')
  })

  it('wipes ephemeral secrets and k(a,b) on success', () => {
    const { A, B } = accounts()
    const aSecret = c.randomBytes(32)
    const bSecret = c.randomBytes(32)
    const r = startRequester({ ownAccountSeed: A.seed, peerAccountPk: B.publicKey, ephemeralSecret: aSecret })
    const responder = startResponder({ ownAccountSeed: B.seed, ephemeralSecret: bSecret })
    const hello2 = responderStep(responder, r.frame).frame!
    const responderKab = responder.kab!
    expect(isZero(bSecret)).toBe(true) // b's last use is k(a,b)
    const auth = requesterStep(r.state, hello2).frame!
    const requesterKab = r.state.kab!
    expect(isZero(aSecret)).toBe(true) // a's last use is k(a,B)
    expect(isZero(requesterKab)).toBe(false)
    const accept = responderStep(responder, auth).frame!
    requesterStep(r.state, accept)
    expect(isZero(requesterKab) && isZero(responderKab)).toBe(true)
    expect(r.state.ephemeralSecret ?? r.state.kab).toBeUndefined()
    expect(responder.ephemeralSecret ?? responder.kab).toBeUndefined()
    // The caller's long-term seeds are never touched.
    expect(isZero(A.seed) || isZero(B.seed)).toBe(false)
  })

  it('wipes secrets on abort', () => {
    const { A, B } = accounts()
    const aSecret = c.randomBytes(32)
    const r = startRequester({ ownAccountSeed: A.seed, peerAccountPk: B.publicKey, ephemeralSecret: aSecret })
    expectHandshakeError(() => requesterStep(r.state, new Uint8Array(MAX_HANDSHAKE_FRAME_SIZE + 1)), 'ERR_FRAME_TOO_LARGE')
    expect(isZero(aSecret)).toBe(true)

    const responder = startResponder({ ownAccountSeed: B.seed })
    const r2 = startRequester({ ownAccountSeed: A.seed, peerAccountPk: B.publicKey })
    responderStep(responder, r2.frame)
    const kab = responder.kab!
    expectHandshakeError(() => responderStep(responder, BoxEnvelope.encode({ box: c.randomBytes(40) })), 'ERR_BAD_BOX')
    expect(isZero(kab)).toBe(true)
  })

  it('decodeFrame handles partial input and several frames in one buffer', () => {
    const f1 = encodeFrame(new Uint8Array([1, 2, 3]))
    const f2 = encodeFrame(new Uint8Array(300).fill(7))
    const buf = new Uint8Array([...f1, ...f2])
    const d1 = decodeFrame(buf)!
    expect([...d1.frame]).toEqual([1, 2, 3])
    const d2 = decodeFrame(buf, d1.bytesRead)!
    expect(d2.frame.length).toBe(300)
    expect(d1.bytesRead + d2.bytesRead).toBe(buf.length)
    expect(decodeFrame(buf.subarray(0, f1.length + 1), f1.length)).toBeUndefined() // half a varint
    expect(decodeFrame(buf.subarray(0, buf.length - 1), f1.length)).toBeUndefined() // body incomplete
    expect(decodeFrame(new Uint8Array(0))).toBeUndefined()
    expect(decodeFrame(encodeFrame(new Uint8Array(0)))?.frame.length).toBe(0)
  })
})
