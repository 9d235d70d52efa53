// Who can read and write a group, at node level (PROTOCOL.md "Link key", "Group signing key"):
// an outsider learns nothing readable even when it listens on the group's topics; a replica
// stores and verifies entries it cannot read; entries signed with a wrong group signing key
// are rejected on both paths (gossip and pull) while valid entries keep landing everywhere; a
// member cannot pass its message off as another member's device.
import { afterEach, describe, expect, it } from 'vitest'
import { ed25519PublicFromSeed, randomBytes, secretboxOpenWithNonce, secretboxSealWithNonce } from '../../core/crypto'
import { GroupLog } from '../../core/groups/group-log'
import { logIdFor, topicFor } from '../../core/groups/groups'
import { keyId, openMessageHeaders, openMessageWithChain, sealMessage } from '../../core/protocol/group'
import { MessageEnvelope, MessageHeaders as HeadersWire } from '../../core/protocol/proto/wesh'
import { SqliteOrbitStorage } from '../../core/storage'
import type { TestNode } from './helpers'
import { connect, gpkOf, logSize, openGroupOf, startNode, stopAll, texts, until, untilEngine, untilTarget, untilWarned } from './helpers'

afterEach(stopAll)

/** a creates a group, b joins, both hold each other's chain key. */
async function pair(a: TestNode, b: TestNode): Promise<{ groupPk: string; gpk: Uint8Array }> {
  await a.call('account:create', { displayName: 'Alice' })
  await b.call('account:create', { displayName: 'Bob' })
  await connect(a, b)
  const { groupPk } = await a.call('group:create', { name: 'Closed' })
  const { url } = await a.call('group:invite', { groupPk })
  await b.call('group:join', { url })
  const gpk = gpkOf(groupPk)
  await Promise.all([a, b].map((t) => until(t, () => t.node.groups.chainCount(gpk) === 2)))
  return { groupPk, gpk }
}

const contains = (haystack: Uint8Array, needle: Uint8Array): boolean => Buffer.from(haystack).includes(Buffer.from(needle))

