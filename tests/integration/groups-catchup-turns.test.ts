// A member catching up a long message log opens it a chunk per turn of the event loop
// (message-pipeline.ts RECEIVE_CHUNK): the node keeps answering while thousands of messages land.
import { afterEach, describe, expect, it } from 'vitest'
import { RECEIVE_CHUNK } from '../../core/groups/message-pipeline'
import { allMessages, backlogFor, connect, gpkOf, stopAll, until } from './helpers'

afterEach(stopAll)

const MESSAGES = 2_000

describe('catch-up turns', () => {
  it('a newcomer opens a long backlog a chunk per event-loop turn, and reads all of it in order', async () => {
    const { a, b, groupPk, url, sent } = await backlogFor(MESSAGES)
    const gpk = gpkOf(groupPk)

    // A turn of the event loop after another, B's readable messages are counted: what landed in
    // between was opened in one go, without a turn.
    const count = b.node.db.sql.prepare<[Uint8Array], { n: number }>('SELECT count(*) AS n FROM messages WHERE group_pk = ? AND mine = 0')
    let last = 0
    let largest = 0
    let turns = 0
    let ticking = true
    const tick = (): void => {
      const n = count.get(gpk)!.n
      largest = Math.max(largest, n - last)
      last = n
      turns++
      if (ticking) setImmediate(tick)
    }
    setImmediate(tick)
    try {
      await connect(a, b)
      await b.call('group:join', { url })
      // Checked on B's events against the table itself: `last` moves only on the ticker's next turn,
      // after the event of the last chunk, which may be B's last event.
      await until(b, () => count.get(gpk)!.n >= MESSAGES, 120_000)
      // The ticker's turn that sees the last chunk land.
      await new Promise((r) => setImmediate(r))
    } finally {
      ticking = false
    }
    const read = await allMessages(b, groupPk)
    expect(read.filter((m) => m.unreadable === undefined).map((m) => m.text)).toEqual(sent)
    // At most a chunk of the backlog, plus a small live batch opened in the same turn.
    expect(largest, `largest jump ${largest} in ${turns} turns`).toBeLessThanOrEqual(2 * RECEIVE_CHUNK)
    expect(largest).toBeGreaterThan(0)
  })
})
