/**
 * Message log entries exactly as weshnet writes them (spec "Exchanging messages"; PROTOCOL.md
 * "Symmetric ratchet"; berty/weshnet pkg/secretstore/secret_store_messages.go sealEnvelope,
 * store_message.go):
 *   plaintext = EncryptedMessage{plaintext: Berty AppMessage (UserMessage), protocol_metadata: {}};
 *   message = XSalsa20-Poly1305(messageKey, u64be(counter) ‖ 0¹⁶, plaintext);
 *   headers = MessageHeaders{counter, device_pk, sig = sign(deviceSK, plaintext)}, sealed with the
 *   group secret under a random 24-byte nonce; entry = MessageEnvelope{message_headers, message, nonce}.
 * `counter` on the wire is weshnet's: the chain position + 1 (ratchet.ts), so a fresh chain's first
 * message carries 1, as Go numbers it. `MessageHeaders.counter` below is the chain position.
 * Pure functions over bytes: which log container carries the envelope is not their concern.
 *
 * Claims: only members read the headers; only holders of the sender's chain at or before the message
 * read the body; the plaintext is authenticated by the sender device.
 * Disclaims: the caller must check that `devicePk` is a member device of the group (state.ts);
 * because the signature is over the plaintext and sits in the member-readable headers, a member who
 * cannot decrypt a body (joined later) can still confirm a guess of its exact plaintext. Replicas see
 * only sizes and timing.
 */
import {
  CryptoError,
  ed25519PublicFromSeed,
  ed25519Verify,
  equalBytes,
  openMessageBody as openBody,
  randomNonce,
  secretboxOpenWithNonce,
  secretboxSealWithNonce,
  sealMessageBody,
  wipe
} from '../../crypto'
import { EncryptedMessage, MessageEnvelope, MessageHeaders as MessageHeadersWire } from '../proto/wesh'
import { decodeAppMessage, encodeUserMessage, MAX_APP_MESSAGE_BYTES } from './app-message'
import { assertCounterField, assertKeyField, assertSigField, copy, decodeWire, isWellFormedString, safeNumber, signBytes, utf8 } from './codec'
import { MAX_SEALED_ENTRY_BYTES } from './entry-auth'
import { GroupProtocolError } from './errors'
import type { GroupSecrets } from './keys'
import type { DeviceKey } from './metadata'
import {
  nextSendKey,
  receiveKey,
  wipeReceiverChain,
  type ReceiveOptions,
  type ReceiverChain,
  type SenderChain
} from './ratchet'

export const MAX_MESSAGE_TEXT_BYTES = 16 * 1024
// EncryptedMessage around an AppMessage.
const MAX_PLAINTEXT_BYTES = MAX_APP_MESSAGE_BYTES + 64
// counter varint (≤11) + key (34) + sig (66) + tags; weshnet's optional metadata map gets room too.
const MAX_HEADERS_BYTES = 1024
const NONCE_LENGTH = 24

/** What this app sends: Berty's UserMessage. */
export interface MessagePayload {
  text: string
  sentAtMs: number
}

/** An opened message: `appType` is Berty's AppMessage type; only a UserMessage (1) has `text`. */
export interface OpenedPayload {
  appType: number
  text?: string
  sentAtMs: number
}

export interface SealedMessage {
  sealed: Uint8Array
  next: SenderChain
  /** Chain position of the message (its header counter is this + 1). */
  counter: number
}

/** Headers opened with the group secret; `body` is still sealed with the message key. */
export interface MessageHeaders {
  devicePk: Uint8Array
  /** Chain position: the header counter on the wire minus 1. */
  counter: number
  sig: Uint8Array
  body: Uint8Array
}

