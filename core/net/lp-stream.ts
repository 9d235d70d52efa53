/**
 * Length-prefixed request → stream-of-frames protocol over libp2p 3 streams: the shape a bulk catch-up
 * protocol needs ("send me every entry after these heads").
 *
 * libp2p 3 streams are message streams (@libp2p/interface src/message-stream.ts): `send(bytes): boolean`
 * (false = wait for 'drain'), 'message' events, `close()` = half-close of our write side, `abort(err)` = reset,
 * and `for await (const chunk of stream)` yields raw chunks with NO framing. Framing comes from @libp2p/utils
 * `lpStream(stream, { maxDataLength })` (varint length prefix; `write` awaits 'drain'; `read` rejects with
 * `InvalidDataLengthError` above the cap and `UnexpectedEOFError` when the stream ends mid-frame or before a
 * frame starts).
 *
 * Wire format, both directions: unsigned-varint length ‖ bytes. The requester sends one request frame; the
 * responder sends zero or more non-empty frames and then one empty frame (END) and half-closes. An explicit
 * END tells "sender finished" apart from "connection dropped", which a bare EOF cannot.
 *
 * Claims: every read has a size cap (per frame) and a frame-count cap; every exchange has a deadline and
 * honours the caller's AbortSignal; on any failure the stream is reset (`abort`), never left half open.
 * Disclaims: no authentication beyond the connection's (Noise peer id): handlers must check `connection.remotePeer`.
 */
import type { Connection, Libp2p, PeerId, Stream } from '@libp2p/interface'
import { lpStream, type LengthPrefixedStream } from '@libp2p/utils'
import type { Multiaddr } from '@multiformats/multiaddr'
import { NetError } from './errors'
import { deadline, linkSignals } from './deadline'

export interface FrameLimits {
  /** Largest single frame accepted, in bytes. */
  maxFrameBytes: number
  /** Most frames accepted in one response. */
  maxFrames: number
  /** Deadline for the whole exchange, in ms. */
  timeoutMs: number
}

export const DEFAULT_LIMITS: FrameLimits = { maxFrameBytes: 1024 * 1024, maxFrames: 100_000, timeoutMs: 30_000 }

export type FrameResponder = (
  request: Uint8Array,
  connection: Connection,
  signal: AbortSignal
) => AsyncIterable<Uint8Array> | Iterable<Uint8Array>

export interface ServeOptions extends Partial<FrameLimits> {
  /** Largest request accepted. Default 64 KiB. */
  maxRequestBytes?: number
  maxInboundStreams?: number
  signal?: AbortSignal
}

const END = new Uint8Array(0)

export interface FramedStreamOptions {
  /** Largest frame accepted, in bytes. */
  maxFrameBytes: number
  /** Deadline of each read, in ms, unless the caller passes a signal. Default 15 s. */
  readTimeoutMs?: number
}

/**
 * The one framing of our stream protocols: unsigned-varint length ‖ bytes (`lpStream` from
 * @libp2p/utils), every read capped and timed out. Errors come out as `NetError`s
 * (ERR_MESSAGE_TOO_LARGE, ERR_TIMEOUT, ERR_UNEXPECTED_EOF) unless the caller passes its own signal.
 */
export class FramedStream {
  private readonly lp: LengthPrefixedStream<Stream>
  private readonly readTimeoutMs: number

  constructor(
    readonly stream: Stream,
    options: FramedStreamOptions
  ) {
    this.lp = lpStream(stream, { maxDataLength: options.maxFrameBytes })
    this.readTimeoutMs = options.readTimeoutMs ?? 15_000
  }

  /** With the caller's `signal`, its errors come out as they are (the caller maps them). */
  async read(options: { signal?: AbortSignal } = {}): Promise<Uint8Array> {
    if (options.signal) return (await this.lp.read({ signal: options.signal })).subarray()
    const signal = AbortSignal.timeout(this.readTimeoutMs)
    try {
      return (await this.lp.read({ signal })).subarray()
    } catch (err) {
      throw toNetError(err, signal)
    }
  }

  /**
   * libp2p's wait for 'drain' (p-event) leaves its abort listener on the signal it is given until that
   * signal fires: given the caller's, every write that waited added one for the caller's whole
   * operation (501 on a request's signal over a 2,000-frame stream). So it gets a signal of this write
   * alone, let go of when the write ends.
   */
  async write(frame: Uint8Array, options: { signal?: AbortSignal } = {}): Promise<void> {
    if (options.signal == null) return this.lp.write(frame)
    const scoped = linkSignals(options.signal)
    try {
      await this.lp.write(frame, { signal: scoped })
    } finally {
      scoped.clear()
    }
  }

