// Partitions and restarts: members keep writing on both sides of a split and converge to the
// identical Lamport-ordered list once healed (PROTOCOL.md "Ordering"); a member stopped
// mid-conversation and restarted from disk keeps what it had and catches up.
import { afterEach, describe, expect, it } from 'vitest'
import type { TestNode } from './helpers'
import { connect, disconnect, gpkOf, messageIds, noDiscovery, startNode, stopAll, until } from './helpers'

afterEach(stopAll)

interface Group {
  groupPk: string
  gpk: Uint8Array
}

/** Starts `names.length` members (no DHT: the test alone decides who is connected), all in one group. */
async function members(names: string[]): Promise<{ nodes: TestNode[]; group: Group }> {
  const nodes = await Promise.all(names.map((n) => startNode(n)))
  await Promise.all(nodes.map(noDiscovery))
  await Promise.all(nodes.map((t) => t.call('account:create', { displayName: t.name })))
  for (let i = 0; i < nodes.length; i++) for (let j = i + 1; j < nodes.length; j++) await connect(nodes[i]!, nodes[j]!)
  const { groupPk } = await nodes[0]!.call('group:create', { name: 'Split' })
  const { url } = await nodes[0]!.call('group:invite', { groupPk })
  await Promise.all(nodes.slice(1).map((t) => t.call('group:join', { url })))
  const gpk = gpkOf(groupPk)
  await Promise.all(nodes.map((t) => until(t, () => t.node.groups.chainCount(gpk) === nodes.length)))
  return { nodes, group: { groupPk, gpk } }
}

const hex = (b64url: string): string => Buffer.from(b64url, 'base64url').toString('hex')

/** PROTOCOL.md "Ordering": Lamport time, then writer id bytes (the writer is the sender device), then entry id. */
function lamportSorted<M extends { lamport: number; sender: string; id: string }>(ms: M[]): M[] {
  const key = (m: M): [number, string, string] => [m.lamport, hex(m.sender), m.id]
  return [...ms].sort((a, b) => {
    const [x, y] = [key(a), key(b)]
    if (x[0] !== y[0]) return x[0] - y[0]
    if (x[1] !== y[1]) return x[1] < y[1] ? -1 : 1
    return x[2] < y[2] ? -1 : x[2] > y[2] ? 1 : 0
  })
}

async function sendAll(t: TestNode, groupPk: string, texts: string[]): Promise<void> {
  for (const text of texts) await t.call('message:send', { groupPk, text })
}

const hasCount = (t: TestNode, groupPk: string, n: number) => until(t, async () => (await messageIds(t, groupPk)).length === n)

describe('partition and heal', () => {
  it('both sides write while split, and everyone converges to the same Lamport order', async () => {
    const { nodes, group } = await members(['a', 'b', 'c'])
    const [a, b, c] = nodes as [TestNode, TestNode, TestNode]
    const { groupPk } = group
    await a.call('message:send', { groupPk, text: 'before the split' })
    await Promise.all(nodes.map((t) => hasCount(t, groupPk, 1)))

    // Split {a, b} | {c}: close the connections from both sides; nobody redials.
    await disconnect(a, c)
    await disconnect(b, c)
    expect(c.node.libp2p.getConnections()).toEqual([])
    expect(a.node.libp2p.getConnections().map((x) => x.remotePeer.toString())).toEqual([b.node.libp2p.peerId.toString()])

    await Promise.all([
      sendAll(a, groupPk, ['a1', 'a2', 'a3']),
      sendAll(b, groupPk, ['b1', 'b2', 'b3']),
      sendAll(c, groupPk, ['c1', 'c2', 'c3', 'c4'])
    ])
    await Promise.all([hasCount(a, groupPk, 7), hasCount(b, groupPk, 7), hasCount(c, groupPk, 5)])
    expect(await messageIds(a, groupPk)).toEqual(await messageIds(b, groupPk))
    expect(c.node.libp2p.getConnections()).toEqual([])

    // Heal. No explicit sync: seeing each other's subscriptions again is enough.
    await connect(c, a)
    await connect(c, b)
    await Promise.all(nodes.map((t) => hasCount(t, groupPk, 11)))

    const reference = (await a.call('message:list', { groupPk, limit: 500 })).messages
    expect(reference.map((m) => m.id)).toEqual(lamportSorted(reference).map((m) => m.id))
    for (const t of [b, c]) expect(await messageIds(t, groupPk), t.name).toEqual(reference.map((m) => m.id))
    // The split really was concurrent: both sides' entries interleave in Lamport time.
    const times = (prefix: string) => reference.filter((m) => m.text.startsWith(prefix)).map((m) => m.lamport)
    expect(Math.min(...times('c'))).toBeLessThanOrEqual(Math.max(...times('a'), ...times('b')))
    for (const t of nodes) expect(t.warnings, t.name).toEqual([])
  })

  it('a member restarted mid-conversation keeps what it had and catches up', async () => {
    const { nodes, group } = await members(['a', 'b', 'c'])
    const [a, b, c] = nodes as [TestNode, TestNode, TestNode]
    const { groupPk, gpk } = group
    await sendAll(c, groupPk, ['c before'])
    await sendAll(a, groupPk, ['a0', 'a1'])
    await Promise.all(nodes.map((t) => hasCount(t, groupPk, 3)))

    // Stop c while a is still sending: some entries are in flight when it goes down.
    const sending = sendAll(a, groupPk, ['a2', 'a3', 'a4', 'a5', 'a6', 'a7'])
    await until(c, async () => (await messageIds(c, groupPk)).length >= 4)
    const had = await messageIds(c, groupPk)
    const stopped = c.restart()
    await sending
    await sendAll(b, groupPk, ['b while c is down'])
    await stopped
    await noDiscovery(c)

    // Nothing it had is lost, before any peer is back.
    const afterRestart = await messageIds(c, groupPk)
    for (const id of had) expect(afterRestart).toContain(id)
    expect(c.node.groups.chainCount(gpk)).toBe(3)

    await connect(c, a)
    await connect(c, b)
    await hasCount(c, groupPk, 10)
    // Its sender chain survived the restart: what it writes now, the others can read.
    await sendAll(c, groupPk, ['c after restart'])
    await Promise.all(nodes.map((t) => hasCount(t, groupPk, 11)))
    const reference = await messageIds(a, groupPk)
    for (const t of [b, c]) expect(await messageIds(t, groupPk), t.name).toEqual(reference)
    const list = (await c.call('message:list', { groupPk, limit: 500 })).messages
    expect(list.map((m) => m.id)).toEqual(lamportSorted(list).map((m) => m.id))
    expect(list.filter((m) => m.mine).map((m) => m.text)).toEqual(['c before', 'c after restart'])
    for (const t of nodes) expect(t.warnings, t.name).toEqual([])
  })
})
