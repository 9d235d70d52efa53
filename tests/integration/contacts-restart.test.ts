// Issue "Contacts": restarts in every state (queued, sent, received, accepted), requests disabled then
// enabled, and a link reset (old links stop finding us, the new one works). Nodes meet through a
// rendezvous server only.
import { afterEach, describe, expect, it } from 'vitest'
import { stopAll, texts, until } from './helpers'
import { accountPkOf, contactOf, lab, restart, untilContact } from './contacts-helpers'

afterEach(stopAll)

describe('contacts across restarts', () => {
  it('queued while A is offline, B restarts, A comes back: delivered; received and accepted survive restarts', async () => {
    const l = await lab()
    const a = await l.node('a', 'Alice')
    const b = await l.node('b', 'Bob')
    const [aPk, bPk] = (await Promise.all([a, b].map(accountPkOf))) as [string, string]
    const { link } = await a.call('contact:share', {})
    await a.stop()

    // Queued: works offline, stays queued across B's restart.
    expect(await b.call('contact:request', { link })).toMatchObject({ state: 'outgoing', sent: false })
    await restart(b)
    expect(await contactOf(b, aPk)).toMatchObject({ state: 'outgoing', sent: false })

    // A back: the retrying worker finds it at its rendezvous point.
    await restart(a)
    await untilContact(b, aPk, (c) => c?.sent === true, 90_000)
    await untilContact(a, bPk, (c) => c?.state === 'incoming')

    // Received survives A's restart; sent survives B's.
    await restart(a)
    expect(await contactOf(a, bPk)).toMatchObject({ state: 'incoming', displayName: 'Bob' })
    await restart(b)
    expect(await contactOf(b, aPk)).toMatchObject({ state: 'outgoing', sent: true })

    await a.call('contact:accept', { accountPk: bPk })
    // Accepted, then an immediate restart: the contact group is (re)opened from the account log.
    await restart(a)
    const ac = await untilContact(a, bPk, (c) => c?.state === 'accepted' && c.groupPk !== undefined)
    const bc = await untilContact(b, aPk, (c) => c?.state === 'accepted' && c.groupPk !== undefined, 90_000)
    expect(bc!.groupPk).toBe(ac!.groupPk)
    const groupPk = ac!.groupPk!
    const gpk = Buffer.from(groupPk, 'base64url')
    await Promise.all([a, b].map((t) => until(t, () => t.node.groups.chainCount(gpk) === 2, 60_000)))
    await b.call('message:send', { groupPk, text: 'after restarts' })
    await until(a, async () => (await texts(a, groupPk)).includes('after restarts'), 60_000)
    for (const t of [a, b]) expect((await t.call('contact:list', {})).length).toBe(1)
  }, 300_000)

  it('requests disabled: nothing answers; enabled again: the queued request lands', async () => {
    const l = await lab()
    const a = await l.node('a', 'Alice')
    const b = await l.node('b', 'Bob')
    const [aPk, bPk] = (await Promise.all([a, b].map(accountPkOf))) as [string, string]
    const { link } = await a.call('contact:share', {})
    expect(await a.call('contact:settings', { requestsEnabled: false })).toEqual({ requestsEnabled: false })
    expect((await a.call('contact:share', {})).requestsEnabled).toBe(false)
    // The setting is an account event: it survives a restart.
    await restart(a)
    expect(await a.call('contact:settings', {})).toEqual({ requestsEnabled: false })
    expect(a.node.libp2p.getProtocols()).not.toContain('/wesh/contact_req/1.0.0')
    await b.call('contact:request', { link })
    await untilContact(b, aPk, (c) => c?.error !== undefined)
    expect(await contactOf(b, aPk)).toMatchObject({ state: 'outgoing', sent: false })
    expect(await contactOf(a, bPk)).toBeUndefined()

    await a.call('contact:settings', { requestsEnabled: true })
    await untilContact(a, bPk, (c) => c?.state === 'incoming', 90_000)
    await untilContact(b, aPk, (c) => c?.sent === true)
  }, 240_000)

  it('reset link: the old link no longer reaches us, the new one does', async () => {
    const l = await lab()
    const a = await l.node('a', 'Alice')
    const b = await l.node('b', 'Bob')
    const c = await l.node('c', 'Carol')
    const [aPk, bPk, cPk] = (await Promise.all([a, b, c].map(accountPkOf))) as [string, string, string]
    const old = await a.call('contact:share', {})
    const fresh = await a.call('contact:reset-link', {})
    expect(fresh.link).not.toBe(old.link)
    expect((await a.call('contact:share', {})).link).toBe(fresh.link)
    await restart(a)
    expect((await a.call('contact:share', {})).link).toBe(fresh.link)

    await c.call('contact:request', { link: fresh.link })
    await b.call('contact:request', { link: old.link })
    await untilContact(a, cPk, (x) => x?.state === 'incoming', 60_000)
    await untilContact(c, aPk, (x) => x?.sent === true)
    // B's worker found nobody at the old point; it keeps waiting.
    await untilContact(b, aPk, (x) => x?.error !== undefined)
    expect(await contactOf(b, aPk)).toMatchObject({ state: 'outgoing', sent: false })
    expect(await contactOf(a, bPk)).toBeUndefined()
  }, 240_000)
})
