/**
 * Multi-member group share links (spec "Joining a Group"; PROTOCOL.md "Share links").
 *
 * `berty://group#<base64url(GroupInvitation)>`, also accepted as `https://berty.tech/id#group/<same>`.
 * The payload rides in the fragment so a web server never sees it, and carries only what the spec lists:
 * Group ID, Group Secret, Group Secret Sig and the link key sig (the link key itself is derived from the
 * secret) — no group name, no peer addresses.
 *
 * Claims: a decoded invitation's secret and link key are signed by the Group ID key.
 * Disclaims: anyone holding the link can join, any number of times, forever (spec "Invitation
 * expiration"); the link is as sensitive as the group itself.
 */
import { GroupInvitation } from '../proto/group'
import { base64urlDecode, base64urlEncode, buf, decodeCanonical, encode, copy } from './codec'
import { GroupProtocolError, InvitationError } from './errors'
import { groupFromInvitation, wipeGroupSecrets, type GroupSecrets, type InvitationKeys } from './keys'

export const INVITATION_VERSION = 1
export const MAX_INVITATION_URL_LENGTH = 2048
export const GROUP_INVITATION_PREFIX = 'berty://group#'
export const GROUP_INVITATION_WEB_PREFIX = 'https://berty.tech/id#group/'
// version(2) + 2×(2+32) + 2×(2+64) = 202 bytes; a little slack is still far under the URL cap.
const MAX_PAYLOAD_BYTES = 256

export interface DecodedGroupInvitation extends InvitationKeys {
  version: number
  linkKeySig: Uint8Array
}

/** Builds the share URL of a multi-member group; other kinds have no invitation (ERR_WRONG_KIND). */
export function encodeGroupInvitation(secrets: GroupSecrets): string {
  if (secrets.kind !== 'multi' || secrets.secretSig === undefined || secrets.linkKeySig === undefined) {
    throw new GroupProtocolError('ERR_WRONG_KIND', 'only multi-member groups with signed secrets have invitations')
  }
  const payload = encode(GroupInvitation.codec(), {
    version: INVITATION_VERSION,
    groupPk: buf(secrets.groupPk),
    secret: buf(secrets.secret),
    secretSig: buf(secrets.secretSig),
    linkKeySig: buf(secrets.linkKeySig)
  })
  const url = GROUP_INVITATION_PREFIX + base64urlEncode(payload)
  payload.fill(0)
  return url
}

/**
 * Parses and fully checks a share URL: prefix, length, alphabet, canonical protobuf, version, field
 * lengths and both signatures. Every problem → `InvitationError` with a message fit for the user.
 */
export function decodeGroupInvitation(url: string): DecodedGroupInvitation {
  if (typeof url !== 'string') throw new InvitationError('The invitation must be text.')
  if (url.length > MAX_INVITATION_URL_LENGTH) {
    throw new InvitationError(`The invitation is too long (over ${MAX_INVITATION_URL_LENGTH} characters).`)
  }
  const trimmed = url.trim()
  let encoded: string
  if (trimmed.startsWith(GROUP_INVITATION_PREFIX)) {
    encoded = trimmed.slice(GROUP_INVITATION_PREFIX.length)
  } else if (trimmed.startsWith(GROUP_INVITATION_WEB_PREFIX)) {
    encoded = trimmed.slice(GROUP_INVITATION_WEB_PREFIX.length)
  } else {
    throw new InvitationError('This is not a Berty group invitation link.')
  }
  const payload = base64urlDecode(encoded)
  if (payload === undefined || payload.length === 0) {
    throw new InvitationError('The invitation link is damaged (bad encoding).')
  }
  let inv: GroupInvitation
  try {
    inv = decodeCanonical(GroupInvitation.codec(), payload, MAX_PAYLOAD_BYTES, 'invitation')
  } catch (err) {
    throw new InvitationError('The invitation link is damaged (bad content).', { cause: err })
  }
  if (inv.version !== INVITATION_VERSION) {
    throw new InvitationError(`Unsupported invitation version ${inv.version}; update the app.`)
  }
  const decoded: DecodedGroupInvitation = {
    version: inv.version,
    groupPk: copy(inv.groupPk),
    secret: copy(inv.secret),
    secretSig: copy(inv.secretSig),
    linkKeySig: copy(inv.linkKeySig)
  }
  payload.fill(0)
  try {
    // Checks field lengths and both signatures; the derived secrets are not needed here.
    wipeGroupSecrets(groupFromInvitation(decoded))
  } catch (err) {
    decoded.secret.fill(0)
    const why = err instanceof GroupProtocolError && err.code === 'ERR_BAD_SIGNATURE'
      ? 'its signature does not match'
      : 'a field has the wrong size'
    throw new InvitationError(`The invitation link is invalid: ${why}.`, { cause: err })
  }
  return decoded
}

/** The QR code carries the same URL (the UI renders it); validated so a bad link is never shown. */
export function invitationPayloadForQr(url: string): string {
  decodeGroupInvitation(url).secret.fill(0)
  return url.trim()
}
