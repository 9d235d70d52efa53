// Issue 8, "a newcomer's own first messages are readable by all existing members": a member who joins
// by the invitation link while offline and writes at once (on a plane) is read by every member when it
// comes back, however long it was away — past the 5-minute hand-over window included, and after a
// restart while still offline. The floor that makes it so ends one window after its first contact: a
// member who joins later cannot read those messages (the forward-secrecy rule for newcomers).
import { afterEach, describe, expect, it } from 'vitest'
import { connect, gpkOf, placeholders, startNode, stopAll, texts, until } from './helpers'

afterEach(stopAll)

const MIN = 60_000

describe('a newcomer that writes offline right after joining', () => {
  it('is read by every member when it comes back, past the hand-over window and a restart', async () => {
    let skew = 0
    const clock = { now: () => Date.now() + skew }
    const a = await startNode('a', clock)
    const b = await startNode('b', clock)
    const n = await startNode('n', clock)
    await a.call('account:create', { displayName: 'Alice' })
    await b.call('account:create', { displayName: 'Bob' })
    await n.call('account:create', { displayName: 'Nina' })
    const { groupPk } = await a.call('group:create', { name: 'Trip' })
    const gpk = gpkOf(groupPk)
    const { url } = await a.call('group:invite', { groupPk })
    await connect(a, b)
    await b.call('group:join', { url })
    await until(a, () => a.node.groups.chainCount(gpk) >= 2)
    await until(b, () => b.node.groups.chainCount(gpk) >= 2)
    await a.call('message:send', { groupPk, text: 'boarding soon?' })

    // Nina joins with no connection at all and writes the moment the join returns.
    await n.call('group:join', { url })
    await n.call('message:send', { groupPk, text: 'on the plane 1' })
    await n.call('message:send', { groupPk, text: 'on the plane 2' })
    // A restart while still offline: the in-memory send times are gone, the floor is on disk.
    await n.restart()
    await n.call('message:send', { groupPk, text: 'on the plane 3' })
    // Ten minutes later (twice the hand-over window), she lands.
    skew = 10 * MIN
    await connect(n, a)
    await connect(n, b)
    const plane = ['on the plane 1', 'on the plane 2', 'on the plane 3']
    for (const t of [a, b]) {
      await until(t, async () => (await texts(t, groupPk)).filter((x) => plane.includes(x)).length === 3, 60_000)
      expect(await placeholders(t, groupPk)).toBe(0)
    }
    await a.call('message:send', { groupPk, text: 'welcome back' })
    await until(n, async () => (await texts(n, groupPk)).includes('welcome back'))
    const order = await texts(a, groupPk)
    await until(b, async () => (await texts(b, groupPk)).length === order.length)
    expect(await texts(b, groupPk)).toEqual(order)
    expect(order.filter((x) => plane.includes(x))).toEqual(plane)

    // One window after her first contact the floor is gone: Dan, who joins later, gets Nina's chain
    // from her recent messages only, and sees her plane messages as placeholders, never silence.
    skew = 17 * MIN
    const d = await startNode('d', clock)
    await d.call('account:create', { displayName: 'Dan' })
    await connect(d, a)
    await connect(d, n)
    await d.call('group:join', { url })
    await until(n, async () => {
      const members = await n.call('group:members', { groupPk })
      return members.length === 4
    })
    await n.call('message:send', { groupPk, text: 'hi Dan' })
    await until(d, async () => (await texts(d, groupPk)).includes('hi Dan'), 60_000)
    const seen = await texts(d, groupPk)
    expect(seen.filter((x) => plane.includes(x))).toEqual([])
    await until(d, async () => (await placeholders(d, groupPk)) >= 3)
  }, 180_000)
})
