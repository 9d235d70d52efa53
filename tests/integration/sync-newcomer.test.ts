// A newcomer learns of a group's backlog from every member it is connected to at once: each member's
// heads exchange on the newcomer's subscription names heads it lacks. It must take the backlog once,
// not once per member (sync/pull.ts `pull`: one first catch-up at a time per log).
import { afterEach, describe, expect, it } from 'vitest'
import { connect, gpkOf, logSize, noDiscovery, startNode, stopAll, texts, untilEngine } from './helpers'

afterEach(stopAll)

const MESSAGES = 300

describe('newcomer catch-up', () => {
  it('a member joining a group whose four members hold a backlog pulls it once, and reads it all', async () => {
    const members = await Promise.all(['a', 'b', 'c', 'd'].map((n) => startNode(n)))
    const newcomer = await startNode('e')
    const all = [...members, newcomer]
    await Promise.all(all.map(noDiscovery))
    await Promise.all(all.map((t, i) => t.call('account:create', { displayName: `M${i}` })))
    const [a] = members as [typeof newcomer]
    const { groupPk } = await a.call('group:create', { name: 'Backlog' })
    const { url } = await a.call('group:invite', { groupPk })
    const gpk = gpkOf(groupPk)
    for (let i = 0; i < all.length; i++) for (let j = i + 1; j < all.length; j++) await connect(all[i]!, all[j]!)
    for (const t of members.slice(1)) await t.call('group:join', { url })
    for (let i = 0; i < MESSAGES; i++) await a.call('message:send', { groupPk, text: `m${i}` })
    for (const t of members) {
      await untilEngine(t, () => logSize(t, gpk, 'msg') === MESSAGES && logSize(t, gpk, 'meta') === logSize(a, gpk, 'meta'), 120_000)
    }
    const backlog = logSize(a, gpk, 'msg') + logSize(a, gpk, 'meta')

    const before = newcomer.node.sync.counters.pulledEntries
    await newcomer.call('group:join', { url })
    await untilEngine(newcomer, async () => (await texts(newcomer, groupPk)).length === MESSAGES, 120_000)
    const pulled = newcomer.node.sync.counters.pulledEntries - before
    console.log(`newcomer pulled ${pulled} entries for a backlog of ${backlog}`)
    // Once, with some slack for entries that a heads exchange and gossip brought twice. Pulled from
    // each of the four members: about four times the backlog.
    expect(pulled).toBeLessThan(backlog * 1.5)
    expect(await texts(newcomer, groupPk)).toEqual(Array.from({ length: MESSAGES }, (_, i) => `m${i}`))
    expect(newcomer.warnings).toEqual([])
  }, 300_000)
})
