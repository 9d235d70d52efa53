import { decodeMessage, encodeMessage, message, streamMessage } from 'protons-runtime'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface ContactMetadata {
  displayName: string
}

export namespace ContactMetadata {
  let _codec: Codec<ContactMetadata>

  export const codec = (): Codec<ContactMetadata> => {
    if (_codec == null) {
      _codec = message<ContactMetadata>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.displayName != null && obj.displayName !== '')) {
          w.uint32(10)
          w.string(obj.displayName)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          displayName: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.displayName = reader.string()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.displayName`,
                value: reader.string()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ContactMetadataDisplayNameFieldEvent {
    field: '$.displayName'
    value: string
  }

  export function encode (obj: Partial<ContactMetadata>): Uint8Array {
    return encodeMessage(obj, ContactMetadata.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ContactMetadata>): ContactMetadata {
    return decodeMessage(buf, ContactMetadata.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ContactMetadata>): Generator<ContactMetadataDisplayNameFieldEvent> {
    return streamMessage(buf, ContactMetadata.codec(), opts)
  }
}
