/**
 * A restart must not set a receiver chain back. On open, the group's chains are loaded as stored
 * (advanced past every message read) and the metadata log is replayed to rebuild the group's
 * state; the replayed chain keys must not replace the stored chains with their starting point.
 * Set back to its start, a chain opens at most 2,000 messages ahead (the ratchet's skip limit): in
 * a conversation past that, everything the other device wrote after the restart was marked
 * undecryptable, for good.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { backlogFor, connect, gpkOf, stopAll, until } from './helpers'

afterEach(stopAll)

describe('groups: a restart keeps receiver chains where they were', () => {
  it('after 2,100 messages read, a restart, then more: the new ones are read', async () => {
    const MESSAGES = 2_100
    const { a, b, groupPk, url, sent } = await backlogFor(MESSAGES)
    const gpk = gpkOf(groupPk)
    const count = () => b.node.db.sql.prepare<[Uint8Array], { n: number }>('SELECT count(*) AS n FROM messages WHERE group_pk = ? AND mine = 0 AND unreadable IS NULL').get(gpk)!.n
    await connect(a, b)
    await b.call('group:join', { url })
    await until(b, () => count() >= MESSAGES, 60_000)

    await b.restart()
    await connect(b, a)
    const more = Array.from({ length: 5 }, (_, i) => `after restart ${i}`)
    for (const text of more) await a.call('message:send', { groupPk, text })
    await until(b, () => count() >= MESSAGES + more.length, 30_000)
    const undecryptable = b.node.db.sql.prepare("SELECT count(*) AS n FROM log_processed WHERE status = 'undecryptable'").get() as { n: number }
    expect(undecryptable.n).toBe(0)
    expect(sent.length).toBe(MESSAGES)
  }, 120_000)
})
