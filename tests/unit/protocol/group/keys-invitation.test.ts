import { describe, expect, it } from 'vitest'
import {
  accountGroupKeys,
  contactGroupKeys,
  ed25519PublicFromSeed,
  ed25519Sign,
  ed25519Verify,
  groupLinkKey,
  groupSigningKey
} from '../../../../core/crypto'
import {
  accountGroup,
  contactGroup,
  createMultiMemberGroup,
  decodeGroupInvitation,
  groupFromInvitation,
  groupShareLinks,
  GROUP_INVITATION_PREFIX,
  InvitationError,
  inspectShareLink,
  MAX_INVITATION_URL_LENGTH,
  ownMemberKey,
  replicaKeysOf,
  verifyReplicaKeys
} from '../../../../core/protocol/group'
import { base64urlDecode, base64urlEncode } from '../../../../core/protocol/group/codec'
import { formatBertyLink, marshalBertyLink, unmarshalBertyLink, type BertyGroupLink } from '../../../../core/protocol/links'
import { BertyLink, GroupType } from '../../../../core/protocol/proto/berty-link'
import { GroupInvitation } from '../../../../core/protocol/proto/group'
import type { GroupSecrets } from '../../../../core/protocol/group'
import goLinks from '../../../vectors/links-go.json'
import { expectGroupError, flipByte, newAccount } from './helpers'

function expectInvalid(url: string): InvitationError {
  let thrown: unknown
  try {
    decodeGroupInvitation(url)
  } catch (err) {
    thrown = err
  }
  expect(thrown).toBeInstanceOf(InvitationError)
  const e = thrown as InvitationError
  expect(e.name).toBe('InvitationError')
  expect(e.code).toBe('ERR_INVALID_INVITATION')
  expect(e.message.length).toBeGreaterThan(10)
  return e
}

/** Our earlier `berty://group#<base64url(GroupInvitation)>` form, which nothing produces any more. */
function legacyLink(secrets: GroupSecrets): string {
  const inv = GroupInvitation.encode({
    version: 1,
    groupPk: secrets.groupPk as Uint8Array<ArrayBuffer>,
    secret: secrets.secret as Uint8Array<ArrayBuffer>,
    secretSig: secrets.secretSig as Uint8Array<ArrayBuffer>,
    linkKeySig: secrets.linkKeySig as Uint8Array<ArrayBuffer>
  })
  return GROUP_INVITATION_PREFIX + base64urlEncode(inv)
}

/** A well-formed passphrase-protected group link (fields as bertylinks' EncryptLink fills them). */
function encryptedFixture(): NonNullable<BertyLink['encrypted']> {
  const b = (n: number): Uint8Array<ArrayBuffer> => new Uint8Array(n).fill(7)
  return {
    kind: BertyLink.Kind.GroupV1Kind,
    nonce: b(24),
    checksum: b(8),
    displayName: 'secret club',
    contactPublicRendezvousSeed: b(0),
    contactAccountPk: b(0),
    groupPublicKey: b(32),
    groupSecret: b(32),
    groupSecretSig: b(64),
    groupSignPub: b(0),
    groupType: GroupType.GroupTypeMultiMember,
    groupLinkKeySig: b(0)
  }
}

function reencode(url: string, edit: (inv: GroupInvitation) => void): string {
  const payload = base64urlDecode(url.slice(GROUP_INVITATION_PREFIX.length))
  if (payload === undefined) throw new Error('bad fixture')
  const inv = GroupInvitation.decode(payload)
  edit(inv)
  return GROUP_INVITATION_PREFIX + base64urlEncode(GroupInvitation.encode(inv))
}

