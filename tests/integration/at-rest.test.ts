// Issue "Reliability", at rest: no user content in the clear in any file of a node's data
// directory — messages, group names and display names (own and other members') included.
import { afterEach, describe, expect, it } from 'vitest'
import { leaks } from '../support/canary'
import { connect, gpkOf, startNode, stopAll, texts, until } from './helpers'

afterEach(stopAll)

describe('at rest', () => {
  it('no message text, group name or display name in the clear in any file, before and after a restart', async () => {
    const [a, b] = [await startNode('a'), await startNode('b')]
    await a.call('account:create', { displayName: 'CanaryAnnName' })
    await b.call('account:create', { displayName: 'CanaryBenName' })
    await connect(a, b)
    const { groupPk } = await a.call('group:create', { name: 'CanaryGroupName' })
    await b.call('group:join', { url: (await a.call('group:invite', { groupPk })).url })
    await Promise.all([a, b].map((t) => until(t, () => t.node.groups.chainCount(gpkOf(groupPk)) === 2)))
    await a.call('message:send', { groupPk, text: 'CanaryMessageFromAnn' })
    await b.call('message:send', { groupPk, text: 'CanaryMessageFromBen' })
    await Promise.all([a, b].map((t) => until(t, async () => (await texts(t, groupPk)).length === 2)))
    // The names are really known to both nodes (so the scan below looks for something that exists).
    expect((await b.call('group:get', { groupPk })).name).toBe('CanaryGroupName')
    expect((await b.call('group:members', { groupPk })).map((m) => m.name).sort()).toEqual(['CanaryAnnName', 'CanaryBenName'])
    const canaries = ['CanaryAnnName', 'CanaryBenName', 'CanaryGroupName', 'CanaryMessageFromAnn', 'CanaryMessageFromBen']
    await a.restart()
    expect(await texts(a, groupPk)).toEqual(expect.arrayContaining(['CanaryMessageFromAnn', 'CanaryMessageFromBen']))
    expect((await a.call('group:get', { groupPk })).name).toBe('CanaryGroupName')
    await a.stop()
    await b.stop()
    expect([...leaks(a.dir, canaries), ...leaks(b.dir, canaries)]).toEqual([])
  })
})
