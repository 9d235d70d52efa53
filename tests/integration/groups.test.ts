// The groups engine between real nodes: create, invite, join, secret exchange, messages both
// ways in the same order everywhere, restart from disk, forward secrecy for newcomers.
import { afterEach, describe, expect, it } from 'vitest'
import { connect, startNode, stopAll, texts, until } from './helpers'

afterEach(stopAll)

describe('multi-member group', () => {
  it('two members exchange messages both ways and agree on the order', async () => {
    const a = await startNode('a')
    const b = await startNode('b')
    await a.call('account:create', { displayName: 'Alice' })
    await b.call('account:create', { displayName: 'Bob' })
    const { groupPk } = await a.call('group:create', { name: 'Friends' })
    const { url } = await a.call('group:invite', { groupPk })
    await connect(a, b)
    expect((await b.call('group:join', { url })).groupPk).toBe(groupPk)
    // Both devices hold each other's chain key once the secret exchange completes.
    await until(a, () => a.node.groups.chainCount(Buffer.from(groupPk, 'base64url')) >= 2)
    await until(b, () => b.node.groups.chainCount(Buffer.from(groupPk, 'base64url')) >= 2)
    await a.call('message:send', { groupPk, text: 'hello from A' })
    await b.call('message:send', { groupPk, text: 'hello from B' })
    await until(a, async () => (await texts(a, groupPk)).length === 2)
    await until(b, async () => (await texts(b, groupPk)).length === 2)
    expect(await texts(a, groupPk)).toEqual(await texts(b, groupPk))
    const group = await b.call('group:get', { groupPk })
    expect(group.name).toBe('Friends')
    expect(group.memberCount).toBe(2)
    const list = await b.call('message:list', { groupPk })
    expect(list.messages.find((m) => m.text === 'hello from B')?.mine).toBe(true)
    expect(list.messages.find((m) => m.text === 'hello from A')?.mine).toBe(false)
    // Display names travel as member profiles: messages and members carry them.
    expect(list.messages.find((m) => m.text === 'hello from A')?.senderName).toBe('Alice')
    expect(list.messages.find((m) => m.text === 'hello from B')?.senderName).toBe('Bob')
    expect((await a.call('group:members', { groupPk })).map((m) => m.name).sort()).toEqual(['Alice', 'Bob'])
    expect(a.warnings).toEqual([])
    expect(b.warnings).toEqual([])
  })

  it('survives a restart and catches up on what it missed', async () => {
    const a = await startNode('a')
    const b = await startNode('b')
    await a.call('account:create', { displayName: 'Alice' })
    await b.call('account:create', { displayName: 'Bob' })
    const { groupPk } = await a.call('group:create', { name: 'Restart' })
    const { url } = await a.call('group:invite', { groupPk })
    await connect(a, b)
    await b.call('group:join', { url })
    const gpk = Buffer.from(groupPk, 'base64url')
    await until(b, () => b.node.groups.chainCount(gpk) >= 2)
    await a.call('message:send', { groupPk, text: 'before restart' })
    await until(b, async () => (await texts(b, groupPk)).includes('before restart'))
    await b.restart()
    expect(await texts(b, groupPk)).toEqual(['before restart'])
    for (let i = 0; i < 20; i++) await a.call('message:send', { groupPk, text: `while away ${i}` })
    await connect(b, a)
    await b.node.sync.syncNow(b.node.groups.topics(gpk).msg)
    await until(b, async () => (await texts(b, groupPk)).length === 21)
    expect(await texts(b, groupPk)).toEqual(await texts(a, groupPk))
  })

  it('a newcomer cannot read messages sent longer than the hand-over window before it joined', async () => {
    // A's clock moves on between its past message and the join (DEFAULT_HANDOVER_WINDOW_MS is 5 min).
    let skew = 0
    const a = await startNode('a', { now: () => Date.now() + skew })
    const c = await startNode('c')
    await a.call('account:create', { displayName: 'Alice' })
    await c.call('account:create', { displayName: 'Carol' })
    const { groupPk } = await a.call('group:create', { name: 'History' })
    await a.call('message:send', { groupPk, text: 'secret past' })
    skew = 6 * 60_000
    const { url } = await a.call('group:invite', { groupPk })
    await connect(a, c)
    await c.call('group:join', { url })
    const gpk = Buffer.from(groupPk, 'base64url')
    await until(c, () => c.node.groups.chainCount(gpk) >= 2)
    await a.call('message:send', { groupPk, text: 'after join' })
    await until(c, async () => (await texts(c, groupPk)).includes('after join'))
    expect(await texts(c, groupPk)).toEqual(['after join'])
    expect(await texts(a, groupPk)).toEqual(['secret past', 'after join'])
    // Never silence: the unreadable past shows as a placeholder, in its place, and is not "unread".
    const page = (await c.call('message:list', { groupPk })).messages
    expect(page.map((m) => m.unreadable ?? m.text)).toEqual(['before-join', 'after join'])
    expect(page[0]).toMatchObject({ text: '', mine: false })
    expect((await c.call('group:get', { groupPk })).unread).toBe(1)
    // And an event on the receiver's side too, naming its own member.
    const own = (await c.call('group:members', { groupPk })).find((m) => m.me)!.memberPk
    expect(c.events.filter((e) => e.event === 'message:unreadable').map((e) => e.payload)).toEqual([{ groupPk, id: page[0]!.id, memberPk: own, reason: 'before-join' }])
  })
})
