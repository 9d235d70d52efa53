/**
 * The two URL forms of berty/berty `go/pkg/bertylinks/links.go` (`MarshalLink`, `UnmarshalLink`), byte for
 * byte, over the raw `BertyLink` protobuf (core/protocol/proto/berty-link.proto):
 *
 * - web: `https://berty.tech/id#<kind>/<base58(machine)>[/<url.Values.Encode()>]`, where `machine` is the
 *   link without kind and display name (groups also drop `link_key`), and the name rides in `name=…`;
 * - internal (QR-friendly, also the `berty://` deep link): `BERTY://PB/<basex42(proto(link))>`, the whole link.
 *
 * Prefixes match case-insensitively, as Go does; the payload alphabets are case-sensitive. Base58 (Bitcoin
 * alphabet, mr-tron/base58) and the 42-character QR alphabet (eknkc/basex, itself a port of base-x) both
 * come from npm `base-x`.
 *
 * Claims: a link Go's `MarshalLink` produced decodes here to the same protobuf, and `marshalBertyLink`
 * produces Go's exact strings (tests/vectors/links-go.json). Every input is length-capped before decoding.
 * Disclaims: no field validation beyond Go's `IsValid` (that is `parseBertyLink`'s job); no decryption of
 * passphrase-protected links.
 */
import baseX from 'base-x'
import { assertProtoWellFormed, type ProtoShape } from '../proto-check'
import { BertyLink, GroupType } from '../proto/berty-link'
import { BertyLinkError } from './errors'

export const LINK_WEB_PREFIX = 'https://berty.tech/id#'
export const LINK_INTERNAL_PREFIX = 'BERTY://'
/** Longest URL accepted. A 32-byte-key group link is ~330 characters; this leaves room for long names. */
export const MAX_LINK_LENGTH = 8192

const base58 = baseX('123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz')
/** QR alphanumeric mode minus SP, %, + (links.go `qrBaseEncoder`). */
const qrBase = baseX('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789$*-.:/')

const WEB_KINDS = {
  [BertyLink.Kind.ContactInviteV1Kind]: 'contact',
  [BertyLink.Kind.GroupV1Kind]: 'group',
  [BertyLink.Kind.EncryptedV1Kind]: 'enc',
  [BertyLink.Kind.MessageV1Kind]: 'message'
} as const

/** Go's `(*BertyLink).IsValid` (berty/berty go/pkg/messengertypes/links.go). */
export function checkBertyLink(link: BertyLink): void {
  switch (link.kind) {
    case BertyLink.Kind.ContactInviteV1Kind:
      if (link.bertyId == null) throw new BertyLinkError('ERR_LINK_FIELD', 'contact link without berty_id')
      return
    case BertyLink.Kind.GroupV1Kind:
      if (link.bertyGroup == null) throw new BertyLinkError('ERR_LINK_FIELD', 'group link without berty_group')
      if (link.bertyGroup.group?.groupType !== GroupType.GroupTypeMultiMember) {
        throw new BertyLinkError('ERR_LINK_KIND', 'only multi-member groups can be shared')
      }
      return
    case BertyLink.Kind.EncryptedV1Kind:
      if (link.encrypted == null) throw new BertyLinkError('ERR_LINK_FIELD', 'encrypted link without payload')
      return
    case BertyLink.Kind.MessageV1Kind:
      if (link.bertyMessageRef == null) throw new BertyLinkError('ERR_LINK_FIELD', 'message link without reference')
      return
    default:
      throw new BertyLinkError('ERR_LINK_KIND', 'unknown link kind')
  }
}

