/**
 * Frames of `/berty/log-sync/1.0.0`: dag-cbor maps over the project's one framing
 * (core/net/lp-stream.ts `FramedStream`), capped at MAX_FRAME_BYTES, every read timed out.
 */
import * as dagCbor from '@ipld/dag-cbor'
import type { Stream } from '@libp2p/interface'
import { NetError } from '../../net/errors'
import { FramedStream } from '../../net/lp-stream'
import { CanonicalReader, DECLINE, MAJOR_ARRAY, MAJOR_MAP } from '../cbor-reader'
import { SyncError } from './errors'

export const LOG_SYNC_PROTOCOL = '/berty/log-sync/1.0.0'
export const MAX_FRAME_BYTES = 1024 * 1024
export const MAX_WANTS = 512
export const MAX_HAVES = 256
/** Writers a fetch request's version vector may name (a group's member devices). */
export const MAX_CLOCK_WRITERS = 1024
export const BATCH_BYTES = 256 * 1024
/** One round usually covers a whole backlog, streamed parents first (see serve.ts). */
export const DEFAULT_FETCH_LIMIT = 32_768
/**
 * Entry bytes a fetch response, or a paced response's part, carries at most; past it the response
 * ends with `more` and the asker asks again, or, paced (`p`), the responder sends `part` and waits
 * for the asker's `next` before the next part of the same walk. The asker verifies and joins while it reads, slower than a fast link delivers, and the
 * stream's read buffer is capped at 4 MiB (@libp2p/utils byteStream): a 10,000-entry catch-up sent
 * in one response overflowed it (pull aborted) once corked TCP writes and Noise on libsodium sped
 * the sender up. Bounded thus, a response (or part) never has more than this plus a frame in flight.
 */
export const RESPONSE_BYTES = 2 * 1024 * 1024
export const READ_TIMEOUT_MS = 15_000

export type Frame =
  | { t: 'heads'; k: string; h: string[] }
  | {
      t: 'fetch'
      k: string
      w: string[]
      h: string[]
      n: number
      /**
       * Optional version vector: writer key (hex) → the latest Lamport time of that writer's
       * entries the asker holds, with their whole ancestry (GroupLog.writerClock). The responder
       * does not walk into such entries unless they are wanted by name. Peers that predate it
       * ignore the field; without it nothing is pruned.
       */
      v?: Record<string, number>
      /**
       * Optional: the asker paces the response. Past RESPONSE_BYTES the responder sends `part` and
       * waits for the asker's `next` before going on with the same walk, instead of ending with
       * `more` (the asker then asks again, and the responder walks the graph again). Peers that
       * predate it ignore the field and end with `more`.
       */
      p?: true
    }
  | { t: 'entries'; e: Uint8Array[] }
  /** A paced response's part is over: the responder waits for `next`. */
  | { t: 'part' }
  /** The asker has read a part: send the next one. */
  | { t: 'next' }
  | { t: 'end'; more: boolean }
  | { t: 'error'; c: string }

const HEX64 = /^[0-9a-f]{64}$/

/** A version vector as received: at most MAX_CLOCK_WRITERS writer keys, each a positive safe integer. */
function isClock(v: unknown): v is Record<string, number> {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Uint8Array) return false
  const entries = Object.entries(v)
  return entries.length <= MAX_CLOCK_WRITERS && entries.every(([key, time]) => HEX64.test(key) && Number.isSafeInteger(time) && (time as number) >= 1)
}

/** A fetch request's version vector as a Map (undefined when it carries none). */
export function fetchClock(f: Extract<Frame, { t: 'fetch' }>): Map<string, number> | undefined {
  return f.v === undefined ? undefined : new Map(Object.entries(f.v))
}

/** The wire form of a version vector: at most MAX_CLOCK_WRITERS writers (any subset is sound). */
export function clockField(clock: ReadonlyMap<string, number>): Record<string, number> | undefined {
  if (clock.size === 0) return undefined
  const out: Record<string, number> = {}
  let n = 0
  for (const [key, time] of clock) {
    if (n++ >= MAX_CLOCK_WRITERS) break
    out[key] = time
  }
  return out
}