function assertPayload(p: MessagePayload): void {
  if (typeof p.text !== 'string' || !isWellFormedString(p.text)) {
    throw new GroupProtocolError('ERR_MALFORMED', 'text must be a well-formed string')
  }
  if (utf8(p.text).length > MAX_MESSAGE_TEXT_BYTES) {
    throw new GroupProtocolError('ERR_TOO_LARGE', `text over ${MAX_MESSAGE_TEXT_BYTES} bytes`)
  }
  assertCounterField(p.sentAtMs, 'sentAtMs')
}

/** weshnet's EncryptedMessage around an AppMessage (store_message.go messageStoreAddMessage). */
export function encodeEncryptedMessage(appMessage: Uint8Array): Uint8Array {
  return EncryptedMessage.encode({ plaintext: appMessage, protocolMetadata: {} })
}

export interface SealMessageOptions {
  /** The headers nonce; random unless given (known-answer tests feed weshnet's). */
  nonce?: Uint8Array
  /** The EncryptedMessage bytes to seal instead of one built from `payload` (known-answer tests). */
  plaintext?: Uint8Array
}

/**
 * Seals one message with the next key of the device's chain. Consumes `chain` (its key is wiped):
 * persist `next` before publishing `sealed`, or a crash could reuse the key.
 */
export function sealMessage(
  secrets: GroupSecrets,
  device: DeviceKey,
  chain: SenderChain,
  payload: MessagePayload,
  opts: SealMessageOptions = {}
): SealedMessage {
  assertKeyField(device.seed, 'device.seed')
  assertKeyField(device.pk, 'device.pk')
  if (!equalBytes(ed25519PublicFromSeed(device.seed), device.pk)) {
    throw new GroupProtocolError('ERR_MALFORMED', 'device.pk does not match device.seed')
  }
  assertPayload(payload)
  const nonce = opts.nonce ?? randomNonce(NONCE_LENGTH)
  if (!(nonce instanceof Uint8Array) || nonce.length !== NONCE_LENGTH) {
    throw new GroupProtocolError('ERR_MALFORMED', `headers nonce must be ${NONCE_LENGTH} bytes`)
  }
  const plaintext = opts.plaintext !== undefined ? copy(opts.plaintext) : encodeEncryptedMessage(encodeUserMessage(payload.text, payload.sentAtMs))
  const sig = signBytes(device.seed, plaintext)
  const { messageKey, counter, next } = nextSendKey(chain, secrets.groupPk)
  const wireCounter = counter + 1
  let body: Uint8Array
  try {
    body = sealMessageBody(messageKey, wireCounter, plaintext)
  } finally {
    wipe(messageKey, plaintext)
  }
  const headers = MessageHeadersWire.encode({ counter: BigInt(wireCounter), devicePk: device.pk, sig, metadata: new Map() })
  const sealed = MessageEnvelope.encode({
    messageHeaders: secretboxSealWithNonce(secrets.secret, nonce, headers),
    message: body,
    nonce
  })
  if (sealed.length > MAX_SEALED_ENTRY_BYTES) {
    // Unreachable with the text cap; kept so the entry cap holds by construction.
    throw new GroupProtocolError('ERR_TOO_LARGE', `message entry over ${MAX_SEALED_ENTRY_BYTES} bytes`)
  }
  return { sealed, next, counter }
}

/** Opens the envelope and its headers with the group secret so the caller can find the sender's chain. */
export function openMessageHeaders(secrets: GroupSecrets, sealed: Uint8Array): MessageHeaders {
  const env = decodeWire(MessageEnvelope, sealed, MAX_SEALED_ENTRY_BYTES, 'message envelope')
  if (env.nonce.length !== NONCE_LENGTH) throw new GroupProtocolError('ERR_MALFORMED', `envelope nonce must be ${NONCE_LENGTH} bytes`)
  if (env.messageHeaders.length > MAX_HEADERS_BYTES + 16) {
    throw new GroupProtocolError('ERR_TOO_LARGE', 'sealed message headers too large')
  }
  if (env.message.length < 16) throw new GroupProtocolError('ERR_MALFORMED', 'message body shorter than a tag')
  let headerBytes: Uint8Array
  try {
    headerBytes = secretboxOpenWithNonce(secrets.secret, env.nonce, env.messageHeaders)
  } catch (err) {
    throw new GroupProtocolError('ERR_DECRYPT', 'message headers failed authentication', { cause: err })
  }
  const h = decodeWire(MessageHeadersWire, headerBytes, MAX_HEADERS_BYTES, 'message headers', { 4: { 1: 'string', 2: 'string' } })
  const wireCounter = safeNumber(h.counter, 'counter')
  if (wireCounter < 1) throw new GroupProtocolError('ERR_MALFORMED', 'counter must be at least 1')
  assertKeyField(h.devicePk, 'devicePk')
  assertSigField(h.sig, 'sig')
  return { devicePk: copy(h.devicePk), counter: wireCounter - 1, sig: copy(h.sig), body: copy(env.message) }
}

