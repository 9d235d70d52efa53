/**
 * Multi-member group share links (spec "Joining a Group"; PROTOCOL.md "Share links"), as Berty Messenger
 * makes and opens them (berty/berty `ShareableBertyGroup` → `bertylinks.MarshalLink`, core/protocol/links):
 *
 * - web: `https://berty.tech/id#group/<base58>/name=<group name>` — the link people copy and paste;
 * - QR / deep link: `BERTY://PB/<QR alphabet>` (`berty://pb/…` opens the app) — what the QR code carries.
 *
 * The group part is what weshnet's `GroupInfo` returns for a group made by `NewGroupMultiMember`: public
 * key, secret, secret sig, group type and link key sig. `signPub` and `linkKey` stay out, as in weshnet:
 * both follow from the secret (PROTOCOL.md "Group signing key", "Link key"), and a received one must match
 * that derivation. The name is a label the inviter chose; it is not signed.
 *
 * Transition: our earlier own form `berty://group#<base64url(GroupInvitation)>` is still accepted when
 * joining (never produced). Drop it once no such link can still be around (a release after this one);
 * its `https://berty.tech/id#group/<base64url>` twin is gone already, as bertylinks owns that prefix.
 *
 * Claims: a decoded invitation's secret (and link key, when signed) is signed by the Group ID key.
 * Disclaims: anyone holding the link can join, any number of times, forever (spec "Invitation
 * expiration"); the link is as sensitive as the group itself. Passphrase-protected links are refused.
 */
import { equalBytes } from '../../crypto'
import { nameProblem } from '../../names'
import { BertyLinkError, formatBertyLink, parseBertyLink, type ParsedBertyLink } from '../links'
import { GROUP_TYPE_MULTI_MEMBER } from '../links/berty-link'
import { GroupInvitation } from '../proto/group'
import { base64urlDecode, decodeCanonical, copy } from './codec'
import { GroupProtocolError, InvitationError } from './errors'
import { groupFromInvitation, wipeGroupSecrets, type GroupSecrets, type InvitationKeys } from './keys'

export const INVITATION_VERSION = 1
/** Same cap as the API's `url` params (MAX_URL_CHARS): a Go user's group name has no length limit. */
export const MAX_INVITATION_URL_LENGTH = 4096
/** Our earlier form, accepted for a transition (see the header). */
export const GROUP_INVITATION_PREFIX = 'berty://group#'
// version(2) + 2×(2+32) + 2×(2+64) = 202 bytes; a little slack is still far under the URL cap.
const MAX_PAYLOAD_BYTES = 256

export interface DecodedGroupInvitation extends InvitationKeys {
  /** The group name the link carries, when it is one a list may show (core/names.ts). */
  name?: string
}

export interface GroupShareLinks {
  /** `https://berty.tech/id#group/…`: to copy, paste and send. */
  url: string
  /** `BERTY://PB/…`: the same invitation in the QR code alphanumeric alphabet, for the QR code. */
  qr: string
}

/** What a share link is, without joining anything (API `link:inspect`). Keys are raw bytes. */
export interface ShareLinkSummary {
  kind: 'contact' | 'group'
  name?: string
  accountPk?: Uint8Array
  groupPk?: Uint8Array
}

/** Both forms of a multi-member group's share link; other kinds have none (ERR_WRONG_KIND). */
export function groupShareLinks(secrets: GroupSecrets, name?: string): GroupShareLinks {
  if (secrets.kind !== 'multi' || secrets.secretSig === undefined || secrets.linkKeySig === undefined) {
    throw new GroupProtocolError('ERR_WRONG_KIND', 'only multi-member groups with signed secrets have invitations')
  }
  const link: ParsedBertyLink = {
    kind: 'group',
    group: {
      publicKey: secrets.groupPk,
      secret: secrets.secret,
      secretSig: secrets.secretSig,
      linkKeySig: secrets.linkKeySig,
      groupType: GROUP_TYPE_MULTI_MEMBER
    }
  }
  if (name !== undefined && name !== '') link.name = name
  return { url: formatBertyLink(link, 'web'), qr: formatBertyLink(link, 'internal') }
}

/**
 * Parses and fully checks a group share link in any form (web, QR, deep link, our earlier form):
 * length, encoding, field lengths, signPub/linkKey consistency and both signatures. Every problem →
 * `InvitationError` with a message fit for the user.
 */
export function decodeGroupInvitation(url: string): DecodedGroupInvitation {
  const trimmed = checkText(url)
  if (trimmed.toLowerCase().startsWith(GROUP_INVITATION_PREFIX)) return verified(decodeLegacy(trimmed))
  return groupOf(parseLink(trimmed))
}

