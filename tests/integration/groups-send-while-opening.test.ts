/**
 * A group shows on a node (listed, `has`) from the moment it is being opened: its metadata replays
 * before its logs are replicated, and the replay's effects must find it. A person (or a linked
 * device's UI) sending the moment it shows got INTERNAL ("log is not replicated here"); the send
 * now waits until the group is open, then lands and is read.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { connect, gpkOf, pairInGroup, startNode, stopAll, texts, until } from './helpers'

afterEach(stopAll)

describe('groups: a send the moment a group shows', () => {
  it('waits for the group to open, then is read by the others', async () => {
    const { a, groupPk } = await pairInGroup(['Alice', 'Bob'])
    const gpk = gpkOf(groupPk)
    const c = await startNode('c')
    await c.call('account:create', { displayName: 'Carol' })
    await connect(c, a)
    const { url } = await a.call('group:invite', { groupPk })
    const joining = c.node.groups.join(url)
    // The very moment it shows (an event listener can see it then: a microtask after it is listed).
    while (!c.node.groups.has(gpk)) await Promise.resolve()
    const sent = await c.call('message:send', { groupPk, text: 'at once' })
    expect(sent.id).toBeTruthy()
    await joining
    await until(a, async () => (await texts(a, groupPk)).includes('at once'))
  }, 60_000)
})
