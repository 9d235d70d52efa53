/**
 * Message log entries (spec "Exchanging messages"; PROTOCOL.md "Symmetric ratchet").
 *
 * plaintext = MessagePayload protobuf; body = XSalsa20-Poly1305(messageKey, u64be(counter) ‖ 0¹⁶,
 * plaintext); sig = sign(deviceSK, plaintext) ("The sender signs the plaintext with its device key");
 * headers = MessageHeaders{counter, devicePk, sig} sealed with the group secret (random nonce);
 * entry = MessageEnvelope{headers, body}.
 *
 * Claims: only members read the headers; only holders of the sender's chain at or before `counter`
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
  sealMessageBody,
  secretboxOpen,
  secretboxSeal,
  wipe
} from '../../crypto'
import { MessageEnvelope, MessageHeaders as MessageHeadersWire, MessagePayload as MessagePayloadWire } from '../proto/group'
import {
  assertCounterField,
  assertKeyField,
  assertSigField,
  buf,
  copy,
  decodeBounded,
  decodeCanonical,
  encode,
  isWellFormedString,
  utf8,
  signBytes
} from './codec'
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
// Text + sentAtMs + tags, and room for attachment fields (3..15, reserved) of later versions.
const MAX_PAYLOAD_BYTES = 32 * 1024
// counter varint (≤10) + key (34) + sig (66) + tags; sealed adds nonce 24 + tag 16.
const MAX_HEADERS_BYTES = 128
const MAX_SEALED_HEADERS_BYTES = MAX_HEADERS_BYTES + 40

export interface MessagePayload {
  text: string
  sentAtMs: number
}

export interface SealedMessage {
  sealed: Uint8Array
  next: SenderChain
  counter: number
}

/** Headers opened with the group secret; `body` is still sealed with the message key. */
export interface MessageHeaders {
  devicePk: Uint8Array
  counter: number
  sig: Uint8Array
  body: Uint8Array
}

function assertPayload(p: MessagePayload): Uint8Array {
  if (typeof p.text !== 'string' || !isWellFormedString(p.text)) {
    throw new GroupProtocolError('ERR_MALFORMED', 'text must be a well-formed string')
  }
  const bytes = utf8(p.text)
  if (bytes.length > MAX_MESSAGE_TEXT_BYTES) {
    throw new GroupProtocolError('ERR_TOO_LARGE', `text over ${MAX_MESSAGE_TEXT_BYTES} bytes`)
  }
  assertCounterField(p.sentAtMs, 'sentAtMs')
  return bytes
}

/**
 * Seals one message with the next key of the device's chain. Consumes `chain` (its key is wiped):
 * persist `next` before publishing `sealed`, or a crash could reuse the key.
 */
export function sealMessage(
  secrets: GroupSecrets,
  device: DeviceKey,
  chain: SenderChain,
  payload: MessagePayload
): SealedMessage {
  assertKeyField(device.seed, 'device.seed')
  assertKeyField(device.pk, 'device.pk')
  if (!equalBytes(ed25519PublicFromSeed(device.seed), device.pk)) {
    throw new GroupProtocolError('ERR_MALFORMED', 'device.pk does not match device.seed')
  }
  assertPayload(payload)
  const plaintext = encode(MessagePayloadWire.codec(), { text: payload.text, sentAtMs: payload.sentAtMs })
  const sig = signBytes(device.seed, plaintext)
  const { messageKey, counter, next } = nextSendKey(chain, secrets.groupPk)
  let body: Uint8Array
  try {
    body = sealMessageBody(messageKey, counter, plaintext)
  } finally {
    wipe(messageKey, plaintext)
  }
  const headers = encode(MessageHeadersWire.codec(), { counter, devicePk: buf(device.pk), sig: buf(sig) })
  const sealed = encode(MessageEnvelope.codec(), {
    headers: buf(secretboxSeal(secrets.secret, headers)),
    body: buf(body)
  })
  if (sealed.length > MAX_SEALED_ENTRY_BYTES) {
    // Unreachable with the text cap; kept so the entry cap holds by construction.
    throw new GroupProtocolError('ERR_TOO_LARGE', `message entry over ${MAX_SEALED_ENTRY_BYTES} bytes`)
  }
  return { sealed, next, counter }
}

/** Opens the envelope and its headers with the group secret so the caller can find the sender's chain. */
export function openMessageHeaders(secrets: GroupSecrets, sealed: Uint8Array): MessageHeaders {
  const env = decodeCanonical(MessageEnvelope.codec(), sealed, MAX_SEALED_ENTRY_BYTES, 'message envelope')
  if (env.headers.length > MAX_SEALED_HEADERS_BYTES) {
    throw new GroupProtocolError('ERR_TOO_LARGE', 'sealed message headers too large')
  }
  if (env.body.length < 16) throw new GroupProtocolError('ERR_MALFORMED', 'message body shorter than a tag')
  let headerBytes: Uint8Array
  try {
    headerBytes = secretboxOpen(secrets.secret, env.headers)
  } catch (err) {
    throw new GroupProtocolError('ERR_DECRYPT', 'message headers failed authentication', { cause: err })
  }
  const h = decodeCanonical(MessageHeadersWire.codec(), headerBytes, MAX_HEADERS_BYTES, 'message headers')
  assertCounterField(h.counter, 'counter')
  assertKeyField(h.devicePk, 'devicePk')
  assertSigField(h.sig, 'sig')
  return { devicePk: copy(h.devicePk), counter: h.counter, sig: copy(h.sig), body: copy(env.body) }
}

/**
 * Opens the body with the message key of `headers.counter` and checks the sender's signature over the
 * plaintext. The payload decoder tolerates unknown fields (attachments of later versions); the
 * signature already pins the exact bytes.
 */
export function openMessageBody(messageKey: Uint8Array, headers: MessageHeaders): MessagePayload {
  assertKeyField(messageKey, 'messageKey')
  let plaintext: Uint8Array
  try {
    plaintext = openBody(messageKey, headers.counter, headers.body)
  } catch (err) {
    if (err instanceof CryptoError && err.code === 'ERR_DECRYPT') {
      throw new GroupProtocolError('ERR_DECRYPT', 'message body failed authentication', { cause: err })
    }
    throw new GroupProtocolError('ERR_MALFORMED', 'message body could not be opened', { cause: err })
  }
  try {
    if (!ed25519Verify(headers.devicePk, plaintext, headers.sig)) {
      throw new GroupProtocolError('ERR_BAD_SIGNATURE', 'message sig does not verify under devicePk')
    }
    const p = decodeBounded(MessagePayloadWire.codec(), plaintext, MAX_PAYLOAD_BYTES, 'message payload')
    const payload = { text: p.text, sentAtMs: p.sentAtMs }
    assertPayload(payload)
    return payload
  } finally {
    wipe(plaintext)
  }
}

export interface OpenedMessage {
  payload: MessagePayload
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
  opts: ReceiveOptions = {}
): OpenedMessage {
  const step = receiveKey(chain, groupPk, headers.counter, opts)
  let payload: MessagePayload
  try {
    payload = openMessageBody(step.messageKey, headers)
  } catch (err) {
    wipeReceiverChain(step.chain)
    throw err
  } finally {
    wipe(step.messageKey)
  }
  wipeReceiverChain(chain)
  return { payload, chain: step.chain }
}
