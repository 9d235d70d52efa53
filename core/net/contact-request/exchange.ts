/**
 * One contact-request exchange over a libp2p stream, each side driving the pure state machine of
 * core/protocol/contact-request.ts. Wire format as weshnet reads it (`protoio.NewDelimitedReader(stream,
 * 2048)`): uvarint length ‖ protobuf, every frame capped at 2048 bytes before it is buffered.
 *
 *   requester → hello, authenticate, ack, ShareableContact (the sixth frame)
 *   responder → hello, accept
 *
 * Every read runs under the caller's deadline signal; any failure resets the stream (`abort`).
 */
import type { Stream } from '@libp2p/interface'
import { wipe } from '../../crypto'
import { FramedStream } from '../lp-stream'
import {
  MAX_HANDSHAKE_FRAME_SIZE,
  requesterStep,
  responderResult,
  responderStep,
  startRequester,
  startResponder
} from '../../protocol/contact-request'
import { decodeContactFrame, encodeContactFrame, type ShareableContactData } from '../../protocol/contact-request-contact'

export interface RequesterRun {
  ownAccountSeed: Uint8Array
  peerAccountPk: Uint8Array
  /** The sixth frame: our account key, public rendezvous seed, app metadata. */
  ownContact: ShareableContactData
  ephemeralSecret?: Uint8Array
}

export interface ResponderRun {
  ownAccountSeed: Uint8Array
  ephemeralSecret?: Uint8Array
}

/** Requester side; resolves once the sixth frame is written and our side is closed. */
export async function runRequester(stream: Stream, run: RequesterRun, signal: AbortSignal): Promise<void> {
  // Encode first: a bad own contact fails before anything is sent.
  const contactFrame = encodeContactFrame(run.ownContact)
  const lp = new FramedStream(stream, { maxFrameBytes: MAX_HANDSHAKE_FRAME_SIZE })
  const { state, frame: hello } = startRequester({
    ownAccountSeed: run.ownAccountSeed,
    peerAccountPk: run.peerAccountPk,
    ...(run.ephemeralSecret !== undefined ? { ephemeralSecret: run.ephemeralSecret } : {})
  })
  try {
    await lp.write(hello, { signal })
    while (state.phase !== 'done') {
      const { frame } = requesterStep(state, await lp.read({ signal }))
      if (frame !== undefined) await lp.write(frame, { signal })
    }
    await lp.write(contactFrame, { signal })
    // weshnet's handler resets the stream once it has read the sixth frame, on success too
    // (contact_request_manager.go `s.Reset()`), and the protocol never acknowledges that frame: a reset
    // racing our half-close is the normal end of a request to a Go peer, not a failure.
    await stream.close({ signal }).catch((err: unknown) => {
      if ((err as { name?: string })?.name !== 'StreamResetError') throw err
    })
  } finally {
    wipe(state.ephemeralSecret, state.kab)
  }
}

/** Responder side; returns the requester's contact once the handshake and the sixth frame check out. */
export async function runResponder(stream: Stream, run: ResponderRun, signal: AbortSignal): Promise<ShareableContactData> {
  const lp = new FramedStream(stream, { maxFrameBytes: MAX_HANDSHAKE_FRAME_SIZE })
  const state = startResponder({
    ownAccountSeed: run.ownAccountSeed,
    ...(run.ephemeralSecret !== undefined ? { ephemeralSecret: run.ephemeralSecret } : {})
  })
  try {
    while (state.phase !== 'done') {
      const { frame } = responderStep(state, await lp.read({ signal }))
      if (frame !== undefined) await lp.write(frame, { signal })
    }
    const { peerAccountPk } = responderResult(state)
    const contact = decodeContactFrame(await lp.read({ signal }), peerAccountPk)
    await stream.close({ signal })
    return contact
  } finally {
    wipe(state.ephemeralSecret, state.kab)
  }
}
