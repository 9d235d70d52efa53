/**
 * Metadata log events (spec "Group Structure", "Multi-Member Group", "Alias Identity",
 * "New member arrival"; PROTOCOL.md "Secret (chain key) entries").
 *
 * Every event is `MetadataEventWire{type, body, devicePk, deviceSig}` sealed with the group secret
 * (random nonce), where `deviceSig = sign(deviceSK, "berty/meta/v1" ‖ groupPk ‖ u32be(type) ‖ body)`
 * binds the author device, the group and the exact body bytes.
 *
 * Claims: `openMetadataEvent` returns only events sealed by a holder of the group secret, signed by
 * the device they name, with every body-internal signature that needs no state checked (Init Member
 * by the Group ID, Member Device by the member key). A Secret entry's chain key is readable only by
 * the addressed member's devices.
 * Disclaims: whether the author device belongs to the group, and log-order rules, are the reducer's
 * job (state.ts); MEMBER_LEAVE has no cryptographic meaning (spec "Member removal"); an Alias Entry
 * cannot be retracted (spec "Alias Identity").
 */
import {
  CryptoError,
  concatBytes,
  ed25519PublicFromSeed,
  ed25519Verify,
  edPublicToX25519Public,
  edSeedToX25519Secret,
  equalBytes,
  naclBox,
  naclBoxOpen,
  secretboxOpen,
  secretboxSeal,
  wipe
} from '../../crypto'
import {
  AliasBody,
  DeviceSecretBody,
  GroupInfoBody,
  MemberProfileBody,
  InitMemberBody,
  MemberDeviceBody,
  MemberLeaveBody,
  MetadataEventWire
} from '../proto/group'
import {
  assertKeyField,
  assertSigField,
  buf,
  copy,
  decodeCanonical,
  encode,
  u32be,
  utf8,
  signBytes
} from './codec'
import type { Alias } from './alias'
import { MAX_NAME_CHARS, NAME_PROBLEM_TEXT, nameProblem } from '../../names'
import { MAX_SEALED_ENTRY_BYTES } from './entry-auth'
import { GroupProtocolError } from './errors'
import type { GroupKind, GroupSecrets } from './keys'
import { decodeDeviceChainKey, encodeDeviceChainKey, type DeviceChainKey } from './ratchet'
import { isWeshPassThroughType, MAX_WESH_EVENT_PAYLOAD_BYTES, validateWeshEvent, type WeshEventBody, type WeshPassThroughType } from './wesh-events'

/** Wire values of the event types; never renumber. */
export const MetadataType = {
  INIT_MEMBER: 1,
  MEMBER_DEVICE: 2,
  DEVICE_SECRET: 3,
  ALIAS: 4,
  GROUP_INFO: 5,
  MEMBER_LEAVE: 6,
  MEMBER_PROFILE: 7
} as const
export type MetadataType = (typeof MetadataType)[keyof typeof MetadataType]

/** Group and display names follow the one name rule (core/names.ts). */
export const MAX_GROUP_NAME_CHARS = MAX_NAME_CHARS
/** Largest body of any type (a DEVICE_SECRET box is ~100 bytes, a name ≤ 256, a pass-through weshnet payload ≤ 4096). */
export const MAX_METADATA_BODY_BYTES = MAX_WESH_EVENT_PAYLOAD_BYTES
// Body + 32-byte key + 64-byte signature + tags; the sealed entry adds nonce and tag.
const MAX_METADATA_WIRE_BYTES = MAX_METADATA_BODY_BYTES + 128
const MAX_METADATA_SEALED_BYTES = Math.min(MAX_SEALED_ENTRY_BYTES, MAX_METADATA_WIRE_BYTES + 40)
// nonce(24) + tag(16) + DeviceChainKey (≤ 2+32+1+10).
const MAX_DEVICE_SECRET_BOX_BYTES = 24 + 16 + 64

const META_DOMAIN = utf8('berty/meta/v1')

/** Spec "Multi-Member Group": the creator's Member ID signed by the Group ID key. */
export interface InitMember {
  memberPk: Uint8Array
  /** sign(groupSK, memberPk) */
  groupSig: Uint8Array
}

/** Spec "New member arrival": a Member Entry per device. */
export interface MemberDevice {
  memberPk: Uint8Array
  devicePk: Uint8Array
  /** sign(memberSK, groupPk ‖ devicePk) */
  memberSig: Uint8Array
}

