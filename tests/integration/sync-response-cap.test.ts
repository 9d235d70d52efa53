/**
 * A fetch response carries at most RESPONSE_BYTES of entries, then ends with `more` (serve.ts), or,
 * asked for paced, sends `part` and waits for the asker's `next`: an asker reading slower than the
 * link delivers (it verifies and joins as it reads) never has more than that in its stream's read
 * buffer, capped at 4 MiB. Sent in one response, a long backlog overflowed it and the catch-up pull
 * was aborted.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { FrameStream, LOG_SYNC_PROTOCOL, RESPONSE_BYTES } from '../../core/groups/sync/frames'
import { allMessages, backlogFor, connect, gpkOf, openGroupOf, stopAll, until } from './helpers'

afterEach(stopAll)

const MESSAGES = 9_000

describe('sync: fetch responses are bounded', () => {
  it('a reader that reads nothing for 2 s gets a bounded response, then a newcomer catches up a long backlog', async () => {
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

    // The real catch-up (paced: bounded parts of one response), every message in order.
    const count = b.node.db.sql.prepare<[Uint8Array], { n: number }>('SELECT count(*) AS n FROM messages WHERE group_pk = ? AND mine = 0')
    await b.call('group:join', { url })
    await until(b, () => count.get(gpk)!.n >= MESSAGES, 60_000)
    const read = await allMessages(b, groupPk)
    expect(read.filter((m) => m.unreadable === undefined).map((m) => m.text)).toEqual(sent)
  }, 120_000)

  it('a paced asker gets the whole backlog from one walk, a part at a time, nothing sent before it says next', async () => {
    const { a, b, groupPk, url, sent } = await backlogFor(MESSAGES)
    const gpk = gpkOf(groupPk)
    const log = openGroupOf(a, gpk)!.msg
    const topic = a.node.groups.topics(gpk).msg
    await connect(b, a)
    const served = a.node.sync.counters.served

    const stream = await b.node.libp2p.dialProtocol(a.node.libp2p.peerId, LOG_SYNC_PROTOCOL)
    // Bytes the stream delivers while the asker holds back `next` (the frame reader buffers on its own).
    let arrived = 0
    stream.addEventListener('message', (evt) => {
      arrived += evt.data.byteLength
    })
    const fs = new FrameStream(stream)
    await fs.write({ t: 'fetch', k: topic, w: await log.headHashes(), h: [], n: 32_768, p: true })
    const parts: number[] = []
    let bytes = 0
    let entries = 0
    let more: boolean | undefined
    for (;;) {
      const frame = await fs.read()
      if (frame.t === 'end') {
        more = frame.more
        break
      }
      if (frame.t === 'part') {
        parts.push(bytes)
        bytes = 0
        // The responder now waits: 2 s without `next`, and nothing more arrives meanwhile.
        await new Promise((r) => setTimeout(r, 100))
        arrived = 0
        await new Promise((r) => setTimeout(r, 2_000))
        expect(arrived).toBe(0)
        await fs.write({ t: 'next' })
        continue
      }
      if (frame.t !== 'entries') throw new Error(`unexpected frame ${frame.t}`)
      entries += frame.e.length
      bytes += frame.e.reduce((n, e) => n + e.length, 0)
    }
    await stream.close()
    expect(more).toBe(false)
    expect(entries).toBeGreaterThanOrEqual(MESSAGES)
    expect(parts.length).toBeGreaterThanOrEqual(2)
    for (const part of parts) {
      expect(part).toBeGreaterThanOrEqual(RESPONSE_BYTES)
      expect(part).toBeLessThan(RESPONSE_BYTES + 64 * 1024)
    }
    expect(a.node.sync.counters.served - served).toBe(1)

    // The real catch-up asks paced: one request for the backlog, every message in order.
    const count = b.node.db.sql.prepare<[Uint8Array], { n: number }>('SELECT count(*) AS n FROM messages WHERE group_pk = ? AND mine = 0')
    const before = a.node.sync.counters.served
    await b.call('group:join', { url })
    await until(b, () => count.get(gpk)!.n >= MESSAGES, 60_000)
    expect(a.node.sync.counters.served - before).toBeLessThanOrEqual(2)
    const read = await allMessages(b, groupPk)
    expect(read.filter((m) => m.unreadable === undefined).map((m) => m.text)).toEqual(sent)
  }, 120_000)

  it('a paced response ends at anything but next after a part; others are still served', async () => {
    // (An asker that says nothing is ended by the frame read timeout, 15 s, as at a request.)
    const { a, b, groupPk } = await backlogFor(MESSAGES)
    const gpk = gpkOf(groupPk)
    const log = openGroupOf(a, gpk)!.msg
    const topic = a.node.groups.topics(gpk).msg
    await connect(b, a)
    const stream = await b.node.libp2p.dialProtocol(a.node.libp2p.peerId, LOG_SYNC_PROTOCOL)
    const fs = new FrameStream(stream)
    await fs.write({ t: 'fetch', k: topic, w: await log.headHashes(), h: [], n: 32_768, p: true })
    for (let frame = await fs.read(); frame.t !== 'part'; frame = await fs.read()) expect(frame.t).toBe('entries')
    await fs.write({ t: 'heads', k: topic, h: [] })
    await expect(fs.read()).rejects.toThrow()
    // Another asker is served in full.
    const s2 = await b.node.libp2p.dialProtocol(a.node.libp2p.peerId, LOG_SYNC_PROTOCOL)
    const f2 = new FrameStream(s2)
    await f2.write({ t: 'fetch', k: topic, w: await log.headHashes(), h: [], n: 32_768 })
    let frame = await f2.read()
    while (frame.t === 'entries') frame = await f2.read()
    expect(frame).toEqual({ t: 'end', more: true })
    await s2.close()
  }, 120_000)
})
