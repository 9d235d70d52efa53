/**
 * Berty Messenger's `AppMessage` (berty/berty api/messengertypes/messengertypes.proto), the bytes
 * inside weshnet's envelopes: `EncryptedMessage.plaintext` in the message log (a UserMessage) and
 * `GroupMetadataPayloadSent.message` in the metadata log (event 1001: SetGroupInfo names the group,
 * SetUserInfo a member's display name), built as berty's `AppMessage_Type.MarshalPayload` builds
 * them: `AppMessage{type, payload = marshal(inner), sent_date = ms since epoch}`.
 * Decoders tolerate unknown fields (Go adds them freely); any other AppMessage type, or bytes that
 * are not an AppMessage at all, is carried as `other` and not interpreted.
 */
import { AppMessage, AppMessageSetGroupInfo, AppMessageSetUserInfo, AppMessageUserMessage } from '../proto/app-message'
import { decodeWire, safeNumber } from './codec'
import { GroupProtocolError } from './errors'

/** AppMessage.Type numbers this app reads and writes. */
export const AppMessageType = { USER_MESSAGE: 1, SET_GROUP_INFO: 4, SET_USER_INFO: 5 } as const

/** Largest AppMessage accepted (text cap + framing, with room for fields of later versions). */
export const MAX_APP_MESSAGE_BYTES = 32 * 1024

const TYPE_NUMBER: Record<AppMessage.Type, number> = {
  [AppMessage.Type.Undefined]: 0,
  [AppMessage.Type.TypeUserMessage]: 1,
  [AppMessage.Type.TypeGroupInvitation]: 3,
  [AppMessage.Type.TypeSetGroupInfo]: 4,
  [AppMessage.Type.TypeSetUserInfo]: 5,
  [AppMessage.Type.TypeAcknowledge]: 6,
  [AppMessage.Type.TypeAccountDirectoryServiceRegistered]: 8,
  [AppMessage.Type.TypeAccountDirectoryServiceUnregistered]: 9,
  [AppMessage.Type.TypeServiceAddToken]: 10,
  [AppMessage.Type.TypeServiceRemoveToken]: 11,
  [AppMessage.Type.TypePushSetDeviceToken]: 12,
  [AppMessage.Type.TypePushSetServer]: 13,
  [AppMessage.Type.TypePushSetMemberToken]: 14
}

/** App metadata (event 1001) as this app understands it. */
export type AppMetadata =
  | { kind: 'group-info'; name: string; sentAtMs: number }
  | { kind: 'member-profile'; displayName: string; sentAtMs: number }
  /** Any other AppMessage, or bytes Berty's own parser would refuse: carried verified, not interpreted. */
  | { kind: 'other'; message: Uint8Array }

function encodeApp(type: AppMessage.Type, payload: Uint8Array, sentAtMs: number): Uint8Array {
  return AppMessage.encode({ type, payload, sentDate: BigInt(sentAtMs), targetCid: '' })
}

export function encodeAppMetadata(m: AppMetadata): Uint8Array {
  switch (m.kind) {
    case 'group-info':
      return encodeApp(AppMessage.Type.TypeSetGroupInfo, AppMessageSetGroupInfo.encode({ displayName: m.name }), m.sentAtMs)
    case 'member-profile':
      return encodeApp(AppMessage.Type.TypeSetUserInfo, AppMessageSetUserInfo.encode({ displayName: m.displayName }), m.sentAtMs)
    case 'other':
      return m.message
  }
}

function decodeApp(bytes: Uint8Array): AppMessage {
  return decodeWire(AppMessage, bytes, MAX_APP_MESSAGE_BYTES, 'app message', { 5: 'string' })
}

/**
 * The app metadata in a 1001 event. Names are returned as sent: the caller applies the name rule.
 * A well-formed SetGroupInfo / SetUserInfo whose inner payload is malformed → ERR_MALFORMED.
 */
export function decodeAppMetadata(bytes: Uint8Array): AppMetadata {
  let app: AppMessage
  try {
    app = decodeApp(bytes)
  } catch (err) {
    if (err instanceof GroupProtocolError && err.code === 'ERR_TOO_LARGE') throw err
    return { kind: 'other', message: new Uint8Array(bytes) }
  }
  if (app.type === AppMessage.Type.TypeSetGroupInfo) {
    const inner = decodeWire(AppMessageSetGroupInfo, app.payload, MAX_APP_MESSAGE_BYTES, 'SetGroupInfo', { 1: 'string' })
    return { kind: 'group-info', name: inner.displayName, sentAtMs: sentDate(app) }
  }
  if (app.type === AppMessage.Type.TypeSetUserInfo) {
    const inner = decodeWire(AppMessageSetUserInfo, app.payload, MAX_APP_MESSAGE_BYTES, 'SetUserInfo', { 1: 'string' })
    return { kind: 'member-profile', displayName: inner.displayName, sentAtMs: sentDate(app) }
  }
  return { kind: 'other', message: new Uint8Array(bytes) }
}

/** Berty writes 0 when it has no date (SetGroupInfo at creation); a negative one reads as 0. */
function sentDate(app: AppMessage): number {
  return app.sentDate < 0n ? 0 : safeNumber(app.sentDate, 'sent_date')
}

/** A user's text message as Berty sends it (`AppMessage_TypeUserMessage.MarshalPayload`). */
export function encodeUserMessage(text: string, sentAtMs: number): Uint8Array {
  return encodeApp(AppMessage.Type.TypeUserMessage, AppMessageUserMessage.encode({ body: text }), sentAtMs)
}

/** An opened message-log AppMessage: `text` only for a UserMessage. */
export interface OpenedAppMessage {
  appType: number
  text?: string
  sentAtMs: number
}

/**
 * Bytes that are not an AppMessage at all (weshnet carries any plaintext) → appType 0, nothing to
 * show; a UserMessage whose inner payload is malformed → ERR_MALFORMED.
 */
export function decodeAppMessage(bytes: Uint8Array): OpenedAppMessage {
  let app: AppMessage
  try {
    app = decodeApp(bytes)
  } catch (err) {
    if (err instanceof GroupProtocolError && err.code === 'ERR_TOO_LARGE') throw err
    return { appType: 0, sentAtMs: 0 }
  }
  const appType = TYPE_NUMBER[app.type]
  if (app.type !== AppMessage.Type.TypeUserMessage) return { appType, sentAtMs: sentDate(app) }
  const inner = decodeWire(AppMessageUserMessage, app.payload, MAX_APP_MESSAGE_BYTES, 'UserMessage', { 1: 'string' })
  return { appType, text: inner.body, sentAtMs: sentDate(app) }
}