/** Spec "New member arrival": a Secret Entry, addressed to one member. */
export interface DeviceSecret {
  senderDevicePk: Uint8Array
  receiverMemberPk: Uint8Array
  /** naclBox(mont(receiverMemberPk), mont(senderDeviceSK), DeviceChainKey) = nonce ‖ tag ‖ ct */
  box: Uint8Array
}

/** App-level group name. */
export interface GroupInfo {
  name: string
}

/**
 * App-level: the display name a member chose to show in this group (as the Berty app's user
 * info). Optional, set by the user, never required; members without one show as a short key.
 */
export interface MemberProfile {
  displayName: string
}

/** A device announces it leaves (spec "Member removal": no cryptographic guarantee). */
export interface MemberLeave {
  devicePk: Uint8Array
}

/**
 * A pass-through weshnet event (./wesh-events.ts): `type` is weshnet's EventType number
 * (account events 101–112, GroupReplicating 403), `body.payload` the weshnet payload message bytes.
 */
export interface WeshPassThroughEvent {
  type: WeshPassThroughType
  body: WeshEventBody
}

export type MetadataEventBody =
  | WeshPassThroughEvent
  | { type: typeof MetadataType.INIT_MEMBER; body: InitMember }
  | { type: typeof MetadataType.MEMBER_DEVICE; body: MemberDevice }
  | { type: typeof MetadataType.DEVICE_SECRET; body: DeviceSecret }
  | { type: typeof MetadataType.ALIAS; body: Alias }
  | { type: typeof MetadataType.GROUP_INFO; body: GroupInfo }
  | { type: typeof MetadataType.MEMBER_LEAVE; body: MemberLeave }
  | { type: typeof MetadataType.MEMBER_PROFILE; body: MemberProfile }

/** An opened, verified event: the author device and its signature ride along. */
export type MetadataEvent = MetadataEventBody & {
  devicePk: Uint8Array
  deviceSig: Uint8Array
}

export interface DeviceKey {
  seed: Uint8Array
  pk: Uint8Array
}

export { aliasBody, aliasProofMessage, aliasResolver, verifyAliasProof, type Alias } from './alias'

// ---- body builders -------------------------------------------------------------------------------

/** Signed with the Group ID seed, which the creator then wipes (spec "Multi-Member Group"). */
export function initMemberBody(groupSeed: Uint8Array, memberPk: Uint8Array): InitMember {
  assertKeyField(groupSeed, 'groupSeed')
  assertKeyField(memberPk, 'memberPk')
  return { memberPk: copy(memberPk), groupSig: signBytes(groupSeed, memberPk) }
}

function memberDeviceMessage(groupPk: Uint8Array, devicePk: Uint8Array): Uint8Array {
  return concatBytes(groupPk, devicePk)
}

export function memberDeviceBody(groupPk: Uint8Array, memberSeed: Uint8Array, devicePk: Uint8Array): MemberDevice {
  assertKeyField(groupPk, 'groupPk')
  assertKeyField(memberSeed, 'memberSeed')
  assertKeyField(devicePk, 'devicePk')
  return {
    memberPk: ed25519PublicFromSeed(memberSeed),
    devicePk: copy(devicePk),
    memberSig: signBytes(memberSeed, memberDeviceMessage(groupPk, devicePk))
  }
}

/**
 * PROTOCOL.md "Secret (chain key) entries": box(DeviceChainKey) under
 * X25519(mont(senderDeviceSK), mont(receiverMemberPK)), addressed to the receiving member.
 */
export function deviceSecretBody(device: DeviceKey, receiverMemberPk: Uint8Array, chain: DeviceChainKey): DeviceSecret {
  assertKeyField(device.seed, 'device.seed')
  assertKeyField(device.pk, 'device.pk')
  assertKeyField(receiverMemberPk, 'receiverMemberPk')
  const plaintext = encodeDeviceChainKey(chain)
  const mySecret = edSeedToX25519Secret(device.seed)
  try {
    const box = naclBox(edPublicToX25519Public(receiverMemberPk), mySecret, plaintext)
    return { senderDevicePk: copy(device.pk), receiverMemberPk: copy(receiverMemberPk), box }
  } catch (err) {
    throw asGroupError(err, 'receiverMemberPk')
  } finally {
    wipe(mySecret, plaintext)
  }
}