/** `MarshalLink`: both URL forms of a link. */
export function marshalBertyLink(link: BertyLink): { internal: string; web: string } {
  checkBertyLink(link)
  const machine: BertyLink = { kind: BertyLink.Kind.UnknownKind }
  let name = ''
  switch (link.kind) {
    case BertyLink.Kind.ContactInviteV1Kind: {
      const id = link.bertyId as NonNullable<BertyLink['bertyId']>
      machine.bertyId = { publicRendezvousSeed: id.publicRendezvousSeed, accountPk: id.accountPk, displayName: '' }
      name = id.displayName
      break
    }
    case BertyLink.Kind.GroupV1Kind: {
      const g = link.bertyGroup as NonNullable<BertyLink['bertyGroup']>
      const group = g.group as NonNullable<typeof g.group>
      machine.bertyGroup = {
        displayName: '',
        group: { ...group, linkKey: new Uint8Array(0) }
      }
      name = g.displayName
      break
    }
    case BertyLink.Kind.EncryptedV1Kind: {
      const e = link.encrypted as NonNullable<BertyLink['encrypted']>
      const contact = e.kind === BertyLink.Kind.ContactInviteV1Kind
      const group = e.kind === BertyLink.Kind.GroupV1Kind
      const none = new Uint8Array(0)
      machine.encrypted = {
        kind: e.kind,
        nonce: e.nonce,
        checksum: e.checksum,
        displayName: '',
        contactPublicRendezvousSeed: contact ? e.contactPublicRendezvousSeed : none,
        contactAccountPk: contact ? e.contactAccountPk : none,
        groupPublicKey: group ? e.groupPublicKey : none,
        groupSecret: group ? e.groupSecret : none,
        groupSecretSig: group ? e.groupSecretSig : none,
        groupSignPub: group ? e.groupSignPub : none,
        groupType: group ? e.groupType : GroupType.GroupTypeUndefined,
        groupLinkKeySig: group ? e.groupLinkKeySig : none
      }
      name = e.displayName
      break
    }
    case BertyLink.Kind.MessageV1Kind:
      machine.bertyMessageRef = { ...(link.bertyMessageRef as NonNullable<BertyLink['bertyMessageRef']>) }
      break
  }
  let path = `${WEB_KINDS[link.kind as keyof typeof WEB_KINDS]}/${base58.encode(BertyLink.encode(machine))}`
  if (name !== '') path += `/name=${goQueryEscape(name)}`
  return {
    web: LINK_WEB_PREFIX + path,
    internal: `${LINK_INTERNAL_PREFIX}PB/${qrBase.encode(BertyLink.encode(link))}`
  }
}

/**
 * `UnmarshalLink(uri, nil)`: the protobuf a URL carries, kind and name merged from the web path as Go does.
 * Encrypted links come back still encrypted (as Go does without a passphrase).
 */
export function unmarshalBertyLink(uri: string): BertyLink {
  if (typeof uri !== 'string' || uri === '') throw new BertyLinkError('ERR_LINK_EMPTY', 'empty link')
  if (uri.length > MAX_LINK_LENGTH) {
    throw new BertyLinkError('ERR_LINK_TOO_LARGE', `link of ${uri.length} characters exceeds ${MAX_LINK_LENGTH}`)
  }
  const lower = uri.toLowerCase()
  if (lower.startsWith(LINK_INTERNAL_PREFIX.toLowerCase())) return unmarshalInternal(uri)
  if (lower.startsWith(LINK_WEB_PREFIX.toLowerCase())) return unmarshalWeb(uri)
  throw new BertyLinkError('ERR_LINK_FORMAT', 'not a Berty link')
}

function unmarshalInternal(uri: string): BertyLink {
  const parts = uri.slice(LINK_INTERNAL_PREFIX.length).split('/')
  if (parts.length < 2) throw new BertyLinkError('ERR_LINK_FORMAT', 'internal link needs at least 2 parts')
  if ((parts[0] as string).toLowerCase() !== 'pb') throw new BertyLinkError('ERR_LINK_FORMAT', 'unsupported internal link type')
  // '/' belongs to the QR alphabet: the payload is everything after "PB/".
  const bin = decodeWith(qrBase, parts.slice(1).join('/'))
  return decodeProto(bin)
}

