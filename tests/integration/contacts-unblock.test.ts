// contact:unblock over real nodes that meet through a rendezvous server only: a blocked account's
// requests are dropped; after unblock (weshnet AccountContactUnblocked, EventType 112) it leaves the list
// and its next request is received, accepted, and ends in one shared contact group.
import { afterEach, describe, expect, it } from 'vitest'
import { stopAll } from './helpers'
import { accountPkOf, contactOf, lab, untilContact } from './contacts-helpers'

afterEach(stopAll)

const EV_UNBLOCKED = 112

describe('contacts: unblock', () => {
  it('a blocked account is dropped until unblocked, then its request is received and accepted', async () => {
    const l = await lab()
    const a = await l.node('a', 'Alice')
    const c = await l.node('c', 'Carol')
    const [aPk, cPk] = (await Promise.all([a, c].map(accountPkOf))) as [string, string]
    const { link } = await a.call('contact:share', {})

    // Unblocking an unknown account, or one that is not blocked, is refused.
    await expect(a.call('contact:unblock', { accountPk: cPk })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await c.call('contact:request', { link })
    await untilContact(a, cPk, (x) => x?.state === 'incoming')
    await expect(a.call('contact:unblock', { accountPk: cPk })).rejects.toMatchObject({ code: 'INVALID_PARAMS' })

    // Blocked: C asks again (its request is delivered, A drops it).
    expect((await a.call('contact:block', { accountPk: cPk })).state).toBe('blocked')
    await c.call('contact:cancel', { accountPk: aPk })
    await c.call('contact:request', { link })
    await untilContact(c, aPk, (x) => x?.sent === true)
    expect(await contactOf(a, cPk)).toMatchObject({ state: 'blocked' })

    // Unblock: one account event, C leaves A's list (an event says so), a second unblock finds nothing.
    const before = a.events.length
    expect(await a.call('contact:unblock', { accountPk: cPk })).toEqual({})
    expect(await contactOf(a, cPk)).toBeUndefined()
    expect(a.events.slice(before).some((e) => e.event === 'contact:updated' && (e.payload as { accountPk: string; removed?: boolean }).accountPk === cPk && (e.payload as { removed?: boolean }).removed === true)).toBe(true)
    const accountGroup = a.node.groups.accountGroupPk()!
    expect(a.node.groups.weshEvents(accountGroup).filter((e) => e.eventType === EV_UNBLOCKED).length).toBe(1)
    await expect(a.call('contact:unblock', { accountPk: cPk })).rejects.toMatchObject({ code: 'NOT_FOUND' })

    // C's next request is received again and can be accepted: one contact group on both sides.
    await c.call('contact:cancel', { accountPk: aPk })
    await c.call('contact:request', { link })
    const incoming = await untilContact(a, cPk, (x) => x?.state === 'incoming')
    expect(incoming).toMatchObject({ displayName: 'Carol' })
    expect((await a.call('contact:accept', { accountPk: cPk })).state).toBe('accepted')
    const [ac, ca] = await Promise.all([
      untilContact(a, cPk, (x) => x?.state === 'accepted' && x.groupPk !== undefined),
      untilContact(c, aPk, (x) => x?.state === 'accepted' && x.groupPk !== undefined)
    ])
    expect(ac!.groupPk).toBe(ca!.groupPk)
  }, 180_000)
})
