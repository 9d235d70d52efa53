/**
 * Structural protobuf checks that Go's `proto.Unmarshal` (google.golang.org/protobuf) makes and protons'
 * generated decoders skip: field number 0 (or above 2²⁹−1) is an error, not an unknown field; proto3
 * `string` fields must be valid UTF-8; deprecated group wire types are refused. Run before a protons
 * `decode` so a message Go would reject is rejected here too (a link, an envelope, a handshake frame).
 * Unknown fields with valid numbers are allowed: both sides skip them.
 */
import { reader as protoReader } from 'protons-runtime'

/** Which fields of a message are strings, and which are nested messages to check recursively. */
export interface ProtoShape {
  [field: number]: 'string' | ProtoShape
}

const MAX_FIELD = 2 ** 29 - 1
const utf8 = new TextDecoder('utf-8', { fatal: true })

export class ProtoShapeError extends Error {
  override readonly name = 'ProtoShapeError'
}

export function assertProtoWellFormed(bytes: Uint8Array, shape: ProtoShape = {}, depth = 0): void {
  if (depth > 16) throw new ProtoShapeError('message nested too deep')
  const r = protoReader(bytes)
  try {
    while (r.pos < r.len) {
      const tag = r.uint32()
      const field = tag >>> 3
      const wire = tag & 7
      if (field === 0 || field > MAX_FIELD) throw new ProtoShapeError(`invalid field number ${field}`)
      const kind = shape[field]
      switch (wire) {
        case 0:
          r.skipType(0)
          break
        case 1:
          r.skip(8)
          break
        case 5:
          r.skip(4)
          break
        case 2: {
          const value = r.bytes()
          if (kind === 'string') {
            utf8.decode(value)
          } else if (kind !== undefined) {
            assertProtoWellFormed(value, kind, depth + 1)
          }
          break
        }
        default:
          throw new ProtoShapeError(`unsupported wire type ${wire}`)
      }
    }
  } catch (err) {
    if (err instanceof ProtoShapeError) throw err
    throw new ProtoShapeError(`malformed protobuf: ${(err as Error).message}`, { cause: err })
  }
}
