/**
 * A fetch response carries at most RESPONSE_BYTES of entries, then ends with `more` (serve.ts): an
 * asker reading slower than the link delivers (it verifies and joins as it reads) never has more than
 * that in its stream's read buffer, capped at 4 MiB. Sent in one response, a long backlog overflowed
 * it and the catch-up pull was aborted.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { FrameStream, LOG_SYNC_PROTOCOL, RESPONSE_BYTES } from '../../core/groups/sync/frames'
import { allMessages, backlogFor, connect, gpkOf, openGroupOf, stopAll, until } from './helpers'

afterEach(stopAll)

const MESSAGES = 9_000

describe('sync: fetch responses are bounded', () => {
  it('a reader that reads nothing for 2 s gets a bounded response, then a newcomer catches up a long backlog over several', async () => {
    const { a, b, groupPk, url, sent } = await backlogFor(MESSAGES)
    const gpk = gpkOf(groupPk)
    const log = openGroupOf(a, gpk)!.msg
    const topic = a.node.groups.topics(gpk).msg
    await connect(b, a)

    // A raw asker: the whole log asked for at once, then nothing read for 2 s while A writes.
    const stream = await b.node.libp2p.dialProtocol(a.node.libp2p.peerId, LOG_SYNC_PROTOCOL)
    const fs = new FrameStream(stream)
    await fs.write({ t: 'fetch', k: topic, w: await log.headHashes(), h: [], n: 32_768 })
    await new Promise((r) => setTimeout(r, 2_000))
    let bytes = 0
    let entries = 0
    let more: boolean | undefined
    for (;;) {
      const frame = await fs.read()
      if (frame.t === 'end') {
        more = frame.more
        break
      }
      if (frame.t !== 'entries') throw new Error(`unexpected frame ${frame.t}`)
      entries += frame.e.length
      bytes += frame.e.reduce((n, e) => n + e.length, 0)
    }
    await stream.close()
    // The log is well past the read buffer's 4 MiB: sent whole, the wait above overflowed it.
    expect(entries).toBeLessThan(MESSAGES)
    expect(bytes).toBeGreaterThanOrEqual(RESPONSE_BYTES)
    expect(bytes).toBeLessThan(RESPONSE_BYTES + 64 * 1024)
    expect(more).toBe(true)
    const whole = (bytes / entries) * MESSAGES
    expect(whole).toBeGreaterThan(4 * 1024 * 1024)

    // The real catch-up: several bounded rounds, every message in order.
    const count = b.node.db.sql.prepare<[Uint8Array], { n: number }>('SELECT count(*) AS n FROM messages WHERE group_pk = ? AND mine = 0')
    await b.call('group:join', { url })
    await until(b, () => count.get(gpk)!.n >= MESSAGES, 60_000)
    const read = await allMessages(b, groupPk)
    expect(read.filter((m) => m.unreadable === undefined).map((m) => m.text)).toEqual(sent)
  }, 120_000)
})
