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

    await until(b, () => b.node.groups.chainCount(Buffer.from(groupPk, 'base64url')) === 1, 45_000)
    await b.call('message:send', { groupPk, text: 'hi Alice' })
    await a.call('message:send', { groupPk, text: 'hi Bob' })
    await Promise.all([a, b].map((t) => until(t, async () => (await texts(t, groupPk)).length === 2, 45_000)))
    expect((await texts(a, groupPk)).sort()).toEqual(['hi Alice', 'hi Bob'])
    // A request for an existing contact is refused; the list still has one contact.
    await expect(b.call('contact:request', { link: share.link })).rejects.toMatchObject({ code: 'ALREADY_CONTACT' })
    expect((await b.call('contact:list', {})).length).toBe(1)
  }, 180_000)
})
