/**
 * Sealing and opening metadata log entries exactly as weshnet does (events.go sealGroupEnvelope /
 * openGroupEnvelope, events_sig_checkers.go): the payload is the weshnet payload protobuf,
 * `GroupMetadata{event_type, payload, sig, protocol_metadata: {}}` with `sig` = sign(deviceSK,
 * payload) (sign(groupSK, payload) for InitialMemberAnnounced), sealed with the group secret under
 * a random 24-byte nonce as `GroupEnvelope{nonce, event}`. Pure functions over bytes: which log
 * container carries the envelope (OrbitDB entries today) is not their concern.
 *
 * Claims: `openMetadataEvent` returns only events sealed by a holder of the group secret whose
 * signature verifies as weshnet checks it (payload device key; member key over the device key for
 * GroupMemberDeviceAdded; group key for InitialMemberAnnounced), with every body field checked.
 * Disclaims: as in weshnet, the signature covers the payload, not the event type or the group; a
 * member of two groups could move a payload between them (it still names and is signed by its own
 * device). Whether the device belongs to the group, and log order, are the reducer's (state.ts).
 */
import { ed25519PublicFromSeed, ed25519Verify, equalBytes, randomBytes, secretboxOpenWithNonce, secretboxSealWithNonce } from '../../crypto'
import * as W from '../proto/wesh'
import { decodeAppMetadata, encodeAppMetadata } from './app-message'
import { assertKeyField, assertSigField, copy, decodeWire, signBytes } from './codec'
import { MAX_SEALED_ENTRY_BYTES } from './entry-auth'
import { GroupProtocolError } from './errors'
import type { GroupSecrets } from './keys'
import {
  asGroupError,
  MAX_METADATA_BODY_BYTES,
  MetadataType,
  validateBody,
  type DeviceKey,
  type MetadataEvent,
  type MetadataEventBody
} from './metadata'
import { eventTypeName, eventTypeNumber, isWeshPassThroughType, weshEventDevice } from './wesh-events'

const NONCE_LENGTH = 24
// payload + sig (66) + type (3) + protocol metadata (2) + tags.
const MAX_GROUP_METADATA_BYTES = MAX_METADATA_BODY_BYTES + 128
// nonce (26) + sealed GroupMetadata (+16 tag, +4 tag/length).
const MAX_GROUP_ENVELOPE_BYTES = Math.min(MAX_SEALED_ENTRY_BYTES, MAX_GROUP_METADATA_BYTES + 64)

export interface SealOptions {
  /** The envelope nonce; random unless given (known-answer tests feed weshnet's). */
  nonce?: Uint8Array
}

/** The weshnet payload protobuf of an event; the author device fills `device_pk` where there is one. */
function encodePayload(event: MetadataEventBody, devicePk: Uint8Array): Uint8Array {
  switch (event.type) {
    case MetadataType.INIT_MEMBER:
      return W.MultiMemberGroupInitialMemberAnnounced.encode({ memberPk: event.body.memberPk })
    case MetadataType.MEMBER_DEVICE:
      return W.GroupMemberDeviceAdded.encode(event.body)
    case MetadataType.DEVICE_SECRET:
      return W.GroupDeviceChainKeyAdded.encode({
        devicePk: event.body.senderDevicePk,
        destMemberPk: event.body.receiverMemberPk,
        payload: event.body.box
      })
    case MetadataType.ALIAS:
      return W.MultiMemberGroupAliasResolverAdded.encode({ devicePk, aliasResolver: event.body.resolver, aliasProof: event.body.proof })
    case MetadataType.APP_METADATA:
      return W.GroupMetadataPayloadSent.encode({ devicePk, message: encodeAppMetadata(event.body) })
    default:
      // Checked by validateBody (validateWeshEvent): decodes as its weshnet message, names this device.
      return copy(event.body.payload)
  }
}

/** Validates, signs (device key; group key for INIT_MEMBER) and seals with the group secret. */
export function sealMetadataEvent(secrets: GroupSecrets, device: DeviceKey, event: MetadataEventBody, opts: SealOptions = {}): Uint8Array {
  assertKeyField(device.seed, 'device.seed')
  assertKeyField(device.pk, 'device.pk')
  if (!equalBytes(ed25519PublicFromSeed(device.seed), device.pk)) {
    throw new GroupProtocolError('ERR_MALFORMED', 'device.pk does not match device.seed')
  }
  validateBody(event, device.pk, secrets.groupPk, secrets.kind)
  const payload = encodePayload(event, device.pk)
  if (payload.length > MAX_METADATA_BODY_BYTES) {
    throw new GroupProtocolError('ERR_TOO_LARGE', `metadata payload over ${MAX_METADATA_BODY_BYTES} bytes`)
  }
  const sig = event.type === MetadataType.INIT_MEMBER ? event.body.groupSig : signBytes(device.seed, payload)
  const metadata = W.GroupMetadata.encode({ eventType: eventTypeName(event.type), payload, sig, protocolMetadata: {} })
  const nonce = opts.nonce ?? randomBytes(NONCE_LENGTH)
  assertNonce(nonce)
  try {
    return W.GroupEnvelope.encode({ nonce, event: secretboxSealWithNonce(secrets.secret, nonce, metadata) })
  } finally {
    metadata.fill(0)
  }
}

function assertNonce(nonce: unknown): asserts nonce is Uint8Array {
  if (!(nonce instanceof Uint8Array) || nonce.length !== NONCE_LENGTH) {
    throw new GroupProtocolError('ERR_MALFORMED', `envelope nonce must be ${NONCE_LENGTH} bytes`)
  }
}

