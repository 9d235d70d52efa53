// Reliability scenarios shared by the tests (which assert every count is 0) and
// `npm run bench -- reliability` (which prints them): a 3/2 partition with a join racing the
// first writes inside the minority side, and restarts under traffic. The kill -9 scenarios of a
// real daemon are in crash-scenarios.ts.
import { allMessageIds, allMessages, connect, disconnect, gpkOf, noDiscovery, openGroupOf, poll, startNode, stopAll, until, type TestNode } from '../integration/helpers'

/** Lost means not readable: a placeholder does not count as delivered. */
export const READABLE = { readableOnly: true }

export interface ScenarioCounts {
  scenario: string
  messages: number
  lost: number
  duplicated: number
  misordered: number
  detail: string
}

/** Lost: expected ids a node lacks; duplicated: repeated ids; misordered: nodes whose order differs from the reference. */
export function count(scenario: string, expected: Set<string>, lists: string[][], detail: string): ScenarioCounts {
  const reference = lists[0] ?? []
  let lost = 0
  let duplicated = 0
  let misordered = 0
  for (const l of lists) {
    lost += [...expected].filter((id) => !l.includes(id)).length
    duplicated += l.length - new Set(l).size
    if (JSON.stringify(l) !== JSON.stringify(reference)) misordered++
  }
  return { scenario, messages: expected.size, lost, duplicated, misordered, detail }
}

/** Polled (a check pages the whole conversation; re-checked on every node event it is quadratic in a catch-up). */
async function settle(nodes: TestNode[], groupPk: string, n: number, timeoutMs = 60_000): Promise<string[][]> {
  await Promise.all(nodes.map((t) => poll(`${t.name} holds ${n}`, async () => (await allMessageIds(t, groupPk, READABLE)).length >= n, timeoutMs).catch(() => undefined)))
  return Promise.all(nodes.map((t) => allMessageIds(t, groupPk, READABLE)))
}

/**
 * For a failed run: per node, the messages it lacks as `text (placeholder reason)` or, with no row,
 * their processing record (`pending`: waiting for a chain key; `none`: not in its log); whose chain
 * keys it lacks; how its logs compare with a node that lacks nothing (entries stored, entries
 * joined, stored but not joined); its metadata processing records other than ok; its warnings.
 * Then the warnings of every other node.
 */
async function whoLacksWhat(nodes: TestNode[], groupPk: string, ids: Set<string>): Promise<string> {
  const gpk = gpkOf(groupPk)
  const gpkHex = Buffer.from(gpk).toString('hex')
  const keys = (t: TestNode, kind: 'meta' | 'msg', store: 'entries' | 'index'): Set<string> =>
    new Set(t.node.db.sql.prepare<[string], { key: string }>('SELECT key FROM orbit_kv WHERE namespace = ?').all(`${gpkHex}:${kind}:${store}`).map((r) => r.key))
  const status = (t: TestNode, log: 'meta' | 'msg', hash: string): string =>
    t.node.db.sql.prepare<[Uint8Array, string, string], { status: string }>('SELECT status FROM log_processed WHERE group_pk = ? AND log = ? AND hash = ?').get(gpk, log, hash)?.status ?? 'none'
  const deviceName = new Map<string, string>()
  for (const t of nodes) deviceName.set(Buffer.from(t.node.groups.myDevicePk(gpk)).toString('hex'), t.name)
  const lacking: Array<{ t: TestNode; missing: string[]; rows: Array<{ id: string; text: string; unreadable?: string }> }> = []
  let reference: TestNode | undefined
  for (const t of nodes) {
    const rows = await allMessages(t, groupPk)
    const readable = new Set(rows.filter((m) => m.unreadable === undefined).map((m) => m.id))
    const missing = [...ids].filter((id) => !readable.has(id))
    if (missing.length === 0) reference ??= t
    else lacking.push({ t, missing, rows })
  }
  const out: string[] = []
  for (const { t, missing, rows } of lacking) {
    const shown = missing.map((id) => {
      const m = rows.find((r) => r.id === id)
      return m ? `${m.text || '?'} (${m.unreadable ?? 'readable'})` : `absent (${status(t, 'msg', id)})`
    })
    const holds = new Set(openGroupOf(t, gpk)?.chains.keys() ?? [])
    const noKey = [...deviceName].filter(([dev]) => !holds.has(dev)).map(([, name]) => name)
    const logs = (['meta', 'msg'] as const).map((kind) => {
      const stored = keys(t, kind, 'entries')
      const joined = keys(t, kind, 'index')
      const unjoined = [...stored].filter((h) => !joined.has(h)).length
      if (!reference) return `${kind}: ${stored.size} stored, ${joined.size} joined`
      const refJoined = keys(reference, kind, 'index')
      const lacks = [...refJoined].filter((h) => !joined.has(h))
      const lacksStored = lacks.filter((h) => stored.has(h)).length
      return `${kind}: lacks ${lacks.length} of ${reference.name}'s ${refJoined.size} joined (${lacksStored} of them stored here), ${unjoined} stored but not joined`
    })
    const metaRecords = t.node.db.sql
      .prepare<[Uint8Array], { status: string; reason: string | null; n: number }>("SELECT status, reason, count(*) AS n FROM log_processed WHERE group_pk = ? AND log = 'meta' AND status != 'ok' GROUP BY status, reason")
      .all(gpk)
      .map((r) => `${r.status}${r.reason ? ` "${r.reason}"` : ''} ×${r.n}`)
    const warned = [...new Set(t.warnings.map((w) => w.slice(0, 160)))].slice(0, 5)
    out.push(
      `${t.name} lacks ${missing.length} [${shown.join(', ')}]; no chain key of [${noKey.join(', ')}]; ${logs.join('; ')}; ` +
        `metadata records not ok: [${metaRecords.join(', ')}]; warnings: [${warned.join(' | ')}]`
    )
  }
  // Warnings of the nodes that lack nothing too: a writer that failed to post its chain key, say.
  for (const t of nodes) {
    if (lacking.some((l) => l.t === t) || t.warnings.length === 0) continue
    out.push(`${t.name} warned: [${[...new Set(t.warnings.map((w) => w.slice(0, 160)))].slice(0, 5).join(' | ')}]`)
  }
  return out.join('; ')
}

