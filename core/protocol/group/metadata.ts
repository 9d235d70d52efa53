/**
 * Metadata log events, in weshnet's types (spec "Group Structure", "Multi-Member Group", "Alias
 * Identity", "New member arrival"; berty/weshnet protocoltypes.proto, store_metadata.go,
 * pkg/secretstore/chain_key.go): the event bodies, their builders and their checks. Sealing and
 * opening (GroupEnvelope / GroupMetadata) are in ./metadata-wire.ts.
 *
 * Event types are weshnet's numbers: 1 GroupMemberDeviceAdded, 2 GroupDeviceChainKeyAdded,
 * 301 MultiMemberGroupAliasResolverAdded, 302 MultiMemberGroupInitialMemberAnnounced, 1001
 * GroupMetadataPayloadSent (Berty's AppMessage: SetGroupInfo names the group, SetUserInfo a member),
 * and the pass-through types of ./wesh-events.ts (carried, not interpreted).
 *
 * No leave event: weshnet has none. A Berty device that leaves posts AccountGroupLeft in its own
 * account group and the group itself is never told (members keep the leaver's keys either way: spec
 * "Member removal" gives a leave no cryptographic meaning). An AppMessage type of our own would be
 * refused by every Berty peer (`UnmarshalPayload`: unsupported type), and our earlier MEMBER_LEAVE had
 * no reader besides the reducer's bookkeeping, so leaving posts nothing in the group.
 */
import {
  CryptoError,
  ed25519PublicFromSeed,
  ed25519Verify,
  edPublicToX25519Public,
  edSeedToX25519Secret,
  equalBytes,
  naclBoxOpenWithNonce,
  naclBoxWithNonce,
  wipe
} from '../../crypto'
import { MultiMemberGroupInitialMemberAnnounced } from '../proto/wesh'
import type { Alias } from './alias'
import type { AppMetadata } from './app-message'
import { assertKeyField, assertSigField, copy, signBytes } from './codec'
import { MAX_NAME_CHARS, NAME_PROBLEM_TEXT, nameProblem } from '../../names'
import { GroupProtocolError } from './errors'
import { decodeDeviceChainKey, encodeDeviceChainKey, type DeviceChainKey } from './ratchet'
import type { GroupKind } from './keys'
import { isWeshPassThroughType, validateWeshEvent, WeshEventType, type WeshEventBody, type WeshPassThroughType } from './wesh-events'

/** weshnet `EventType` numbers of the events the reducer interprets; never renumber. */
export const MetadataType = {
  /** GroupMemberDeviceAdded */
  MEMBER_DEVICE: WeshEventType.GroupMemberDeviceAdded,
  /** GroupDeviceChainKeyAdded */
  DEVICE_SECRET: WeshEventType.GroupDeviceChainKeyAdded,
  /** MultiMemberGroupAliasResolverAdded */
  ALIAS: WeshEventType.MultiMemberGroupAliasResolverAdded,
  /** MultiMemberGroupInitialMemberAnnounced */
  INIT_MEMBER: WeshEventType.MultiMemberGroupInitialMemberAnnounced,
  /** GroupMetadataPayloadSent (Berty AppMessage) */
  APP_METADATA: WeshEventType.GroupMetadataPayloadSent
} as const
export type MetadataType = (typeof MetadataType)[keyof typeof MetadataType]

/** Group and display names follow the one name rule (core/names.ts). */
export const MAX_GROUP_NAME_CHARS = MAX_NAME_CHARS
/** Largest payload of any type (a chain-key box is ~70 bytes, a name ≤ 256, pass-through ≤ 4096). */
export const MAX_METADATA_BODY_BYTES = 4096

/**
 * Spec "Multi-Member Group": the creator's entry, signed with the Group ID key. As weshnet
 * (store_metadata.go ClaimGroupOwnership), `memberPk` carries the creator's *device* key and the
 * signature is `GroupMetadata.sig` = sign(groupSK, payload bytes).
 */
export interface InitMember {
  memberPk: Uint8Array
  /** sign(groupSK, MultiMemberGroupInitialMemberAnnounced{member_pk}) */
  groupSig: Uint8Array
}

/** Spec "New member arrival": a Member Entry per device. */
export interface MemberDevice {
  memberPk: Uint8Array
  devicePk: Uint8Array
  /** sign(memberSK, devicePk), as weshnet's MemberSign(device) */
  memberSig: Uint8Array
}

