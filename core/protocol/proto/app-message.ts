import { decodeMessage, encodeMessage, enumeration, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface AppMessage {
  type: AppMessage.Type
  payload: Uint8Array
  sentDate: bigint
  targetCid: string
}

export namespace AppMessage {
  export enum Type {
    Undefined = 'Undefined',
    TypeUserMessage = 'TypeUserMessage',
    TypeGroupInvitation = 'TypeGroupInvitation',
    TypeSetGroupInfo = 'TypeSetGroupInfo',
    TypeSetUserInfo = 'TypeSetUserInfo',
    TypeAcknowledge = 'TypeAcknowledge',
    TypeAccountDirectoryServiceRegistered = 'TypeAccountDirectoryServiceRegistered',
    TypeAccountDirectoryServiceUnregistered = 'TypeAccountDirectoryServiceUnregistered',
    TypeServiceAddToken = 'TypeServiceAddToken',
    TypeServiceRemoveToken = 'TypeServiceRemoveToken',
    TypePushSetDeviceToken = 'TypePushSetDeviceToken',
    TypePushSetServer = 'TypePushSetServer',
    TypePushSetMemberToken = 'TypePushSetMemberToken'
  }

  enum __TypeValues {
    Undefined = 0,
    TypeUserMessage = 1,
    TypeGroupInvitation = 3,
    TypeSetGroupInfo = 4,
    TypeSetUserInfo = 5,
    TypeAcknowledge = 6,
    TypeAccountDirectoryServiceRegistered = 8,
    TypeAccountDirectoryServiceUnregistered = 9,
    TypeServiceAddToken = 10,
    TypeServiceRemoveToken = 11,
    TypePushSetDeviceToken = 12,
    TypePushSetServer = 13,
    TypePushSetMemberToken = 14
  }

  export namespace Type {
    export const codec = (): Codec<Type> => {
      return enumeration<Type>(__TypeValues)
    }
  }

  let _codec: Codec<AppMessage>

  export const codec = (): Codec<AppMessage> => {
    if (_codec == null) {
      _codec = message<AppMessage>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.type != null && __TypeValues[obj.type] !== 0) {
          w.uint32(8)
          AppMessage.Type.codec().encode(obj.type, w)
        }

        if ((obj.payload != null && obj.payload.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.payload)
        }

        if ((obj.sentDate != null && obj.sentDate !== 0n)) {
          w.uint32(24)
          w.int64(obj.sentDate)
        }

        if ((obj.targetCid != null && obj.targetCid !== '')) {
          w.uint32(42)
          w.string(obj.targetCid)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          type: Type.Undefined,
          payload: uint8ArrayAlloc(0),
          sentDate: 0n,
          targetCid: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.type = AppMessage.Type.codec().decode(reader)
              break
            }
            case 2: {
              obj.payload = reader.bytes()
              break
            }
            case 3: {
              obj.sentDate = reader.int64()
              break
            }
            case 5: {
              obj.targetCid = reader.string()
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
                value: AppMessage.Type.codec().decode(reader)
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.payload`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.sentDate`,
                value: reader.int64()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.targetCid`,
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

  export interface AppMessageTypeFieldEvent {
    field: '$.type'
    value: AppMessage.Type
  }

  export interface AppMessagePayloadFieldEvent {
    field: '$.payload'
    value: Uint8Array
  }

  export interface AppMessageSentDateFieldEvent {
    field: '$.sentDate'
    value: bigint
  }

  export interface AppMessageTargetCidFieldEvent {
    field: '$.targetCid'
    value: string
  }

  export function encode (obj: Partial<AppMessage>): Uint8Array {
    return encodeMessage(obj, AppMessage.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AppMessage>): AppMessage {
    return decodeMessage(buf, AppMessage.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AppMessage>): Generator<AppMessageTypeFieldEvent | AppMessagePayloadFieldEvent | AppMessageSentDateFieldEvent | AppMessageTargetCidFieldEvent> {
    return streamMessage(buf, AppMessage.codec(), opts)
  }
}

export interface AppMessageUserMessage {
  body: string
}

export namespace AppMessageUserMessage {
  let _codec: Codec<AppMessageUserMessage>

  export const codec = (): Codec<AppMessageUserMessage> => {
    if (_codec == null) {
      _codec = message<AppMessageUserMessage>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.body != null && obj.body !== '')) {
          w.uint32(10)
          w.string(obj.body)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          body: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.body = reader.string()
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
                field: `${prefix}.body`,
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

  export interface AppMessageUserMessageBodyFieldEvent {
    field: '$.body'
    value: string
  }

  export function encode (obj: Partial<AppMessageUserMessage>): Uint8Array {
    return encodeMessage(obj, AppMessageUserMessage.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AppMessageUserMessage>): AppMessageUserMessage {
    return decodeMessage(buf, AppMessageUserMessage.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AppMessageUserMessage>): Generator<AppMessageUserMessageBodyFieldEvent> {
    return streamMessage(buf, AppMessageUserMessage.codec(), opts)
  }
}

export interface AppMessageSetGroupInfo {
  displayName: string
}

export namespace AppMessageSetGroupInfo {
  let _codec: Codec<AppMessageSetGroupInfo>

  export const codec = (): Codec<AppMessageSetGroupInfo> => {
    if (_codec == null) {
      _codec = message<AppMessageSetGroupInfo>((obj, w, opts = {}) => {
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

  export interface AppMessageSetGroupInfoDisplayNameFieldEvent {
    field: '$.displayName'
    value: string
  }

  export function encode (obj: Partial<AppMessageSetGroupInfo>): Uint8Array {
    return encodeMessage(obj, AppMessageSetGroupInfo.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AppMessageSetGroupInfo>): AppMessageSetGroupInfo {
    return decodeMessage(buf, AppMessageSetGroupInfo.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AppMessageSetGroupInfo>): Generator<AppMessageSetGroupInfoDisplayNameFieldEvent> {
    return streamMessage(buf, AppMessageSetGroupInfo.codec(), opts)
  }
}

export interface AppMessageSetUserInfo {
  displayName: string
}

export namespace AppMessageSetUserInfo {
  let _codec: Codec<AppMessageSetUserInfo>

  export const codec = (): Codec<AppMessageSetUserInfo> => {
    if (_codec == null) {
      _codec = message<AppMessageSetUserInfo>((obj, w, opts = {}) => {
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

  export interface AppMessageSetUserInfoDisplayNameFieldEvent {
    field: '$.displayName'
    value: string
  }

  export function encode (obj: Partial<AppMessageSetUserInfo>): Uint8Array {
    return encodeMessage(obj, AppMessageSetUserInfo.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AppMessageSetUserInfo>): AppMessageSetUserInfo {
    return decodeMessage(buf, AppMessageSetUserInfo.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AppMessageSetUserInfo>): Generator<AppMessageSetUserInfoDisplayNameFieldEvent> {
    return streamMessage(buf, AppMessageSetUserInfo.codec(), opts)
  }
}
