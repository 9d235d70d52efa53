/**
 * The pure contact-request state machine against weshnet's own transcript (tests/vectors/wesh-go.json,
 * produced by weshnet's internal/handshake code): byte-exact in both roles, then every received frame
 * truncated, bit-flipped and oversized → a HandshakeError, never another exception.
 */
import { describe, expect, it } from 'vitest'
import {
  HandshakeError,
  decodeFrame,
  requesterStep,
  responderStep,
  startRequester,
  startResponder,
  type RequesterState,
  type ResponderState
} from '../../../core/protocol/contact-request'
import vectors from '../../vectors/wesh-go.json'

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'))
const toHex = (b: Uint8Array | undefined): string => Buffer.from(b ?? new Uint8Array(0)).toString('hex')
const go = vectors.contactRequest
const body = (framed: string): Uint8Array => (decodeFrame(hex(framed)) as { frame: Uint8Array }).frame
const reqFrames = go.requesterToResponder.map(body) // hello, authenticate, ack, contact
const respFrames = go.responderToRequester.map(body) // hello, accept

function requester(): { state: RequesterState; hello: Uint8Array } {
  const { state, frame } = startRequester({
    ownAccountSeed: hex(go.requesterAccountSeed),
    peerAccountPk: hex(go.responderAccountPk),
    ephemeralSecret: hex(go.requesterEphemeralSecret)
  })
  return { state, hello: frame }
}

function responder(): ResponderState {
  return startResponder({ ownAccountSeed: hex(go.responderAccountSeed), ephemeralSecret: hex(go.responderEphemeralSecret) })
}

describe("weshnet handshake transcript through our state machine", () => {
  it('requester role: our frames are weshnet requester frames', () => {
    const { state, hello } = requester()
    expect(toHex(hello)).toBe(toHex(reqFrames[0]))
    expect(toHex(requesterStep(state, respFrames[0] as Uint8Array).frame)).toBe(toHex(reqFrames[1]))
    expect(toHex(requesterStep(state, respFrames[1] as Uint8Array).frame)).toBe(toHex(reqFrames[2]))
    expect(state.phase).toBe('done')
  })

  it('responder role: our frames are weshnet responder frames', () => {
    const state = responder()
    expect(toHex(responderStep(state, reqFrames[0] as Uint8Array).frame)).toBe(toHex(respFrames[0]))
    expect(toHex(responderStep(state, reqFrames[1] as Uint8Array).frame)).toBe(toHex(respFrames[1]))
    expect(responderStep(state, reqFrames[2] as Uint8Array).frame).toBeUndefined()
    expect(state.phase).toBe('done')
    expect(toHex(state.peerAccountPk)).toBe(go.requesterAccountPk)
  })
})

describe('handshake decoders fuzzed with weshnet frames', () => {
  /** Each received frame, with a factory giving a fresh machine in the phase that expects it. */
  const cases: Array<[string, Uint8Array, (f: Uint8Array) => unknown]> = [
    ['responder ← hello', reqFrames[0] as Uint8Array, (f) => responderStep(responder(), f)],
    ['responder ← authenticate', reqFrames[1] as Uint8Array, (f) => {
      const s = responder()
      responderStep(s, reqFrames[0] as Uint8Array)
      return responderStep(s, f)
    }],
    ['responder ← ack', reqFrames[2] as Uint8Array, (f) => {
      const s = responder()
      responderStep(s, reqFrames[0] as Uint8Array)
      responderStep(s, reqFrames[1] as Uint8Array)
      return responderStep(s, f)
    }],
    ['requester ← hello', respFrames[0] as Uint8Array, (f) => requesterStep(requester().state, f)],
    ['requester ← accept', respFrames[1] as Uint8Array, (f) => {
      const { state } = requester()
      requesterStep(state, respFrames[0] as Uint8Array)
      return requesterStep(state, f)
    }]
  ]

  for (const [name, frame, feed] of cases) {
    it(name, () => {
      const survives = (f: Uint8Array): void => {
        try {
          feed(f)
        } catch (err) {
          expect(err).toBeInstanceOf(HandshakeError)
        }
      }
      for (let n = 0; n < frame.length; n++) survives(frame.subarray(0, n))
      // One flipped bit per byte (bit index rotating), to keep curve operations per run bounded.
      for (let i = 0; i < frame.length; i++) {
        const m = frame.slice()
        m[i] = (m[i] as number) ^ (1 << (i & 7))
        survives(m)
      }
      expect(() => feed(new Uint8Array(2049))).toThrow(HandshakeError)
    })
  }
})
