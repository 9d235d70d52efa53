/**
 * A chain key and the receiver chain it gives are stored together. On open, the stored chains are
 * loaded and the metadata log is replayed without handing a stored chain its key again (a restart
 * must not set a chain back: groups-restart-long-chain.test.ts). That is exact only if a key in the
 * log always has its chain stored: a crash between the two (the key's entry joined, its chain not
 * yet saved), for a device whose chain came from a later key, left that device's messages between
 * the two keys unreadable for good. A received metadata batch is now applied inside its join's
 * transaction: both or neither.
 *
 * The crash is a write fault at that very moment (a trigger refusing the chain's row). The node keeps
 * running, so what the batch did in memory is undone too: left applied, the entries joined again
 * would be taken as known, and their chain's row never written.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { keyId, MetadataType, openMetadataEvent } from '../../core/protocol/group'
import { connect, gpkOf, noDiscovery, openGroupOf, pairInGroup, poll, startNode, stopAll, texts, until, type TestNode } from './helpers'

afterEach(stopAll)

/** The hashes of the entries in `t`'s metadata log that hand `t`'s member a chain key of `from`'s device. */
async function keysFrom(t: TestNode, from: TestNode, gpk: Uint8Array): Promise<string[]> {
  const g = openGroupOf(t, gpk)!
  const device = keyId(openGroupOf(from, gpk)!.me!.devicePk)
  const readBy = { devicePk: g.me!.devicePk, memberPk: g.me!.memberPk }
  const out: string[] = []
  for await (const e of g.meta.traverse()) {
    if (e.key !== device) continue
    const event = openMetadataEvent(g.secrets!, e.payload.s, readBy)
    if (event?.type === MetadataType.DEVICE_SECRET && keyId(event.body.receiverMemberPk) === keyId(g.me!.memberPk)) out.push(e.hash)
  }
  return out
}

function storedChains(t: TestNode, gpk: Uint8Array): number {
  return t.node.db.sql.prepare<[Uint8Array], { n: number }>("SELECT count(*) AS n FROM group_chains WHERE group_pk = ? AND role = 'recv'").get(gpk)!.n
}

describe('groups: a chain key and its chain are stored together', () => {
  it('B fails to store the chain a newcomer handed it: the key stays out of its log until it can, then the newcomer is read, across a restart too', async () => {
    const { a, b, groupPk } = await pairInGroup(['Alice', 'Bob'])
    const gpk = gpkOf(groupPk)
    const c = await startNode('c')
    await noDiscovery(c)
    await c.call('account:create', { displayName: 'Carol' })
    expect(storedChains(b, gpk)).toBe(2)

    // The fault: B's first save of a chain for a device it has none for fails (and says so).
    let faults = 0
    b.node.db.sql.function('berty_test_fault', () => ++faults)
    b.node.db.sql.exec(`CREATE TEMP TRIGGER die_at_chain_save BEFORE INSERT ON group_chains
      WHEN NEW.role = 'recv' AND NEW.device_pk NOT IN (SELECT device_pk FROM group_chains WHERE group_pk = NEW.group_pk)
      BEGIN SELECT berty_test_fault(); SELECT RAISE(ABORT, 'injected: died at the chain save'); END`)

    const { url } = await a.call('group:invite', { groupPk })
    await connect(c, a)
    await connect(c, b)
    await c.call('group:join', { url })
    await until(a, () => a.node.groups.chainCount(gpk) === 3)
    // A counter in this test, not a node event: polled.
    await poll('the fault', () => faults > 0)
    // Either the key's entry is not in B's log, or its chain is stored: never the key without its chain.
    expect({ keysHeld: (await keysFrom(b, c, gpk)).length, chainsStored: storedChains(b, gpk) }).toEqual({ keysHeld: 0, chainsStored: 2 })

    // Still running, B joins the same entries again (the fault still there): the chain it applied in
    // memory the first time must not let the entry in without its row.
    const before = faults
    const { meta } = b.node.groups.topics(gpk)
    await poll('the entries joined again', async () => {
      await b.node.sync.syncNow(meta).catch(() => {})
      return faults > before || (await keysFrom(b, c, gpk)).length > 0
    })
    expect({ keysHeld: (await keysFrom(b, c, gpk)).length, chainsStored: storedChains(b, gpk) }).toEqual({ keysHeld: 0, chainsStored: 2 })

    // The fault gone, the running node heals: the entries join with their chain.
    b.node.db.sql.exec('DROP TRIGGER die_at_chain_save')
    await poll('the node heals', async () => {
      await b.node.sync.syncNow(meta).catch(() => {})
      return storedChains(b, gpk) === 3
    })
    expect((await keysFrom(b, c, gpk)).length).toBe(1)
    await c.call('message:send', { groupPk, text: 'hello from Carol' })
    await until(b, async () => (await texts(b, groupPk)).includes('hello from Carol'))

    // And across a restart (the chains as stored, the log replayed).
    await b.restart()
    await noDiscovery(b)
    await connect(b, a)
    await connect(b, c)
    await c.call('message:send', { groupPk, text: 'Carol again' })
    await until(b, async () => (await texts(b, groupPk)).includes('Carol again'))
    expect(b.node.groups.chainCount(gpk)).toBe(3)
  }, 90_000)
})
