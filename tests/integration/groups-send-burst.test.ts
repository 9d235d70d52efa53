// Sends issued together share one commit (core/groups/send-batcher.ts): a burst keeps the call
// order everywhere, every send resolves with its own entry, and a member reads the whole burst.
import { afterEach, describe, expect, it } from 'vitest'
import { connect, gpkOf, logSize, startNode, stopAll, texts, until } from './helpers'

afterEach(stopAll)

describe('send burst', () => {
  it('concurrent sends commit together, keep call order, and reach a member in that order', async () => {
    const a = await startNode('a')
    const b = await startNode('b')
    await a.call('account:create', { displayName: 'A' })
    await b.call('account:create', { displayName: 'B' })
    const { groupPk } = await a.call('group:create', { name: 'Burst' })
    const { url } = await a.call('group:invite', { groupPk })
    await connect(a, b)
    await b.call('group:join', { url })
    const gpk = gpkOf(groupPk)
    await until(a, () => a.node.groups.chainCount(gpk) >= 2)
    await until(b, () => b.node.groups.chainCount(gpk) >= 2)

    const commits = countCommits(a)
    const sent = Array.from({ length: 300 }, (_, i) => `burst ${i}`)
    const ids = await Promise.all(sent.map((text) => a.node.groups.send(gpk, text)))
    const burstCommits = commits.stop()
    expect(new Set(ids).size).toBe(300)
    // 300 sends in at most a few bursts (MAX_SEND_BURST = 256), not one commit each.
    expect(burstCommits).toBeGreaterThan(0)
    expect(burstCommits).toBeLessThan(20)
    // Each send resolved with its own entry, in call order: the log chains them in that order.
    const listed = new Map(a.node.groups.listMessages(gpk, { limit: 500 }).messages.map((m) => [m.id, m]))
    const entries = ids.map((id) => listed.get(id))
    expect(entries.map((m) => m?.text)).toEqual(sent)
    const lamports = entries.map((m) => m!.lamport)
    expect(lamports).toEqual([...lamports].sort((x, y) => x - y))
    expect(new Set(lamports).size).toBe(300)
    // A send after the burst is a burst of one.
    await a.node.groups.send(gpk, 'after')
    expect(logSize(a, gpk, 'msg')).toBe(301)

    await until(b, async () => (await texts(b, groupPk)).length === 301, 60_000)
    expect(await texts(b, groupPk)).toEqual([...sent, 'after'])
    expect(await texts(a, groupPk)).toEqual([...sent, 'after'])

    // After a restart the sender resumes past its write-ahead reservation (a burst reserves up to
    // SENDER_RESERVE_BURST counters): the member skips them and reads on.
    await a.restart()
    await connect(a, b)
    await a.node.groups.send(gpk, 'after restart')
    await until(b, async () => (await texts(b, groupPk)).includes('after restart'), 60_000)
    const list = await b.call('message:list', { groupPk, limit: 500 })
    expect(list.messages.filter((m) => m.unreadable !== undefined)).toEqual([])
  })
})

/** Counts outermost transactions (one COMMIT each) on the node's database until stop(). */
function countCommits(t: Awaited<ReturnType<typeof startNode>>): { stop: () => number } {
  const db = t.node.db
  const orig = db.transaction.bind(db)
  let n = 0
  db.transaction = ((fn: () => unknown) => {
    if (!db.sql.inTransaction) n++
    return orig(fn)
  }) as typeof db.transaction
  return {
    stop: () => {
      db.transaction = orig
      return n
    }
  }
}
