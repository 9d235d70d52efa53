import { decodeMessage, encodeMessage, enumeration, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface BoxEnvelope {
  box: Uint8Array
}

export namespace BoxEnvelope {
  let _codec: Codec<BoxEnvelope>

  export const codec = (): Codec<BoxEnvelope> => {
    if (_codec == null) {
      _codec = message<BoxEnvelope>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.box != null && obj.box.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.box)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          box: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.box = reader.bytes()
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
                field: `${prefix}.box`,
                value: reader.bytes()
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

  export interface BoxEnvelopeBoxFieldEvent {
    field: '$.box'
    value: Uint8Array
  }

  export function encode (obj: Partial<BoxEnvelope>): Uint8Array {
    return encodeMessage(obj, BoxEnvelope.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BoxEnvelope>): BoxEnvelope {
    return decodeMessage(buf, BoxEnvelope.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BoxEnvelope>): Generator<BoxEnvelopeBoxFieldEvent> {
    return streamMessage(buf, BoxEnvelope.codec(), opts)
  }
}

export interface HelloPayload {
  ephemeralPubKey: Uint8Array
}

export namespace HelloPayload {
  let _codec: Codec<HelloPayload>

  export const codec = (): Codec<HelloPayload> => {
    if (_codec == null) {
      _codec = message<HelloPayload>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.ephemeralPubKey != null && obj.ephemeralPubKey.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.ephemeralPubKey)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          ephemeralPubKey: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.ephemeralPubKey = reader.bytes()
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
                field: `${prefix}.ephemeralPubKey`,
                value: reader.bytes()
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

  export interface HelloPayloadEphemeralPubKeyFieldEvent {
    field: '$.ephemeralPubKey'
    value: Uint8Array
  }

  export function encode (obj: Partial<HelloPayload>): Uint8Array {
    return encodeMessage(obj, HelloPayload.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<HelloPayload>): HelloPayload {
    return decodeMessage(buf, HelloPayload.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<HelloPayload>): Generator<HelloPayloadEphemeralPubKeyFieldEvent> {
    return streamMessage(buf, HelloPayload.codec(), opts)
  }
}

export interface RequesterAuthenticatePayload {
  requesterAccountId: Uint8Array
  requesterAccountSig: Uint8Array
}

export namespace RequesterAuthenticatePayload {
  let _codec: Codec<RequesterAuthenticatePayload>

  export const codec = (): Codec<RequesterAuthenticatePayload> => {
    if (_codec == null) {
      _codec = message<RequesterAuthenticatePayload>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.requesterAccountId != null && obj.requesterAccountId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.requesterAccountId)
        }

        if ((obj.requesterAccountSig != null && obj.requesterAccountSig.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.requesterAccountSig)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          requesterAccountId: uint8ArrayAlloc(0),
          requesterAccountSig: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.requesterAccountId = reader.bytes()
              break
            }
            case 2: {
              obj.requesterAccountSig = reader.bytes()
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
                field: `${prefix}.requesterAccountId`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.requesterAccountSig`,
                value: reader.bytes()
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

  export interface RequesterAuthenticatePayloadRequesterAccountIdFieldEvent {
    field: '$.requesterAccountId'
    value: Uint8Array
  }

  export interface RequesterAuthenticatePayloadRequesterAccountSigFieldEvent {
    field: '$.requesterAccountSig'
    value: Uint8Array
  }

  export function encode (obj: Partial<RequesterAuthenticatePayload>): Uint8Array {
    return encodeMessage(obj, RequesterAuthenticatePayload.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RequesterAuthenticatePayload>): RequesterAuthenticatePayload {
    return decodeMessage(buf, RequesterAuthenticatePayload.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RequesterAuthenticatePayload>): Generator<RequesterAuthenticatePayloadRequesterAccountIdFieldEvent | RequesterAuthenticatePayloadRequesterAccountSigFieldEvent> {
    return streamMessage(buf, RequesterAuthenticatePayload.codec(), opts)
  }
}

export interface ResponderAcceptPayload {
  responderAccountSig: Uint8Array
}

export namespace ResponderAcceptPayload {
  let _codec: Codec<ResponderAcceptPayload>

  export const codec = (): Codec<ResponderAcceptPayload> => {
    if (_codec == null) {
      _codec = message<ResponderAcceptPayload>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.responderAccountSig != null && obj.responderAccountSig.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.responderAccountSig)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          responderAccountSig: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.responderAccountSig = reader.bytes()
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
                field: `${prefix}.responderAccountSig`,
                value: reader.bytes()
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

  export interface ResponderAcceptPayloadResponderAccountSigFieldEvent {
    field: '$.responderAccountSig'
    value: Uint8Array
  }

  export function encode (obj: Partial<ResponderAcceptPayload>): Uint8Array {
    return encodeMessage(obj, ResponderAcceptPayload.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ResponderAcceptPayload>): ResponderAcceptPayload {
    return decodeMessage(buf, ResponderAcceptPayload.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ResponderAcceptPayload>): Generator<ResponderAcceptPayloadResponderAccountSigFieldEvent> {
    return streamMessage(buf, ResponderAcceptPayload.codec(), opts)
  }
}

export interface RequesterAcknowledgePayload {
  success: boolean
}

export namespace RequesterAcknowledgePayload {
  let _codec: Codec<RequesterAcknowledgePayload>

  export const codec = (): Codec<RequesterAcknowledgePayload> => {
    if (_codec == null) {
      _codec = message<RequesterAcknowledgePayload>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.success != null && obj.success !== false)) {
          w.uint32(8)
          w.bool(obj.success)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          success: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.success = reader.bool()
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
                field: `${prefix}.success`,
                value: reader.bool()
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

  export interface RequesterAcknowledgePayloadSuccessFieldEvent {
    field: '$.success'
    value: boolean
  }

  export function encode (obj: Partial<RequesterAcknowledgePayload>): Uint8Array {
    return encodeMessage(obj, RequesterAcknowledgePayload.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RequesterAcknowledgePayload>): RequesterAcknowledgePayload {
    return decodeMessage(buf, RequesterAcknowledgePayload.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RequesterAcknowledgePayload>): Generator<RequesterAcknowledgePayloadSuccessFieldEvent> {
    return streamMessage(buf, RequesterAcknowledgePayload.codec(), opts)
  }
}

export enum KeyType {
  RSA = 'RSA',
  Ed25519 = 'Ed25519',
  Secp256k1 = 'Secp256k1',
  ECDSA = 'ECDSA'
}

enum __KeyTypeValues {
  RSA = 0,
  Ed25519 = 1,
  Secp256k1 = 2,
  ECDSA = 3
}

export namespace KeyType {
  export const codec = (): Codec<KeyType> => {
    return enumeration<KeyType>(__KeyTypeValues)
  }
}

export interface PublicKey {
  Type: KeyType
  Data: Uint8Array
}

export namespace PublicKey {
  let _codec: Codec<PublicKey>

  export const codec = (): Codec<PublicKey> => {
    if (_codec == null) {
      _codec = message<PublicKey>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.Type != null && __KeyTypeValues[obj.Type] !== 0) {
          w.uint32(8)
          KeyType.codec().encode(obj.Type, w)
        }

        if ((obj.Data != null && obj.Data.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.Data)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          Type: KeyType.RSA,
          Data: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.Type = KeyType.codec().decode(reader)
              break
            }
            case 2: {
              obj.Data = reader.bytes()
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
                field: `${prefix}.Type`,
                value: KeyType.codec().decode(reader)
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.Data`,
                value: reader.bytes()
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

  export interface PublicKeyTypeFieldEvent {
    field: '$.Type'
    value: KeyType
  }

  export interface PublicKeyDataFieldEvent {
    field: '$.Data'
    value: Uint8Array
  }

  export function encode (obj: Partial<PublicKey>): Uint8Array {
    return encodeMessage(obj, PublicKey.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PublicKey>): PublicKey {
    return decodeMessage(buf, PublicKey.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PublicKey>): Generator<PublicKeyTypeFieldEvent | PublicKeyDataFieldEvent> {
    return streamMessage(buf, PublicKey.codec(), opts)
  }
}