describe('group keys', () => {
  it('multi-member group: signed secret and link key, derived signing key', () => {
    const { secrets, groupSeed } = createMultiMemberGroup()
    expect(secrets.kind).toBe('multi')
    expect(ed25519PublicFromSeed(groupSeed)).toEqual(secrets.groupPk)
    expect(ed25519Verify(secrets.groupPk, secrets.secret, secrets.secretSig as Uint8Array)).toBe(true)
    expect(secrets.linkKey).toEqual(groupLinkKey(secrets.secret, secrets.groupPk))
    expect(ed25519Verify(secrets.groupPk, secrets.linkKey, secrets.linkKeySig as Uint8Array)).toBe(true)
    expect(secrets.signPub).toEqual(groupSigningKey(secrets.secret).signPub)
  })

  it('account group: groupPK = accountPK, secret = account-proof seed', () => {
    const a = newAccount()
    const g = accountGroup(a.accountSeed, a.aliasSeed)
    const ref = accountGroupKeys(a.accountPk, a.aliasSeed)
    expect(g.kind).toBe('account')
    expect(g.groupPk).toEqual(ref.groupPk)
    expect(g.secret).toEqual(ref.groupSecret)
    expect(g.secretSig).toBeUndefined()
  })

  it('contact group: both sides derive the same keys', () => {
    const a = newAccount()
    const b = newAccount()
    const ga = contactGroup(a.accountSeed, b.accountPk)
    const gb = contactGroup(b.accountSeed, a.accountPk)
    expect(ga.groupPk).toEqual(gb.groupPk)
    expect(ga.secret).toEqual(gb.secret)
    expect(ga.linkKey).toEqual(gb.linkKey)
    expect(ga.groupPk).toEqual(contactGroupKeys(a.accountSeed, b.accountPk).groupPk)
    expect(ga.linkKeySig).toBeUndefined()
  })

  it('own member key: derived for multi groups, the account for the others', () => {
    const a = newAccount()
    const { secrets } = createMultiMemberGroup()
    const m1 = ownMemberKey(secrets, { accountSeed: a.accountSeed, accountProofSeed: a.aliasSeed })
    const m2 = ownMemberKey(secrets, { accountSeed: a.accountSeed, accountProofSeed: a.aliasSeed })
    expect(m1.memberPk).toEqual(m2.memberPk)
    expect(m1.memberPk).not.toEqual(a.accountPk)
    const acc = accountGroup(a.accountSeed, a.aliasSeed)
    expect(ownMemberKey(acc, { accountSeed: a.accountSeed, accountProofSeed: a.aliasSeed }).memberPk).toEqual(a.accountPk)
  })

  it('replica keys carry no secret and verify; a forged link key does not', () => {
    const { secrets } = createMultiMemberGroup()
    const r = replicaKeysOf(secrets)
    expect(Object.keys(r).sort()).toEqual(['groupPk', 'linkKey', 'linkKeySig', 'signPub'])
    expect(verifyReplicaKeys(r)).toBe(true)
    expect(verifyReplicaKeys({ ...r, linkKey: flipByte(r.linkKey, 0) })).toBe(false)
    expect(verifyReplicaKeys({ ...r, linkKeySig: new Uint8Array(3) })).toBe(false)
    expect(verifyReplicaKeys({ ...r, groupPk: new Uint8Array(31) })).toBe(false)
    const contact = replicaKeysOf(contactGroup(newAccount().accountSeed, newAccount().accountPk))
    expect(verifyReplicaKeys(contact)).toBe(true)
  })

  it('groupFromInvitation checks both signatures', () => {
    const { secrets, groupSeed } = createMultiMemberGroup()
    const inv = {
      groupPk: secrets.groupPk,
      secret: secrets.secret,
      secretSig: secrets.secretSig as Uint8Array,
      linkKeySig: secrets.linkKeySig as Uint8Array
    }
    const joined = groupFromInvitation(inv)
    expect(joined.secret).toEqual(secrets.secret)
    expect(joined.linkKey).toEqual(secrets.linkKey)
    expect(joined.signPub).toEqual(secrets.signPub)
    expectGroupError(() => groupFromInvitation({ ...inv, secret: flipByte(inv.secret, 0) }), 'ERR_BAD_SIGNATURE')
    expectGroupError(() => groupFromInvitation({ ...inv, secretSig: flipByte(inv.secretSig, 5) }), 'ERR_BAD_SIGNATURE')
    expectGroupError(() => groupFromInvitation({ ...inv, linkKeySig: ed25519Sign(groupSeed, new Uint8Array(32)) }), 'ERR_BAD_SIGNATURE')
    expectGroupError(() => groupFromInvitation({ ...inv, groupPk: new Uint8Array(16) }), 'ERR_MALFORMED')
    const { linkKeySig: _omit, ...withoutLinkSig } = inv
    expect(groupFromInvitation(withoutLinkSig).linkKeySig).toBeUndefined()
  })
})

