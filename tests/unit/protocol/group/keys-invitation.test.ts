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
  encodeGroupInvitation,
  groupFromInvitation,
  GROUP_INVITATION_PREFIX,
  GROUP_INVITATION_WEB_PREFIX,
  InvitationError,
  invitationPayloadForQr,
  MAX_INVITATION_URL_LENGTH,
  ownMemberKey,
  replicaKeysOf,
  verifyReplicaKeys
} from '../../../../core/protocol/group'
import { base64urlDecode, base64urlEncode } from '../../../../core/protocol/group/codec'
import { GroupInvitation } from '../../../../core/protocol/proto/group'
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

describe('group invitation links', () => {
  it('round-trips through berty:// and https://berty.tech forms', () => {
    const { secrets } = createMultiMemberGroup()
    const url = encodeGroupInvitation(secrets)
    expect(url.startsWith(GROUP_INVITATION_PREFIX)).toBe(true)
    expect(url).toMatch(/^berty:\/\/group#[A-Za-z0-9_-]+$/)
    const inv = decodeGroupInvitation(url)
    expect(inv.version).toBe(1)
    expect(inv.groupPk).toEqual(secrets.groupPk)
    expect(inv.secret).toEqual(secrets.secret)
    expect(inv.secretSig).toEqual(secrets.secretSig)
    expect(inv.linkKeySig).toEqual(secrets.linkKeySig)
    const web = GROUP_INVITATION_WEB_PREFIX + url.slice(GROUP_INVITATION_PREFIX.length)
    expect(decodeGroupInvitation(web).secret).toEqual(secrets.secret)
    const joined = groupFromInvitation(inv)
    expect(joined.linkKey).toEqual(secrets.linkKey)
    expect(invitationPayloadForQr(url)).toBe(url)
  })

  it('carries only version, groupPk, secret, secretSig, linkKeySig', () => {
    const url = encodeGroupInvitation(createMultiMemberGroup().secrets)
    const payload = base64urlDecode(url.slice(GROUP_INVITATION_PREFIX.length)) as Uint8Array
    // 1 varint field + 2 × 32-byte + 2 × 64-byte fields, nothing else.
    expect(payload.length).toBe(2 + 2 * 34 + 2 * 66)
  })

  it('refuses to build a link for a contact or account group', () => {
    const a = newAccount()
    expectGroupError(() => encodeGroupInvitation(contactGroup(a.accountSeed, newAccount().accountPk)), 'ERR_WRONG_KIND')
    expectGroupError(() => encodeGroupInvitation(accountGroup(a.accountSeed, a.aliasSeed)), 'ERR_WRONG_KIND')
  })

  it('rejects a tampered secret, secretSig or linkKeySig', () => {
    const url = encodeGroupInvitation(createMultiMemberGroup().secrets)
    expect(expectInvalid(reencode(url, (i) => { i.secretSig = flipByte(i.secretSig, 0) as Uint8Array<ArrayBuffer> })).message)
      .toMatch(/signature/)
    expectInvalid(reencode(url, (i) => { i.secret = flipByte(i.secret, 31) as Uint8Array<ArrayBuffer> }))
    expectInvalid(reencode(url, (i) => { i.linkKeySig = flipByte(i.linkKeySig, 63) as Uint8Array<ArrayBuffer> }))
    expectInvalid(reencode(url, (i) => { i.groupPk = createMultiMemberGroup().secrets.groupPk as Uint8Array<ArrayBuffer> }))
  })

  it('rejects wrong versions, missing and mis-sized fields', () => {
    const url = encodeGroupInvitation(createMultiMemberGroup().secrets)
    expect(expectInvalid(reencode(url, (i) => { i.version = 2 })).message).toMatch(/version/)
    expectInvalid(reencode(url, (i) => { i.version = 0 }))
    expectInvalid(reencode(url, (i) => { i.linkKeySig = new Uint8Array(0) }))
    expectInvalid(reencode(url, (i) => { i.secret = new Uint8Array(33) }))
  })

  it('rejects unknown fields and non-canonical encodings', () => {
    const url = encodeGroupInvitation(createMultiMemberGroup().secrets)
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
    expectInvalid(GROUP_INVITATION_PREFIX)
    expectInvalid(GROUP_INVITATION_PREFIX + '!!!!')
    expectInvalid(GROUP_INVITATION_PREFIX + 'AAAA=')
    expectInvalid(GROUP_INVITATION_PREFIX + 'A')
    expectInvalid(GROUP_INVITATION_PREFIX + 'AB') // non-zero trailing bits
    expectInvalid(GROUP_INVITATION_PREFIX + base64urlEncode(crypto.getRandomValues(new Uint8Array(200))))
    expectInvalid(GROUP_INVITATION_PREFIX + 'A'.repeat(MAX_INVITATION_URL_LENGTH))
    expectInvalid(GROUP_INVITATION_PREFIX + base64urlEncode(new Uint8Array(1000)))
    expectInvalid(42 as unknown as string)
    expect(() => invitationPayloadForQr('nope')).toThrow(InvitationError)
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