/** Spec "New member arrival": a Secret Entry, addressed to one member. */
export interface DeviceSecret {
  senderDevicePk: Uint8Array
  receiverMemberPk: Uint8Array
  /**
   * box.Seal(DeviceChainKey, nonce = groupPk[0:24], mont(receiverMemberPk), mont(senderDeviceSK)):
   * tag ‖ ciphertext, no nonce (chain_key.go encryptDeviceChainKey / groupIDToNonce).
   */
  box: Uint8Array
}

/**
 * A pass-through weshnet event (./wesh-events.ts): `type` is weshnet's EventType number,
 * `body.payload` the weshnet payload message bytes.
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
  | { type: typeof MetadataType.APP_METADATA; body: AppMetadata }

/** An opened, verified event: the author device and `GroupMetadata.sig` ride along. */
export type MetadataEvent = MetadataEventBody & {
  /** The payload's device (for INIT_MEMBER, the creator device it names). */
  devicePk: Uint8Array
  sig: Uint8Array
}

export interface DeviceKey {
  seed: Uint8Array
  pk: Uint8Array
}

export { aliasBody, aliasProofMessage, aliasResolver, verifyAliasProof, type Alias } from './alias'

// ---- body builders -------------------------------------------------------------------------------

/** The bytes the Group ID key signs for INIT_MEMBER: the weshnet payload itself. */
export function initMemberPayload(memberPk: Uint8Array): Uint8Array {
  return MultiMemberGroupInitialMemberAnnounced.encode({ memberPk })
}

/** Signed with the Group ID seed, which the creator then wipes (spec "Multi-Member Group"). */
export function initMemberBody(groupSeed: Uint8Array, creatorDevicePk: Uint8Array): InitMember {
  assertKeyField(groupSeed, 'groupSeed')
  assertKeyField(creatorDevicePk, 'creatorDevicePk')
  return { memberPk: copy(creatorDevicePk), groupSig: signBytes(groupSeed, initMemberPayload(creatorDevicePk)) }
}

/**
 * weshnet signs the device key alone (`md.MemberSign(device)`), not bound to the group: for an
 * account or contact group, whose member key is the account key, such an entry can be replayed into
 * another group by a member of both. It gives the replayer nothing: the device still signs every
 * event it authors, and only it holds the device key.
 */
export function memberDeviceBody(memberSeed: Uint8Array, devicePk: Uint8Array): MemberDevice {
  assertKeyField(memberSeed, 'memberSeed')
  assertKeyField(devicePk, 'devicePk')
  return { memberPk: ed25519PublicFromSeed(memberSeed), devicePk: copy(devicePk), memberSig: signBytes(memberSeed, devicePk) }
}

/** chain_key.go groupIDToNonce: the first 24 bytes of the group key. */
function chainKeyNonce(groupPk: Uint8Array): Uint8Array {
  assertKeyField(groupPk, 'groupPk')
  return groupPk.subarray(0, 24)
}

/**
 * PROTOCOL.md "Secret (chain key) entries", as weshnet seals them (chain_key.go). The nonce is fixed
 * per group, so the box key (sender device × receiver member) must seal one plaintext only: a device
 * posts one Secret entry per member (secret-exchange.ts; weshnet: areSecretsAlreadySent).
 */
