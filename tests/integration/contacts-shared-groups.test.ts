// Shared groups on the contact screen (`contact:get`), over real nodes: once A and B are contacts, each
// side's alias key arrives in the contact group (weshnet ContactAliasKeyAdded, EventType 201); a
// multi-member group where A is a member is listed on B's side only after A discloses its alias there
// (before that, A is an anonymous member key: not knowable); a non-contact's disclosure lists nothing.
import { afterEach, describe, expect, it } from 'vitest'
import { connect, gpkOf, stopAll, texts, until } from './helpers'
import { accountPkOf, lab, restart, untilContact } from './contacts-helpers'

afterEach(stopAll)

const EV_CONTACT_ALIAS_KEY_ADDED = 201

describe('contacts: shared groups', () => {
  it('lists the contact group, then a multi-member group once the contact disclosed its alias there', async () => {
    const l = await lab()
    const a = await l.node('a', 'Alice')
    const b = await l.node('b', 'Bob')
    const c = await l.node('c', 'Carol')
    const [aPk, bPk] = (await Promise.all([a, b].map(accountPkOf))) as [string, string]

    // A and B become contacts.
    const { link } = await a.call('contact:share', {})
    await b.call('contact:request', { link })
    await untilContact(a, bPk, (x) => x?.state === 'incoming')
    // Pending: B may have the contact group open already, but it is not a shared conversation yet.
    await untilContact(b, aPk, (x) => x?.sent === true)
    expect(await b.call('contact:get', { accountPk: aPk })).toMatchObject({ state: 'outgoing', sharedGroups: [], aliasKnown: false })
    await a.call('contact:accept', { accountPk: bPk })
    const bSide = await untilContact(b, aPk, (x) => x?.state === 'accepted' && x.groupPk !== undefined)
    const contactGroup = bSide!.groupPk!

    // Each side's alias key reaches the other in the contact group, posted once per account.
    const detailsOnB = await until(b, async () => {
      const d = await b.call('contact:get', { accountPk: aPk })
      return d.aliasKnown ? d : undefined
    }, 45_000)
    expect(detailsOnB.sharedGroups).toEqual([{ groupPk: contactGroup, name: 'Alice', kind: 'contact' }])
    await until(a, async () => (await a.call('contact:get', { accountPk: bPk })).aliasKnown, 45_000)
    const aliasEvents = b.node.groups.weshEvents(gpkOf(contactGroup)).filter((e) => e.eventType === EV_CONTACT_ALIAS_KEY_ADDED)
    expect(aliasEvents.length).toBe(2)
    const aliasOf = (t: typeof a) => Buffer.from(t.node.accounts.get()!.aliasPk).toString('hex')
    const posted = aliasEvents.map((e) => Buffer.from(e.payload).toString('hex'))
    for (const t of [a, b]) expect(posted.some((p) => p.includes(aliasOf(t)))).toBe(true)

    // A multi-member group with A, B and C (C is nobody's contact).
    const { groupPk } = await a.call('group:create', { name: 'Club' })
    const { url } = await a.call('group:invite', { groupPk })
    await connect(b, a)
    await connect(c, a)
    await b.call('group:join', { url })
    await c.call('group:join', { url })
    const gpk = gpkOf(groupPk)
    await Promise.all([a, b, c].map((t) => until(t, () => t.node.groups.chainCount(gpk) === 3, 45_000)))

    // A is in Club but has not disclosed its alias: B cannot tell (only the contact group is listed).
    expect((await b.call('contact:get', { accountPk: aPk })).sharedGroups.map((g) => g.kind)).toEqual(['contact'])

    // C discloses its alias: C is not B's contact, nothing changes for A's entry.
    await c.call('group:shareAlias', { groupPk })
    await until(b, async () => (await b.call('group:members', { groupPk })).some((m) => m.alias !== undefined), 45_000)
    expect((await b.call('contact:get', { accountPk: aPk })).sharedGroups.map((g) => g.kind)).toEqual(['contact'])

    // A discloses its alias in Club: B now lists Club on A's screen, with A's member key there.
    await a.call('group:shareAlias', { groupPk })
    const aMember = (await a.call('group:members', { groupPk })).find((m) => m.me)!.memberPk
    const withClub = await until(b, async () => {
      const d = await b.call('contact:get', { accountPk: aPk })
      return d.sharedGroups.some((g) => g.kind === 'multi') ? d : undefined
    }, 45_000)
    expect(withClub.sharedGroups).toEqual([
      { groupPk: contactGroup, name: 'Alice', kind: 'contact' },
      { groupPk, name: 'Club', kind: 'multi', memberPk: aMember }
    ])
    // B has not disclosed anything in Club: A's screen for B still lists the contact group only.
    expect((await a.call('contact:get', { accountPk: bPk })).sharedGroups.map((g) => g.kind)).toEqual(['contact'])
    await expect(a.call('contact:get', { accountPk: aPk })).rejects.toMatchObject({ code: 'NOT_FOUND' })

    // After a restart B still lists Club, and nobody posts its alias key a second time.
    await restart(b)
    const again = await until(b, async () => {
      const d = await b.call('contact:get', { accountPk: aPk }).catch(() => undefined)
      return d !== undefined && d.sharedGroups.length === 2 ? d : undefined
    }, 45_000)
    expect(again.sharedGroups).toEqual(withClub.sharedGroups)
    await b.call('message:send', { groupPk: contactGroup, text: 'after restart' })
    await until(a, async () => (await texts(a, contactGroup)).includes('after restart'), 45_000)
    for (const t of [a, b]) {
      expect(t.node.groups.weshEvents(gpkOf(contactGroup)).filter((e) => e.eventType === EV_CONTACT_ALIAS_KEY_ADDED).length).toBe(2)
    }
  }, 240_000)
})
