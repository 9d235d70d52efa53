/* eslint-disable require-yield */

import { decodeMessage, encodeMessage, MaxLengthError, message, streamMessage } from 'protons-runtime'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface tinder {}

export namespace tinder {
  export interface Records {
    records: tinder.Record[]
  }

  export namespace Records {
    let _codec: Codec<Records>

    export const codec = (): Codec<Records> => {
      if (_codec == null) {
        _codec = message<Records>((obj, w, opts = {}) => {
          if (opts.lengthDelimited !== false) {
            w.fork()
          }

          if (obj.records != null && obj.records.length > 0) {
            for (const value of obj.records) {
              w.uint32(10)
              tinder.Record.codec().encode(value, w)
            }
          }

          if (opts.lengthDelimited !== false) {
            w.ldelim()
          }
        }, (reader, length, opts = {}) => {
          const obj: any = {
            records: []
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                if (opts.limits?.records != null && obj.records.length === opts.limits.records) {
                  throw new MaxLengthError('Decode error - repeated field "records" had too many elements')
                }

                obj.records.push(tinder.Record.codec().decode(reader, reader.uint32(), {
                  limits: opts.limits?.records$
                }))
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
          const obj = {
            records: 0
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                if (opts.limits?.records != null && obj.records === opts.limits.records) {
                  throw new MaxLengthError('Streaming decode error - repeated field "records" had too many elements')
                }

                for (const evt of tinder.Record.codec().stream(reader, reader.uint32(), `${prefix}.records[]`, {
                  limits: opts.limits?.records$
                })) {
                  yield {
                    ...evt,
                    index: obj.records
                  }
                }

                obj.records++

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

    export interface RecordsRecordsCidFieldEvent {
      field: '$.records[].cid'
      value: string
      index: number
    }

    export interface RecordsRecordsExpireFieldEvent {
      field: '$.records[].expire'
      value: bigint
      index: number
    }

    export function encode (obj: Partial<Records>): Uint8Array {
      return encodeMessage(obj, Records.codec())
    }

    export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Records>): Records {
      return decodeMessage(buf, Records.codec(), opts)
    }

    export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Records>): Generator<RecordsRecordsCidFieldEvent | RecordsRecordsExpireFieldEvent> {
      return streamMessage(buf, Records.codec(), opts)
    }
  }

  export interface Record {
    cid: string
    expire: bigint
  }

  export namespace Record {
    let _codec: Codec<Record>

    export const codec = (): Codec<Record> => {
      if (_codec == null) {
        _codec = message<Record>((obj, w, opts = {}) => {
          if (opts.lengthDelimited !== false) {
            w.fork()
          }

          if ((obj.cid != null && obj.cid !== '')) {
            w.uint32(10)
            w.string(obj.cid)
          }

          if ((obj.expire != null && obj.expire !== 0n)) {
            w.uint32(16)
            w.int64(obj.expire)
          }

          if (opts.lengthDelimited !== false) {
            w.ldelim()
          }
        }, (reader, length, opts = {}) => {
          const obj: any = {
            cid: '',
            expire: 0n
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                obj.cid = reader.string()
                break
              }
              case 2: {
                obj.expire = reader.int64()
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
                  field: `${prefix}.cid`,
                  value: reader.string()
                }
                break
              }
              case 2: {
                yield {
                  field: `${prefix}.expire`,
                  value: reader.int64()
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

    export interface RecordCidFieldEvent {
      field: '$.cid'
      value: string
    }

    export interface RecordExpireFieldEvent {
      field: '$.expire'
      value: bigint
    }

    export function encode (obj: Partial<Record>): Uint8Array {
      return encodeMessage(obj, Record.codec())
    }

    export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Record>): Record {
      return decodeMessage(buf, Record.codec(), opts)
    }

    export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Record>): Generator<RecordCidFieldEvent | RecordExpireFieldEvent> {
      return streamMessage(buf, Record.codec(), opts)
    }
  }

  let _codec: Codec<tinder>

  export const codec = (): Codec<tinder> => {
    if (_codec == null) {
      _codec = message<tinder>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {}

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
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

  export function encode (obj: Partial<tinder>): Uint8Array {
    return encodeMessage(obj, tinder.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<tinder>): tinder {
    return decodeMessage(buf, tinder.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<tinder>): Generator<{}> {
    return streamMessage(buf, tinder.codec(), opts)
  }
}