export function deviceSecretBody(device: DeviceKey, receiverMemberPk: Uint8Array, chain: DeviceChainKey, groupPk: Uint8Array): DeviceSecret {
  assertKeyField(device.seed, 'device.seed')
  assertKeyField(device.pk, 'device.pk')
  assertKeyField(receiverMemberPk, 'receiverMemberPk')
  const nonce = chainKeyNonce(groupPk)
  const plaintext = encodeDeviceChainKey(chain)
  const mySecret = edSeedToX25519Secret(device.seed)
  try {
    const box = naclBoxWithNonce(edPublicToX25519Public(receiverMemberPk), mySecret, nonce, plaintext)
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
export function openDeviceSecret(secret: DeviceSecret, memberSeed: Uint8Array, groupPk: Uint8Array, memberPk?: Uint8Array): DeviceChainKey {
  assertKeyField(memberSeed, 'memberSeed')
  if (memberPk !== undefined && !equalBytes(memberPk, secret.receiverMemberPk)) {
    throw new GroupProtocolError('ERR_NOT_ADDRESSED', 'this secret entry is addressed to another member')
  }
  const nonce = chainKeyNonce(groupPk)
  const mySecret = edSeedToX25519Secret(memberSeed)
  let plaintext: Uint8Array | undefined
  try {
    plaintext = naclBoxOpenWithNonce(edPublicToX25519Public(secret.senderDevicePk), mySecret, nonce, secret.box)
    return decodeDeviceChainKey(plaintext)
  } catch (err) {
    throw asGroupError(err, 'box')
  } finally {
    wipe(mySecret, plaintext)
  }
}

/** Berty's SetGroupInfo (sent_date 0, as berty's MultiMemberGroupCreate sends it). */
export function groupInfoBody(name: string, sentAtMs = 0): AppMetadata {
  assertGroupName(name)
  return { kind: 'group-info', name, sentAtMs }
}

/** Berty's SetUserInfo: the display name a member chose to show in this group (optional, user-set). */
export function memberProfileBody(displayName: string, sentAtMs = 0): AppMetadata {
  assertDisplayName(displayName)
  return { kind: 'member-profile', displayName, sentAtMs }
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
 * Field checks shared by seal and open, plus the body-internal signatures that need no state. An
 * event speaks for its author device only. Pass-through payloads are checked by ./wesh-events.ts.
 * `signedPayload`: the payload bytes as received (INIT_MEMBER's group signature covers them).
 * `kind`: the group's kind, where pass-through events may appear (./wesh-events.ts).
 */
export function validateBody(event: MetadataEventBody, devicePk: Uint8Array, groupPk: Uint8Array, kind?: GroupKind, signedPayload?: Uint8Array): void {
  if (isPassThrough(event)) return validateWeshEvent(event.type, event.body.payload, devicePk, kind)
  switch (event.type) {
    case MetadataType.INIT_MEMBER: {
      const b = event.body
      assertKeyField(b.memberPk, 'memberPk')
      assertSigField(b.groupSig, 'groupSig')
      assertSameDevice(b.memberPk, devicePk, 'memberPk')
      if (!ed25519Verify(groupPk, signedPayload ?? initMemberPayload(b.memberPk), b.groupSig)) {
        throw new GroupProtocolError('ERR_BAD_SIGNATURE', 'initial member sig does not verify under groupPk')
      }
      return
    }
    case MetadataType.MEMBER_DEVICE: {
      const b = event.body
      assertKeyField(b.memberPk, 'memberPk')
      assertKeyField(b.devicePk, 'devicePk')
      assertSigField(b.memberSig, 'memberSig')
      assertSameDevice(b.devicePk, devicePk, 'devicePk')
      if (!ed25519Verify(b.memberPk, b.devicePk, b.memberSig)) {
        throw new GroupProtocolError('ERR_BAD_SIGNATURE', 'member device memberSig does not verify under memberPk')
      }
      return
    }
    case MetadataType.DEVICE_SECRET: {
      const b = event.body
      assertKeyField(b.senderDevicePk, 'senderDevicePk')
      assertKeyField(b.receiverMemberPk, 'receiverMemberPk')
      // tag(16) + DeviceChainKey (≤ 2+32+1+10).
      if (!(b.box instanceof Uint8Array) || b.box.length < 16 || b.box.length > 16 + 64) {
        throw new GroupProtocolError('ERR_MALFORMED', 'device secret box has an invalid length')
      }
      assertSameDevice(b.senderDevicePk, devicePk, 'senderDevicePk')
      return
    }
    case MetadataType.ALIAS: {
      // weshnet's own SendAliasProof posts an empty resolver and proof ("TODO"); such an entry is
      // valid on the wire and discloses nothing (the reducer ignores it).
      if (event.body.resolver.length === 0 && event.body.proof.length === 0) return
      assertKeyField(event.body.resolver, 'resolver')
      assertSigField(event.body.proof, 'proof')
      return
    }
    case MetadataType.APP_METADATA: {
      const b = event.body
      if (b.kind === 'group-info') assertGroupName(b.name)
      else if (b.kind === 'member-profile') assertDisplayName(b.displayName)
      else if (!(b.message instanceof Uint8Array)) throw new GroupProtocolError('ERR_MALFORMED', 'app metadata message must be bytes')
      return
    }
  }
}

export function isPassThrough(event: MetadataEventBody): event is WeshPassThroughEvent {
  return isWeshPassThroughType(event.type)
}

export function asGroupError(err: unknown, field: string): unknown {
  if (err instanceof GroupProtocolError) return err
  if (err instanceof CryptoError) {
    if (err.code === 'ERR_DECRYPT') return new GroupProtocolError('ERR_DECRYPT', `${field} failed authentication`, { cause: err })
    return new GroupProtocolError('ERR_MALFORMED', `${field}: ${err.message}`, { cause: err })
  }
  return err
}
