// API paths of the groups engine that the UI relies on: read markers, replica keys and their refusal.
import { afterEach, describe, expect, it } from 'vitest'
import { connect, gpkOf, startNode, stopAll, texts, until } from './helpers'

afterEach(stopAll)

describe('groups through the API', () => {
  it('opening a conversation (group:markRead) drops its unread count, and new messages count again', async () => {
    const [a, b] = [await startNode('a'), await startNode('b')]
    await a.call('account:create', { displayName: 'Alice' })
    await b.call('account:create', { displayName: 'Bob' })
    await connect(a, b)
    const { groupPk } = await a.call('group:create', { name: 'Reads' })
    await b.call('group:join', { url: (await a.call('group:invite', { groupPk })).url })
    const gpk = gpkOf(groupPk)
    await Promise.all([a, b].map((t) => until(t, () => t.node.groups.chainCount(gpk) === 2)))
    for (const text of ['one', 'two', 'three']) await b.call('message:send', { groupPk, text })
    await until(a, async () => (await texts(a, groupPk)).length === 3)
    expect((await a.call('group:get', { groupPk })).unread).toBe(3)
    // Own messages never count as unread.
    expect((await b.call('group:get', { groupPk })).unread).toBe(0)

    expect(await a.call('group:markRead', { groupPk })).toEqual({ unread: 0 })
    expect((await a.call('group:get', { groupPk })).unread).toBe(0)
    expect((await a.call('group:list', {})).find((g) => g.groupPk === groupPk)?.unread).toBe(0)

    await b.call('message:send', { groupPk, text: 'four' })
    await until(a, async () => (await a.call('group:get', { groupPk })).unread === 1)
    // The marker survives a restart.
    await a.restart()
    expect((await a.call('group:get', { groupPk })).unread).toBe(1)
  })

  it('hands out replica keys without the secret, and a replica refuses keys whose link-key signature does not verify', async () => {
    const [a, r] = [await startNode('a'), await startNode('r')]
    await a.call('account:create', { displayName: 'Alice' })
    const { groupPk } = await a.call('group:create', { name: 'Replicated' })
    const keys = await a.call('group:replicaKeys', { groupPk })
    expect(Object.keys(keys).sort()).toEqual(['groupPk', 'linkKey', 'linkKeySig', 'signPub'])
    const flipped = keys.linkKey.startsWith('A') ? `B${keys.linkKey.slice(1)}` : `A${keys.linkKey.slice(1)}`
    await expect(r.call('replica:serve', { ...keys, linkKey: flipped })).rejects.toMatchObject({ code: 'INVALID_PARAMS' })
    await expect(r.call('replica:serve', { ...keys, linkKeySig: 'x' })).rejects.toMatchObject({ code: 'INVALID_PARAMS' })
    // Nothing half-created: the refused group is not there, the valid one then is, once.
    expect(r.node.groups.has(gpkOf(groupPk))).toBe(false)
    expect(await r.call('replica:serve', keys)).toEqual({ groupPk })
    expect(await r.call('replica:serve', keys)).toEqual({ groupPk })
    expect(r.node.groups.list().filter((g) => g.role === 'replica')).toHaveLength(1)
    // A replica cannot read or write: no messages, no sends, no invitation.
    expect((await r.call('message:list', { groupPk })).messages).toEqual([])
    await expect(r.call('message:send', { groupPk, text: 'forged' })).rejects.toMatchObject({ code: 'INVALID_PARAMS' })
    await expect(r.call('group:invite', { groupPk })).rejects.toMatchObject({ code: 'INVALID_PARAMS' })
  })
})
