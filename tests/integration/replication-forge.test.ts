// Issue 13, cannot forge: a replica holds only the replica keys (group key, signing public key,
// link key and its signature). With them it can name the topics and seal blocks, but not sign
// entries with the group signing key nor write as a member device: nothing it makes is accepted.
import { afterEach, describe, expect, it } from 'vitest'
import { ed25519PublicFromSeed, randomBytes } from '../../core/crypto'
import { GroupLog } from '../../core/groups/group-log'
import { logIdFor, topicFor } from '../../core/groups/groups'
import { SqliteOrbitStorage } from '../../core/storage'
import { connect, gpkOf, logSize, noDiscovery, startNode, stopAll, texts, until, untilEngine, untilWarned, type TestNode } from './helpers'

afterEach(stopAll)

type Logs = { logs: Map<string, { log: GroupLog }> }

function storageOf(t: TestNode, name: string) {
  return {
    entries: new SqliteOrbitStorage(t.node.db, `${name}:entries`),
    heads: new SqliteOrbitStorage(t.node.db, `${name}:heads`),
    index: new SqliteOrbitStorage(t.node.db, `${name}:index`)
  }
}

describe('replica cannot forge', () => {
  it('entries made with replica keys only are refused by members (and by the replica itself)', async () => {
    const [a, b, r] = [await startNode('a'), await startNode('b'), await startNode('replica')]
    await Promise.all([a, b, r].map(noDiscovery))
    await a.call('account:create', { displayName: 'Ann' })
    await b.call('account:create', { displayName: 'Ben' })
    await connect(a, b)
    const { groupPk } = await a.call('group:create', { name: 'Guarded' })
    await b.call('group:join', { url: (await a.call('group:invite', { groupPk })).url })
    const gpk = gpkOf(groupPk)
    await Promise.all([a, b].map((t) => until(t, () => t.node.groups.chainCount(gpk) === 2)))
    await a.call('message:send', { groupPk, text: 'before' })
    await until(b, async () => (await texts(b, groupPk)).includes('before'))

    await r.call('replica:serve', await a.call('group:replicaKeys', { groupPk }))
    await connect(r, a)
    await connect(r, b)
    await untilEngine(r, () => logSize(r, gpk, 'msg') === logSize(a, gpk, 'msg') && logSize(r, gpk, 'meta') === logSize(a, gpk, 'meta'))
    const before = { a: [logSize(a, gpk, 'meta'), logSize(a, gpk, 'msg')], b: [logSize(b, gpk, 'meta'), logSize(b, gpk, 'msg')] }

    // What the replica holds: no secret, no signing seed; its engine refuses to write.
    const keys = r.node.groups.replicaKeys(gpk)
    expect(Object.keys(keys).sort()).toEqual(['groupPk', 'linkKey', 'linkKeySig', 'signPub'])
    await expect(r.call('message:send', { groupPk, text: 'forged through the API' })).rejects.toThrow(/replicas cannot send/)
    await expect(r.node.groups.appendWeshEvent(gpk, 403, new Uint8Array(0))).rejects.toThrow(/replicas cannot write/)
    const own = (r.node.sync as unknown as Logs).logs.get(r.node.groups.topics(gpk).msg)!.log
    await expect(own.append(randomBytes(64))).rejects.toThrow(/cannot append/)

    // The best it can do: entries sealed with the real link key on the real topics, signed with a
    // key of its own (it never had the group signing seed) by a writer of its own.
    let forgedCount = 0
    for (const kind of ['msg', 'meta'] as const) {
      const signSeed = randomBytes(32)
      const forged = await GroupLog.open({
        logId: logIdFor(gpk, kind),
        signPub: ed25519PublicFromSeed(signSeed),
        signSeed,
        linkKey: keys.linkKey,
        writerSeed: randomBytes(32),
        storage: storageOf(r, `forged-${kind}`)
      })
      const topic = topicFor(keys.linkKey, kind)
      for (let i = 0; i < 20; i++) {
        const { bytes } = await forged.append(randomBytes(80))
        await r.node.libp2p.services.pubsub.publish(topic, bytes).catch(() => {})
        forgedCount++
      }
    }
    // Every forgery reached both members and was rejected there (the access controller's verdict).
    const rejected = (t: TestNode) => t.warnings.filter((w) => w.includes('rejected gossiped entry')).length
    await Promise.all([a, b].map((t) => untilWarned(t, () => rejected(t) >= 40)))
    // A valid entry after the forgeries lands; none of the forgeries reached any log.
    await b.call('message:send', { groupPk, text: 'after' })
    await until(a, async () => (await texts(a, groupPk)).includes('after'), 60_000)
    await untilEngine(r, () => logSize(r, gpk, 'msg') === before.a[1]! + 1)
    expect(forgedCount).toBe(40)
    expect(await texts(a, groupPk)).toEqual(['before', 'after'])
    expect([logSize(a, gpk, 'meta'), logSize(a, gpk, 'msg')]).toEqual([before.a[0], before.a[1]! + 1])
    expect([logSize(b, gpk, 'meta'), logSize(b, gpk, 'msg')]).toEqual([before.b[0], before.b[1]! + 1])
    expect([logSize(r, gpk, 'meta'), logSize(r, gpk, 'msg')]).toEqual([before.a[0], before.a[1]! + 1])
    expect(await a.call('replica:list', { groupPk })).toEqual([])
  }, 120_000)
})
