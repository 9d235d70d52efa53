/**
 * Device linking as pure steps (spec "Linking Devices" steps 3–4 and its three challenges). No network,
 * no clock: core/linking runs these over a libp2p stream.
 *
 * Keying: A's invitation carries a one-time X25519 key `e`; B makes a one-time `b` and sends `b_pub`.
 * `okm = HKDF-SHA256(IKM = X25519(b, e), salt = e_pub ‖ b_pub, info = "berty-desktop/device-link/v1", 64)`;
 * B→A frames are sealed with `okm[0:32]`, A→B frames with `okm[32:64]` (XSalsa20-Poly1305, nonce =
 * u64be(frame counter) ‖ 16 zero bytes, one counter per direction). Only a holder of the invitation can
 * speak to A; only A (holder of `e`) can read B. A's identity is its libp2p peer id (the connection's
 * Noise handshake proves it); B's is its device key, which signs the transcript
 * `th = SHA-256("berty-desktop/device-link/v1" ‖ A peer id ‖ e_pub ‖ b_pub ‖ B device pk)`.
 *
 * Challenges (spec): PIN — A shows ≥ 6 digits, B signs "pin" ‖ th ‖ PIN; QR — B shows the fingerprint of
 * its device key, A's user scans it and A compares; fingerprint — both show it and both users confirm, B
 * signing "fingerprint" ‖ th ‖ fingerprint. Then A sends the account bundle (account, alias and rendezvous
 * seeds: never a device key) and B answers "done" signed over th and its account-group device key.
 *
 * Claims: a passive observer of the QR learns A's peer id and `e_pub` only; a device racing B with the
 * same invitation cannot answer the PIN (it does not see A's screen) nor match the fingerprint; every
 * ephemeral secret and session key is wiped by `wipe()`.
 * Disclaims: the fingerprint challenge is only as good as the users' comparison (spec: offered only on request).
 */
import {
  concatBytes,
  ed25519PublicFromSeed,
  ed25519Sign,
  ed25519Verify,
  equalBytes,
  hkdfSha256,
  randomBytes,
  secretboxOpenWithNonce,
  secretboxSealWithNonce,
  sha256,
  u64be,
  wipe,
  x25519,
  x25519Keygen
} from '../../crypto'
import { AccountBundle, LinkRole, LinkRequest, LinkHello, LinkChallengeKind } from '../proto/device-link'
import { decodeWesh } from '../wesh-codec'
import { DeviceLinkError } from './errors'

export const DEVICE_LINK_LABEL = 'berty-desktop/device-link/v1'
export const FINGERPRINT_BYTES = 20
export const DEFAULT_PIN_DIGITS = 6
export const MAX_FRAME_BYTES = 4096
const enc = (s: string): Uint8Array => new TextEncoder().encode(s)

/** SHA-256(e_pub)[0:16]: names an invitation without revealing anything more than the link does. */
export function invitationId(ephemeralPk: Uint8Array): Uint8Array {
  return sha256(ephemeralPk).subarray(0, 16).slice()
}

export function transcriptHash(peerId: Uint8Array, ePub: Uint8Array, bPub: Uint8Array, devicePk: Uint8Array): Uint8Array {
  return sha256(concatBytes(enc(DEVICE_LINK_LABEL), peerId, ePub, bPub, devicePk))
}

/** The fingerprint of a device key (QR and fingerprint challenges). */
export function deviceFingerprint(devicePk: Uint8Array): Uint8Array {
  return sha256(concatBytes(enc('berty-desktop/device-fingerprint/v1'), devicePk)).subarray(0, FINGERPRINT_BYTES).slice()
}

/** Upper-case hex in groups of four, the form people compare and QR codes carry (alphanumeric mode). */
export function formatFingerprint(fp: Uint8Array): string {
  const hex = Buffer.from(fp).toString('hex').toUpperCase()
  return hex.match(/.{1,4}/g)!.join(' ')
}

/** Reads a typed or scanned fingerprint: hex, any case, spaces and dashes ignored; undefined if malformed. */
export function parseFingerprint(text: string): Uint8Array | undefined {
  const hex = text.replace(/[\s-]/g, '').toLowerCase()
  if (!/^[0-9a-f]+$/.test(hex) || hex.length !== FINGERPRINT_BYTES * 2) return undefined
  return new Uint8Array(Buffer.from(hex, 'hex'))
}