/**
 * Opens a Secret Entry with the receiving member's seed: X25519(mont(memberSK), mont(senderDevicePk)).
 * `memberPk`, when given, is checked against the addressee first (ERR_NOT_ADDRESSED).
 */
export function openDeviceSecret(secret: DeviceSecret, memberSeed: Uint8Array, memberPk?: Uint8Array): DeviceChainKey {
  assertKeyField(memberSeed, 'memberSeed')
  if (memberPk !== undefined && !equalBytes(memberPk, secret.receiverMemberPk)) {
    throw new GroupProtocolError('ERR_NOT_ADDRESSED', 'this secret entry is addressed to another member')
  }
  const mySecret = edSeedToX25519Secret(memberSeed)
  let plaintext: Uint8Array | undefined
  try {
    plaintext = naclBoxOpen(edPublicToX25519Public(secret.senderDevicePk), mySecret, secret.box)
    return decodeDeviceChainKey(plaintext)
  } catch (err) {
    throw asGroupError(err, 'box')
  } finally {
    wipe(mySecret, plaintext)
  }
}

export function groupInfoBody(name: string): GroupInfo {
  assertGroupName(name)
  return { name }
}

export function memberProfileBody(displayName: string): MemberProfile {
  assertDisplayName(displayName)
  return { displayName }
}

export function memberLeaveBody(devicePk: Uint8Array): MemberLeave {
  assertKeyField(devicePk, 'devicePk')
  return { devicePk: copy(devicePk) }
}

// ---- validation ----------------------------------------------------------------------------------

function assertName(name: unknown, allowEmpty: boolean): asserts name is string {
  const problem = nameProblem(name, { allowEmpty })
  if (problem === undefined) return
  const code = problem === 'too-long' ? 'ERR_TOO_LARGE' : 'ERR_MALFORMED'
  throw new GroupProtocolError(code, `name ${NAME_PROBLEM_TEXT[problem]}`)
}

function assertGroupName(name: unknown): asserts name is string {
  assertName(name, true)
}

function assertDisplayName(name: unknown): asserts name is string {
  assertName(name, false)
}

function assertSameDevice(a: Uint8Array, devicePk: Uint8Array, field: string): void {
  if (!equalBytes(a, devicePk)) {
    throw new GroupProtocolError('ERR_MALFORMED', `${field} must be the author device`)
  }
}

/**
 * Field checks shared by seal and open, plus the body-internal signatures that need no state.
 * A Member Device, Secret or Leave entry speaks for its author device only.
 */
function validateBody(event: MetadataEventBody, devicePk: Uint8Array, groupPk: Uint8Array, kind?: GroupKind): void {
  if (isPassThrough(event)) return validateWeshEvent(event.type, event.body.payload, devicePk, kind)
  const e = event
  switch (e.type) {
    case MetadataType.INIT_MEMBER: {
      const b = e.body
      assertKeyField(b.memberPk, 'memberPk')
      assertSigField(b.groupSig, 'groupSig')
      if (!ed25519Verify(groupPk, b.memberPk, b.groupSig)) {
        throw new GroupProtocolError('ERR_BAD_SIGNATURE', 'init member groupSig does not verify under groupPk')
      }
      return
    }
    case MetadataType.MEMBER_DEVICE: {
      const b = e.body
      assertKeyField(b.memberPk, 'memberPk')
      assertKeyField(b.devicePk, 'devicePk')
      assertSigField(b.memberSig, 'memberSig')
      assertSameDevice(b.devicePk, devicePk, 'devicePk')
      if (!ed25519Verify(b.memberPk, memberDeviceMessage(groupPk, b.devicePk), b.memberSig)) {
        throw new GroupProtocolError('ERR_BAD_SIGNATURE', 'member device memberSig does not verify under memberPk')
      }
      return
    }
    case MetadataType.DEVICE_SECRET: {
      const b = e.body
      assertKeyField(b.senderDevicePk, 'senderDevicePk')
      assertKeyField(b.receiverMemberPk, 'receiverMemberPk')
      if (!(b.box instanceof Uint8Array) || b.box.length < 24 + 16 || b.box.length > MAX_DEVICE_SECRET_BOX_BYTES) {
        throw new GroupProtocolError('ERR_MALFORMED', 'device secret box has an invalid length')
      }
      assertSameDevice(b.senderDevicePk, devicePk, 'senderDevicePk')
      return
    }
    case MetadataType.ALIAS: {
      assertKeyField(e.body.resolver, 'resolver')
      assertSigField(e.body.proof, 'proof')
      return
    }
    case MetadataType.GROUP_INFO: {
      assertGroupName(e.body.name)
      return
    }
    case MetadataType.MEMBER_PROFILE: {
      assertDisplayName(e.body.displayName)
      return
    }
    case MetadataType.MEMBER_LEAVE: {
      assertKeyField(e.body.devicePk, 'devicePk')
      assertSameDevice(e.body.devicePk, devicePk, 'devicePk')
      return
    }
    default: {
      const unknownType: unknown = (e as { type: unknown }).type
      throw new GroupProtocolError('ERR_MALFORMED', `unknown metadata type ${String(unknownType)}`)
    }
  }
}

