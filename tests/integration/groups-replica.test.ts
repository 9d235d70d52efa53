// A replica bridges members that are never online together (spec "Replication device"): it
// holds only ReplicaKeys, stores and verifies what one member writes, and serves it to the
// other later. Members read it with the chain keys they exchanged before.
import { afterEach, describe, expect, it } from 'vitest'
import type { TestNode } from './helpers'
import { connect, gpkOf, logSize, noDiscovery, startNode, stopAll, texts, until, untilEngine } from './helpers'

afterEach(stopAll)

/** The same member, back from disk (its TestNode was stopped). */
async function comeBack(t: TestNode): Promise<TestNode> {
  const back = await startNode(t.name, { dir: t.dir, key: t.key })
  await noDiscovery(back)
  return back
}

describe('replica', () => {
  it('carries messages between members that are never online at the same time', async () => {
    const a = await startNode('a')
    const b = await startNode('b')
    const r = await startNode('replica')
    await Promise.all([a, b, r].map(noDiscovery))
    await a.call('account:create', { displayName: 'Alice' })
    await b.call('account:create', { displayName: 'Bob' })
    await connect(a, b)
    const { groupPk } = await a.call('group:create', { name: 'Relay' })
    const { url } = await a.call('group:invite', { groupPk })
    await b.call('group:join', { url })
    const gpk = gpkOf(groupPk)
    await Promise.all([a, b].map((t) => until(t, () => t.node.groups.chainCount(gpk) === 2)))
    await a.call('message:send', { groupPk, text: 'while both are here' })
    await until(b, async () => (await texts(b, groupPk)).length === 1)

    // b goes away; r starts replicating while a is online (it holds replica keys only).
    await b.stop()
    await connect(r, a)
    // Through the API: a member hands out the replica keys, the replica serves them.
    const keys = await a.call('group:replicaKeys', { groupPk })
    expect(keys).not.toHaveProperty('secret')
    expect((await r.call('replica:serve', keys)).groupPk).toBe(groupPk)
    const sent = Array.from({ length: 25 }, (_, i) => `while b is away ${i}`)
    for (const text of sent) await a.call('message:send', { groupPk, text })
    await untilEngine(r, () => logSize(r, gpk, 'msg') === 26 && logSize(r, gpk, 'meta') === logSize(a, gpk, 'meta'))
    expect((await r.call('message:list', { groupPk, limit: 500 })).messages).toEqual([])

    // a goes offline; b comes back connected to r only, and catches up from it.
    const aList = await a.call('message:list', { groupPk, limit: 500 })
    await a.stop()
    const b2 = await comeBack(b)
    expect(await texts(b2, groupPk)).toEqual(['while both are here'])
    await connect(b2, r)
    await until(b2, async () => (await texts(b2, groupPk)).length === 26)
    const bList = await b2.call('message:list', { groupPk, limit: 500 })
    expect(bList.messages.map((m) => m.id)).toEqual(aList.messages.map((m) => m.id))
    expect(bList.messages.map((m) => m.text)).toEqual(['while both are here', ...sent])
    expect(bList.messages.every((m) => !m.mine)).toBe(true)

    // And back the other way: b answers, a returns to r only and reads it.
    await b2.call('message:send', { groupPk, text: 'got them all' })
    await untilEngine(r, () => logSize(r, gpk, 'msg') === 27)
    await b2.stop()
    const a2 = await comeBack(a)
    await connect(a2, r)
    await until(a2, async () => (await texts(a2, groupPk)).length === 27)
    expect((await texts(a2, groupPk)).at(-1)).toBe('got them all')
    for (const t of [a, b, r, a2, b2]) expect(t.warnings, t.name).toEqual([])
  })
})
