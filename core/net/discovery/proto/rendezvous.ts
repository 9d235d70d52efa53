/* eslint-disable require-yield */

import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface rendezvous {}

export namespace rendezvous {
  export interface Message {
    type: rendezvous.Message.MessageType
    register?: rendezvous.Message.Register
    registerResponse?: rendezvous.Message.RegisterResponse
    unregister?: rendezvous.Message.Unregister
    discover?: rendezvous.Message.Discover
    discoverResponse?: rendezvous.Message.DiscoverResponse
    discoverSubscribe?: rendezvous.Message.DiscoverSubscribe
    discoverSubscribeResponse?: rendezvous.Message.DiscoverSubscribeResponse
  }

  export namespace Message {
    export enum MessageType {
      REGISTER = 'REGISTER',
      REGISTER_RESPONSE = 'REGISTER_RESPONSE',
      UNREGISTER = 'UNREGISTER',
      DISCOVER = 'DISCOVER',
      DISCOVER_RESPONSE = 'DISCOVER_RESPONSE',
      DISCOVER_SUBSCRIBE = 'DISCOVER_SUBSCRIBE',
      DISCOVER_SUBSCRIBE_RESPONSE = 'DISCOVER_SUBSCRIBE_RESPONSE'
    }

    enum __MessageTypeValues {
      REGISTER = 0,
      REGISTER_RESPONSE = 1,
      UNREGISTER = 2,
      DISCOVER = 3,
      DISCOVER_RESPONSE = 4,
      DISCOVER_SUBSCRIBE = 100,
      DISCOVER_SUBSCRIBE_RESPONSE = 101
    }

    export namespace MessageType {
      export const codec = (): Codec<MessageType> => {
        return enumeration<MessageType>(__MessageTypeValues)
      }
    }

    export enum ResponseStatus {
      OK = 'OK',
      E_INVALID_NAMESPACE = 'E_INVALID_NAMESPACE',
      E_INVALID_PEER_INFO = 'E_INVALID_PEER_INFO',
      E_INVALID_TTL = 'E_INVALID_TTL',
      E_INVALID_COOKIE = 'E_INVALID_COOKIE',
      E_NOT_AUTHORIZED = 'E_NOT_AUTHORIZED',
      E_INTERNAL_ERROR = 'E_INTERNAL_ERROR',
      E_UNAVAILABLE = 'E_UNAVAILABLE'
    }

    enum __ResponseStatusValues {
      OK = 0,
      E_INVALID_NAMESPACE = 100,
      E_INVALID_PEER_INFO = 101,
      E_INVALID_TTL = 102,
      E_INVALID_COOKIE = 103,
      E_NOT_AUTHORIZED = 200,
      E_INTERNAL_ERROR = 300,
      E_UNAVAILABLE = 400
    }

    export namespace ResponseStatus {
      export const codec = (): Codec<ResponseStatus> => {
        return enumeration<ResponseStatus>(__ResponseStatusValues)
      }
    }

    export interface PeerInfo {
      id: Uint8Array
      addrs: Uint8Array[]
    }

    export namespace PeerInfo {
      let _codec: Codec<PeerInfo>

