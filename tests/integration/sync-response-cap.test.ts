/**
 * A fetch response carries at most RESPONSE_BYTES of entries, then ends with `more` (serve.ts), or,
 * asked for paced, sends `part` and waits for the asker's `next`: an asker reading slower than the
 * link delivers (it verifies and joins as it reads) never has more than that in its stream's read
 * buffer, capped at 4 MiB. Sent in one response, a long backlog overflowed it and the catch-up pull
 * was aborted.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { FrameStream, LOG_SYNC_PROTOCOL, RESPONSE_BYTES, type Frame } from '../../core/groups/sync/frames'
import { allMessages, backlogFor, connect, gpkOf, openGroupOf, stopAll, until, type TestNode } from './helpers'

afterEach(stopAll)

const MESSAGES = 9_000

/** A's backlog of MESSAGES, B connected, and a raw log-sync stream from B to A to ask it with. */
async function rawAsker() {
  const backlog = await backlogFor(MESSAGES)
  const { a, b, groupPk } = backlog
  const gpk = gpkOf(groupPk)
  await connect(b, a)
  const stream = await b.node.libp2p.dialProtocol(a.node.libp2p.peerId, LOG_SYNC_PROTOCOL)
  const fetchAll = async (fs: FrameStream, paced: boolean) => {
    const fetch: Frame = { t: 'fetch', k: a.node.groups.topics(gpk).msg, w: await openGroupOf(a, gpk)!.msg.headHashes(), h: [], n: 32_768 }
    await fs.write(paced ? { ...fetch, p: true } : fetch)
  }
  return { ...backlog, gpk, stream, fetchAll }
}

/** Reads entries frames until another frame comes; the entries' count and bytes, and that frame. */
async function readEntries(fs: FrameStream): Promise<{ entries: number; bytes: number; frame: Frame }> {
  let entries = 0
  let bytes = 0
  for (;;) {
    const frame = await fs.read()
    if (frame.t !== 'entries') return { entries, bytes, frame }
    entries += frame.e.length
    bytes += frame.e.reduce((n, e) => n + e.length, 0)
  }
}

/** The real catch-up: B joins by the link and reads every message of A's backlog, in order. */
async function catchUp(b: TestNode, gpk: Uint8Array, groupPk: string, url: string, sent: string[]): Promise<void> {
  const count = b.node.db.sql.prepare<[Uint8Array], { n: number }>('SELECT count(*) AS n FROM messages WHERE group_pk = ? AND mine = 0')
  await b.call('group:join', { url })
  await until(b, () => count.get(gpk)!.n >= MESSAGES, 60_000)
  const read = await allMessages(b, groupPk)
  expect(read.filter((m) => m.unreadable === undefined).map((m) => m.text)).toEqual(sent)
}

describe('sync: fetch responses are bounded', () => {
  it('a reader that reads nothing for 2 s gets a bounded response, then a newcomer catches up a long backlog', async () => {
    const { b, gpk, groupPk, url, sent, stream, fetchAll } = await rawAsker()
    // The whole log asked for at once, then nothing read for 2 s.
    const fs = new FrameStream(stream)
    await fetchAll(fs, false)
    await new Promise((r) => setTimeout(r, 2_000))
    const { entries, bytes, frame } = await readEntries(fs)
    await stream.close()
    // The log is well past the read buffer's 4 MiB: sent whole, the wait above overflowed it.
    expect(frame).toEqual({ t: 'end', more: true })
    expect(entries).toBeLessThan(MESSAGES)
    expect(bytes).toBeGreaterThanOrEqual(RESPONSE_BYTES)
    expect(bytes).toBeLessThan(RESPONSE_BYTES + 64 * 1024)
    expect((bytes / entries) * MESSAGES).toBeGreaterThan(4 * 1024 * 1024)

    // The real catch-up (paced: bounded parts of one response), every message in order.
    await catchUp(b, gpk, groupPk, url, sent)
  }, 120_000)

  it('a paced asker gets the whole backlog from one walk, a part at a time, nothing sent before it says next', async () => {
    const { a, b, gpk, groupPk, url, sent, stream, fetchAll } = await rawAsker()
    const served = a.node.sync.counters.served
    // Bytes the stream delivers while the asker holds back `next` (the frame reader buffers on its own).
    let arrived = 0
    stream.addEventListener('message', (evt) => {
      arrived += evt.data.byteLength
    })
    const fs = new FrameStream(stream)
    await fetchAll(fs, true)
    const parts: number[] = []
    let entries = 0
    for (;;) {
      const part = await readEntries(fs)
      entries += part.entries
      if (part.frame.t !== 'part') {
        expect(part.frame).toEqual({ t: 'end', more: false })
        break
      }
      parts.push(part.bytes)
      // The responder now waits: 2 s without `next`, and nothing more arrives meanwhile.
      arrived = 0
      await new Promise((r) => setTimeout(r, 2_000))
      expect(arrived).toBe(0)
      await fs.write({ t: 'next' })
    }
    await stream.close()
    expect(entries).toBeGreaterThanOrEqual(MESSAGES)
    expect(parts.length).toBeGreaterThanOrEqual(2)
    for (const bytes of parts) {
      expect(bytes).toBeGreaterThanOrEqual(RESPONSE_BYTES)
      expect(bytes).toBeLessThan(RESPONSE_BYTES + 64 * 1024)
    }
    expect(a.node.sync.counters.served - served).toBe(1)

    // The real catch-up asks paced: one request for the backlog.
    const before = a.node.sync.counters.served
    await catchUp(b, gpk, groupPk, url, sent)
    expect(a.node.sync.counters.served - before).toBeLessThanOrEqual(2)
  }, 120_000)

  it('a paced response ends at anything but next after a part; others are still served', async () => {
    // (An asker that says nothing is ended by the frame read timeout, 15 s, as at a request.)
    const { a, b, gpk, stream, fetchAll } = await rawAsker()
    const fs = new FrameStream(stream)
    await fetchAll(fs, true)
    expect((await readEntries(fs)).frame).toEqual({ t: 'part' })
    await fs.write({ t: 'heads', k: a.node.groups.topics(gpk).msg, h: [] })
    await expect(fs.read()).rejects.toThrow()
    // Another asker is served in full.
    const s2 = await b.node.libp2p.dialProtocol(a.node.libp2p.peerId, LOG_SYNC_PROTOCOL)
    const f2 = new FrameStream(s2)
    await fetchAll(f2, false)
    expect((await readEntries(f2)).frame).toEqual({ t: 'end', more: true })
    await s2.close()
  }, 120_000)
})
