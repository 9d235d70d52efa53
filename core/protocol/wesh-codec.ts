/**
 * Checked decoding of weshnet protobuf messages (core/protocol/proto/wesh.ts) from untrusted bytes:
 * a size cap before anything is parsed, Go's structural rules (./proto-check), then the protons decoder.
 * Every failure is a `WeshDecodeError` with a stable code; nothing else escapes.
 */
import type { Codec } from 'protons-runtime'
import { assertProtoWellFormed, type ProtoShape } from './proto-check'

/** Largest weshnet message accepted by default: an orbit-db entry payload is far below this. */
export const DEFAULT_MAX_WESH_MESSAGE_BYTES = 1024 * 1024

export class WeshDecodeError extends Error {
  override readonly name = 'WeshDecodeError'
  readonly code: 'ERR_TOO_LARGE' | 'ERR_MALFORMED'

  constructor(code: 'ERR_TOO_LARGE' | 'ERR_MALFORMED', message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
  }
}

export interface DecodeWeshOptions {
  maxBytes?: number
  /** String / nested-message fields to check like Go does (see ./proto-check). */
  shape?: ProtoShape
}

export function decodeWesh<T>(codec: { codec(): Codec<T>; decode(b: Uint8Array): T }, bytes: Uint8Array, options: DecodeWeshOptions = {}): T {
  if (!(bytes instanceof Uint8Array)) throw new WeshDecodeError('ERR_MALFORMED', 'input must be a Uint8Array')
  const max = options.maxBytes ?? DEFAULT_MAX_WESH_MESSAGE_BYTES
  if (bytes.length > max) throw new WeshDecodeError('ERR_TOO_LARGE', `message of ${bytes.length} bytes exceeds ${max}`)
  try {
    assertProtoWellFormed(bytes, options.shape)
    return codec.decode(bytes)
  } catch (err) {
    throw new WeshDecodeError('ERR_MALFORMED', `not a valid message: ${(err as Error).message}`, { cause: err })
  }
}
