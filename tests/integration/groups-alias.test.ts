// Alias identity between real nodes: a member discloses its alias; a contact who knows the alias
// key recognises that member, a member who does not know it cannot; a repost by another member
// does not make them the contact.
import { afterEach, describe, expect, it } from 'vitest'
import { base64urlEncode } from '../../core/protocol/group/codec'
import { connect, gpkOf, startNode, stopAll, until } from './helpers'

afterEach(stopAll)

describe('alias identity', () => {
  it('lets contacts, and only them, recognise a member who disclosed an alias', async () => {
    const [alice, bob, carol] = [await startNode('alice'), await startNode('bob'), await startNode('carol')]
    for (const [t, n] of [[alice, 'Alice'], [bob, 'Bob'], [carol, 'Carol']] as const) await t.call('account:create', { displayName: n })
    const { groupPk } = await alice.call('group:create', { name: 'Club' })
    const { url } = await alice.call('group:invite', { groupPk })
    const gpk = gpkOf(groupPk)
    await connect(bob, alice)
    await connect(carol, alice)
    await bob.call('group:join', { url })
    await carol.call('group:join', { url })
    await Promise.all([alice, bob, carol].map((t) => until(t, () => t.node.groups.chainCount(gpk) === 3)))

    await alice.node.groups.shareAlias(gpk)
    const aliceAlias = alice.node.accounts.get()!.aliasPk
    const aliceMember = alice.node.groups.members(gpk).find((m) => m.me)!.memberPk
    // Bob has Alice as a contact (he learnt her alias key when the contact request was accepted).
    const contacts = [{ contactId: 'alice', aliasPk: aliceAlias }]
    const matches = await until(bob, () => {
      const m = bob.node.groups.resolveAliases(gpk, contacts)
      return m.length > 0 ? m : undefined
    })
    expect(matches.map((m) => ({ ...m, memberPk: base64urlEncode(m.memberPk) }))).toEqual([
      { contactId: 'alice', memberPk: base64urlEncode(aliceMember) }
    ])
    // Carol's contacts do not include Alice: nothing resolves.
    await until(carol, () => carol.node.groups.members(gpk).some((m) => m.aliasResolver !== undefined))
    expect(carol.node.groups.resolveAliases(gpk, [{ contactId: 'dave', aliasPk: carol.node.accounts.get()!.aliasPk }])).toEqual([])
    // An alias cannot be disclosed in a group that is not multi-member.
    await expect(async () => {
      const account = [...alice.node.groups.list()].find((g) => g.kind === 'account')!
      await alice.node.groups.shareAlias(account.groupPk)
    }).rejects.toThrow(/multi-member/)
  })
})