/**
 * Opens a sealed metadata entry: envelope and GroupMetadata protobuf (ERR_MALFORMED; unknown fields
 * are skipped as Go skips them), caps (ERR_TOO_LARGE), group-secret box (ERR_DECRYPT), signatures
 * (ERR_BAD_SIGNATURE), body fields (ERR_MALFORMED).
 */
/**
 * `readBy`: the reader's device and member. A chain key another device boxed to another member
 * changes nothing for this reader (state.ts ignores it), so it is not opened past its type and
 * addresses: `null` is returned before its signature is checked. In an N-member group N² such
 * entries reach every member; skipping their signature saves a third of the join's checks.
 */
export function openMetadataEvent(secrets: GroupSecrets, sealed: Uint8Array): MetadataEvent
export function openMetadataEvent(secrets: GroupSecrets, sealed: Uint8Array, readBy: { devicePk: Uint8Array; memberPk: Uint8Array }): MetadataEvent | null
export function openMetadataEvent(secrets: GroupSecrets, sealed: Uint8Array, readBy?: { devicePk: Uint8Array; memberPk: Uint8Array }): MetadataEvent | null {
  const env = decodeWire(W.GroupEnvelope, sealed, MAX_GROUP_ENVELOPE_BYTES, 'group envelope')
  assertNonce(env.nonce)
  let clear: Uint8Array
  try {
    clear = secretboxOpenWithNonce(secrets.secret, env.nonce, env.event)
  } catch (err) {
    throw asGroupError(err, 'metadata entry')
  }
  const meta = decodeWire(W.GroupMetadata, clear, MAX_GROUP_METADATA_BYTES, 'group metadata')
  const type = eventTypeNumber(meta.eventType)
  assertSigField(meta.sig, 'sig')
  if (meta.payload.length > MAX_METADATA_BODY_BYTES) {
    throw new GroupProtocolError('ERR_TOO_LARGE', `metadata payload over ${MAX_METADATA_BODY_BYTES} bytes`)
  }
  const { event, devicePk } = decodePayload(type, meta.payload)
  if (
    readBy &&
    event.type === MetadataType.DEVICE_SECRET &&
    !equalBytes(devicePk, readBy.devicePk) &&
    !equalBytes(event.body.receiverMemberPk, readBy.memberPk)
  ) {
    return null
  }
  // Over the payload bytes as sent (unknown fields included), as Go verifies them.
  if (event.type === MetadataType.INIT_MEMBER) event.body.groupSig = copy(meta.sig)
  else if (!ed25519Verify(devicePk, meta.payload, meta.sig)) {
    throw new GroupProtocolError('ERR_BAD_SIGNATURE', `event ${type}: sig does not verify under the payload's device_pk`)
  }
  validateBody(event, devicePk, secrets.groupPk, secrets.kind, meta.payload)
  return { ...event, devicePk, sig: copy(meta.sig) } as MetadataEvent
}

function decodePayload(type: number, payload: Uint8Array): { event: MetadataEventBody; devicePk: Uint8Array } {
  const max = MAX_METADATA_BODY_BYTES
  switch (type) {
    case MetadataType.INIT_MEMBER: {
      const b = decodeWire(W.MultiMemberGroupInitialMemberAnnounced, payload, max, 'initial member')
      assertKeyField(b.memberPk, 'memberPk')
      // The group key signs the payload; that signature is the body's groupSig.
      return { event: { type, body: { memberPk: copy(b.memberPk), groupSig: new Uint8Array(0) } }, devicePk: copy(b.memberPk) }
    }
    case MetadataType.MEMBER_DEVICE: {
      const b = decodeWire(W.GroupMemberDeviceAdded, payload, max, 'member device')
      assertKeyField(b.devicePk, 'devicePk')
      return {
        event: { type, body: { memberPk: copy(b.memberPk), devicePk: copy(b.devicePk), memberSig: copy(b.memberSig) } },
        devicePk: copy(b.devicePk)
      }
    }
    case MetadataType.DEVICE_SECRET: {
      const b = decodeWire(W.GroupDeviceChainKeyAdded, payload, max, 'device chain key')
      assertKeyField(b.devicePk, 'devicePk')
      return {
        event: { type, body: { senderDevicePk: copy(b.devicePk), receiverMemberPk: copy(b.destMemberPk), box: copy(b.payload) } },
        devicePk: copy(b.devicePk)
      }
    }
    case MetadataType.ALIAS: {
      const b = decodeWire(W.MultiMemberGroupAliasResolverAdded, payload, max, 'alias resolver')
      assertKeyField(b.devicePk, 'devicePk')
      return { event: { type, body: { resolver: copy(b.aliasResolver), proof: copy(b.aliasProof) } }, devicePk: copy(b.devicePk) }
    }
    case MetadataType.APP_METADATA: {
      const b = decodeWire(W.GroupMetadataPayloadSent, payload, max, 'app metadata')
      assertKeyField(b.devicePk, 'devicePk')
      return { event: { type, body: decodeAppMetadata(b.message) }, devicePk: copy(b.devicePk) }
    }
    default: {
      if (!isWeshPassThroughType(type)) throw new GroupProtocolError('ERR_MALFORMED', `unsupported event type ${type}`)
      const devicePk = copy(weshEventDevice(type, payload))
      return { event: { type, body: { payload: copy(payload) } }, devicePk }
    }
  }
}