/** How a message is opened; see `openMessageBody`. */
export interface OpenBodyOptions {
  /**
   * The caller has verified, under `headers.devicePk`, a signature that covers this sealed message
   * whole: the OrbitDB writer signature of the message-log entry that carries it, the entry's writer
   * key being that device (message-pipeline.ts checks both). The header signature then adds nothing
   * and is not checked again. Everything else is: the body must authenticate under the message key.
   * Never set it for a message that did not come inside such an entry.
   */
  writerVerified?: boolean
}

/**
 * Opens the body with the message key of `headers.counter` and checks the sender's signature over the
 * plaintext (the EncryptedMessage bytes), unless `opts.writerVerified`. Both protobuf layers tolerate
 * unknown fields (weshnet and Berty add them); a signature (the header's, or the entry's that covers
 * it) already pins the exact bytes.
 */
export function openMessageBody(messageKey: Uint8Array, headers: MessageHeaders, opts: OpenBodyOptions = {}): OpenedPayload {
  assertKeyField(messageKey, 'messageKey')
  let plaintext: Uint8Array
  try {
    plaintext = openBody(messageKey, headers.counter + 1, headers.body)
  } catch (err) {
    if (err instanceof CryptoError && err.code === 'ERR_DECRYPT') {
      throw new GroupProtocolError('ERR_DECRYPT', 'message body failed authentication', { cause: err })
    }
    throw new GroupProtocolError('ERR_MALFORMED', 'message body could not be opened', { cause: err })
  }
  try {
    if (!opts.writerVerified && !ed25519Verify(headers.devicePk, plaintext, headers.sig)) {
      throw new GroupProtocolError('ERR_BAD_SIGNATURE', 'message sig does not verify under devicePk')
    }
    const em = decodeWire(EncryptedMessage, plaintext, MAX_PLAINTEXT_BYTES, 'encrypted message')
    const app = decodeAppMessage(em.plaintext)
    if (app.text !== undefined) assertPayload({ text: app.text, sentAtMs: app.sentAtMs })
    return app
  } finally {
    wipe(plaintext)
  }
}

export interface OpenedMessage {
  payload: OpenedPayload
  /** The sender chain after this message; commit it in place of the input chain. */
  chain: ReceiverChain
}

/**
 * `receiveKey` + `openMessageBody`. On success the input chain is wiped (superseded) along with the
 * message key; on any failure the input chain is untouched, so a forged entry cannot burn a key.
 */
export function openMessageWithChain(
  groupPk: Uint8Array,
  headers: MessageHeaders,
  chain: ReceiverChain,
  opts: ReceiveOptions & OpenBodyOptions = {}
): OpenedMessage {
  const step = receiveKey(chain, groupPk, headers.counter, opts)
  let payload: OpenedPayload
  try {
    payload = openMessageBody(step.messageKey, headers, opts)
  } catch (err) {
    wipeReceiverChain(step.chain, chain)
    throw err
  } finally {
    wipe(step.messageKey)
  }
  wipeReceiverChain(chain, step.chain)
  return { payload, chain: step.chain }
}