async function sendBurst(t: TestNode, groupPk: string, tag: string, n: number, ids: Set<string>): Promise<void> {
  for (let i = 0; i < n; i++) ids.add((await t.call('message:send', { groupPk, text: `${tag}-${i}` })).id)
}

/**
 * Five members split 3/2; both sides write; on the minority side a sixth person joins through the
 * invitation and everyone there writes the moment the join returns; then the split heals.
 */
export async function partitionScenario(perSender = 10): Promise<ScenarioCounts> {
  const nodes = await Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map((n) => startNode(n)))
  try {
    await Promise.all(nodes.map(noDiscovery))
    await Promise.all(nodes.map((t) => t.call('account:create', { displayName: t.name })))
    const [a, b, c, d, e, f] = nodes as [TestNode, TestNode, TestNode, TestNode, TestNode, TestNode]
    const five = [a, b, c, d, e]
    for (let i = 0; i < five.length; i++) for (let j = i + 1; j < five.length; j++) await connect(five[i]!, five[j]!)
    const { groupPk } = await a.call('group:create', { name: 'Split' })
    const { url } = await a.call('group:invite', { groupPk })
    await Promise.all(five.slice(1).map((t) => t.call('group:join', { url })))
    await Promise.all(five.map((t) => until(t, () => t.node.groups.chainCount(gpkOf(groupPk)) === 5)))
    const ids = new Set<string>()
    for (const x of [a, b, c]) for (const y of [d, e]) await disconnect(x, y)
    await connect(f, d)
    const joined = f.call('group:join', { url })
    await Promise.all([
      sendBurst(a, groupPk, 'a', perSender, ids),
      sendBurst(b, groupPk, 'b', perSender, ids),
      joined.then(() => sendBurst(d, groupPk, 'd', perSender, ids)),
      joined.then(() => sendBurst(e, groupPk, 'e', perSender, ids)),
      joined.then(() => sendBurst(f, groupPk, 'f', perSender, ids))
    ])
    for (const x of [a, b, c]) await connect(x, d)
    const lists = await settle(nodes, groupPk, ids.size)
    const counts = count('partition 3/2 + join race inside', ids, lists, `6 members, ${ids.size} messages`)
    if (counts.lost > 0) counts.detail += `; ${await whoLacksWhat(nodes, groupPk, ids)}`
    return counts
  } finally {
    await stopAll()
  }
}

/** A member restarted `rounds` times while two others write; converges after each restart. */
export async function restartScenario(rounds = 20): Promise<ScenarioCounts> {
  const [a, b, c] = [await startNode('a'), await startNode('b'), await startNode('c')]
  try {
    for (const t of [a, b, c]) await t.call('account:create', { displayName: t.name })
    await connect(a, b)
    await connect(c, a)
    await connect(c, b)
    const { groupPk } = await a.call('group:create', { name: 'Busy' })
    const { url } = await a.call('group:invite', { groupPk })
    await b.call('group:join', { url })
    await c.call('group:join', { url })
    await Promise.all([a, b, c].map((t) => until(t, () => t.node.groups.chainCount(gpkOf(groupPk)) === 3)))
    const ids = new Set<string>()
    let writing = true
    const writer = async (t: TestNode, tag: string) => {
      for (let i = 0; writing; i++) {
        ids.add((await t.call('message:send', { groupPk, text: `${tag}${i}` })).id)
        await new Promise((r) => setTimeout(r, 20))
      }
    }
    const writers = Promise.all([writer(a, 'a'), writer(b, 'b')])
    let notConverged = 0
    try {
      for (let round = 0; round < rounds; round++) {
        await c.restart()
        await connect(c, a)
        await connect(c, b)
        const target = await allMessageIds(a, groupPk, READABLE)
        const ok = await poll('C holds what A held at its restart', async () => {
          const mine = new Set(await allMessageIds(c, groupPk, READABLE))
          return target.every((id) => mine.has(id))
        }, 60_000).then(() => true, () => false)
        const mine = await allMessageIds(c, groupPk, READABLE)
        if (!ok || JSON.stringify(mine.filter((id) => target.includes(id))) !== JSON.stringify(target)) notConverged++
      }
    } finally {
      writing = false
      await writers.catch(() => undefined)
    }
    const lists = await settle([a, b, c], groupPk, ids.size)
    const counts = count(`restart ×${rounds} under traffic`, ids, lists, `${ids.size} messages, rounds that did not converge: ${notConverged}`)
    return { ...counts, misordered: counts.misordered + notConverged }
  } finally {
    await stopAll()
  }
}