describe('outsiders and replicas', () => {
  it('an outsider cannot name the group, and what it overhears is sealed', async () => {
    const a = await startNode('a')
    const b = await startNode('b')
    const o = await startNode('outsider')
    await o.call('account:create', { displayName: 'Eve' })
    // The outsider collects every topic its peers announce, and every gossip message it gets.
    const announced = new Set<string>()
    const overheard: Uint8Array[] = []
    const pubsub = o.node.libp2p.services.pubsub
    pubsub.addEventListener('subscription-change', (evt) => {
      for (const s of evt.detail.subscriptions) if (s.subscribe) announced.add(s.topic)
    })
    pubsub.addEventListener('message', (evt) => overheard.push(evt.detail.data))
    await connect(o, a)
    const { groupPk, gpk } = await pair(a, b)
    await connect(o, b)

    // Knowing nothing, it holds no group and derives no topic: the node refuses to list.
    expect(o.node.groups.has(gpk)).toBe(false)
    await expect(o.call('message:list', { groupPk })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(o.call('message:send', { groupPk, text: 'let me in' })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    const topics = a.node.groups.topics(gpk)
    expect(pubsub.getTopics()).not.toContain(topics.msg)

    // Gossipsub announces subscriptions to every peer, so the outsider can still listen in:
    // the topic name is no secret among connected peers, the link key is.
    await untilTarget(pubsub, 'subscription-change', () => announced.has(topics.msg))
    pubsub.subscribe(topics.msg)
    const aPubsub = a.node.libp2p.services.pubsub
    await untilTarget(aPubsub, 'subscription-change', () => aPubsub.getSubscribers(topics.msg).some((p) => p.equals(o.node.libp2p.peerId)))
    const secret = 'the eagle lands at dawn'
    await a.call('message:send', { groupPk, text: secret })
    await until(b, async () => (await texts(b, groupPk)).includes(secret))
    await untilTarget(pubsub, 'message', () => overheard.length > 0)
    for (const data of overheard) {
      expect(contains(data, new TextEncoder().encode(secret))).toBe(false)
      // Without the link key the block does not even open as a log entry.
      const guess = await GroupLog.open({
        logId: logIdFor(gpk, 'msg'),
        signPub: ed25519PublicFromSeed(randomBytes(32)),
        linkKey: randomBytes(32),
        storage: memoryStorage(o, 'guess')
      })
      await expect(guess.decode(data)).rejects.toThrow()
      await guess.close()
    }
    expect(await texts(a, groupPk)).toEqual([secret])
    for (const t of [a, b]) expect(t.warnings, t.name).toEqual([])
  })

  it('a node with replica keys stores and verifies entries but reads and writes nothing', async () => {
    const a = await startNode('a')
    const b = await startNode('b')
    const r = await startNode('replica')
    const { groupPk, gpk } = await pair(a, b)
    await a.call('message:send', { groupPk, text: 'one' })
    await b.call('message:send', { groupPk, text: 'two' })
    await until(a, async () => (await texts(a, groupPk)).length === 2)

    await connect(r, a)
    await r.node.groups.replicate(a.node.groups.replicaKeys(gpk))
    await a.call('message:send', { groupPk, text: 'three' })
    await until(b, async () => (await texts(b, groupPk)).length === 3)
    await untilEngine(r, () => logSize(r, gpk, 'msg') === logSize(a, gpk, 'msg') && logSize(r, gpk, 'meta') === logSize(a, gpk, 'meta'))
    expect(logSize(r, gpk, 'msg')).toBe(3)

    // It holds the entries, verified, and nothing readable.
    expect(r.node.groups.get(gpk).role).toBe('replica')
    expect((await r.call('message:list', { groupPk, limit: 500 })).messages).toEqual([])
    expect(r.node.groups.members(gpk)).toEqual([])
    await expect(r.call('message:send', { groupPk, text: 'forged' })).rejects.toMatchObject({ code: 'INVALID_PARAMS' })
    for (const t of [a, b, r]) expect(t.warnings, t.name).toEqual([])
  })

  it('entries under a wrong group signing key are rejected and logged; valid ones still land everywhere', async () => {
    const a = await startNode('a')
    const b = await startNode('b')
    const rogue = await startNode('rogue')
    const { groupPk, gpk } = await pair(a, b)
    await a.call('message:send', { groupPk, text: 'before' })
    await until(b, async () => (await texts(b, groupPk)).includes('before'))
    await connect(rogue, a)
    await connect(rogue, b)

    // The rogue has the link key (it can name and seal the logs) but signs with its own
    // "group" key. Its first entries exist before it subscribes, so members pull them after
    // the heads exchange; the next ones go out by gossip.
    const { linkKey } = a.node.groups.replicaKeys(gpk)
    const forge = async (kind: 'meta' | 'msg') => {
      const signSeed = randomBytes(32)
      return GroupLog.open({
        logId: logIdFor(gpk, kind),
        signPub: ed25519PublicFromSeed(signSeed),
        signSeed,
        linkKey,
        writerSeed: randomBytes(32),
        storage: memoryStorage(rogue, `forged-${kind}`)
      })
    }
    const forged: string[] = []
    for (const kind of ['meta', 'msg'] as const) {
      const log = await forge(kind)
      forged.push((await log.append(randomBytes(64))).entry.hash)
      const topic = topicFor(linkKey, kind)
      rogue.node.sync.add({ log, topic, onEntries: () => {} })
    }
    const rejections = (t: TestNode) => t.warnings.filter((w) => w.includes('rejected')).length
    // Pull path: members see the rogue's subscriptions, swap heads and reject what they fetch.
    await Promise.all([a, b].map((t) => untilWarned(t, () => rejections(t) >= 2)))
    const pulled = Math.min(rejections(a), rejections(b))
    // Gossip path.
    for (const kind of ['meta', 'msg'] as const) {
      forged.push((await rogue.node.sync.appendAndPublish(topicFor(linkKey, kind), randomBytes(64))).entry.hash)
    }
    await Promise.all([a, b].map((t) => untilWarned(t, () => rejections(t) >= pulled + 2)))
    for (const t of [a, b]) {
      expect(t.warnings.every((w) => w.includes('rejected')), t.name).toBe(true)
      expect(t.warnings.some((w) => w.includes('sync: rejected entry') && w.includes('group signature does not verify'))).toBe(true)
      expect(t.warnings.some((w) => w.includes('sync: rejected gossiped entry'))).toBe(true)
      // Nothing forged reached a log.
      expect(logSize(t, gpk, 'msg')).toBe(1)
    }

    // A valid member's entry still lands on every honest node.
    await b.call('message:send', { groupPk, text: 'after' })
    await until(a, async () => (await texts(a, groupPk)).includes('after'))
    expect(await texts(a, groupPk)).toEqual(['before', 'after'])
    expect(await texts(b, groupPk)).toEqual(['before', 'after'])
    expect(forged).toHaveLength(4)
  })
})

describe('insiders', () => {
  // Received messages are opened without checking their header signature again: the entry's writer
  // signature, by the same device key, covers the sealed message (message-pipeline.ts). What makes
  // that sound is the check that the writer is the header's device; this is the attack it stops.
  it("a member's entry whose headers claim another member's device is refused, though it would open", async () => {
    const a = await startNode('a')
    const b = await startNode('b')
    const { groupPk, gpk } = await pair(a, b)
    await a.call('message:send', { groupPk, text: 'from a' })
    await until(b, async () => (await texts(b, groupPk)).includes('from a'))

    // b holds a's chain key (every member does): it seals on a's chain, at a's next counter, a
    // message that opens under a's message key, then rewrites the headers to name a's device. The
    // header signature is b's; the entry goes out under b's own writer key and group signature.
    const gb = openGroupOf(b, gpk)!
    const aDevice = a.node.groups.myDevicePk(gpk)
    const aChain = gb.chains.get(keyId(aDevice))!
    const out = sealMessage(gb.secrets!, { seed: gb.me!.deviceSeed, pk: gb.me!.devicePk }, { chainKey: Uint8Array.from(aChain.chainKey), counter: aChain.counter }, { text: 'forged as a', sentAtMs: Date.now() })
    const env = MessageEnvelope.decode(out.sealed)
    const hw = HeadersWire.decode(secretboxOpenWithNonce(gb.secrets!.secret, env.nonce, env.messageHeaders))
    hw.devicePk = aDevice
    const forged = MessageEnvelope.encode({ ...env, messageHeaders: secretboxSealWithNonce(gb.secrets!.secret, env.nonce, HeadersWire.encode(hw)) })
    // Without the writer check it would open as a's, under the pipeline's options.
    const copy = { chainKey: Uint8Array.from(aChain.chainKey), counter: aChain.counter, start: aChain.counter, skipped: new Map<number, Uint8Array>() }
    expect(openMessageWithChain(gpk, openMessageHeaders(gb.secrets!, forged), copy, { writerVerified: true }).payload.text).toBe('forged as a')
    await b.node.sync.appendAndPublish(gb.msgTopic, forged)

    await untilWarned(a, () => a.warnings.some((w) => w.includes('groups: message writer mismatch')))
    await a.call('message:send', { groupPk, text: 'after' })
    await until(b, async () => (await texts(b, groupPk)).includes('after'))
    // The forgery opened nowhere, and a's real message at the counter it took opens everywhere.
    for (const t of [a, b]) expect(await texts(t, groupPk), t.name).toEqual(['from a', 'after'])
    expect(b.warnings.some((w) => w.includes('groups: message writer mismatch'))).toBe(true)
  })
})

/** A throwaway storage namespace in a node's own SQLite file, for hand-built logs. */
function memoryStorage(t: TestNode, name: string) {
  const ns = `test-${name}-${Buffer.from(randomBytes(4)).toString('hex')}`
  return {
    entries: new SqliteOrbitStorage(t.node.db, `${ns}:entries`),
    heads: new SqliteOrbitStorage(t.node.db, `${ns}:heads`),
    index: new SqliteOrbitStorage(t.node.db, `${ns}:index`)
  }
}