      export const codec = (): Codec<PeerInfo> => {
        if (_codec == null) {
          _codec = message<PeerInfo>((obj, w, opts = {}) => {
            if (opts.lengthDelimited !== false) {
              w.fork()
            }

            if ((obj.id != null && obj.id.byteLength > 0)) {
              w.uint32(10)
              w.bytes(obj.id)
            }

            if (obj.addrs != null && obj.addrs.length > 0) {
              for (const value of obj.addrs) {
                w.uint32(18)
                w.bytes(value)
              }
            }

            if (opts.lengthDelimited !== false) {
              w.ldelim()
            }
          }, (reader, length, opts = {}) => {
            const obj: any = {
              id: uint8ArrayAlloc(0),
              addrs: []
            }

            const end = length == null ? reader.len : reader.pos + length

            while (reader.pos < end) {
              const tag = reader.uint32()

              switch (tag >>> 3) {
                case 1: {
                  obj.id = reader.bytes()
                  break
                }
                case 2: {
                  if (opts.limits?.addrs != null && obj.addrs.length === opts.limits.addrs) {
                    throw new MaxLengthError('Decode error - repeated field "addrs" had too many elements')
                  }

                  obj.addrs.push(reader.bytes())
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
              addrs: 0
            }

            const end = length == null ? reader.len : reader.pos + length

            while (reader.pos < end) {
              const tag = reader.uint32()

              switch (tag >>> 3) {
                case 1: {
                  yield {
                    field: `${prefix}.id`,
                    value: reader.bytes()
                  }
                  break
                }
                case 2: {
                  if (opts.limits?.addrs != null && obj.addrs === opts.limits.addrs) {
                    throw new MaxLengthError('Streaming decode error - repeated field "addrs" had too many elements')
                  }

                  yield {
                    field: `${prefix}.addrs[]`,
                    index: obj.addrs,
                    value: reader.bytes()
                  }

                  obj.addrs++

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

      export interface PeerInfoIdFieldEvent {
        field: '$.id'
        value: Uint8Array
      }

      export interface PeerInfoAddrsFieldEvent {
        field: '$.addrs[]'
        index: number
        value: Uint8Array
      }

      export function encode (obj: Partial<PeerInfo>): Uint8Array {
        return encodeMessage(obj, PeerInfo.codec())
      }

      export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PeerInfo>): PeerInfo {
        return decodeMessage(buf, PeerInfo.codec(), opts)
      }

      export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PeerInfo>): Generator<PeerInfoIdFieldEvent | PeerInfoAddrsFieldEvent> {
        return streamMessage(buf, PeerInfo.codec(), opts)
      }
    }

    export interface Register {
      ns: string
      peer?: rendezvous.Message.PeerInfo
      ttl: bigint
    }

    export namespace Register {
      let _codec: Codec<Register>

      export const codec = (): Codec<Register> => {
        if (_codec == null) {
          _codec = message<Register>((obj, w, opts = {}) => {
            if (opts.lengthDelimited !== false) {
              w.fork()
            }

            if ((obj.ns != null && obj.ns !== '')) {
              w.uint32(10)
              w.string(obj.ns)
            }

            if (obj.peer != null) {
              w.uint32(18)
              rendezvous.Message.PeerInfo.codec().encode(obj.peer, w)
            }

            if ((obj.ttl != null && obj.ttl !== 0n)) {
              w.uint32(24)
              w.int64(obj.ttl)
            }

            if (opts.lengthDelimited !== false) {
              w.ldelim()
            }
          }, (reader, length, opts = {}) => {
            const obj: any = {
              ns: '',
              ttl: 0n
            }

            const end = length == null ? reader.len : reader.pos + length

            while (reader.pos < end) {
              const tag = reader.uint32()

              switch (tag >>> 3) {
                case 1: {
                  obj.ns = reader.string()
                  break
                }
                case 2: {
                  obj.peer = rendezvous.Message.PeerInfo.codec().decode(reader, reader.uint32(), {
                    limits: opts.limits?.peer
                  })
                  break
                }
                case 3: {
                  obj.ttl = reader.int64()
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
                    field: `${prefix}.ns`,
                    value: reader.string()
                  }
                  break
                }
                case 2: {
                  yield * rendezvous.Message.PeerInfo.codec().stream(reader, reader.uint32(), `${prefix}.peer`, {
                    limits: opts.limits?.peer
                  })

                  break
                }
                case 3: {
                  yield {
                    field: `${prefix}.ttl`,
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

      export interface RegisterNsFieldEvent {
        field: '$.ns'
        value: string
      }

      export interface RegisterPeerIdFieldEvent {
        field: '$.peer.id'
        value: Uint8Array
      }

      export interface RegisterPeerAddrsFieldEvent {
        field: '$.peer.addrs[]'
        index: number
        value: Uint8Array
      }

      export interface RegisterTtlFieldEvent {
        field: '$.ttl'
        value: bigint
      }

      export function encode (obj: Partial<Register>): Uint8Array {
        return encodeMessage(obj, Register.codec())
      }

      export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Register>): Register {
        return decodeMessage(buf, Register.codec(), opts)
      }

      export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Register>): Generator<RegisterNsFieldEvent | RegisterPeerIdFieldEvent | RegisterPeerAddrsFieldEvent | RegisterTtlFieldEvent> {
        return streamMessage(buf, Register.codec(), opts)
      }
    }

    export interface RegisterResponse {
      status: rendezvous.Message.ResponseStatus
      statusText: string
      ttl: bigint
    }

    export namespace RegisterResponse {
      let _codec: Codec<RegisterResponse>

      export const codec = (): Codec<RegisterResponse> => {
        if (_codec == null) {
          _codec = message<RegisterResponse>((obj, w, opts = {}) => {
            if (opts.lengthDelimited !== false) {
              w.fork()
            }

            if (obj.status != null && __ResponseStatusValues[obj.status] !== 0) {
              w.uint32(8)
              rendezvous.Message.ResponseStatus.codec().encode(obj.status, w)
            }

            if ((obj.statusText != null && obj.statusText !== '')) {
              w.uint32(18)
              w.string(obj.statusText)
            }

            if ((obj.ttl != null && obj.ttl !== 0n)) {
              w.uint32(24)
              w.int64(obj.ttl)
            }

            if (opts.lengthDelimited !== false) {
              w.ldelim()
            }
          }, (reader, length, opts = {}) => {
            const obj: any = {
              status: ResponseStatus.OK,
              statusText: '',
              ttl: 0n
            }

            const end = length == null ? reader.len : reader.pos + length

            while (reader.pos < end) {
              const tag = reader.uint32()

              switch (tag >>> 3) {
                case 1: {
                  obj.status = rendezvous.Message.ResponseStatus.codec().decode(reader)
                  break
                }
                case 2: {
                  obj.statusText = reader.string()
                  break
                }
                case 3: {
                  obj.ttl = reader.int64()
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
                    field: `${prefix}.status`,
                    value: rendezvous.Message.ResponseStatus.codec().decode(reader)
                  }
                  break
                }
                case 2: {
                  yield {
                    field: `${prefix}.statusText`,
                    value: reader.string()
                  }
                  break
                }
                case 3: {
                  yield {
                    field: `${prefix}.ttl`,
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

      export interface RegisterResponseStatusFieldEvent {
        field: '$.status'
        value: rendezvous.Message.ResponseStatus
      }

      export interface RegisterResponseStatusTextFieldEvent {
        field: '$.statusText'
        value: string
      }

      export interface RegisterResponseTtlFieldEvent {
        field: '$.ttl'
        value: bigint
      }

      export function encode (obj: Partial<RegisterResponse>): Uint8Array {
        return encodeMessage(obj, RegisterResponse.codec())
      }

      export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RegisterResponse>): RegisterResponse {
        return decodeMessage(buf, RegisterResponse.codec(), opts)
      }

      export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RegisterResponse>): Generator<RegisterResponseStatusFieldEvent | RegisterResponseStatusTextFieldEvent | RegisterResponseTtlFieldEvent> {
        return streamMessage(buf, RegisterResponse.codec(), opts)
      }
    }

    export interface Unregister {
      ns: string
      id: Uint8Array
    }

    export namespace Unregister {
      let _codec: Codec<Unregister>

      export const codec = (): Codec<Unregister> => {
        if (_codec == null) {
          _codec = message<Unregister>((obj, w, opts = {}) => {
            if (opts.lengthDelimited !== false) {
              w.fork()
            }

            if ((obj.ns != null && obj.ns !== '')) {
              w.uint32(10)
              w.string(obj.ns)
            }

            if ((obj.id != null && obj.id.byteLength > 0)) {
              w.uint32(18)
              w.bytes(obj.id)
            }

            if (opts.lengthDelimited !== false) {
              w.ldelim()
            }
          }, (reader, length, opts = {}) => {
            const obj: any = {
              ns: '',
              id: uint8ArrayAlloc(0)
            }

            const end = length == null ? reader.len : reader.pos + length

            while (reader.pos < end) {
              const tag = reader.uint32()

              switch (tag >>> 3) {
                case 1: {
                  obj.ns = reader.string()
                  break
                }
                case 2: {
                  obj.id = reader.bytes()
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
                    field: `${prefix}.ns`,
                    value: reader.string()
                  }
                  break
                }
                case 2: {
                  yield {
                    field: `${prefix}.id`,
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

      export interface UnregisterNsFieldEvent {
        field: '$.ns'
        value: string
      }

      export interface UnregisterIdFieldEvent {
        field: '$.id'
        value: Uint8Array
      }

      export function encode (obj: Partial<Unregister>): Uint8Array {
        return encodeMessage(obj, Unregister.codec())
      }

      export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Unregister>): Unregister {
        return decodeMessage(buf, Unregister.codec(), opts)
      }

      export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Unregister>): Generator<UnregisterNsFieldEvent | UnregisterIdFieldEvent> {
        return streamMessage(buf, Unregister.codec(), opts)
      }
    }

    export interface Discover {
      ns: string
      limit: bigint
      cookie: Uint8Array
    }

    export namespace Discover {
      let _codec: Codec<Discover>

      export const codec = (): Codec<Discover> => {
        if (_codec == null) {
          _codec = message<Discover>((obj, w, opts = {}) => {
            if (opts.lengthDelimited !== false) {
              w.fork()
            }

            if ((obj.ns != null && obj.ns !== '')) {
              w.uint32(10)
              w.string(obj.ns)
            }

            if ((obj.limit != null && obj.limit !== 0n)) {
              w.uint32(16)
              w.int64(obj.limit)
            }

            if ((obj.cookie != null && obj.cookie.byteLength > 0)) {
              w.uint32(26)
              w.bytes(obj.cookie)
            }

            if (opts.lengthDelimited !== false) {
              w.ldelim()
            }
          }, (reader, length, opts = {}) => {
            const obj: any = {
              ns: '',
              limit: 0n,
              cookie: uint8ArrayAlloc(0)
            }

            const end = length == null ? reader.len : reader.pos + length

            while (reader.pos < end) {
              const tag = reader.uint32()

              switch (tag >>> 3) {
                case 1: {
                  obj.ns = reader.string()
                  break
                }
                case 2: {
                  obj.limit = reader.int64()
                  break
                }
                case 3: {
                  obj.cookie = reader.bytes()
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
                    field: `${prefix}.ns`,
                    value: reader.string()
                  }
                  break
                }
                case 2: {
                  yield {
                    field: `${prefix}.limit`,
                    value: reader.int64()
                  }
                  break
                }
                case 3: {
                  yield {
                    field: `${prefix}.cookie`,
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

      export interface DiscoverNsFieldEvent {
        field: '$.ns'
        value: string
      }

      export interface DiscoverLimitFieldEvent {
        field: '$.limit'
        value: bigint
      }

      export interface DiscoverCookieFieldEvent {
        field: '$.cookie'
        value: Uint8Array
      }

      export function encode (obj: Partial<Discover>): Uint8Array {
        return encodeMessage(obj, Discover.codec())
      }

      export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Discover>): Discover {
        return decodeMessage(buf, Discover.codec(), opts)
      }

      export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Discover>): Generator<DiscoverNsFieldEvent | DiscoverLimitFieldEvent | DiscoverCookieFieldEvent> {
        return streamMessage(buf, Discover.codec(), opts)
      }
    }

    export interface DiscoverResponse {
      registrations: rendezvous.Message.Register[]
      cookie: Uint8Array
      status: rendezvous.Message.ResponseStatus
      statusText: string
    }

    export namespace DiscoverResponse {
      let _codec: Codec<DiscoverResponse>

      export const codec = (): Codec<DiscoverResponse> => {
        if (_codec == null) {
          _codec = message<DiscoverResponse>((obj, w, opts = {}) => {
            if (opts.lengthDelimited !== false) {
              w.fork()
            }

            if (obj.registrations != null && obj.registrations.length > 0) {
              for (const value of obj.registrations) {
                w.uint32(10)
                rendezvous.Message.Register.codec().encode(value, w)
              }
            }

            if ((obj.cookie != null && obj.cookie.byteLength > 0)) {
              w.uint32(18)
              w.bytes(obj.cookie)
            }

            if (obj.status != null && __ResponseStatusValues[obj.status] !== 0) {
              w.uint32(24)
              rendezvous.Message.ResponseStatus.codec().encode(obj.status, w)
            }

            if ((obj.statusText != null && obj.statusText !== '')) {
              w.uint32(34)
              w.string(obj.statusText)
            }

            if (opts.lengthDelimited !== false) {
              w.ldelim()
            }
          }, (reader, length, opts = {}) => {
            const obj: any = {
              registrations: [],
              cookie: uint8ArrayAlloc(0),
              status: ResponseStatus.OK,
              statusText: ''
            }

            const end = length == null ? reader.len : reader.pos + length

            while (reader.pos < end) {
              const tag = reader.uint32()

              switch (tag >>> 3) {
                case 1: {
                  if (opts.limits?.registrations != null && obj.registrations.length === opts.limits.registrations) {
                    throw new MaxLengthError('Decode error - repeated field "registrations" had too many elements')
                  }

                  obj.registrations.push(rendezvous.Message.Register.codec().decode(reader, reader.uint32(), {
                    limits: opts.limits?.registrations$
                  }))
                  break
                }
                case 2: {
                  obj.cookie = reader.bytes()
                  break
                }
                case 3: {
                  obj.status = rendezvous.Message.ResponseStatus.codec().decode(reader)
                  break
                }
                case 4: {
                  obj.statusText = reader.string()
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
              registrations: 0
            }

            const end = length == null ? reader.len : reader.pos + length

            while (reader.pos < end) {
              const tag = reader.uint32()

              switch (tag >>> 3) {
                case 1: {
                  if (opts.limits?.registrations != null && obj.registrations === opts.limits.registrations) {
                    throw new MaxLengthError('Streaming decode error - repeated field "registrations" had too many elements')
                  }

                  for (const evt of rendezvous.Message.Register.codec().stream(reader, reader.uint32(), `${prefix}.registrations[]`, {
                    limits: opts.limits?.registrations$
                  })) {
                    yield {
                      ...evt,
                      index: obj.registrations
                    }
                  }

                  obj.registrations++

                  break
                }
                case 2: {
                  yield {
                    field: `${prefix}.cookie`,
                    value: reader.bytes()
                  }
                  break
                }
                case 3: {
                  yield {
                    field: `${prefix}.status`,
                    value: rendezvous.Message.ResponseStatus.codec().decode(reader)
                  }
                  break
                }
                case 4: {
                  yield {
                    field: `${prefix}.statusText`,
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

      export interface DiscoverResponseRegistrationsNsFieldEvent {
        field: '$.registrations[].ns'
        value: string
        index: number
      }

      export interface DiscoverResponseRegistrationsPeerIdFieldEvent {
        field: '$.registrations[].peer.id'
        value: Uint8Array
        index: number
      }

      export interface DiscoverResponseRegistrationsPeerAddrsFieldEvent {
        field: '$.registrations[].peer.addrs[]'
        index: number
        value: Uint8Array
      }

      export interface DiscoverResponseRegistrationsTtlFieldEvent {
        field: '$.registrations[].ttl'
        value: bigint
        index: number
      }

      export interface DiscoverResponseCookieFieldEvent {
        field: '$.cookie'
        value: Uint8Array
      }

      export interface DiscoverResponseStatusFieldEvent {
        field: '$.status'
        value: rendezvous.Message.ResponseStatus
      }

      export interface DiscoverResponseStatusTextFieldEvent {
        field: '$.statusText'
        value: string
      }

      export function encode (obj: Partial<DiscoverResponse>): Uint8Array {
        return encodeMessage(obj, DiscoverResponse.codec())
      }

      export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DiscoverResponse>): DiscoverResponse {
        return decodeMessage(buf, DiscoverResponse.codec(), opts)
      }

      export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DiscoverResponse>): Generator<DiscoverResponseRegistrationsNsFieldEvent | DiscoverResponseRegistrationsPeerIdFieldEvent | DiscoverResponseRegistrationsPeerAddrsFieldEvent | DiscoverResponseRegistrationsTtlFieldEvent | DiscoverResponseCookieFieldEvent | DiscoverResponseStatusFieldEvent | DiscoverResponseStatusTextFieldEvent> {
        return streamMessage(buf, DiscoverResponse.codec(), opts)
      }
    }

    export interface DiscoverSubscribe {
      supportedSubscriptionTypes: string[]
      ns: string
    }

    export namespace DiscoverSubscribe {
      let _codec: Codec<DiscoverSubscribe>

      export const codec = (): Codec<DiscoverSubscribe> => {
        if (_codec == null) {
          _codec = message<DiscoverSubscribe>((obj, w, opts = {}) => {
            if (opts.lengthDelimited !== false) {
              w.fork()
            }

            if (obj.supportedSubscriptionTypes != null && obj.supportedSubscriptionTypes.length > 0) {
              for (const value of obj.supportedSubscriptionTypes) {
                w.uint32(10)
                w.string(value)
              }
            }

            if ((obj.ns != null && obj.ns !== '')) {
              w.uint32(18)
              w.string(obj.ns)
            }

            if (opts.lengthDelimited !== false) {
              w.ldelim()
            }
          }, (reader, length, opts = {}) => {
            const obj: any = {
              supportedSubscriptionTypes: [],
              ns: ''
            }

            const end = length == null ? reader.len : reader.pos + length

            while (reader.pos < end) {
              const tag = reader.uint32()

              switch (tag >>> 3) {
                case 1: {
                  if (opts.limits?.supportedSubscriptionTypes != null && obj.supportedSubscriptionTypes.length === opts.limits.supportedSubscriptionTypes) {
                    throw new MaxLengthError('Decode error - repeated field "supportedSubscriptionTypes" had too many elements')
                  }

                  obj.supportedSubscriptionTypes.push(reader.string())
                  break
                }
                case 2: {
                  obj.ns = reader.string()
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
              supportedSubscriptionTypes: 0
            }

            const end = length == null ? reader.len : reader.pos + length

            while (reader.pos < end) {
              const tag = reader.uint32()

              switch (tag >>> 3) {
                case 1: {
                  if (opts.limits?.supportedSubscriptionTypes != null && obj.supportedSubscriptionTypes === opts.limits.supportedSubscriptionTypes) {
                    throw new MaxLengthError('Streaming decode error - repeated field "supportedSubscriptionTypes" had too many elements')
                  }

                  yield {
                    field: `${prefix}.supportedSubscriptionTypes[]`,
                    index: obj.supportedSubscriptionTypes,
                    value: reader.string()
                  }

                  obj.supportedSubscriptionTypes++

                  break
                }
                case 2: {
                  yield {
                    field: `${prefix}.ns`,
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

      export interface DiscoverSubscribeSupportedSubscriptionTypesFieldEvent {
        field: '$.supportedSubscriptionTypes[]'
        index: number
        value: string
      }

      export interface DiscoverSubscribeNsFieldEvent {
        field: '$.ns'
        value: string
      }

      export function encode (obj: Partial<DiscoverSubscribe>): Uint8Array {
        return encodeMessage(obj, DiscoverSubscribe.codec())
      }

      export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DiscoverSubscribe>): DiscoverSubscribe {
        return decodeMessage(buf, DiscoverSubscribe.codec(), opts)
      }

      export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DiscoverSubscribe>): Generator<DiscoverSubscribeSupportedSubscriptionTypesFieldEvent | DiscoverSubscribeNsFieldEvent> {
        return streamMessage(buf, DiscoverSubscribe.codec(), opts)
      }
    }

    export interface DiscoverSubscribeResponse {
      subscriptionType: string
      subscriptionDetails: string
      status: rendezvous.Message.ResponseStatus
      statusText: string
    }

    export namespace DiscoverSubscribeResponse {
      let _codec: Codec<DiscoverSubscribeResponse>

      export const codec = (): Codec<DiscoverSubscribeResponse> => {
        if (_codec == null) {
          _codec = message<DiscoverSubscribeResponse>((obj, w, opts = {}) => {
            if (opts.lengthDelimited !== false) {
              w.fork()
            }

            if ((obj.subscriptionType != null && obj.subscriptionType !== '')) {
              w.uint32(10)
              w.string(obj.subscriptionType)
            }

            if ((obj.subscriptionDetails != null && obj.subscriptionDetails !== '')) {
              w.uint32(18)
              w.string(obj.subscriptionDetails)
            }

            if (obj.status != null && __ResponseStatusValues[obj.status] !== 0) {
              w.uint32(24)
              rendezvous.Message.ResponseStatus.codec().encode(obj.status, w)
            }

            if ((obj.statusText != null && obj.statusText !== '')) {
              w.uint32(34)
              w.string(obj.statusText)
            }

            if (opts.lengthDelimited !== false) {
              w.ldelim()
            }
          }, (reader, length, opts = {}) => {
            const obj: any = {
              subscriptionType: '',
              subscriptionDetails: '',
              status: ResponseStatus.OK,
              statusText: ''
            }

            const end = length == null ? reader.len : reader.pos + length

            while (reader.pos < end) {
              const tag = reader.uint32()

              switch (tag >>> 3) {
                case 1: {
                  obj.subscriptionType = reader.string()
                  break
                }
                case 2: {
                  obj.subscriptionDetails = reader.string()
                  break
                }
                case 3: {
                  obj.status = rendezvous.Message.ResponseStatus.codec().decode(reader)
                  break
                }
                case 4: {
                  obj.statusText = reader.string()
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
                    field: `${prefix}.subscriptionType`,
                    value: reader.string()
                  }
                  break
                }
                case 2: {
                  yield {
                    field: `${prefix}.subscriptionDetails`,
                    value: reader.string()
                  }
                  break
                }
                case 3: {
                  yield {
                    field: `${prefix}.status`,
                    value: rendezvous.Message.ResponseStatus.codec().decode(reader)
                  }
                  break
                }
                case 4: {
                  yield {
                    field: `${prefix}.statusText`,
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

      export interface DiscoverSubscribeResponseSubscriptionTypeFieldEvent {
        field: '$.subscriptionType'
        value: string
      }

      export interface DiscoverSubscribeResponseSubscriptionDetailsFieldEvent {
        field: '$.subscriptionDetails'
        value: string
      }

      export interface DiscoverSubscribeResponseStatusFieldEvent {
        field: '$.status'
        value: rendezvous.Message.ResponseStatus
      }

      export interface DiscoverSubscribeResponseStatusTextFieldEvent {
        field: '$.statusText'
        value: string
      }

      export function encode (obj: Partial<DiscoverSubscribeResponse>): Uint8Array {
        return encodeMessage(obj, DiscoverSubscribeResponse.codec())
      }

      export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DiscoverSubscribeResponse>): DiscoverSubscribeResponse {
        return decodeMessage(buf, DiscoverSubscribeResponse.codec(), opts)
      }

      export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DiscoverSubscribeResponse>): Generator<DiscoverSubscribeResponseSubscriptionTypeFieldEvent | DiscoverSubscribeResponseSubscriptionDetailsFieldEvent | DiscoverSubscribeResponseStatusFieldEvent | DiscoverSubscribeResponseStatusTextFieldEvent> {
        return streamMessage(buf, DiscoverSubscribeResponse.codec(), opts)
      }
    }

    let _codec: Codec<Message>

    export const codec = (): Codec<Message> => {
      if (_codec == null) {
        _codec = message<Message>((obj, w, opts = {}) => {
          if (opts.lengthDelimited !== false) {
            w.fork()
          }

          if (obj.type != null && __MessageTypeValues[obj.type] !== 0) {
            w.uint32(8)
            rendezvous.Message.MessageType.codec().encode(obj.type, w)
          }

          if (obj.register != null) {
            w.uint32(18)
            rendezvous.Message.Register.codec().encode(obj.register, w)
          }

          if (obj.registerResponse != null) {
            w.uint32(26)
            rendezvous.Message.RegisterResponse.codec().encode(obj.registerResponse, w)
          }

          if (obj.unregister != null) {
            w.uint32(34)
            rendezvous.Message.Unregister.codec().encode(obj.unregister, w)
          }

          if (obj.discover != null) {
            w.uint32(42)
            rendezvous.Message.Discover.codec().encode(obj.discover, w)
          }

          if (obj.discoverResponse != null) {
            w.uint32(50)
            rendezvous.Message.DiscoverResponse.codec().encode(obj.discoverResponse, w)
          }

          if (obj.discoverSubscribe != null) {
            w.uint32(802)
            rendezvous.Message.DiscoverSubscribe.codec().encode(obj.discoverSubscribe, w)
          }

          if (obj.discoverSubscribeResponse != null) {
            w.uint32(810)
            rendezvous.Message.DiscoverSubscribeResponse.codec().encode(obj.discoverSubscribeResponse, w)
          }

          if (opts.lengthDelimited !== false) {
            w.ldelim()
          }
        }, (reader, length, opts = {}) => {
          const obj: any = {
            type: MessageType.REGISTER
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                obj.type = rendezvous.Message.MessageType.codec().decode(reader)
                break
              }
              case 2: {
                obj.register = rendezvous.Message.Register.codec().decode(reader, reader.uint32(), {
                  limits: opts.limits?.register
                })
                break
              }
              case 3: {
                obj.registerResponse = rendezvous.Message.RegisterResponse.codec().decode(reader, reader.uint32(), {
                  limits: opts.limits?.registerResponse
                })
                break
              }
              case 4: {
                obj.unregister = rendezvous.Message.Unregister.codec().decode(reader, reader.uint32(), {
                  limits: opts.limits?.unregister
                })
                break
              }
              case 5: {
                obj.discover = rendezvous.Message.Discover.codec().decode(reader, reader.uint32(), {
                  limits: opts.limits?.discover
                })
                break
              }
              case 6: {
                obj.discoverResponse = rendezvous.Message.DiscoverResponse.codec().decode(reader, reader.uint32(), {
                  limits: opts.limits?.discoverResponse
                })
                break
              }
              case 100: {
                obj.discoverSubscribe = rendezvous.Message.DiscoverSubscribe.codec().decode(reader, reader.uint32(), {
                  limits: opts.limits?.discoverSubscribe
                })
                break
              }
              case 101: {
                obj.discoverSubscribeResponse = rendezvous.Message.DiscoverSubscribeResponse.codec().decode(reader, reader.uint32(), {
                  limits: opts.limits?.discoverSubscribeResponse
                })
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
                  field: `${prefix}.type`,
                  value: rendezvous.Message.MessageType.codec().decode(reader)
                }
                break
              }
              case 2: {
                yield * rendezvous.Message.Register.codec().stream(reader, reader.uint32(), `${prefix}.register`, {
                  limits: opts.limits?.register
                })

                break
              }
              case 3: {
                yield * rendezvous.Message.RegisterResponse.codec().stream(reader, reader.uint32(), `${prefix}.registerResponse`, {
                  limits: opts.limits?.registerResponse
                })

                break
              }
              case 4: {
                yield * rendezvous.Message.Unregister.codec().stream(reader, reader.uint32(), `${prefix}.unregister`, {
                  limits: opts.limits?.unregister
                })

                break
              }
              case 5: {
                yield * rendezvous.Message.Discover.codec().stream(reader, reader.uint32(), `${prefix}.discover`, {
                  limits: opts.limits?.discover
                })

                break
              }
              case 6: {
                yield * rendezvous.Message.DiscoverResponse.codec().stream(reader, reader.uint32(), `${prefix}.discoverResponse`, {
                  limits: opts.limits?.discoverResponse
                })

                break
              }
              case 100: {
                yield * rendezvous.Message.DiscoverSubscribe.codec().stream(reader, reader.uint32(), `${prefix}.discoverSubscribe`, {
                  limits: opts.limits?.discoverSubscribe
                })

                break
              }
              case 101: {
                yield * rendezvous.Message.DiscoverSubscribeResponse.codec().stream(reader, reader.uint32(), `${prefix}.discoverSubscribeResponse`, {
                  limits: opts.limits?.discoverSubscribeResponse
                })

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

    export interface MessageTypeFieldEvent {
      field: '$.type'
      value: rendezvous.Message.MessageType
    }

    export interface MessageRegisterNsFieldEvent {
      field: '$.register.ns'
      value: string
    }

    export interface MessageRegisterPeerIdFieldEvent {
      field: '$.register.peer.id'
      value: Uint8Array
    }

    export interface MessageRegisterPeerAddrsFieldEvent {
      field: '$.register.peer.addrs[]'
      index: number
      value: Uint8Array
    }

    export interface MessageRegisterTtlFieldEvent {
      field: '$.register.ttl'
      value: bigint
    }

    export interface MessageRegisterResponseStatusFieldEvent {
      field: '$.registerResponse.status'
      value: rendezvous.Message.ResponseStatus
    }

    export interface MessageRegisterResponseStatusTextFieldEvent {
      field: '$.registerResponse.statusText'
      value: string
    }

    export interface MessageRegisterResponseTtlFieldEvent {
      field: '$.registerResponse.ttl'
      value: bigint
    }

    export interface MessageUnregisterNsFieldEvent {
      field: '$.unregister.ns'
      value: string
    }

    export interface MessageUnregisterIdFieldEvent {
      field: '$.unregister.id'
      value: Uint8Array
    }

    export interface MessageDiscoverNsFieldEvent {
      field: '$.discover.ns'
      value: string
    }

    export interface MessageDiscoverLimitFieldEvent {
      field: '$.discover.limit'
      value: bigint
    }

    export interface MessageDiscoverCookieFieldEvent {
      field: '$.discover.cookie'
      value: Uint8Array
    }

    export interface MessageDiscoverResponseRegistrationsNsFieldEvent {
      field: '$.discoverResponse.registrations[].ns'
      value: string
      index: number
    }

    export interface MessageDiscoverResponseRegistrationsPeerIdFieldEvent {
      field: '$.discoverResponse.registrations[].peer.id'
      value: Uint8Array
      index: number
    }

    export interface MessageDiscoverResponseRegistrationsPeerAddrsFieldEvent {
      field: '$.discoverResponse.registrations[].peer.addrs[]'
      index: number
      value: Uint8Array
    }

    export interface MessageDiscoverResponseRegistrationsTtlFieldEvent {
      field: '$.discoverResponse.registrations[].ttl'
      value: bigint
      index: number
    }

    export interface MessageDiscoverResponseCookieFieldEvent {
      field: '$.discoverResponse.cookie'
      value: Uint8Array
    }

    export interface MessageDiscoverResponseStatusFieldEvent {
      field: '$.discoverResponse.status'
      value: rendezvous.Message.ResponseStatus
    }

    export interface MessageDiscoverResponseStatusTextFieldEvent {
      field: '$.discoverResponse.statusText'
      value: string
    }

    export interface MessageDiscoverSubscribeSupportedSubscriptionTypesFieldEvent {
      field: '$.discoverSubscribe.supportedSubscriptionTypes[]'
      index: number
      value: string
    }

    export interface MessageDiscoverSubscribeNsFieldEvent {
      field: '$.discoverSubscribe.ns'
      value: string
    }

    export interface MessageDiscoverSubscribeResponseSubscriptionTypeFieldEvent {
      field: '$.discoverSubscribeResponse.subscriptionType'
      value: string
    }

    export interface MessageDiscoverSubscribeResponseSubscriptionDetailsFieldEvent {
      field: '$.discoverSubscribeResponse.subscriptionDetails'
      value: string
    }

    export interface MessageDiscoverSubscribeResponseStatusFieldEvent {
      field: '$.discoverSubscribeResponse.status'
      value: rendezvous.Message.ResponseStatus
    }

    export interface MessageDiscoverSubscribeResponseStatusTextFieldEvent {
      field: '$.discoverSubscribeResponse.statusText'
      value: string
    }

    export function encode (obj: Partial<Message>): Uint8Array {
      return encodeMessage(obj, Message.codec())
    }

    export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Message>): Message {
      return decodeMessage(buf, Message.codec(), opts)
    }

    export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Message>): Generator<MessageTypeFieldEvent | MessageRegisterNsFieldEvent | MessageRegisterPeerIdFieldEvent | MessageRegisterPeerAddrsFieldEvent | MessageRegisterTtlFieldEvent | MessageRegisterResponseStatusFieldEvent | MessageRegisterResponseStatusTextFieldEvent | MessageRegisterResponseTtlFieldEvent | MessageUnregisterNsFieldEvent | MessageUnregisterIdFieldEvent | MessageDiscoverNsFieldEvent | MessageDiscoverLimitFieldEvent | MessageDiscoverCookieFieldEvent | MessageDiscoverResponseRegistrationsNsFieldEvent | MessageDiscoverResponseRegistrationsPeerIdFieldEvent | MessageDiscoverResponseRegistrationsPeerAddrsFieldEvent | MessageDiscoverResponseRegistrationsTtlFieldEvent | MessageDiscoverResponseCookieFieldEvent | MessageDiscoverResponseStatusFieldEvent | MessageDiscoverResponseStatusTextFieldEvent | MessageDiscoverSubscribeSupportedSubscriptionTypesFieldEvent | MessageDiscoverSubscribeNsFieldEvent | MessageDiscoverSubscribeResponseSubscriptionTypeFieldEvent | MessageDiscoverSubscribeResponseSubscriptionDetailsFieldEvent | MessageDiscoverSubscribeResponseStatusFieldEvent | MessageDiscoverSubscribeResponseStatusTextFieldEvent> {
      return streamMessage(buf, Message.codec(), opts)
    }
  }

  export interface RegistrationRecord {
    id: string
    addrs: Uint8Array[]
    ns: string
    ttl: bigint
  }

  export namespace RegistrationRecord {
    let _codec: Codec<RegistrationRecord>

    export const codec = (): Codec<RegistrationRecord> => {
      if (_codec == null) {
        _codec = message<RegistrationRecord>((obj, w, opts = {}) => {
          if (opts.lengthDelimited !== false) {
            w.fork()
          }

          if ((obj.id != null && obj.id !== '')) {
            w.uint32(10)
            w.string(obj.id)
          }

          if (obj.addrs != null && obj.addrs.length > 0) {
            for (const value of obj.addrs) {
              w.uint32(18)
              w.bytes(value)
            }
          }

          if ((obj.ns != null && obj.ns !== '')) {
            w.uint32(26)
            w.string(obj.ns)
          }

          if ((obj.ttl != null && obj.ttl !== 0n)) {
            w.uint32(32)
            w.int64(obj.ttl)
          }

          if (opts.lengthDelimited !== false) {
            w.ldelim()
          }
        }, (reader, length, opts = {}) => {
          const obj: any = {
            id: '',
            addrs: [],
            ns: '',
            ttl: 0n
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                obj.id = reader.string()
                break
              }
              case 2: {
                if (opts.limits?.addrs != null && obj.addrs.length === opts.limits.addrs) {
                  throw new MaxLengthError('Decode error - repeated field "addrs" had too many elements')
                }

                obj.addrs.push(reader.bytes())
                break
              }
              case 3: {
                obj.ns = reader.string()
                break
              }
              case 4: {
                obj.ttl = reader.int64()
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
            addrs: 0
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                yield {
                  field: `${prefix}.id`,
                  value: reader.string()
                }
                break
              }
              case 2: {
                if (opts.limits?.addrs != null && obj.addrs === opts.limits.addrs) {
                  throw new MaxLengthError('Streaming decode error - repeated field "addrs" had too many elements')
                }

                yield {
                  field: `${prefix}.addrs[]`,
                  index: obj.addrs,
                  value: reader.bytes()
                }

                obj.addrs++

                break
              }
              case 3: {
                yield {
                  field: `${prefix}.ns`,
                  value: reader.string()
                }
                break
              }
              case 4: {
                yield {
                  field: `${prefix}.ttl`,
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

    export interface RegistrationRecordIdFieldEvent {
      field: '$.id'
      value: string
    }

    export interface RegistrationRecordAddrsFieldEvent {
      field: '$.addrs[]'
      index: number
      value: Uint8Array
    }

    export interface RegistrationRecordNsFieldEvent {
      field: '$.ns'
      value: string
    }

    export interface RegistrationRecordTtlFieldEvent {
      field: '$.ttl'
      value: bigint
    }

    export function encode (obj: Partial<RegistrationRecord>): Uint8Array {
      return encodeMessage(obj, RegistrationRecord.codec())
    }

    export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RegistrationRecord>): RegistrationRecord {
      return decodeMessage(buf, RegistrationRecord.codec(), opts)
    }

    export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RegistrationRecord>): Generator<RegistrationRecordIdFieldEvent | RegistrationRecordAddrsFieldEvent | RegistrationRecordNsFieldEvent | RegistrationRecordTtlFieldEvent> {
      return streamMessage(buf, RegistrationRecord.codec(), opts)
    }
  }

  let _codec: Codec<rendezvous>

  export const codec = (): Codec<rendezvous> => {
    if (_codec == null) {
      _codec = message<rendezvous>((obj, w, opts = {}) => {
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

  export function encode (obj: Partial<rendezvous>): Uint8Array {
    return encodeMessage(obj, rendezvous.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<rendezvous>): rendezvous {
    return decodeMessage(buf, rendezvous.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<rendezvous>): Generator<{}> {
    return streamMessage(buf, rendezvous.codec(), opts)
  }
}
