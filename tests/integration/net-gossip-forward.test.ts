/**
 * Gossipsub as patched (patches/@libp2p+gossipsub+17.1.1.patch): a node forwarding a message to its
 * mesh encodes it once and sends the same bytes to every peer that has no control message waiting to
 * ride along (unpatched: one encoding and one fresh copy of the whole message per peer, 6.5 % of all
 * CPU in a 50-member join's profile). A peer with control waiting still gets the message, with it.
 * B sits between A (the publisher) and C, D, E; nothing reaches them but through B's forwards.
 */
import { randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import type { BertyLibp2p } from '../../core/net/libp2p'
import { node, stopNodes } from '../support/loopback-nodes'
import { poll } from './helpers'

afterEach(stopNodes)
const TOPIC = 'berty-test-forward'

interface GossipInternals {
  streamsOutbound: Map<string, { pushPrefixed(data: unknown): void; push(data: Uint8Array): void }>
  control: Map<string, { graft: Array<{ topicID?: string }>; prune: unknown[] }>
  getMeshPeers(topic: string): string[]
}

describe('net: gossip forwards encoded once', () => {
  it('B forwards each of 20 messages to C, D and E as one shared encoding; E, with a control message waiting, gets both', async () => {
    const [a, b, c, d, e] = [await node(), await node(), await node(), await node(), await node()]
    for (const leaf of [a, c, d, e]) await leaf.dial(b.getMultiaddrs()[0]!)
    const got = new Map<BertyLibp2p, Uint8Array[]>([c, d, e].map((n) => [n, []]))
    for (const n of [a, b, c, d, e]) n.services.pubsub.subscribe(TOPIC)
    for (const [n, list] of got) {
      n.services.pubsub.addEventListener('message', (evt) => {
        if (evt.detail.topic === TOPIC) list.push(evt.detail.data)
      })
    }
    const gs = b.services.pubsub as unknown as GossipInternals
    const leaves = [c, d, e].map((n) => n.peerId.toString())
    await poll('B has A, C, D and E in its mesh', () => gs.getMeshPeers(TOPIC).length === 4 && a.services.pubsub.getSubscribers(TOPIC).length === 1, 20_000)

    // What B hands each leaf's outbound stream: the object itself, to tell shared from per-peer.
    const pushed = new Map<string, unknown[]>(leaves.map((id) => [id, []]))
    for (const id of leaves) {
      const stream = gs.streamsOutbound.get(id)!
      const [pushPrefixed, push] = [stream.pushPrefixed.bind(stream), stream.push.bind(stream)]
      stream.pushPrefixed = (data) => (pushed.get(id)!.push(data), pushPrefixed(data))
      stream.push = (data) => (pushed.get(id)!.push(data), push(data))
    }
    // A GRAFT for E waiting to piggyback (as after a mesh change): E's copies go the per-peer way.
    const grafts: Array<{ topicID?: string }> = [{ topicID: TOPIC }]
    gs.control.set(leaves[2]!, { graft: grafts, prune: [] })

    const sent = Array.from({ length: 20 }, () => new Uint8Array(randomBytes(8 * 1024)))
    for (const m of sent) await a.services.pubsub.publish(TOPIC, m)
    for (const [n, list] of got) {
      await poll(`${n.peerId.toString().slice(-6)} receives all 20`, () => list.length >= sent.length)
      expect(list.map((x) => Buffer.from(x).toString('hex'))).toEqual(sent.map((x) => Buffer.from(x).toString('hex')))
    }
    const [toC, toD, toE] = leaves.map((id) => pushed.get(id)!)
    // C and D: the very same object per message (one encoding), 20 of them.
    expect(toC!.length).toBeGreaterThanOrEqual(20)
    const shared = toC!.filter((x) => toD!.includes(x))
    expect(shared.length).toBeGreaterThanOrEqual(20)
    // E: its first copy carried the GRAFT (per-peer encoding; the control was taken), then it shares too.
    expect(gs.control.has(leaves[2]!)).toBe(false)
    expect(toE!.filter((x) => toC!.includes(x)).length).toBeGreaterThanOrEqual(19)
  }, 60_000)
})
