/**
 * Contact and group share links as Berty Messenger makes and opens them (berty/berty
 * `go/pkg/bertylinks`), over the byte-exact codec in ./wire. This layer checks what the Go side leaves
 * to its callers: keys are 32 bytes, signatures 64, groups are multi-member (spec "Joining a Group";
 * PROTOCOL.md "Share links").
 *
 * Accepted: `https://berty.tech/id#contact/…`, `…#group/…` (with or without `/name=…`), and the internal
 * form `BERTY://PB/…`, which is also the `berty://pb/…` deep link (prefix case-insensitive). Refused with a
 * typed `BertyLinkError`: everything else, including passphrase-protected links (`ERR_LINK_ENCRYPTED`, not
 * supported yet) and message references.
 */
import { BertyLink, GroupType } from '../proto/berty-link'
import { BertyLinkError } from './errors'
import { marshalBertyLink, unmarshalBertyLink } from './wire'

export interface BertyContactLink {
  accountPk: Uint8Array
  publicRendezvousSeed: Uint8Array
  displayName?: string
}

export interface BertyGroupLink {
  publicKey: Uint8Array
  secret: Uint8Array
  secretSig: Uint8Array
  signPub?: Uint8Array
  linkKey?: Uint8Array
  linkKeySig?: Uint8Array
  /** weshnet `GroupType`; always `GroupTypeMultiMember` (3) for a shareable group. */
  groupType: number
}

export interface ParsedBertyLink {
  kind: 'contact' | 'group'
  name?: string
  contact?: BertyContactLink
  group?: BertyGroupLink
}

export type BertyLinkForm = 'web' | 'internal'

const KEY = 32
const SIG = 64
/** weshnet `GroupType.GroupTypeMultiMember` on the wire. */
export const GROUP_TYPE_MULTI_MEMBER = 3

/** Parses any Berty share link; throws `BertyLinkError` for anything that is not a usable contact or group. */
export function parseBertyLink(url: string): ParsedBertyLink {
  const link = unmarshalBertyLink(url)
  switch (link.kind) {
    case BertyLink.Kind.ContactInviteV1Kind:
      return fromContact(link)
    case BertyLink.Kind.GroupV1Kind:
      return fromGroup(link)
    case BertyLink.Kind.EncryptedV1Kind:
      throw new BertyLinkError('ERR_LINK_ENCRYPTED', 'passphrase-protected links are not supported yet')
    case BertyLink.Kind.MessageV1Kind:
      throw new BertyLinkError('ERR_LINK_KIND', 'message links are not supported')
    default:
      throw new BertyLinkError('ERR_LINK_KIND', 'unknown link kind')
  }
}

/** The URL Berty's `MarshalLink` would produce for `link`: `web` (berty.tech) or `internal` (QR code). */
export function formatBertyLink(link: ParsedBertyLink, form: BertyLinkForm): string {
  if (form !== 'web' && form !== 'internal') throw new BertyLinkError('ERR_LINK_FORMAT', 'form must be web or internal')
  const urls = marshalBertyLink(toProto(link))
  return urls[form]
}

function fromContact(link: BertyLink): ParsedBertyLink {
  const id = link.bertyId
  if (id == null) throw new BertyLinkError('ERR_LINK_FIELD', 'contact link without berty_id')
  const contact: BertyContactLink = {
    accountPk: exact(id.accountPk, KEY, 'account_pk'),
    publicRendezvousSeed: exact(id.publicRendezvousSeed, KEY, 'public_rendezvous_seed')
  }
  const out: ParsedBertyLink = { kind: 'contact', contact }
  if (id.displayName !== '') {
    contact.displayName = id.displayName
    out.name = id.displayName
  }
  return out
}

function fromGroup(link: BertyLink): ParsedBertyLink {
  const g = link.bertyGroup?.group
  if (g == null) throw new BertyLinkError('ERR_LINK_FIELD', 'group link without group')
  if (g.groupType !== GroupType.GroupTypeMultiMember) {
    throw new BertyLinkError('ERR_LINK_KIND', 'only multi-member groups can be joined from a link')
  }
  const group: BertyGroupLink = {
    publicKey: exact(g.publicKey, KEY, 'group public_key'),
    secret: exact(g.secret, KEY, 'group secret'),
    secretSig: exact(g.secretSig, SIG, 'group secret_sig'),
    groupType: GROUP_TYPE_MULTI_MEMBER
  }
  const signPub = optional(g.signPub, KEY, 'group sign_pub')
  if (signPub !== undefined) group.signPub = signPub
  const linkKey = optional(g.linkKey, KEY, 'group link_key')
  if (linkKey !== undefined) group.linkKey = linkKey
  const linkKeySig = optional(g.linkKeySig, SIG, 'group link_key_sig')
  if (linkKeySig !== undefined) group.linkKeySig = linkKeySig
  const out: ParsedBertyLink = { kind: 'group', group }
  const name = link.bertyGroup?.displayName ?? ''
  if (name !== '') out.name = name
  return out
}

function toProto(link: ParsedBertyLink): BertyLink {
  if (link == null || typeof link !== 'object') throw new BertyLinkError('ERR_LINK_FIELD', 'link must be an object')
  const none = new Uint8Array(0)
  if (link.kind === 'contact') {
    const c = link.contact
    if (c == null) throw new BertyLinkError('ERR_LINK_FIELD', 'contact link without contact')
    return {
      kind: BertyLink.Kind.ContactInviteV1Kind,
      bertyId: {
        accountPk: exact(c.accountPk, KEY, 'accountPk'),
        publicRendezvousSeed: exact(c.publicRendezvousSeed, KEY, 'publicRendezvousSeed'),
        displayName: name(link.name ?? c.displayName)
      }
    }
  }
  if (link.kind === 'group') {
    const g = link.group
    if (g == null) throw new BertyLinkError('ERR_LINK_FIELD', 'group link without group')
    if (g.groupType !== GROUP_TYPE_MULTI_MEMBER) {
      throw new BertyLinkError('ERR_LINK_KIND', 'only multi-member groups can be shared')
    }
    return {
      kind: BertyLink.Kind.GroupV1Kind,
      bertyGroup: {
        displayName: name(link.name),
        group: {
          publicKey: exact(g.publicKey, KEY, 'publicKey'),
          secret: exact(g.secret, KEY, 'secret'),
          secretSig: exact(g.secretSig, SIG, 'secretSig'),
          groupType: GroupType.GroupTypeMultiMember,
          signPub: optional(g.signPub, KEY, 'signPub') ?? none,
          linkKey: optional(g.linkKey, KEY, 'linkKey') ?? none,
          linkKeySig: optional(g.linkKeySig, SIG, 'linkKeySig') ?? none
        }
      }
    }
  }
  throw new BertyLinkError('ERR_LINK_KIND', 'kind must be contact or group')
}

function exact(bytes: Uint8Array | undefined, length: number, field: string): Uint8Array {
  if (!(bytes instanceof Uint8Array) || bytes.length !== length) {
    throw new BertyLinkError('ERR_LINK_FIELD', `${field} must be ${length} bytes`)
  }
  return bytes.slice()
}

/** Absent and empty are the same on the wire (proto3). */
function optional(bytes: Uint8Array | undefined, length: number, field: string): Uint8Array | undefined {
  if (bytes === undefined || (bytes instanceof Uint8Array && bytes.length === 0)) return undefined
  return exact(bytes, length, field)
}

function name(value: string | undefined): string {
  if (value === undefined) return ''
  if (typeof value !== 'string') throw new BertyLinkError('ERR_LINK_FIELD', 'name must be a string')
  return value
}
