/**
 * The DISCOVER_SUBSCRIBE client (core/net/discovery/rendezvous-subscribe.ts) against a sync server with
 * no per-stream cap (our own server ends a stream past 64 namespaces by itself, so it cannot show
 * this): rotating contact rendezvous points pile up on one long-lived stream, and the protocol has no
 * unsubscribe. Past 256 namespaces the client starts a fresh stream and subscribes the new namespace
 * there; before, every namespace past 256 was left to polling for good.
 */
import { randomBytes } from 'node:crypto'
import type { Stream } from '@libp2p/interface'
import { lpStream } from '@libp2p/utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createLibp2pNode, peerKeyFromSeed, type BertyLibp2p } from '../../core/net/libp2p'
import { rendezvous } from '../../core/net/discovery/proto/rendezvous'
import { InmemSubscriber } from '../../core/net/discovery/rendezvous-subscribe'
import { SYNC_INMEM_PROTOCOL, SYNC_INMEM_TYPE } from '../../core/net/discovery/rendezvous-sync'

const running: BertyLibp2p[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((n) => n.stop()))
})

async function node(): Promise<BertyLibp2p> {
  const n = await createLibp2pNode({ privateKey: await peerKeyFromSeed(randomBytes(32)), listen: ['/ip4/127.0.0.1/tcp/0'], webrtc: false, start: true })
  running.push(n)
  return n
}

describe('rendezvous: subscriptions on one stream', () => {
  it('past 256 namespaces, a fresh stream carries the next one', async () => {
    const server = await node()
    const client = await node()
    // An uncapped sync server: records every namespace each stream subscribes to.
    const streams: string[][] = []
    await server.handle(SYNC_INMEM_PROTOCOL, async (stream: Stream) => {
      const mine: string[] = []
      streams.push(mine)
      const lp = lpStream(stream, { maxDataLength: 8 * 1024 })
      try {
        for (;;) mine.push(rendezvous.Message.decode(await lp.read()).discoverSubscribe?.ns ?? '')
      } catch {
        // the client ended the stream
      }
    })
    const serverId = server.peerId.toString()
    const sub = new InmemSubscriber(
      serverId,
      // The DISCOVER_SUBSCRIBE exchange on /rendezvous/1.0.0, answered as a server offering inmem does.
      async (req) => ({
        type: rendezvous.Message.MessageType.DISCOVER_SUBSCRIBE_RESPONSE,
        discoverSubscribeResponse: {
          subscriptionType: SYNC_INMEM_TYPE,
          subscriptionDetails: JSON.stringify({ PeerID: serverId, ChannelName: req.discoverSubscribe?.ns }),
          status: rendezvous.Message.ResponseStatus.OK,
          statusText: ''
        }
      }) as rendezvous.Message,
      async (signal) => client.dial(server.getMultiaddrs(), { signal }),
      () => {},
      () => {},
      new AbortController().signal
    )
    for (let i = 0; i < 256; i++) await sub.ensure(`day-${i}`, AbortSignal.timeout(5_000))
    await vi.waitFor(() => expect(streams.map((s) => s.length)).toEqual([256]), { timeout: 10_000, interval: 20 })
    await sub.ensure('today', AbortSignal.timeout(5_000))
    await vi.waitFor(() => expect(streams.at(-1)).toEqual(['today']), { timeout: 10_000, interval: 20 })
    expect(streams).toHaveLength(2)
    sub.close()
  }, 60_000)
})