describe('group share links (bertylinks forms)', () => {
  it('builds the web link and the QR form, both of which join the same group', () => {
    const { secrets } = createMultiMemberGroup()
    const { url, qr } = groupShareLinks(secrets, 'Friends & co')
    expect(url).toMatch(/^https:\/\/berty\.tech\/id#group\/[1-9A-HJ-NP-Za-km-z]+\/name=Friends\+%26\+co$/)
    expect(qr).toMatch(/^BERTY:\/\/PB\/[A-Z0-9$*\-.:/]+$/)
    const deep = 'berty://pb/' + qr.slice('BERTY://PB/'.length)
    for (const form of [url, qr, deep, `  ${url}\n`]) {
      const inv = decodeGroupInvitation(form)
      expect(inv.groupPk).toEqual(secrets.groupPk)
      expect(inv.secret).toEqual(secrets.secret)
      expect(inv.secretSig).toEqual(secrets.secretSig)
      expect(inv.linkKeySig).toEqual(secrets.linkKeySig)
      expect(inv.name).toBe('Friends & co')
      expect(groupFromInvitation(inv).linkKey).toEqual(secrets.linkKey)
    }
  })

  it('carries what weshnet NewGroupMultiMember puts in a Group: no signPub, no linkKey', () => {
    const { secrets } = createMultiMemberGroup()
    const g = unmarshalBertyLink(groupShareLinks(secrets).qr).bertyGroup?.group
    expect(g?.publicKey).toEqual(secrets.groupPk)
    expect(g?.groupType).toBe(GroupType.GroupTypeMultiMember)
    expect(g?.signPub.length).toBe(0)
    expect(g?.linkKey.length).toBe(0)
    expect(g?.linkKeySig).toEqual(secrets.linkKeySig)
  })

  it('omits the name when there is none', () => {
    const { url } = groupShareLinks(createMultiMemberGroup().secrets)
    expect(url).not.toContain('/name=')
    expect(decodeGroupInvitation(url).name).toBeUndefined()
  })

  it('refuses to build a link for a contact or account group', () => {
    const a = newAccount()
    expectGroupError(() => groupShareLinks(contactGroup(a.accountSeed, newAccount().accountPk)), 'ERR_WRONG_KIND')
    expectGroupError(() => groupShareLinks(accountGroup(a.accountSeed, a.aliasSeed)), 'ERR_WRONG_KIND')
  })

  it('accepts a link without linkKeySig, and carried signPub / linkKey only when they match the secret', () => {
    const { secrets } = createMultiMemberGroup()
    const base = { publicKey: secrets.groupPk, secret: secrets.secret, secretSig: secrets.secretSig as Uint8Array, groupType: 3 }
    const make = (g: Partial<BertyGroupLink>): string => formatBertyLink({ kind: 'group', group: { ...base, ...g } }, 'internal')
    expect(decodeGroupInvitation(make({})).linkKeySig).toBeUndefined()
    expect(decodeGroupInvitation(make({ signPub: secrets.signPub, linkKey: secrets.linkKey })).groupPk).toEqual(secrets.groupPk)
    expect(expectInvalid(make({ signPub: createMultiMemberGroup().secrets.signPub })).message).toMatch(/signing key/)
    expect(expectInvalid(make({ linkKey: createMultiMemberGroup().secrets.linkKey })).message).toMatch(/link key/)
  })

  it('rejects a tampered secret, secretSig or linkKeySig', () => {
    const { secrets } = createMultiMemberGroup()
    const base = { publicKey: secrets.groupPk, secret: secrets.secret, secretSig: secrets.secretSig as Uint8Array, linkKeySig: secrets.linkKeySig as Uint8Array, groupType: 3 }
    const make = (g: Partial<BertyGroupLink>): string => formatBertyLink({ kind: 'group', group: { ...base, ...g } }, 'web')
    expect(expectInvalid(make({ secretSig: flipByte(base.secretSig, 0) })).message).toMatch(/signature/)
    expectInvalid(make({ secret: flipByte(base.secret, 31) }))
    expect(expectInvalid(make({ linkKeySig: flipByte(base.linkKeySig, 63) })).message).toMatch(/signature/)
    expectInvalid(make({ publicKey: createMultiMemberGroup().secrets.groupPk }))
  })

  it('tells a contact link and a passphrase-protected link apart from garbage', () => {
    const contact = formatBertyLink({ kind: 'contact', contact: { accountPk: newAccount().accountPk, publicRendezvousSeed: new Uint8Array(32).fill(1) } }, 'web')
    expect(expectInvalid(contact).message).toMatch(/contact link/)
    const enc = marshalBertyLink({ kind: BertyLink.Kind.EncryptedV1Kind, encrypted: encryptedFixture() }).web
    expect(expectInvalid(enc).message).toMatch(/not supported yet/)
  })

  it('opens the group links berty/berty produced (tests/vectors/links-go.json), signatures verified', () => {
    // `berty groupinit` output copied from berty/berty go/pkg/bertylinks/links_test.go (README of the vectors).
    const web = `https://berty.tech/id#group/${goLinks.blobs.validGroupBlob}/name=random-group-34191`
    const qr = `BERTY://PB/${goLinks.blobs.validGroupInternalBlob}`
    const fromWeb = decodeGroupInvitation(web)
    expect(fromWeb.linkKeySig?.length).toBe(64)
    expect(fromWeb.name).toBe('random-group-34191')
    expect(inspectShareLink(web)).toEqual({ kind: 'group', groupPk: fromWeb.groupPk, name: 'random-group-34191' })
    const fromQr = decodeGroupInvitation(qr)
    expect(fromQr.linkKeySig).toBeUndefined()
    expect(fromQr.name).toBe('random-group-34191')
    expect(inspectShareLink('berty://pb/' + goLinks.blobs.validGroupInternalBlob).kind).toBe('group')
  })

  it('inspects contact and group links without joining', () => {
    const { secrets } = createMultiMemberGroup()
    const { url, qr } = groupShareLinks(secrets, 'club')
    expect(inspectShareLink(qr)).toEqual({ kind: 'group', groupPk: secrets.groupPk, name: 'club' })
    expect(inspectShareLink(url)).toEqual({ kind: 'group', groupPk: secrets.groupPk, name: 'club' })
    const accountPk = newAccount().accountPk
    const contact = formatBertyLink({ kind: 'contact', name: 'bob', contact: { accountPk, publicRendezvousSeed: new Uint8Array(32).fill(1) } }, 'internal')
    expect(inspectShareLink(contact)).toEqual({ kind: 'contact', accountPk, name: 'bob' })
    // A name a list must not show (bidi override) is left out, the link still opens.
    const spoof = groupShareLinks(secrets, 'a\u202Eb').url
    expect(inspectShareLink(spoof)).toEqual({ kind: 'group', groupPk: secrets.groupPk })
  })
})

describe('our earlier berty://group# form (accepted for a transition)', () => {
  it('still joins, case-insensitive prefix', () => {
    const { secrets } = createMultiMemberGroup()
    const url = legacyLink(secrets)
    const inv = decodeGroupInvitation(url)
    expect(inv.groupPk).toEqual(secrets.groupPk)
    expect(inv.secret).toEqual(secrets.secret)
    expect(inv.linkKeySig).toEqual(secrets.linkKeySig)
    expect(inv.name).toBeUndefined()
    expect(decodeGroupInvitation(url.replace('berty://group', 'BERTY://Group')).groupPk).toEqual(secrets.groupPk)
    expect(inspectShareLink(url)).toEqual({ kind: 'group', groupPk: secrets.groupPk })
  })

  it('rejects a tampered secret, secretSig or linkKeySig', () => {
    const url = legacyLink(createMultiMemberGroup().secrets)
    expect(expectInvalid(reencode(url, (i) => { i.secretSig = flipByte(i.secretSig, 0) as Uint8Array<ArrayBuffer> })).message)
      .toMatch(/signature/)
    expectInvalid(reencode(url, (i) => { i.secret = flipByte(i.secret, 31) as Uint8Array<ArrayBuffer> }))
    expectInvalid(reencode(url, (i) => { i.linkKeySig = flipByte(i.linkKeySig, 63) as Uint8Array<ArrayBuffer> }))
    expectInvalid(reencode(url, (i) => { i.groupPk = createMultiMemberGroup().secrets.groupPk as Uint8Array<ArrayBuffer> }))
  })

  it('rejects wrong versions, missing and mis-sized fields', () => {
    const url = legacyLink(createMultiMemberGroup().secrets)
    expect(expectInvalid(reencode(url, (i) => { i.version = 2 })).message).toMatch(/version/)
    expectInvalid(reencode(url, (i) => { i.version = 0 }))
    expectInvalid(reencode(url, (i) => { i.linkKeySig = new Uint8Array(0) }))
    expectInvalid(reencode(url, (i) => { i.secret = new Uint8Array(33) }))
  })

  it('rejects unknown fields and non-canonical encodings', () => {
    const url = legacyLink(createMultiMemberGroup().secrets)
    const payload = base64urlDecode(url.slice(GROUP_INVITATION_PREFIX.length)) as Uint8Array
    // Field 9 (varint) appended: a name or address smuggled in.
    const extra = new Uint8Array([...payload, 0x48, 0x01])
    expectInvalid(GROUP_INVITATION_PREFIX + base64urlEncode(extra))
    // Same field twice.
    const dup = new Uint8Array([...payload, 0x08, 0x01])
    expectInvalid(GROUP_INVITATION_PREFIX + base64urlEncode(dup))
  })

  it('rejects garbage, wrong schemes, bad base64url and oversize links', () => {
    expectInvalid('')
    expectInvalid('hello world')
    expectInvalid('https://example.com/#group/AAAA')
    expectInvalid('berty://contact#AAAA')
    // Our earlier web twin: bertylinks owns that prefix now (base64url is not base58).
    expectInvalid(legacyLink(createMultiMemberGroup().secrets).replace(GROUP_INVITATION_PREFIX, 'https://berty.tech/id#group/') + '_-')
    expectInvalid(GROUP_INVITATION_PREFIX)
    expectInvalid(GROUP_INVITATION_PREFIX + '!!!!')
    expectInvalid(GROUP_INVITATION_PREFIX + 'AAAA=')
    expectInvalid(GROUP_INVITATION_PREFIX + 'A')
    expectInvalid(GROUP_INVITATION_PREFIX + 'AB') // non-zero trailing bits
    expectInvalid(GROUP_INVITATION_PREFIX + base64urlEncode(crypto.getRandomValues(new Uint8Array(200))))
    expectInvalid(GROUP_INVITATION_PREFIX + 'A'.repeat(MAX_INVITATION_URL_LENGTH))
    expectInvalid(GROUP_INVITATION_PREFIX + base64urlEncode(new Uint8Array(1000)))
    expectInvalid(42 as unknown as string)
  })

  it('base64url is strict and round-trips every length', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = crypto.getRandomValues(new Uint8Array(n))
      const s = base64urlEncode(bytes)
      expect(s).toBe(Buffer.from(bytes).toString('base64url'))
      expect(base64urlDecode(s)).toEqual(bytes)
    }
    expect(base64urlDecode('ab+/')).toBeUndefined()
    expect(base64urlDecode('ab c')).toBeUndefined()
  })
})