function isPassThrough(event: MetadataEventBody): event is WeshPassThroughEvent {
  return isWeshPassThroughType(event.type)
}

function encodeBody(event: MetadataEventBody): Uint8Array {
  if (isPassThrough(event)) return copy(event.body.payload)
  const e = event
  switch (e.type) {
    case MetadataType.INIT_MEMBER:
      return encode(InitMemberBody.codec(), { memberPk: buf(e.body.memberPk), groupSig: buf(e.body.groupSig) })
    case MetadataType.MEMBER_DEVICE:
      return encode(MemberDeviceBody.codec(), {
        memberPk: buf(e.body.memberPk),
        devicePk: buf(e.body.devicePk),
        memberSig: buf(e.body.memberSig)
      })
    case MetadataType.DEVICE_SECRET:
      return encode(DeviceSecretBody.codec(), {
        senderDevicePk: buf(e.body.senderDevicePk),
        receiverMemberPk: buf(e.body.receiverMemberPk),
        box: buf(e.body.box)
      })
    case MetadataType.ALIAS:
      return encode(AliasBody.codec(), { resolver: buf(e.body.resolver), proof: buf(e.body.proof) })
    case MetadataType.GROUP_INFO:
      return encode(GroupInfoBody.codec(), { name: e.body.name })
    case MetadataType.MEMBER_PROFILE:
      return encode(MemberProfileBody.codec(), { displayName: e.body.displayName })
    case MetadataType.MEMBER_LEAVE:
      return encode(MemberLeaveBody.codec(), { devicePk: buf(e.body.devicePk) })
  }
}

function decodeBody(type: number, body: Uint8Array): MetadataEventBody {
  const max = MAX_METADATA_BODY_BYTES
  // Checked against its weshnet message by validateBody, which every opened event goes through.
  if (isWeshPassThroughType(type)) return { type, body: { payload: copy(body) } }
  switch (type) {
    case MetadataType.INIT_MEMBER: {
      const b = decodeCanonical(InitMemberBody.codec(), body, max, 'init member')
      return { type, body: { memberPk: copy(b.memberPk), groupSig: copy(b.groupSig) } }
    }
    case MetadataType.MEMBER_DEVICE: {
      const b = decodeCanonical(MemberDeviceBody.codec(), body, max, 'member device')
      return { type, body: { memberPk: copy(b.memberPk), devicePk: copy(b.devicePk), memberSig: copy(b.memberSig) } }
    }
    case MetadataType.DEVICE_SECRET: {
      const b = decodeCanonical(DeviceSecretBody.codec(), body, max, 'device secret')
      return {
        type,
        body: { senderDevicePk: copy(b.senderDevicePk), receiverMemberPk: copy(b.receiverMemberPk), box: copy(b.box) }
      }
    }
    case MetadataType.ALIAS: {
      const b = decodeCanonical(AliasBody.codec(), body, max, 'alias')
      return { type, body: { resolver: copy(b.resolver), proof: copy(b.proof) } }
    }
    case MetadataType.GROUP_INFO: {
      const b = decodeCanonical(GroupInfoBody.codec(), body, max, 'group info')
      return { type, body: { name: b.name } }
    }
    case MetadataType.MEMBER_LEAVE: {
      const b = decodeCanonical(MemberLeaveBody.codec(), body, max, 'member leave')
      return { type, body: { devicePk: copy(b.devicePk) } }
    }
    case MetadataType.MEMBER_PROFILE: {
      const b = decodeCanonical(MemberProfileBody.codec(), body, max, 'member profile')
      return { type, body: { displayName: b.displayName } }
    }
    default:
      throw new GroupProtocolError('ERR_MALFORMED', `unknown metadata type ${type}`)
  }
}

