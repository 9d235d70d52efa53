// A heads exchange or pull that breaks off on the network (a reset stream) while the peer stays
// connected is tried again within seconds (heads.ts RETRY_BASE_MS), not left to the next
// anti-entropy round: a newcomer whose catch-up broke off reads the group at once. Which side
// starts the exchange depends on the peer ids: the pull is then the newcomer's own (after its
// exchange) or its reverse pull (answering the member's); both are tried again.
import type { Stream } from '@libp2p/interface'
import { afterEach, describe, expect, it } from 'vitest'
import { allMessages, backlogFor, connect, stopAll, until, type TestNode } from './helpers'

afterEach(stopAll)

/** No settle rounds: with anti-entropy off too (helpers.ts), only a retry can bring what a failed pull did not. */
function noSettle(t: TestNode): void {
  ;(t.node.sync as unknown as { heads: { activity(): void } }).heads.activity = () => undefined
}

describe('sync retry', () => {
  it('a catch-up pull reset in the middle of the transfer is tried again, and the newcomer reads everything', async () => {
    const { a, b, groupPk, url, sent } = await backlogFor(600, noSettle)

    // The first stream of B's that carries more than 64 KiB (the message log's catch-up) is reset
    // once that much has arrived, as a flaky link would.
    const sync = b.node.sync as unknown as { openStream(peer: unknown): Promise<Stream> }
    const open = sync.openStream.bind(sync)
    let resets = 0
    sync.openStream = async (peer) => {
      const stream = await open(peer)
      let bytes = 0
      stream.addEventListener('message', (evt) => {
        bytes += evt.data.byteLength
        if (resets > 0 || bytes < 64 * 1024) return
        resets++
        const err = new Error('injected reset')
        err.name = 'StreamResetError'
        stream.abort(err)
      })
      return stream
    }
    await connect(a, b)
    await b.call('group:join', { url })
    await until(b, async () => (await allMessages(b, groupPk)).filter((m) => m.unreadable === undefined).length === sent.length, 30_000)
    expect(resets).toBe(1)
    const read = await allMessages(b, groupPk)
    expect(read.map((m) => m.text)).toEqual(sent)
  })
})
