/**
 * The device-link invitation (spec "Linking Devices" step 2): "an invitation containing A's peerID, for
 * example, in the form of an URL or a QRCode". Same two forms as Berty's share links
 * (core/protocol/links/wire.ts), with a kind of its own since bertylinks has none:
 * - web: `https://berty.tech/id#device-link/<base58(DeviceLinkInvitation)>`;
 * - QR / deep link: `BERTY://DL/<basex42(DeviceLinkInvitation)>` (QR alphanumeric alphabet).
 *
 * Claims: the invitation carries A's peer id, a one-time X25519 public key, an expiry, optional address
 * hints and the challenge A will run; never a secret (whoever sees the QR learns nothing that lets them
 * link without passing the challenge on A). Every input is length-capped before decoding.
 * Disclaims: the addresses are hints; nothing here proves A still holds the ephemeral key.
 */
import baseX from 'base-x'
import { DeviceLinkInvitation, LinkChallengeKind } from '../proto/device-link'
import { decodeWesh } from '../wesh-codec'
import { DeviceLinkError } from './errors'

export const DEVICE_LINK_WEB_PREFIX = 'https://berty.tech/id#device-link/'
export const DEVICE_LINK_QR_PREFIX = 'BERTY://DL/'
export const DEVICE_LINK_VERSION = 1
export const MAX_DEVICE_LINK_CHARS = 4096
const MAX_ADDRS = 8
const MAX_ADDR_BYTES = 256
const MAX_PEER_ID_BYTES = 128

const base58 = baseX('123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz')
const qrBase = baseX('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789$*-.:/')

export type ChallengeKind = 'pin' | 'qr' | 'fingerprint'

const TO_WIRE: Record<ChallengeKind, LinkChallengeKind> = {
  pin: LinkChallengeKind.LINK_CHALLENGE_PIN,
  qr: LinkChallengeKind.LINK_CHALLENGE_QR,
  fingerprint: LinkChallengeKind.LINK_CHALLENGE_FINGERPRINT
}

export function challengeToWire(kind: ChallengeKind | undefined): LinkChallengeKind {
  return kind === undefined ? LinkChallengeKind.LINK_CHALLENGE_UNSPECIFIED : TO_WIRE[kind]
}

export function challengeFromWire(kind: LinkChallengeKind): ChallengeKind | undefined {
  for (const [k, v] of Object.entries(TO_WIRE)) if (v === kind) return k as ChallengeKind
  return undefined
}

export interface DeviceLinkInvite {
  /** A's libp2p peer id, as bytes (multihash). */
  peerId: Uint8Array
  /** One-time X25519 public key. */
  ephemeralPk: Uint8Array
  /** Unix milliseconds (carried as seconds). */
  expiresAt: number
  /** Multiaddr bytes: hints to reach A besides peer routing. */
  addrs: Uint8Array[]
  challenge: ChallengeKind | undefined
}

export function encodeDeviceLink(invite: DeviceLinkInvite): { web: string; qr: string } {
  const bytes = DeviceLinkInvitation.encode({
    version: DEVICE_LINK_VERSION,
    peerId: invite.peerId,
    ephemeralPk: invite.ephemeralPk,
    expiresAt: BigInt(Math.ceil(invite.expiresAt / 1000)),
    addrs: invite.addrs.slice(0, MAX_ADDRS),
    challenge: challengeToWire(invite.challenge)
  })
  return { web: DEVICE_LINK_WEB_PREFIX + base58.encode(bytes), qr: DEVICE_LINK_QR_PREFIX + qrBase.encode(bytes) }
}

/** True when `url` looks like a device-link invitation (either form, any case of the prefix). */
export function isDeviceLink(url: string): boolean {
  const u = url.trim()
  return u.toLowerCase().startsWith(DEVICE_LINK_WEB_PREFIX.toLowerCase()) || u.toUpperCase().startsWith(DEVICE_LINK_QR_PREFIX)
}

export function decodeDeviceLink(url: unknown): DeviceLinkInvite {
  if (typeof url !== 'string' || url.trim() === '') throw new DeviceLinkError('ERR_LINK_INVALID', 'the link is empty')
  const u = url.trim()
  if (u.length > MAX_DEVICE_LINK_CHARS) throw new DeviceLinkError('ERR_LINK_INVALID', 'the link is too long')
  let bytes: Uint8Array
  try {
    if (u.toLowerCase().startsWith(DEVICE_LINK_WEB_PREFIX.toLowerCase())) bytes = base58.decode(u.slice(DEVICE_LINK_WEB_PREFIX.length))
    else if (u.toUpperCase().startsWith(DEVICE_LINK_QR_PREFIX)) bytes = qrBase.decode(u.slice(DEVICE_LINK_QR_PREFIX.length))
    else throw new DeviceLinkError('ERR_LINK_INVALID', 'not a device-link invitation (https://berty.tech/id#device-link/… or BERTY://DL/…)')
  } catch (err) {
    if (err instanceof DeviceLinkError) throw err
    throw new DeviceLinkError('ERR_LINK_INVALID', 'the link does not decode', { cause: err })
  }
  let inv: DeviceLinkInvitation
  try {
    inv = decodeWesh(DeviceLinkInvitation, bytes, { maxBytes: 4096 })
  } catch (err) {
    throw new DeviceLinkError('ERR_LINK_INVALID', 'the link is not a device-link invitation', { cause: err })
  }
  if (inv.version !== DEVICE_LINK_VERSION) throw new DeviceLinkError('ERR_LINK_INVALID', `invitation version ${inv.version} is not supported`)
  if (inv.ephemeralPk.length !== 32) throw new DeviceLinkError('ERR_LINK_INVALID', 'invitation key must be 32 bytes')
  if (inv.peerId.length === 0 || inv.peerId.length > MAX_PEER_ID_BYTES) throw new DeviceLinkError('ERR_LINK_INVALID', 'invitation peer id is malformed')
  if (inv.addrs.length > MAX_ADDRS || inv.addrs.some((a) => a.length > MAX_ADDR_BYTES)) throw new DeviceLinkError('ERR_LINK_INVALID', 'too many or too long addresses')
  const expiresAt = Number(inv.expiresAt) * 1000
  if (!Number.isSafeInteger(expiresAt) || expiresAt <= 0) throw new DeviceLinkError('ERR_LINK_INVALID', 'invitation expiry is malformed')
  return { peerId: inv.peerId, ephemeralPk: inv.ephemeralPk, expiresAt, addrs: inv.addrs, challenge: challengeFromWire(inv.challenge) }
}