/** Kind, name and public key of any contact or group share link; a group link is fully verified. */
export function inspectShareLink(url: string): ShareLinkSummary {
  const trimmed = checkText(url)
  const link = trimmed.toLowerCase().startsWith(GROUP_INVITATION_PREFIX) ? undefined : parseLink(trimmed)
  if (link?.kind === 'contact' && link.contact !== undefined) {
    const out: ShareLinkSummary = { kind: 'contact', accountPk: link.contact.accountPk }
    const name = usableName(link.name)
    if (name !== undefined) out.name = name
    return out
  }
  const inv = link === undefined ? verified(decodeLegacy(trimmed)) : groupOf(link)
  inv.secret.fill(0)
  return { kind: 'group', groupPk: inv.groupPk, ...(inv.name !== undefined ? { name: inv.name } : {}) }
}

function groupOf(link: ParsedBertyLink): DecodedGroupInvitation {
  if (link.kind === 'contact') throw new InvitationError('This is a contact link, not a group invitation.')
  const g = link.group
  if (g === undefined) throw new InvitationError('This is not a Berty group invitation link.')
  const keys: DecodedGroupInvitation = { groupPk: g.publicKey, secret: g.secret, secretSig: g.secretSig }
  if (g.linkKeySig !== undefined) keys.linkKeySig = g.linkKeySig
  const name = usableName(link.name)
  if (name !== undefined) keys.name = name
  return verified(keys, { ...(g.signPub ? { signPub: g.signPub } : {}), ...(g.linkKey ? { linkKey: g.linkKey } : {}) })
}

function checkText(url: string): string {
  if (typeof url !== 'string') throw new InvitationError('The invitation must be text.')
  if (url.length > MAX_INVITATION_URL_LENGTH) {
    throw new InvitationError(`The invitation is too long (over ${MAX_INVITATION_URL_LENGTH} characters).`)
  }
  return url.trim()
}

function parseLink(url: string): ParsedBertyLink {
  try {
    return parseBertyLink(url)
  } catch (err) {
    if (!(err instanceof BertyLinkError)) throw err
    switch (err.code) {
      case 'ERR_LINK_ENCRYPTED':
        throw new InvitationError('Passphrase-protected invitations are not supported yet.', { cause: err })
      case 'ERR_LINK_EMPTY':
      case 'ERR_LINK_FORMAT':
        throw new InvitationError('This is not a Berty invitation link.', { cause: err })
      case 'ERR_LINK_KIND':
        throw new InvitationError(`This Berty link cannot be opened here: ${err.message}.`, { cause: err })
      default:
        throw new InvitationError(`The invitation link is damaged (${err.message}).`, { cause: err })
    }
  }
}

function decodeLegacy(url: string): DecodedGroupInvitation {
  const payload = base64urlDecode(url.slice(GROUP_INVITATION_PREFIX.length))
  if (payload === undefined || payload.length === 0) {
    throw new InvitationError('The invitation link is damaged (bad encoding).')
  }
  let inv: GroupInvitation
  try {
    inv = decodeCanonical(GroupInvitation.codec(), payload, MAX_PAYLOAD_BYTES, 'invitation')
  } catch (err) {
    payload.fill(0)
    throw new InvitationError('The invitation link is damaged (bad content).', { cause: err })
  }
  // The decoded fields may be views of `payload`: copy before wiping it.
  const keys = { groupPk: copy(inv.groupPk), secret: copy(inv.secret), secretSig: copy(inv.secretSig), linkKeySig: copy(inv.linkKeySig) }
  payload.fill(0)
  if (inv.version !== INVITATION_VERSION) {
    keys.secret.fill(0)
    throw new InvitationError(`Unsupported invitation version ${inv.version}; update the app.`)
  }
  return keys
}

/**
 * Checks field lengths and both signatures (the derived secrets are not kept), and that a carried
 * signPub / linkKey is the one the secret gives: weshnet would use a carried one as is, so a link
 * whose keys disagree would split the group between Go and us.
 */
function verified(keys: DecodedGroupInvitation, carried: { signPub?: Uint8Array; linkKey?: Uint8Array } = {}): DecodedGroupInvitation {
  let why: string | undefined
  try {
    const secrets = groupFromInvitation(keys)
    if (carried.signPub !== undefined && !equalBytes(carried.signPub, secrets.signPub)) why = 'its signing key does not match its secret'
    if (carried.linkKey !== undefined && !equalBytes(carried.linkKey, secrets.linkKey)) why = 'its link key does not match its secret'
    wipeGroupSecrets(secrets)
  } catch (err) {
    keys.secret.fill(0)
    why = err instanceof GroupProtocolError && err.code === 'ERR_BAD_SIGNATURE' ? 'its signature does not match' : 'a field has the wrong size'
    throw new InvitationError(`The invitation link is invalid: ${why}.`, { cause: err })
  }
  if (why !== undefined) {
    keys.secret.fill(0)
    throw new InvitationError(`The invitation link is invalid: ${why}.`)
  }
  return keys
}

function usableName(name: string | undefined): string | undefined {
  if (name === undefined) return undefined
  const trimmed = name.trim()
  return trimmed !== '' && nameProblem(trimmed) === undefined ? trimmed : undefined
}