  async close(options: { signal?: AbortSignal } = {}): Promise<void> {
    await this.stream.close(options)
  }

  abort(err: unknown): void {
    this.stream.abort(err instanceof Error ? err : new Error(String(err)))
  }
}

/** Registers `protocol` on `libp2p`; each inbound stream gets one request and streams back frames. */
export async function serveFrames(libp2p: Libp2p, protocol: string, respond: FrameResponder, options: ServeOptions = {}): Promise<void> {
  const limits = { ...DEFAULT_LIMITS, ...options }
  const maxRequestBytes = options.maxRequestBytes ?? 64 * 1024
  await libp2p.handle(
    protocol,
    async (stream, connection) => {
      // Attach the reader before the first await so no early 'message' is dispatched without us.
      // Only the request is read on this side: the cap is the request's.
      const framed = new FramedStream(stream, { maxFrameBytes: maxRequestBytes })
      // The responder's signal also fires when the requester resets or drops the stream.
      const gone = new AbortController()
      stream.addEventListener('close', () => gone.abort(), { once: true })
      const signal = deadline(limits.timeoutMs, options.signal, gone.signal)
      try {
        const request = await framed.read({ signal })
        for await (const frame of respond(request, connection, signal)) {
          if (frame.byteLength === 0) throw new NetError('ERR_BAD_OPTION', 'responder yielded an empty frame (reserved for END)')
          if (frame.byteLength > limits.maxFrameBytes) throw new NetError('ERR_MESSAGE_TOO_LARGE', `frame of ${frame.byteLength} bytes`)
          await framed.write(frame, { signal })
        }
        await framed.write(END, { signal })
        await stream.close({ signal })
      } catch (err) {
        stream.abort(toNetError(err, signal))
      } finally {
        signal.clear()
      }
    },
    { maxInboundStreams: options.maxInboundStreams ?? 8 }
  )
}

/**
 * Opens `protocol` to `peer`, sends `request`, yields each frame until END. Throws `NetError` with
 * ERR_MESSAGE_TOO_LARGE / ERR_TIMEOUT / ERR_UNEXPECTED_EOF, or the caller's `AbortError`.
 * Breaking out of the loop early resets the stream.
 */
export async function* requestFrames(
  libp2p: Libp2p,
  peer: PeerId | Multiaddr | Multiaddr[],
  protocol: string,
  request: Uint8Array,
  options: Partial<FrameLimits> & { signal?: AbortSignal } = {}
): AsyncGenerator<Uint8Array, void, undefined> {
  const limits = { ...DEFAULT_LIMITS, ...options }
  const signal = deadline(limits.timeoutMs, options.signal)
  let stream: Stream | undefined
  let done = false
  try {
    stream = await libp2p.dialProtocol(peer, protocol, { signal })
    const framed = new FramedStream(stream, { maxFrameBytes: limits.maxFrameBytes })
    await framed.write(request, { signal })
    for (let n = 0; ; n++) {
      const frame = await framed.read({ signal })
      if (frame.byteLength === 0) break
      if (n >= limits.maxFrames) throw new NetError('ERR_MESSAGE_TOO_LARGE', `more than ${limits.maxFrames} frames`)
      yield frame
    }
    await stream.close({ signal })
    done = true
  } catch (err) {
    const e = options.signal?.aborted === true ? err : toNetError(err, signal)
    stream?.abort(e instanceof Error ? e : new Error(String(e)))
    done = true
    throw e
  } finally {
    // Consumer stopped early (break/return): reset instead of leaving the responder writing into a void.
    if (!done) stream?.abort(new Error('requester stopped reading'))
    signal.clear()
  }
}

/** Maps stream/lpStream failures to `NetError` codes (timeout, oversized frame, EOF); passes others through. */
export function toNetError(err: unknown, signal: AbortSignal): Error {
  if (err instanceof NetError) return err
  const name = (err as { name?: string })?.name
  if (signal.aborted && (name === 'AbortError' || name === 'TimeoutError')) {
    return new NetError('ERR_TIMEOUT', 'frame exchange timed out', { cause: err })
  }
  if (name === 'InvalidDataLengthError' || name === 'InvalidDataLengthLengthError' || name === 'StreamBufferError') {
    return new NetError('ERR_MESSAGE_TOO_LARGE', (err as Error).message, { cause: err })
  }
  if (name === 'UnexpectedEOFError') {
    return new NetError('ERR_UNEXPECTED_EOF', (err as Error).message, { cause: err })
  }
  return err instanceof Error ? err : new Error(String(err))
}
