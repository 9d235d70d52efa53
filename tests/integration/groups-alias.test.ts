// Alias identity between real nodes, through the API: a member discloses its alias; every member
// sees the disclosed resolver on that member; a contact who knows the alias key recognises the
// member by recomputing the resolver; an alias cannot be disclosed outside a multi-member group.
// (Proof checks and reposts by other members are pinned by tests/unit/protocol/group/state.test.ts.)
import { afterEach, describe, expect, it } from 'vitest'
import { base64urlEncode } from '../../core/bytes'
import { aliasResolver } from '../../core/protocol/group'
import { connect, gpkOf, startNode, stopAll, until } from './helpers'

afterEach(stopAll)

describe('alias identity', () => {
  it('shows a disclosed alias on its member, recognisable by whoever knows the alias key', async () => {
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

    const { aliasResolver: resolver } = await alice.call('group:shareAlias', { groupPk })
    const aliceAlias = alice.node.accounts.get()!.aliasPk
    // Bob has Alice as a contact: he knows her alias key and recomputes her resolver for this group.
    expect(resolver).toBe(base64urlEncode(aliasResolver(aliceAlias, gpk)))
    const aliceMember = (await alice.call('group:members', { groupPk })).find((m) => m.me)!.memberPk
    const seenByBob = await until(bob, async () => {
      const m = (await bob.call('group:members', { groupPk })).find((x) => x.alias !== undefined)
      return m
    })
    expect(seenByBob).toMatchObject({ memberPk: aliceMember, alias: resolver })
    // Nobody else disclosed anything; Carol's own alias key resolves to no member.
    const carolResolver = base64urlEncode(aliasResolver(carol.node.accounts.get()!.aliasPk, gpk))
    const carolView = await until(carol, async () => {
      const ms = await carol.call('group:members', { groupPk })
      return ms.some((m) => m.alias !== undefined) ? ms : undefined
    })
    expect(carolView.filter((m) => m.alias !== undefined).map((m) => m.alias)).toEqual([resolver])
    expect(carolView.some((m) => m.alias === carolResolver)).toBe(false)
    // Disclosing twice is idempotent (same resolver); outside a multi-member group it is refused.
    expect((await alice.call('group:shareAlias', { groupPk })).aliasResolver).toBe(resolver)
    const account = alice.node.groups.list().find((g) => g.kind === 'account')!
    await expect(alice.call('group:shareAlias', { groupPk: base64urlEncode(account.groupPk) })).rejects.toThrow(/multi-member/)
  })
})
