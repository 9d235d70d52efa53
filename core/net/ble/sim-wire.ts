/**
 * Wire format between the cross-process radio simulator (sim-server.ts) and the daemons attached to it
 * (sim-client.ts), over a Unix socket: frames of u32-BE length ‖ u16-BE header length ‖ header (JSON,
 * one of {@link SimMessage}) ‖ payload (the bytes of a GATT value, if any).
 *
 * Claims: frames and headers are capped, every header is validated (zod) before use; a peer that sends
 * a bad frame is disconnected. Loopback only: the socket file's permissions are its access control.
 */
import { z } from 'zod'

export const MAX_FRAME_BYTES = 64 * 1024
export const MAX_HEADER_BYTES = 4 * 1024

const id = z.number().int().nonnegative().max(2 ** 31)
const str = z.string().min(1).max(256)

export const simMessage = z.discriminatedUnion('t', [
  // client → server
  z.object({ t: z.literal('hello'), label: str }),
  z.object({ t: z.literal('advertise'), name: str.optional() }),
  z.object({ t: z.literal('scan'), on: z.boolean() }),
  z.object({ t: z.literal('connect'), id, address: str }),
  z.object({ t: z.literal('write'), id, conn: str, char: str }),
  z.object({ t: z.literal('read'), id, conn: str, char: str }),
  z.object({ t: z.literal('subscribe'), id, conn: str, char: str }),
  z.object({ t: z.literal('disconnect'), conn: str }),
  z.object({ t: z.literal('notify'), id, central: str, char: str }),
  z.object({ t: z.literal('drop'), central: str }),
  z.object({ t: z.literal('answer'), id, ok: z.boolean() }),
  // server → client
  z.object({ t: z.literal('welcome'), address: str, mtu: z.number().int().min(23).max(517) }),
  z.object({ t: z.literal('advert'), address: str, name: str }),
  z.object({ t: z.literal('reply'), id, ok: z.boolean(), error: z.string().max(512).optional(), conn: str.optional() }),
  z.object({ t: z.literal('on-write'), id, central: str, char: str }),
  z.object({ t: z.literal('on-read'), id, central: str, char: str }),
  z.object({ t: z.literal('on-subscribe'), central: str, char: str }),
  z.object({ t: z.literal('on-disconnect'), central: str, error: z.string().max(512).optional() }),
  z.object({ t: z.literal('notification'), conn: str }),
  z.object({ t: z.literal('disconnected'), conn: str, error: z.string().max(512).optional() })
])

export type SimMessage = z.infer<typeof simMessage>

const utf8 = new TextEncoder()
const fromUtf8 = new TextDecoder()

export function encodeFrame(msg: SimMessage, payload?: Uint8Array): Uint8Array {
  const header = utf8.encode(JSON.stringify(msg))
  const body = payload ?? new Uint8Array(0)
  const len = 2 + header.length + body.length
  if (header.length > MAX_HEADER_BYTES || len > MAX_FRAME_BYTES) throw new RangeError(`sim frame of ${len} bytes`)
  const out = new Uint8Array(4 + len)
  const view = new DataView(out.buffer)
  view.setUint32(0, len, false)
  view.setUint16(4, header.length, false)
  out.set(header, 6)
  out.set(body, 6 + header.length)
  return out
}

/** Incremental decoder: push socket chunks, get whole frames; throws on a malformed or oversized frame. */
export class FrameDecoder {
  #buf = new Uint8Array(0)

  push(chunk: Uint8Array): Array<{ msg: SimMessage; payload: Uint8Array }> {
    const merged = new Uint8Array(this.#buf.length + chunk.length)
    merged.set(this.#buf)
    merged.set(chunk, this.#buf.length)
    const out: Array<{ msg: SimMessage; payload: Uint8Array }> = []
    let o = 0
    while (merged.length - o >= 4) {
      const view = new DataView(merged.buffer, merged.byteOffset + o)
      const len = view.getUint32(0, false)
      if (len < 2 || len > MAX_FRAME_BYTES) throw new RangeError(`sim frame length ${len}`)
      if (merged.length - o < 4 + len) break
      const hlen = view.getUint16(4, false)
      if (hlen > MAX_HEADER_BYTES || hlen > len - 2) throw new RangeError(`sim header length ${hlen}`)
      const header = JSON.parse(fromUtf8.decode(merged.subarray(o + 6, o + 6 + hlen))) as unknown
      const msg = simMessage.parse(header)
      out.push({ msg, payload: merged.slice(o + 6 + hlen, o + 4 + len) })
      o += 4 + len
    }
    this.#buf = merged.slice(o)
    return out
  }
}