function unmarshalWeb(uri: string): BertyLink {
  const hash = uri.indexOf('#')
  const fragment = uri.slice(hash + 1)
  if (fragment === '') throw new BertyLinkError('ERR_LINK_FORMAT', 'web link without fragment')
  const parts = fragment.split('/')
  if (parts.length < 2) throw new BertyLinkError('ERR_LINK_FORMAT', 'web link needs at least 2 parts')
  // mr-tron/base58 refuses an empty string (base-x would return no bytes).
  if (parts[1] === '') throw new BertyLinkError('ERR_LINK_ENCODING', 'web link without payload')
  const link = decodeProto(decodeWith(base58, parts[1] as string))
  const name = parts.length > 2 ? goParseQueryGet(parts.slice(2).join('/'), 'name') : ''
  switch (parts[0]) {
    case 'contact':
      link.kind = BertyLink.Kind.ContactInviteV1Kind
      link.bertyId ??= { publicRendezvousSeed: new Uint8Array(0), accountPk: new Uint8Array(0), displayName: '' }
      if (name !== '' && link.bertyId.displayName === '') link.bertyId.displayName = name
      break
    case 'group':
      link.kind = BertyLink.Kind.GroupV1Kind
      link.bertyGroup ??= { displayName: '' }
      if (name !== '' && link.bertyGroup.displayName === '') link.bertyGroup.displayName = name
      break
    case 'enc':
      link.kind = BertyLink.Kind.EncryptedV1Kind
      if (link.encrypted == null) throw new BertyLinkError('ERR_LINK_FIELD', 'encrypted link without payload')
      if (name !== '' && link.encrypted.displayName === '') link.encrypted.displayName = name
      break
    case 'message':
      link.kind = BertyLink.Kind.MessageV1Kind
      link.bertyMessageRef ??= { accountId: '', groupPk: '', messageId: '' }
      break
    default:
      throw new BertyLinkError('ERR_LINK_KIND', 'unknown web link kind')
  }
  return link
}

function decodeWith(codec: ReturnType<typeof baseX>, text: string): Uint8Array {
  try {
    return codec.decode(text)
  } catch (err) {
    throw new BertyLinkError('ERR_LINK_ENCODING', 'link payload is not in the expected alphabet', { cause: err })
  }
}

/** String and message fields of `BertyLink`, for the checks Go's decoder makes (../proto-check). */
const BERTY_LINK_SHAPE: ProtoShape = {
  2: { 3: 'string' },
  3: { 1: {}, 2: 'string' },
  4: { 3: 'string' },
  5: { 1: 'string', 2: 'string', 3: 'string' }
}

function decodeProto(bin: Uint8Array): BertyLink {
  try {
    assertProtoWellFormed(bin, BERTY_LINK_SHAPE)
    return BertyLink.decode(bin)
  } catch (err) {
    throw new BertyLinkError('ERR_LINK_PROTO', 'link payload is not a BertyLink', { cause: err })
  }
}

/**
 * Go `url.QueryEscape`: unreserved `A-Za-z0-9-_.~` stay, space becomes '+', every other byte of the UTF-8
 * form is `%XX` (upper case). `encodeURIComponent` leaves `!'()*` alone, so those are escaped by hand.
 */
export function goQueryEscape(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+')
}

/**
 * First value of `key` in Go `url.ParseQuery(query)`, failing where Go fails (bad escapes, ';' in a key).
 * The whole query is checked, as Go returns the first error even when `key` parsed fine.
 */
export function goParseQueryGet(query: string, key: string): string {
  let found: string | undefined
  for (const pair of query.split('&')) {
    if (pair === '') continue
    const eq = pair.indexOf('=')
    const rawKey = eq < 0 ? pair : pair.slice(0, eq)
    if (rawKey.includes(';')) throw new BertyLinkError('ERR_LINK_ENCODING', 'invalid semicolon separator in query')
    const k = goQueryUnescape(rawKey)
    const v = goQueryUnescape(eq < 0 ? '' : pair.slice(eq + 1))
    if (k === key && found === undefined) found = v
  }
  return found ?? ''
}

function goQueryUnescape(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '))
  } catch (err) {
    throw new BertyLinkError('ERR_LINK_ENCODING', 'invalid escape in link query', { cause: err })
  }
}