/** A uniformly random PIN of `digits` decimal digits (rejection sampling: no modulo bias). */
export function newPin(digits = DEFAULT_PIN_DIGITS): string {
  if (!Number.isInteger(digits) || digits < 6 || digits > 12) throw new RangeError('a PIN has 6 to 12 digits')
  let out = ''
  while (out.length < digits) {
    const b = randomBytes(16)
    for (const x of b) if (x < 250 && out.length < digits) out += String(x % 10)
    wipe(b)
  }
  return out
}

/** Frames of one direction: sealed with a direction key, nonce = u64be(counter) ‖ 16 zero bytes. */
class Direction {
  constructor(
    private readonly key: Uint8Array,
    private counter = 0
  ) {}
  private nonce(): Uint8Array {
    return concatBytes(u64be(this.counter++), new Uint8Array(16))
  }
  seal(plain: Uint8Array): Uint8Array {
    return secretboxSealWithNonce(this.key, this.nonce(), plain)
  }
  open(sealed: Uint8Array): Uint8Array {
    try {
      return secretboxOpenWithNonce(this.key, this.nonce(), sealed)
    } catch (err) {
      throw new DeviceLinkError('ERR_LINK_PROTOCOL', 'a linking frame does not open', { cause: err })
    }
  }
  wipe(): void {
    wipe(this.key)
  }
}

/** The sealed channel of one linking session, from one side's point of view. */
export class LinkChannel {
  private readonly out: Direction
  private readonly in: Direction
  constructor(
    sendKey: Uint8Array,
    recvKey: Uint8Array,
    /** The transcript hash both sides sign over. */
    readonly transcript: Uint8Array,
    /** Frames already received in this direction (A has read B's hello frame before the channel exists). */
    recvStart = 0
  ) {
    this.out = new Direction(sendKey)
    this.in = new Direction(recvKey, recvStart)
  }
  seal(plain: Uint8Array): Uint8Array {
    return this.out.seal(plain)
  }
  open(sealed: Uint8Array): Uint8Array {
    return this.in.open(sealed)
  }
  wipe(): void {
    this.out.wipe()
    this.in.wipe()
  }
}

function sessionKeys(shared: Uint8Array, ePub: Uint8Array, bPub: Uint8Array): { b2a: Uint8Array; a2b: Uint8Array } {
  const okm = hkdfSha256(shared, concatBytes(ePub, bPub), enc(DEVICE_LINK_LABEL), 64)
  const keys = { b2a: okm.slice(0, 32), a2b: okm.slice(32, 64) }
  wipe(okm, shared)
  return keys
}

export interface LinkRequestFields {
  role: 'full' | 'replica'
  deviceName: string
  requestedChallenge: LinkChallengeKind
}

/** B: the first frame, and the channel that follows from it. Wipes its one-time secret. */
export function joinerHello(
  invite: { peerId: Uint8Array; ephemeralPk: Uint8Array },
  deviceSeed: Uint8Array,
  fields: LinkRequestFields
): { hello: Uint8Array; channel: LinkChannel; devicePk: Uint8Array } {
  const b = x25519Keygen()
  const devicePk = ed25519PublicFromSeed(deviceSeed)
  const th = transcriptHash(invite.peerId, invite.ephemeralPk, b.publicKey, devicePk)
  const { b2a, a2b } = sessionKeys(x25519(b.secretKey, invite.ephemeralPk), invite.ephemeralPk, b.publicKey)
  wipe(b.secretKey)
  const channel = new LinkChannel(b2a, a2b, th)
  const request = LinkRequest.encode({
    devicePk,
    sig: ed25519Sign(deviceSeed, concatBytes(enc('request'), th)),
    role: fields.role === 'replica' ? LinkRole.LINK_ROLE_REPLICA : LinkRole.LINK_ROLE_FULL,
    deviceName: fields.deviceName,
    requestedChallenge: fields.requestedChallenge
  })
  const hello = LinkHello.encode({ version: 1, ephemeralPk: b.publicKey, sealed: channel.seal(request), invitationId: invitationId(invite.ephemeralPk) })
  return { hello, channel, devicePk }
}