function isStringArray(v: unknown, max: number): v is string[] {
  return Array.isArray(v) && v.length <= max && v.every((x) => typeof x === 'string' && x.length > 0 && x.length <= 128)
}

/**
 * The blocks of a canonical `{ e: [bytes…], t: 'entries' }` (what `write` sends), read in place as
 * views of `bytes`, without dag-cbor's token per block and copy of each; undefined for anything else
 * (parsed generically). tests/unit/groups/sync-frames.test.ts compares the two.
 */
function entriesInPlace(bytes: Uint8Array): Uint8Array[] | undefined {
  try {
    const r = new CanonicalReader(bytes)
    if (r.head(MAJOR_MAP) !== 2) return undefined
    r.key('e')
    const n = r.head(MAJOR_ARRAY)
    if (n > bytes.length - r.at) return undefined
    const e = new Array<Uint8Array>(n)
    for (let i = 0; i < n; i++) e[i] = r.bytes()
    r.key('t')
    if (r.text() !== 'entries' || r.at !== bytes.length) return undefined
    return e
  } catch (err) {
    if (err === DECLINE) return undefined
    throw err
  }
}

export function parseFrame(bytes: Uint8Array): Frame {
  const blocks = entriesInPlace(bytes)
  if (blocks) return { t: 'entries', e: blocks }
  let v: unknown
  try {
    v = dagCbor.decode(bytes)
  } catch {
    throw new SyncError('ERR_PROTOCOL', 'undecodable frame')
  }
  if (typeof v !== 'object' || v === null) throw new SyncError('ERR_PROTOCOL', 'frame is not a map')
  const f = v as Record<string, unknown>
  switch (f.t) {
    case 'heads':
      if (typeof f.k === 'string' && isStringArray(f.h, MAX_HAVES)) return { t: 'heads', k: f.k, h: f.h }
      break
    case 'fetch':
      if (typeof f.k === 'string' && isStringArray(f.w, MAX_WANTS) && isStringArray(f.h, MAX_HAVES) && Number.isSafeInteger(f.n) && (f.n as number) > 0) {
        const fetch: Extract<Frame, { t: 'fetch' }> = { t: 'fetch', k: f.k, w: f.w, h: f.h, n: Math.min(f.n as number, DEFAULT_FETCH_LIMIT) }
        if (f.p === true) fetch.p = true
        else if (f.p !== undefined) break
        if (f.v === undefined) return fetch
        if (isClock(f.v)) return { ...fetch, v: f.v }
      }
      break
    case 'part':
    case 'next':
      if (Object.keys(f).length === 1) return { t: f.t }
      break
    case 'entries':
      if (Array.isArray(f.e) && f.e.every((b) => b instanceof Uint8Array)) return { t: 'entries', e: f.e as Uint8Array[] }
      break
    case 'end':
      if (typeof f.more === 'boolean') return { t: 'end', more: f.more }
      break
    case 'error':
      if (typeof f.c === 'string') return { t: 'error', c: f.c.slice(0, 64) }
      break
  }
  throw new SyncError('ERR_PROTOCOL', 'malformed frame')
}

export class FrameStream {
  private readonly framed: FramedStream
  constructor(readonly stream: Stream) {
    this.framed = new FramedStream(stream, { maxFrameBytes: MAX_FRAME_BYTES, readTimeoutMs: READ_TIMEOUT_MS })
  }

  async read(): Promise<Frame> {
    let bytes: Uint8Array
    try {
      bytes = await this.framed.read()
    } catch (err) {
      if (err instanceof NetError && err.code === 'ERR_TIMEOUT') throw new SyncError('ERR_TIMEOUT', 'timed out waiting for a sync frame')
      if (err instanceof NetError && err.code === 'ERR_MESSAGE_TOO_LARGE') throw new SyncError('ERR_TOO_LARGE', err.message)
      throw err
    }
    return parseFrame(bytes)
  }

  async write(frame: Frame): Promise<void> {
    await this.framed.write(dagCbor.encode(frame))
  }
}
