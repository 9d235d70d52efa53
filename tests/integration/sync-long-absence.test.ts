/**
 * A member away while another writes thousands of messages (the other's chain moves past the
 * ratchet's 2,000-message skip limit, and the log's Lamport times thousands ahead) reads every one
 * once back: in order, as a backlog (a few requests), not as a gossip gap (rounds of 1, 4, 16, …).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { allMessages, connect, disconnect, gpkOf, noDiscovery, pairInGroup, stopAll, until } from './helpers'

afterEach(stopAll)

describe('sync: back after a long absence', () => {
  it('B away while A writes 2,500: once back, B reads all of them, in order', async () => {
    const { a, b, groupPk } = await pairInGroup(['a', 'b'])
    const gpk = gpkOf(groupPk)
    const count = () => b.node.db.sql.prepare<[Uint8Array], { n: number }>('SELECT count(*) AS n FROM messages WHERE group_pk = ? AND mine = 0 AND unreadable IS NULL').get(gpk)!.n
    await a.call('message:send', { groupPk, text: 'before' })
    await until(b, () => count() >= 1, 30_000)

    await disconnect(a, b)
    const away = Array.from({ length: 2_500 }, (_, i) => `away ${i}`)
    await Promise.all(away.map((text) => a.node.groups.send(gpk, text)))
    // And B's app was closed meanwhile.
    await b.restart()
    await noDiscovery(b)
    const pulls = b.node.sync.counters.pulls
    await connect(b, a)
    await until(b, () => count() >= 1 + away.length, 60_000)
    expect((await allMessages(b, groupPk)).map((m) => m.text)).toEqual(['before', ...away])
    const undecryptable = b.node.db.sql.prepare("SELECT count(*) AS n FROM log_processed WHERE status != 'ok'").get() as { n: number }
    expect(undecryptable.n).toBe(0)
    expect(b.node.sync.counters.pulls - pulls).toBeLessThanOrEqual(4)
  }, 120_000)
})