export function decodeHello(bytes: Uint8Array): LinkHello {
  let hello: LinkHello
  try {
    hello = decodeWesh(LinkHello, bytes, { maxBytes: MAX_FRAME_BYTES })
  } catch (err) {
    throw new DeviceLinkError('ERR_LINK_PROTOCOL', 'the linking request does not decode', { cause: err })
  }
  if (hello.version !== 1 || hello.ephemeralPk.length !== 32 || hello.invitationId.length !== 16) {
    throw new DeviceLinkError('ERR_LINK_PROTOCOL', 'the linking request is malformed')
  }
  return hello
}

export interface OpenedRequest {
  devicePk: Uint8Array
  role: 'full' | 'replica'
  deviceName: string
  requestedChallenge: LinkChallengeKind
}

/** A: opens B's hello with the invitation's secret; the request's device signature must verify. */
export function inviterAccept(
  invite: { peerId: Uint8Array; ephemeralPk: Uint8Array; ephemeralSecret: Uint8Array },
  hello: LinkHello
): { request: OpenedRequest; channel: LinkChannel } {
  const { b2a, a2b } = sessionKeys(x25519(invite.ephemeralSecret, hello.ephemeralPk), invite.ephemeralPk, hello.ephemeralPk)
  let request: LinkRequest
  // The transcript needs the device key, which is inside B's first sealed frame (B→A counter 0).
  const first = new Direction(b2a.slice())
  try {
    request = decodeWesh(LinkRequest, first.open(hello.sealed), { maxBytes: MAX_FRAME_BYTES, shape: { 4: 'string' } })
  } catch (err) {
    wipe(a2b, b2a)
    if (err instanceof DeviceLinkError) throw err
    throw new DeviceLinkError('ERR_LINK_PROTOCOL', 'the linking request does not decode', { cause: err })
  } finally {
    first.wipe()
  }
  if (request.devicePk.length !== 32 || request.sig.length !== 64 || request.deviceName.length > 64) {
    wipe(a2b, b2a)
    throw new DeviceLinkError('ERR_LINK_PROTOCOL', 'the linking request is malformed')
  }
  const th = transcriptHash(invite.peerId, invite.ephemeralPk, hello.ephemeralPk, request.devicePk)
  if (!ed25519Verify(request.devicePk, concatBytes(enc('request'), th), request.sig)) {
    wipe(a2b, b2a)
    throw new DeviceLinkError('ERR_LINK_PROTOCOL', 'the linking request is not signed by its device key')
  }
  const channel = new LinkChannel(a2b, b2a, th, 1)
  return {
    request: {
      devicePk: request.devicePk,
      role: request.role === LinkRole.LINK_ROLE_REPLICA ? 'replica' : 'full',
      deviceName: request.deviceName,
      requestedChallenge: request.requestedChallenge
    },
    channel
  }
}

const signed = (label: string, th: Uint8Array, extra: Uint8Array = new Uint8Array(0)): Uint8Array => concatBytes(enc(label), th, extra)

export function pinSignature(deviceSeed: Uint8Array, th: Uint8Array, pin: string): Uint8Array {
  return ed25519Sign(deviceSeed, signed('pin', th, enc(pin)))
}

export function verifyPinSignature(devicePk: Uint8Array, th: Uint8Array, pin: string, sig: Uint8Array): boolean {
  return sig.length === 64 && ed25519Verify(devicePk, signed('pin', th, enc(pin)), sig)
}

export function fingerprintSignature(deviceSeed: Uint8Array, th: Uint8Array, fp: Uint8Array): Uint8Array {
  return ed25519Sign(deviceSeed, signed('fingerprint', th, fp))
}

export function verifyFingerprintSignature(devicePk: Uint8Array, th: Uint8Array, fp: Uint8Array, sig: Uint8Array): boolean {
  return sig.length === 64 && ed25519Verify(devicePk, signed('fingerprint', th, fp), sig)
}

export function doneSignature(deviceSeed: Uint8Array, th: Uint8Array, accountGroupDevicePk: Uint8Array): Uint8Array {
  return ed25519Sign(deviceSeed, signed('done', th, accountGroupDevicePk))
}

