// Issue "Contacts" over real nodes that meet through discovery only (a rendezvous server on loopback):
// share, request, accept, chat; decline, block, cancel; bad links; mutual requests; idempotence.
import { afterEach, describe, expect, it } from 'vitest'
import { texts, stopAll, until } from './helpers'
import { accountPkOf, contactOf, lab, untilContact } from './contacts-helpers'

afterEach(stopAll)

describe('contacts', () => {
  it('B requests A by link alone, A accepts, both chat in the contact group', async () => {
    const l = await lab()
    const a = await l.node('a', 'Alice')
    const b = await l.node('b', 'Bob')
    const aPk = await accountPkOf(a)
    const bPk = await accountPkOf(b)
    const share = await a.call('contact:share', {})
    expect(share.link).toMatch(/^https:\/\/berty\.tech\/id#contact\//)
    expect(share.qr).toMatch(/^BERTY:\/\/PB\//)
    expect(share.requestsEnabled).toBe(true)
    expect((await a.call('link:inspect', { url: share.qr })).name).toBe('Alice')

    const out = await b.call('contact:request', { link: share.link })
    expect(out).toMatchObject({ accountPk: aPk, displayName: 'Alice', state: 'outgoing' })
    const incoming = await untilContact(a, bPk, (c) => c?.state === 'incoming')
    expect(incoming).toMatchObject({ displayName: 'Bob', state: 'incoming' })
    expect(a.events.some((e) => e.event === 'contact:requested')).toBe(true)
    // Same fingerprint on both sides.
    expect(incoming!.fingerprint).toMatch(/^(\d{5} ){5}\d{5}$/)
    expect((await contactOf(b, aPk))!.fingerprint).toBe(incoming!.fingerprint)
    await untilContact(b, aPk, (c) => c?.sent === true)
    // Pending: no conversation yet on either side.
    expect((await b.call('group:list', {})).filter((g) => g.kind === 'contact')).toEqual([])
    // Nor in the events the UI lists from: B's pending contact group is not announced.
    const announced = (t: typeof a) => t.events.filter((e) => e.event === 'group:updated' && (e.payload as { group: { kind: string } }).group.kind === 'contact').length
    expect(announced(b)).toBe(0)

    const accepted = await a.call('contact:accept', { accountPk: bPk })
    expect(accepted.state).toBe('accepted')
    const aSide = await untilContact(a, bPk, (c) => c?.groupPk !== undefined)
    const bSide = await untilContact(b, aPk, (c) => c?.state === 'accepted' && c.groupPk !== undefined)
    expect(bSide!.groupPk).toBe(aSide!.groupPk)
    const groupPk = aSide!.groupPk!
    await until(a, async () => (await a.call('group:list', {})).some((g) => g.groupPk === groupPk))
    const aList = (await a.call('group:list', {})).find((g) => g.groupPk === groupPk)!
    const bList = (await b.call('group:list', {})).find((g) => g.groupPk === groupPk)!
    expect(aList).toMatchObject({ kind: 'contact', name: 'Bob' })
    expect(bList).toMatchObject({ kind: 'contact', name: 'Alice' })

    await Promise.all([a, b].map((t) => until(t, () => t.node.groups.chainCount(Buffer.from(groupPk, 'base64url')) === 2, 45_000)))
    await b.call('message:send', { groupPk, text: 'hi Alice' })
    await a.call('message:send', { groupPk, text: 'hi Bob' })
    await Promise.all([a, b].map((t) => until(t, async () => (await texts(t, groupPk)).length === 2, 45_000)))
    expect((await texts(a, groupPk)).sort()).toEqual(['hi Alice', 'hi Bob'])
    // Once accepted, the conversation is announced to the UI on both sides.
    expect(announced(a)).toBeGreaterThan(0)
    expect(announced(b)).toBeGreaterThan(0)
    // A request for an existing contact is refused; the list still has one contact.
    await expect(b.call('contact:request', { link: share.link })).rejects.toMatchObject({ code: 'ALREADY_CONTACT' })
    expect((await b.call('contact:list', {})).length).toBe(1)
  }, 180_000)

  it('decline is silent, block drops future requests, cancel withdraws; bad links are refused with clear codes', async () => {
    const l = await lab()
    const a = await l.node('a', 'Alice')
    const b = await l.node('b', 'Bob')
    const c = await l.node('c', 'Carol')
    const [aPk, bPk, cPk] = (await Promise.all([a, b, c].map(accountPkOf))) as [string, string, string]
    const { link } = await a.call('contact:share', {})

    // Bad input: nothing is created.
    await expect(a.call('contact:request', { link })).rejects.toMatchObject({ code: 'SELF_CONTACT' })
    await expect(b.call('contact:request', { link: 'https://berty.tech/id#contact/notbase58!!' })).rejects.toMatchObject({ code: 'INVALID_INVITATION' })
    await expect(b.call('contact:request', { link: 'BERTY://PB/ZZZZZZZZ' })).rejects.toMatchObject({ code: 'INVALID_INVITATION' })
    const { groupPk } = await a.call('group:create', { name: 'g' })
    const { url: groupLink } = await a.call('group:invite', { groupPk })
    await expect(b.call('contact:request', { link: groupLink })).rejects.toMatchObject({ code: 'INVALID_INVITATION' })
    await expect(b.call('contact:accept', { accountPk: aPk })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    expect(await b.call('contact:list', {})).toEqual([])

    // Duplicate requests are idempotent: one contact.
    await b.call('contact:request', { link })
    await b.call('contact:request', { link })
    await c.call('contact:request', { link })
    expect((await b.call('contact:list', {})).length).toBe(1)
    await untilContact(a, bPk, (x) => x?.state === 'incoming')
    await untilContact(a, cPk, (x) => x?.state === 'incoming')
    await untilContact(b, aPk, (x) => x?.sent === true)
    await untilContact(c, aPk, (x) => x?.sent === true)

    // Decline: A's side says declined; B's side is still a sent request (decline is silent).
    expect((await a.call('contact:decline', { accountPk: bPk })).state).toBe('declined')
    expect((await a.call('contact:decline', { accountPk: bPk })).state).toBe('declined')
    await expect(a.call('contact:accept', { accountPk: bPk })).rejects.toMatchObject({ code: 'INVALID_PARAMS' })
    expect(await contactOf(b, aPk)).toMatchObject({ state: 'outgoing', sent: true })

    // Block: C's later requests never reach A's list again.
    expect((await a.call('contact:block', { accountPk: cPk })).state).toBe('blocked')
    await c.call('contact:cancel', { accountPk: aPk })
    expect(await contactOf(c, aPk)).toBeUndefined()
    await c.call('contact:request', { link })
    await untilContact(c, aPk, (x) => x?.sent === true)
    expect(await contactOf(a, cPk)).toMatchObject({ state: 'blocked' })
    const { link: cLink } = await c.call('contact:share', {})
    await expect(a.call('contact:request', { link: cLink })).rejects.toMatchObject({ code: 'BLOCKED' })

    // Nothing half-created: no contact conversation anywhere.
    for (const t of [a, b, c]) expect((await t.call('group:list', {})).filter((g) => g.kind === 'contact')).toEqual([])
    expect(a.node.groups.list().filter((g) => g.kind === 'contact')).toEqual([])
  }, 180_000)

  it('simultaneous mutual requests end in one contact and one contact group on each side', async () => {
    const l = await lab()
    const a = await l.node('a', 'Alice')
    const b = await l.node('b', 'Bob')
    const [aPk, bPk] = (await Promise.all([a, b].map(accountPkOf))) as [string, string]
    const [{ link: aLink }, { link: bLink }] = await Promise.all([a.call('contact:share', {}), b.call('contact:share', {})])
    await Promise.all([a.call('contact:request', { link: bLink }), b.call('contact:request', { link: aLink })])
    const [ac, bc] = await Promise.all([
      untilContact(a, bPk, (x) => x?.state === 'accepted' && x.groupPk !== undefined),
      untilContact(b, aPk, (x) => x?.state === 'accepted' && x.groupPk !== undefined)
    ])
    expect(ac!.groupPk).toBe(bc!.groupPk)
    for (const t of [a, b]) {
      expect((await t.call('contact:list', {})).length).toBe(1)
      expect(t.node.groups.list().filter((g) => g.kind === 'contact').length).toBe(1)
    }
    const groupPk = ac!.groupPk!
    const gpk = Buffer.from(groupPk, 'base64url')
    await Promise.all([a, b].map((t) => until(t, () => t.node.groups.chainCount(gpk) === 2, 45_000)))
    await a.call('message:send', { groupPk, text: 'both asked' })
    await until(b, async () => (await texts(b, groupPk)).includes('both asked'), 45_000)
  }, 180_000)
})
