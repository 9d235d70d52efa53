// Issue "Reliability", forged input: 10,000 forged entries from a connected peer that knows the
// group's link key (so it can name the topic and seal blocks): bad group signatures, bit flips,
// truncated CBOR, entries of another group, replays, oversized blocks. 0 accepted, memory bounded,
// and a valid entry sent afterwards still lands.
import { afterEach, describe, expect, it } from 'vitest'
import { ed25519PublicFromSeed, randomBytes } from '../../core/crypto'
import { GroupLog } from '../../core/groups/group-log'
import { logIdFor, topicFor } from '../../core/groups/groups'
import { SqliteOrbitStorage } from '../../core/storage'
import { connect, gpkOf, logSize, startNode, stopAll, texts, until, type TestNode } from './helpers'

afterEach(stopAll)

const PER_KIND = 2_000

function storageOf(t: TestNode, name: string) {
  return {
    entries: new SqliteOrbitStorage(t.node.db, `${name}:entries`),
    heads: new SqliteOrbitStorage(t.node.db, `${name}:heads`),
    index: new SqliteOrbitStorage(t.node.db, `${name}:index`)
  }
}

describe('reliability: forged input', () => {
  it('10,000 forged entries: 0 accepted, memory bounded, a valid entry afterwards lands', async () => {
    const [a, b, rogue] = [await startNode('a'), await startNode('b'), await startNode('rogue')]
    await a.call('account:create', { displayName: 'Ann' })
    await b.call('account:create', { displayName: 'Ben' })
    await rogue.call('account:create', { displayName: 'Rogue' })
    await connect(a, b)
    const { groupPk } = await a.call('group:create', { name: 'Target' })
    await b.call('group:join', { url: (await a.call('group:invite', { groupPk })).url })
    const gpk = gpkOf(groupPk)
    await Promise.all([a, b].map((t) => until(t, () => t.node.groups.chainCount(gpk) === 2)))
    await a.call('message:send', { groupPk, text: 'before' })
    await until(b, async () => (await texts(b, groupPk)).includes('before'))
    const sizeBefore = { a: logSize(a, gpk, 'msg'), b: logSize(b, gpk, 'msg') }

    // The rogue: link key of the target, its own "group" signing key; and a real group of its own.
    const { linkKey } = a.node.groups.replicaKeys(gpk)
    const topic = topicFor(linkKey, 'msg')
    const signSeed = randomBytes(32)
    const fake = await GroupLog.open({
      logId: logIdFor(gpk, 'msg'),
      signPub: ed25519PublicFromSeed(signSeed),
      signSeed,
      linkKey,
      writerSeed: randomBytes(32),
      storage: storageOf(rogue, 'forged')
    })
    rogue.node.sync.add({ log: fake, topic, onEntries: () => {} })
    const { groupPk: otherPk } = await rogue.call('group:create', { name: 'Elsewhere' })
    await connect(rogue, a)
    await connect(rogue, b)
    const heapBefore = process.memoryUsage().heapUsed

    const wrongKey: Uint8Array[] = []
    for (let i = 0; i < PER_KIND; i++) wrongKey.push((await fake.append(randomBytes(48))).bytes)
    const flipped = wrongKey.map((bytes, i) => {
      const copy = bytes.slice()
      copy[i % copy.length]! ^= 0x40
      return copy
    })
    const truncated = wrongKey.map((bytes, i) => bytes.slice(0, 1 + (i % (bytes.length - 1))))
    const otherGroup: Uint8Array[] = []
    for (let i = 0; i < 50; i++) await rogue.call('message:send', { groupPk: otherPk, text: `elsewhere ${i}` })
    const otherLog = rogue.node.groups.topics(gpkOf(otherPk)).msg
    const otherReg = (rogue.node.sync as unknown as { logs: Map<string, { log: GroupLog }> }).logs.get(otherLog)!.log
    for (const h of await otherReg.headHashes()) {
      const bytes = await otherReg.getBytes(h)
      if (bytes) otherGroup.push(bytes)
    }
    const validHead = (a.node.sync as unknown as { logs: Map<string, { log: GroupLog }> }).logs.get(a.node.groups.topics(gpk).msg)!.log
    const replay = (await validHead.getBytes((await validHead.headHashes())[0]!))!
    const oversized = Array.from({ length: 5 }, () => new Uint8Array(1_500_000).fill(0xa5))

    const pubsub = rogue.node.libp2p.services.pubsub
    const publishAll = async (blocks: Uint8Array[], times = 1): Promise<number> => {
      let n = 0
      for (let r = 0; r < times; r++) {
        for (let i = 0; i < blocks.length; i += 200) {
          await Promise.allSettled(blocks.slice(i, i + 200).map((blk) => pubsub.publish(topic, blk)))
          n += Math.min(200, blocks.length - i)
        }
      }
      return n
    }
    let sent = 0
    sent += await publishAll(wrongKey)
    sent += await publishAll(flipped)
    sent += await publishAll(truncated)
    sent += await publishAll(otherGroup, Math.ceil(PER_KIND / Math.max(1, otherGroup.length)))
    sent += await publishAll([replay], PER_KIND)
    sent += await publishAll(oversized)
    expect(sent).toBeGreaterThanOrEqual(10_000)
    // The pull path too: members swap heads with the rogue and fetch its forged history.
    await Promise.all([a, b].map((t) => t.node.sync.syncNow(t.node.groups.topics(gpk).msg)))

    // A valid entry after the flood lands everywhere; nothing forged reached a log.
    await b.call('message:send', { groupPk, text: 'after' })
    await until(a, async () => (await texts(a, groupPk)).includes('after'), 60_000)
    expect(await texts(a, groupPk)).toEqual(['before', 'after'])
    expect(logSize(a, gpk, 'msg')).toBe(sizeBefore.a + 1)
    expect(logSize(b, gpk, 'msg')).toBe(sizeBefore.b + 1)
    const heapGrowthMb = (process.memoryUsage().heapUsed - heapBefore) / 1e6
    console.log(`forged: ${sent} sent, 0 accepted, heap growth ${heapGrowthMb.toFixed(1)} MB (three nodes in this process)`)
    expect(heapGrowthMb).toBeLessThan(300)
    for (const t of [a, b]) {
      const reg = (t.node.sync as unknown as { logs: Map<string, { rejected: { size: number } }> }).logs.get(t.node.groups.topics(gpk).msg)!
      expect(reg.rejected.size).toBeLessThanOrEqual(10_000)
    }
  }, 300_000)
})