export function verifyDoneSignature(devicePk: Uint8Array, th: Uint8Array, accountGroupDevicePk: Uint8Array, sig: Uint8Array): boolean {
  return sig.length === 64 && accountGroupDevicePk.length === 32 && ed25519Verify(devicePk, signed('done', th, accountGroupDevicePk), sig)
}

/** Constant-time comparison of a typed/scanned fingerprint with the expected one. */
export function fingerprintMatches(expected: Uint8Array, typed: Uint8Array | undefined): boolean {
  return typed !== undefined && typed.length === expected.length && equalBytes(expected, typed)
}

export interface AccountBundleFields {
  accountSeed: Uint8Array
  aliasSeed: Uint8Array
  rendezvousSeed: Uint8Array
  displayName: string
  inviterDevicePk: Uint8Array
  inviterDeviceName: string
}

/** Checks a received bundle's fields (sizes); the caller wipes its seeds. */
export function checkBundle(b: AccountBundle | undefined): AccountBundleFields {
  if (b === undefined) throw new DeviceLinkError('ERR_LINK_PROTOCOL', 'the account bundle is missing')
  if (b.accountSeed.length !== 32 || b.aliasSeed.length !== 32 || b.rendezvousSeed.length !== 32) {
    wipe(b.accountSeed, b.aliasSeed, b.rendezvousSeed)
    throw new DeviceLinkError('ERR_LINK_PROTOCOL', 'the account bundle is malformed')
  }
  if (b.role !== LinkRole.LINK_ROLE_FULL) {
    wipe(b.accountSeed, b.aliasSeed, b.rendezvousSeed)
    throw new DeviceLinkError('ERR_LINK_PROTOCOL', 'only full devices can be linked')
  }
  return {
    accountSeed: b.accountSeed,
    aliasSeed: b.aliasSeed,
    rendezvousSeed: b.rendezvousSeed,
    displayName: b.displayName,
    inviterDevicePk: b.inviterDevicePk,
    inviterDeviceName: b.inviterDeviceName
  }
}

/**
 * What a replication device receives (spec "Replication device"): no seed, no display name; the account's
 * public key and the account group's replica keys (weshnet `FilterGroupForReplication`: public key,
 * signing key, link key; the account group carries no link key signature).
 */
export interface ReplicaBundleFields {
  accountPk: Uint8Array
  accountGroup: { groupPk: Uint8Array; signPub: Uint8Array; linkKey: Uint8Array }
  inviterDevicePk: Uint8Array
  inviterDeviceName: string
}

/** Checks a replica bundle: role REPLICA, every secret field empty (a bundle carrying one is refused), keys 32 bytes. */
export function checkReplicaBundle(b: AccountBundle | undefined): ReplicaBundleFields {
  if (b === undefined) throw new DeviceLinkError('ERR_LINK_PROTOCOL', 'the account bundle is missing')
  if (b.role !== LinkRole.LINK_ROLE_REPLICA) {
    wipe(b.accountSeed, b.aliasSeed, b.rendezvousSeed)
    throw new DeviceLinkError('ERR_LINK_PROTOCOL', 'the other device did not link this one as a replica')
  }
  if (b.accountSeed.length + b.aliasSeed.length + b.rendezvousSeed.length > 0 || b.displayName !== '') {
    wipe(b.accountSeed, b.aliasSeed, b.rendezvousSeed)
    throw new DeviceLinkError('ERR_LINK_PROTOCOL', 'a replication device takes no account secret: the bundle is refused')
  }
  const keys = [b.accountPk, b.accountGroupPk, b.accountGroupSignPub, b.accountGroupLinkKey]
  if (keys.some((k) => k.length !== 32)) throw new DeviceLinkError('ERR_LINK_PROTOCOL', 'the replica bundle is malformed')
  return {
    accountPk: b.accountPk,
    accountGroup: { groupPk: b.accountGroupPk, signPub: b.accountGroupSignPub, linkKey: b.accountGroupLinkKey },
    inviterDevicePk: b.inviterDevicePk,
    inviterDeviceName: b.inviterDeviceName
  }
}
