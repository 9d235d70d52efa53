// A heads exchange or pull that breaks off on the network (a reset stream) while the peer stays
// connected is tried again within seconds (heads.ts RETRY_BASE_MS), not left to the next
// anti-entropy round: a newcomer whose catch-up broke off reads the group at once. Which side
// starts the exchange depends on the peer ids: the pull is then the newcomer's own (after its
// exchange) or its reverse pull (answering the member's); both are tried again.
import type { Stream } from '@libp2p/interface'
import { afterEach, describe, expect, it } from 'vitest'
import { allMessages, backlogFor, connect, gpkOf, stopAll, until, type TestNode } from './helpers'

afterEach(stopAll)

/** No settle rounds: with anti-entropy off too (helpers.ts), only a retry can bring what a failed pull did not. */
function noSettle(t: TestNode): void {
  ;(t.node.sync as unknown as { heads: { activity(): void } }).heads.activity = () => undefined
}

/**
 * Resets the first of `t`'s sync streams to carry more than `bytes`, once that much has arrived, as
 * a flaky link would; `onReset` runs then. Returns how many streams it reset (0 or 1).
 */
function resetFirstStreamPast(t: TestNode, bytes: number, onReset: () => void = () => undefined): () => number {
  const sync = t.node.sync as unknown as { openStream(peer: unknown): Promise<Stream> }
  const open = sync.openStream.bind(sync)
  let resets = 0
  sync.openStream = async (peer) => {
    const stream = await open(peer)
    let received = 0
    stream.addEventListener('message', (evt) => {
      received += evt.data.byteLength
      if (resets > 0 || received < bytes) return
      resets++
      onReset()
      const err = new Error('injected reset')
      err.name = 'StreamResetError'
      stream.abort(err)
    })
    return stream
  }
  return () => resets
}

describe('sync retry', () => {
  it('a catch-up pull reset in the middle of the transfer is tried again, and the newcomer reads everything', async () => {
    const { a, b, groupPk, url, sent } = await backlogFor(600, noSettle)

    // The first stream of B's that carries more than 64 KiB (the message log's catch-up) is reset
    // once that much has arrived.
    const resets = resetFirstStreamPast(b, 64 * 1024)
    await connect(a, b)
    await b.call('group:join', { url })
    await until(b, async () => (await allMessages(b, groupPk)).filter((m) => m.unreadable === undefined).length === sent.length, 30_000)
    expect(resets()).toBe(1)
    const read = await allMessages(b, groupPk)
    expect(read.map((m) => m.text)).toEqual(sent)
  })

  it('a paced catch-up reset in its second part resumes after what joined, as a backlog: nothing lost, nothing sent again but the broken part', async () => {
    const MESSAGES = 9_000
    const { a, b, groupPk, url, sent } = await backlogFor(MESSAGES, noSettle)
    // B's first stream to carry more than 3 MiB (the catch-up's first part is 2 MiB, then B says
    // next) is reset there, in the middle of the second part.
    let pullsAtReset = 0
    const resets = resetFirstStreamPast(b, 3 * 1024 * 1024, () => (pullsAtReset = b.node.sync.counters.pulls))
    await connect(a, b)
    await b.call('group:join', { url })
    // Counted in the table (listing 9,000 messages on every event would be the test's own load).
    const count = b.node.db.sql.prepare<[Uint8Array], { n: number }>('SELECT count(*) AS n FROM messages WHERE group_pk = ? AND mine = 0 AND unreadable IS NULL')
    await until(b, () => count.get(gpkOf(groupPk))!.n >= MESSAGES, 60_000)
    expect(resets()).toBe(1)
    expect((await allMessages(b, groupPk)).map((m) => m.text)).toEqual(sent)
    // The retry asked with what had joined (version vector): nothing B held came again, and at
    // most the broken part (about 2 MiB, some 2,000 entries) came twice.
    const c = b.node.sync.counters
    expect(c.pulledKnown).toBe(0)
    expect(c.pulledEntries).toBeLessThan(MESSAGES + 3_000)
    // And as a backlog (the head, then the rest in one request), not in rounds growing from one
    // entry as for a gap (8 requests then).
    expect(c.pulls - pullsAtReset).toBeLessThanOrEqual(2)
  }, 120_000)

  it('a newcomer restarted in the middle of its catch-up resumes the backlog in a few requests, not as a gap', async () => {
    const MESSAGES = 9_000
    const { a, b, groupPk, url, sent } = await backlogFor(MESSAGES, noSettle)
    const gpk = gpkOf(groupPk)
    const count = () => b.node.db.sql.prepare<[Uint8Array], { n: number }>('SELECT count(*) AS n FROM messages WHERE group_pk = ? AND mine = 0 AND unreadable IS NULL').get(gpk)!.n
    await connect(a, b)
    await b.call('group:join', { url })
    // Closed as soon as the first messages show (the first part joined), as a person quitting would.
    await until(b, () => count() >= 1_000, 60_000)
    await b.restart()
    noSettle(b)
    await connect(b, a)
    await until(b, () => count() >= MESSAGES, 60_000)
    expect((await allMessages(b, groupPk)).map((m) => m.text)).toEqual(sent)
    // The restarted node (counters from zero) asked once for the head it lacked, saw it thousands
    // ahead in Lamport time, and asked for the backlog: not 1, 4, 16, … entries a round.
    const c = b.node.sync.counters
    expect(c.pulledKnown).toBe(0)
    expect(c.pulls).toBeLessThanOrEqual(3)
  }, 120_000)
})
