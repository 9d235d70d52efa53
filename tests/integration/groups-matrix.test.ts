// Scenario matrix for the groups engine between real nodes: 2, 3, 5 and 10 members, all
// connected or in a line (A–B–C–…, each node dials only its neighbours, so the metadata and
// message logs must hop). Every member sends; every member must end with the same messages
// in the same Lamport order (PROTOCOL.md "Ordering").
import { afterEach, describe, expect, it } from 'vitest'
import { connect, gpkOf, logSize, messageIds, noDiscovery, startNode, stopAll, until, type TestNode } from './helpers'

afterEach(stopAll)

type Topology = 'all-connected' | 'line'

const PER_MEMBER = 2

/**
 * Dials every edge once. All nodes share 127.0.0.1, and libp2p refuses more than 5 inbound
 * connections per second from one host (`inboundConnectionThreshold`), so the full mesh is
 * oriented as a circulant tournament: node i dials i+1 … i+⌊n/2⌋ (mod n), and no node gets
 * more than 5 inbound dials for n ≤ 10. A line must stay a line: the DHT would otherwise
 * find and dial the neighbours' neighbours.
 */
async function wire(nodes: TestNode[], topology: Topology): Promise<void> {
  const n = nodes.length
  const dials: Array<Promise<void>> = []
  if (topology === 'line') {
    await Promise.all(nodes.map(noDiscovery))
    for (let i = 0; i + 1 < n; i++) dials.push(connect(nodes[i]!, nodes[i + 1]!))
  } else {
    for (let i = 0; i < n; i++) {
      for (let d = 1; d <= Math.floor(n / 2); d++) {
        // With n even, the opposite edge (d = n/2) is dialled from one side only.
        if (2 * d === n && i >= n / 2) continue
        dials.push(connect(nodes[i]!, nodes[(i + d) % n]!))
      }
    }
  }
  await Promise.all(dials)
}

/** On a timeout, say where every node stands. */
async function explain(nodes: TestNode[], gpk: Uint8Array, groupPk: string, p: Promise<unknown>): Promise<void> {
  try {
    await p
  } catch (err) {
    const lines = await Promise.all(
      nodes.map(async (t) => {
        const g = t.node.groups
        const msgs = (await messageIds(t, groupPk)).length
        return `${t.name}: chains=${g.chainCount(gpk)} members=${g.members(gpk).length} messages=${msgs} connections=${t.node.libp2p.getConnections().length} warnings=${t.warnings.join('; ')}`
      })
    )
    throw new Error(`${String(err)}\n${lines.join('\n')}`)
  }
}

describe.each([
  { n: 2, topology: 'all-connected' as const },
  { n: 2, topology: 'line' as const },
  { n: 3, topology: 'all-connected' as const },
  { n: 3, topology: 'line' as const },
  { n: 5, topology: 'all-connected' as const },
  { n: 5, topology: 'line' as const },
  { n: 10, topology: 'all-connected' as const },
  { n: 10, topology: 'line' as const }
])('$n members, $topology', ({ n, topology }) => {
  it('every member receives every message, in the same order', async () => {
    const nodes = await Promise.all(Array.from({ length: n }, (_, i) => startNode(`m${i}`)))
    await Promise.all(nodes.map((t, i) => t.call('account:create', { displayName: `Member ${i}` })))
    await wire(nodes, topology)

    const creator = nodes[0]!
    const { groupPk } = await creator.call('group:create', { name: `${topology} ${n}` })
    const { url } = await creator.call('group:invite', { groupPk })
    const joined = await Promise.all(nodes.slice(1).map((t) => t.call('group:join', { url })))
    for (const j of joined) expect(j.groupPk).toBe(groupPk)
    const gpk = gpkOf(groupPk)

    // The secret exchange is complete when every device holds every device's chain key
    // (its own included); in a line the metadata log hops to get there.
    await explain(nodes, gpk, groupPk, Promise.all(nodes.map((t) => until(t, () => t.node.groups.chainCount(gpk) === n))))

    await Promise.all(
      nodes.map(async (t, i) => {
        for (let k = 0; k < PER_MEMBER; k++) await t.call('message:send', { groupPk, text: `m${i} #${k}` })
      })
    )
    const total = n * PER_MEMBER
    await explain(
      nodes,
      gpk,
      groupPk,
      Promise.all(nodes.map((t) => until(t, async () => (await messageIds(t, groupPk)).length === total)))
    )

    // The metadata log holds exactly: Init Member, group info, one Member Device and one member
    // profile (display name) per device, and one chain-key entry from each device to each member
    // (spec "New member arrival"); a duplicate would mean a device posted the same secret twice.
    const metaSize = n * n + 2 * n + 2
    await explain(nodes, gpk, groupPk, Promise.all(nodes.map((t) => until(t, () => logSize(t, gpk, 'meta') >= metaSize))))
    for (const t of nodes) expect(logSize(t, gpk, 'meta'), t.name).toBe(metaSize)

    // Same ids in the same order everywhere, every message exactly once.
    const reference = await messageIds(creator, groupPk)
    expect(new Set(reference).size).toBe(total)
    for (const t of nodes.slice(1)) expect(await messageIds(t, groupPk), t.name).toEqual(reference)
    const page = await creator.call('message:list', { groupPk, limit: 500 })
    expect(page.messages.map((m) => m.text).sort()).toEqual(
      nodes.flatMap((_, i) => Array.from({ length: PER_MEMBER }, (_, k) => `m${i} #${k}`)).sort()
    )
    // Lamport order: time never decreases along the list, and each device's own messages
    // keep their sending order.
    for (let i = 1; i < page.messages.length; i++) expect(page.messages[i]!.lamport).toBeGreaterThanOrEqual(page.messages[i - 1]!.lamport)
    for (let i = 0; i < n; i++) {
      const own = page.messages.filter((m) => m.text.startsWith(`m${i} #`)).map((m) => m.text)
      expect(own).toEqual(Array.from({ length: PER_MEMBER }, (_, k) => `m${i} #${k}`))
    }
    for (const t of nodes) expect((await t.call('group:get', { groupPk })).memberCount, t.name).toBe(n)

    if (topology === 'line') {
      // The line held: nobody found a shortcut to a non-neighbour.
      for (let i = 0; i < n; i++) {
        const neighbours = new Set([nodes[i - 1], nodes[i + 1]].filter((x) => x !== undefined).map((x) => x.node.libp2p.peerId.toString()))
        for (const c of nodes[i]!.node.libp2p.getConnections()) expect(neighbours.has(c.remotePeer.toString()), `${nodes[i]!.name} ↔ ${c.remotePeer}`).toBe(true)
      }
    }
    for (const t of nodes) expect(t.warnings, t.name).toEqual([])
  })
})