function deviceSigMessage(groupPk: Uint8Array, type: number, body: Uint8Array): Uint8Array {
  return concatBytes(META_DOMAIN, groupPk, u32be(type), body)
}

function asGroupError(err: unknown, field: string): unknown {
  if (err instanceof GroupProtocolError) return err
  if (err instanceof CryptoError) {
    if (err.code === 'ERR_DECRYPT') return new GroupProtocolError('ERR_DECRYPT', `${field} failed authentication`, { cause: err })
    return new GroupProtocolError('ERR_MALFORMED', `${field}: ${err.message}`, { cause: err })
  }
  return err
}

// ---- seal / open ---------------------------------------------------------------------------------

/** Validates, signs with the device key, and seals with the group secret. */
export function sealMetadataEvent(secrets: GroupSecrets, device: DeviceKey, event: MetadataEventBody): Uint8Array {
  assertKeyField(device.seed, 'device.seed')
  assertKeyField(device.pk, 'device.pk')
  if (!equalBytes(ed25519PublicFromSeed(device.seed), device.pk)) {
    throw new GroupProtocolError('ERR_MALFORMED', 'device.pk does not match device.seed')
  }
  validateBody(event, device.pk, secrets.groupPk, secrets.kind)
  const body = encodeBody(event)
  if (body.length > MAX_METADATA_BODY_BYTES) {
    throw new GroupProtocolError('ERR_TOO_LARGE', `metadata body over ${MAX_METADATA_BODY_BYTES} bytes`)
  }
  const deviceSig = signBytes(device.seed, deviceSigMessage(secrets.groupPk, event.type, body))
  const wire = encode(MetadataEventWire.codec(), {
    type: event.type,
    body: buf(body),
    devicePk: buf(device.pk),
    deviceSig: buf(deviceSig)
  })
  return secretboxSeal(secrets.secret, wire)
}

/**
 * Opens a sealed metadata entry: group-secret box (ERR_DECRYPT), canonical protobuf (ERR_MALFORMED),
 * caps (ERR_TOO_LARGE), device signature and body-internal signatures (ERR_BAD_SIGNATURE).
 */
export function openMetadataEvent(secrets: GroupSecrets, sealed: Uint8Array): MetadataEvent {
  if (!(sealed instanceof Uint8Array)) throw new GroupProtocolError('ERR_MALFORMED', 'sealed must be a Uint8Array')
  if (sealed.length > MAX_METADATA_SEALED_BYTES) {
    throw new GroupProtocolError('ERR_TOO_LARGE', `sealed metadata entry over ${MAX_METADATA_SEALED_BYTES} bytes`)
  }
  let wireBytes: Uint8Array
  try {
    wireBytes = secretboxOpen(secrets.secret, sealed)
  } catch (err) {
    throw asGroupError(err, 'metadata entry')
  }
  const wire = decodeCanonical(MetadataEventWire.codec(), wireBytes, MAX_METADATA_WIRE_BYTES, 'metadata event')
  assertKeyField(wire.devicePk, 'devicePk')
  assertSigField(wire.deviceSig, 'deviceSig')
  if (wire.body.length > MAX_METADATA_BODY_BYTES) {
    throw new GroupProtocolError('ERR_TOO_LARGE', `metadata body over ${MAX_METADATA_BODY_BYTES} bytes`)
  }
  if (!ed25519Verify(wire.devicePk, deviceSigMessage(secrets.groupPk, wire.type, wire.body), wire.deviceSig)) {
    throw new GroupProtocolError('ERR_BAD_SIGNATURE', 'metadata deviceSig does not verify under devicePk')
  }
  const decoded = decodeBody(wire.type, wire.body)
  const devicePk = copy(wire.devicePk)
  validateBody(decoded, devicePk, secrets.groupPk, secrets.kind)
  return { ...decoded, devicePk, deviceSig: copy(wire.deviceSig) }
}
