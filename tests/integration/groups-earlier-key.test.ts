/**
 * A second chain key from the same device, one that starts earlier than the chain the member
 * holds, arriving after the member read far ahead: weshnet posts one key per device and member,
 * but a device that lost its log after gossiping a key (a power loss) posts another, and a peer
 * may hand an old entry late. The earlier key used to replace the chain ("keep the chain that
 * starts earlier"): set back to that key's counter, a chain opens at most 2,000 messages ahead, so
 * past 2,000 messages read everything the device wrote next was unreadable, for good. Now the
 * chain stays where it is and the earlier key adds the messages before the chain's start.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { DEFAULT_MAX_SKIP, MetadataType, deviceSecretBody, sealMetadataEvent, shareableChainKey } from '../../core/protocol/group'
import { connect, allMessages, gpkOf, openGroupOf, placeholders, poll, startNode, stopAll, texts, until } from './helpers'

afterEach(stopAll)

const MIN = 60_000

describe('groups: an earlier chain key of the same device', () => {
  it('arriving after 2,100 messages read: the chain is not set back, and what came before the first key opens', async () => {
    let skew = 0
    const a = await startNode('a', { now: () => Date.now() + skew })
    const b = await startNode('b')
    await a.call('account:create', { displayName: 'A' })
    await b.call('account:create', { displayName: 'B' })
    const { groupPk } = await a.call('group:create', { name: 'Long' })
    const gpk = gpkOf(groupPk)
    const ga = openGroupOf(a, gpk)!
    // The key of A's chain at counter 0, as A would have handed it to B before losing it.
    const early = shareableChainKey(ga.sender!)
    const before = Array.from({ length: 10 }, (_, i) => `before ${i}`)
    for (const text of before) await a.call('message:send', { groupPk, text })
    // Past the hand-over window: B is handed A's chain at counter 10.
    skew = 10 * MIN
    const { url } = await a.call('group:invite', { groupPk })
    await connect(a, b)
    await b.call('group:join', { url })
    await until(b, async () => (await placeholders(b, groupPk)) === before.length, 30_000)
    const gb = openGroupOf(b, gpk)!
    const aDevice = keyOf(a.node.groups.myDevicePk(gpk))
    expect(gb.chains.get(aDevice)!.start).toBe(before.length)

    const MESSAGES = DEFAULT_MAX_SKIP + 100
    await Promise.all(Array.from({ length: MESSAGES }, (_, i) => a.node.groups.send(gpk, `m${i}`)))
    const count = (unreadable: boolean) =>
      b.node.db.sql.prepare<[Uint8Array], { n: number }>(`SELECT count(*) AS n FROM messages WHERE group_pk = ? AND unreadable IS ${unreadable ? 'NOT ' : ''}NULL`).get(gpk)!.n
    await poll('B reads the 2,100', () => count(false) >= MESSAGES, 60_000)

    // A's earlier key reaches B now.
    const body = deviceSecretBody({ seed: ga.me!.deviceSeed, pk: ga.me!.devicePk }, gb.me!.memberPk, early, gpk)
    await a.node.sync.appendManyAndPublish(ga.metaTopic, [sealMetadataEvent(ga.secrets!, { seed: ga.me!.deviceSeed, pk: ga.me!.devicePk }, { type: MetadataType.DEVICE_SECRET, body })])
    await poll("B merges the earlier key", () => gb.chains.get(aDevice)!.start === 0, 30_000)
    const after = Array.from({ length: 5 }, (_, i) => `after ${i}`)
    for (const text of after) await a.call('message:send', { groupPk, text })

    // Before: none of `after` arrived (2,110 ahead of the key's counter), `before` stayed placeholders.
    await poll('B reads what came before its key and after the earlier one', () => count(false) === MESSAGES + 15, 30_000)
    expect(count(true)).toBe(0)
    expect((await texts(b, groupPk)).slice(-5)).toEqual(after)
    const all = (await allMessages(b, groupPk)).map((m) => m.text)
    expect(all.slice(0, 10)).toEqual(before)
    const undecryptable = b.node.db.sql.prepare("SELECT count(*) AS n FROM log_processed WHERE status IN ('undecryptable', 'pending')").get() as { n: number }
    expect(undecryptable.n).toBe(0)
    // Across a restart too: the chain loads with its start, the replayed keys add nothing.
    await b.restart()
    await connect(b, a)
    await a.call('message:send', { groupPk, text: 'after restart' })
    await until(b, async () => (await texts(b, groupPk)).includes('after restart'), 30_000)
    expect(openGroupOf(b, gpk)!.chains.get(aDevice)!.start).toBe(0)
  }, 180_000)
})

function keyOf(pk: Uint8Array): string {
  return Buffer.from(pk).toString('hex')
}
