/**
 * Connection management on loopback: peers of our groups (subscribed to one of our gossipsub topics) are
 * tagged keep-alive and outlast strangers when the connection cap prunes; a peer that unsubscribes loses
 * the tag; a tagged peer whose connection drops is redialled (libp2p's reconnect queue).
 */
import { randomBytes } from 'node:crypto'
import type { Libp2p } from 'libp2p'
import { afterEach, describe, expect, it } from 'vitest'
import { GROUP_PEER_TAG, GROUP_PEER_VALUE, keepGroupPeers } from '../../core/net/group-peers'
import { createLibp2pNode, peerKeyFromSeed, type BertyLibp2p, type Libp2pNodeOptions } from '../../core/net/libp2p'

const running: Libp2p[] = []
const stops: Array<() => void> = []
async function node(options: Partial<Libp2pNodeOptions> = {}): Promise<BertyLibp2p> {
  const n = await createLibp2pNode({ privateKey: await peerKeyFromSeed(randomBytes(32)), listen: ['/ip4/127.0.0.1/tcp/0'], webrtc: false, ...options, start: true })
  running.push(n)
  return n
}

afterEach(async () => {
  for (const s of stops.splice(0)) s()
  await Promise.all(running.splice(0).map((n) => n.stop()))
})

async function eventually(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`not within ${timeoutMs} ms: ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

const tagOf = async (n: BertyLibp2p, peer: BertyLibp2p) => (await n.peerStore.get(peer.peerId).catch(() => undefined))?.tags.get(GROUP_PEER_TAG)

describe('net: group peers are kept', () => {
  it('tags group peers, keeps them when the connection cap prunes strangers, untags on unsubscribe', async () => {
    const a = await node({ maxConnections: 3 })
    stops.push(keepGroupPeers({ peerStore: a.peerStore, pubsub: a.services.pubsub }))
    const member = await node()
    a.services.pubsub.subscribe('group-topic')
    member.services.pubsub.subscribe('group-topic')
    await member.dial(a.getMultiaddrs())
    await eventually('member tagged', async () => (await tagOf(a, member))?.value === GROUP_PEER_VALUE)

    // Five strangers connect: the cap (3) is exceeded, the pruner closes the lowest-valued peers.
    const strangers = await Promise.all(Array.from({ length: 5 }, async () => node()))
    for (const s of strangers) await s.dial(a.getMultiaddrs()).catch(() => undefined)
    await eventually('pruned down to the cap', () => a.getConnections().length <= 3)
    await new Promise((r) => setTimeout(r, 500))
    expect(a.getConnections(member.peerId).length).toBeGreaterThan(0)
    expect(strangers.filter((s) => a.getConnections(s.peerId).length === 0).length).toBeGreaterThanOrEqual(3)

    member.services.pubsub.unsubscribe('group-topic')
    await eventually('tag removed', async () => (await tagOf(a, member)) == null)
  }, 60_000)

  it('redials a group peer after its connection drops', async () => {
    const a = await node()
    stops.push(keepGroupPeers({ peerStore: a.peerStore, pubsub: a.services.pubsub }))
    const member = await node()
    a.services.pubsub.subscribe('group-topic')
    member.services.pubsub.subscribe('group-topic')
    await a.dial(member.getMultiaddrs())
    await eventually('member tagged', async () => (await tagOf(a, member)) != null)
    // The member closes the connection (as a network drop looks from here): A redials it on its own.
    await member.hangUp(a.peerId)
    await eventually('reconnected by A', () => a.getConnections(member.peerId).length > 0, 30_000)
  }, 60_000)

  it('tags a returning group peer again after libp2p dropped its tag (its redials ran out)', async () => {
    const a = await node()
    stops.push(keepGroupPeers({ peerStore: a.peerStore, pubsub: a.services.pubsub }))
    const member = await node()
    a.services.pubsub.subscribe('group-topic')
    member.services.pubsub.subscribe('group-topic')
    await member.dial(a.getMultiaddrs())
    await eventually('member tagged', async () => (await tagOf(a, member)) != null)
    // What libp2p's reconnect queue does once its retries are used up: the tag goes.
    await a.peerStore.merge(member.peerId, { tags: { [GROUP_PEER_TAG]: undefined } })
    await member.hangUp(a.peerId)
    await eventually('disconnected', () => a.getConnections(member.peerId).length === 0)
    // Back later: it announces its subscriptions again, and is a kept group peer again.
    await member.dial(a.getMultiaddrs())
    await eventually('member tagged again', async () => (await tagOf(a, member))?.value === GROUP_PEER_VALUE, 15_000)
  }, 60_000)
})
