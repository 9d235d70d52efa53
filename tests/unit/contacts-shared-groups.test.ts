// Shared groups (core/contacts/shared-groups.ts) and the alias key in the contact group
// (core/contacts/alias-key.ts): only a member whose disclosed resolver AND proof check out under the
// contact's alias key is the contact; forged, mismatched or foreign disclosures list nothing.
import { describe, expect, it } from 'vitest'
import { EV_CONTACT_ALIAS_KEY_ADDED, ownAliasSent, peerAliasPk } from '../../core/contacts/alias-key'
import { sharedGroups, type SharedGroupsSource } from '../../core/contacts/shared-groups'
import * as c from '../../core/crypto'
import { aliasBody } from '../../core/protocol/group'
import { ContactAliasKeyAdded } from '../../core/protocol/proto/wesh'

const aliasSeed = c.randomBytes(32)
const aliasPk = c.ed25519PublicFromSeed(aliasSeed)
const otherAliasSeed = c.randomBytes(32)
const contactGroupPk = c.randomBytes(32)
const clubPk = c.randomBytes(32)
const memberPk = c.randomBytes(32)

type Member = ReturnType<SharedGroupsSource['members']>[number]

function source(members: Member[], extraGroups: Array<{ groupPk: Uint8Array; kind: string; role: string; name: string }> = []): SharedGroupsSource {
  return {
    list: () => [
      { groupPk: contactGroupPk, kind: 'contact', role: 'member', name: 'Pat' },
      { groupPk: clubPk, kind: 'multi', role: 'member', name: 'Club' },
      ...extraGroups
    ],
    members: (gpk) => (c.equalBytes(gpk, clubPk) ? members : [])
  }
}

const disclosed = (seed: Uint8Array, member: Uint8Array, groupPk = clubPk): Member => {
  const { resolver, proof } = aliasBody(seed, groupPk, member)
  return { memberPk: member, me: false, aliasResolver: resolver, aliasProof: proof }
}

describe('shared groups', () => {
  it('lists the contact group, and a multi-member group where the contact disclosed its alias', () => {
    expect(sharedGroups(source([]), contactGroupPk, aliasPk)).toEqual([{ groupPk: contactGroupPk, name: 'Pat', kind: 'contact' }])
    expect(sharedGroups(source([disclosed(aliasSeed, memberPk)]), contactGroupPk, aliasPk)).toEqual([
      { groupPk: contactGroupPk, name: 'Pat', kind: 'contact' },
      { groupPk: clubPk, name: 'Club', kind: 'multi', memberPk }
    ])
    // Without the contact's alias key nothing but the contact group can be attributed.
    expect(sharedGroups(source([disclosed(aliasSeed, memberPk)]), contactGroupPk, undefined).map((g) => g.kind)).toEqual(['contact'])
  })

  it('refuses disclosures that do not verify under the contact alias key', () => {
    const other = c.randomBytes(32)
    // Someone else's alias.
    expect(sharedGroups(source([disclosed(otherAliasSeed, memberPk)]), contactGroupPk, aliasPk).length).toBe(1)
    // The contact's resolver reposted by another member: the proof is bound to the original member.
    const reposted = { ...disclosed(aliasSeed, memberPk), memberPk: other }
    expect(sharedGroups(source([reposted]), contactGroupPk, aliasPk).length).toBe(1)
    // A resolver computed for another group (replayed here).
    expect(sharedGroups(source([disclosed(aliasSeed, memberPk, c.randomBytes(32))]), contactGroupPk, aliasPk).length).toBe(1)
    // A forged proof.
    const forged = { ...disclosed(aliasSeed, memberPk), aliasProof: c.randomBytes(64) }
    expect(sharedGroups(source([forged]), contactGroupPk, aliasPk).length).toBe(1)
    // Our own member entry is never the contact; replicas and other contacts' groups are not shared.
    expect(sharedGroups(source([{ ...disclosed(aliasSeed, memberPk), me: true }]), contactGroupPk, aliasPk).length).toBe(1)
    const replica = { groupPk: c.randomBytes(32), kind: 'multi', role: 'replica', name: 'R' }
    const otherContact = { groupPk: c.randomBytes(32), kind: 'contact', role: 'member', name: 'Other' }
    expect(sharedGroups(source([], [replica, otherContact]), contactGroupPk, aliasPk).map((g) => g.name)).toEqual(['Pat'])
  })

  it('reads the alias keys of a contact group: ours is recognised, the latest other one is theirs', () => {
    const dev = c.randomBytes(32)
    const mine = c.randomBytes(32)
    const ev = (alias: Uint8Array) => ({ eventType: EV_CONTACT_ALIAS_KEY_ADDED, payload: ContactAliasKeyAdded.encode({ devicePk: dev, aliasPk: alias }) })
    const events = [ev(mine), { eventType: 403, payload: new Uint8Array([1, 2]) }, ev(aliasPk)]
    expect(ownAliasSent(events, mine)).toBe(true)
    expect(ownAliasSent(events.slice(1), mine)).toBe(false)
    expect(peerAliasPk(events, mine)).toEqual(aliasPk)
    expect(peerAliasPk([ev(mine)], mine)).toBeUndefined()
    // A payload that is not 32 bytes of key is ignored.
    expect(peerAliasPk([ev(c.randomBytes(16))], mine)).toBeUndefined()
  })
})
