// Reliability scenarios shared by the tests (which assert every count is 0) and
// `npm run bench -- reliability` (which prints them): a 3/2 partition with a join racing the
// first writes inside the minority side, restarts under traffic, and kill -9 of a real daemon.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { allMessageIds, allMessages, connect, disconnect, gpkOf, noDiscovery, openGroupOf, poll, startNode, stopAll, until, type TestNode } from '../integration/helpers'
import Database from 'better-sqlite3'
import { DATABASE_FILE } from '../../core/node'
import { startDaemonProcess, type DaemonProcess } from './daemon-process'

/** Lost means not readable: a placeholder does not count as delivered. */
const READABLE = { readableOnly: true }

export interface ScenarioCounts {
  scenario: string
  messages: number
  lost: number
  duplicated: number
  misordered: number
  detail: string
}

/** Lost: expected ids a node lacks; duplicated: repeated ids; misordered: nodes whose order differs from the reference. */
function count(scenario: string, expected: Set<string>, lists: string[][], detail: string): ScenarioCounts {
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

async function settle(nodes: TestNode[], groupPk: string, n: number, timeoutMs = 60_000): Promise<string[][]> {
  await Promise.all(nodes.map((t) => until(t, async () => (await allMessageIds(t, groupPk, READABLE)).length >= n, timeoutMs).catch(() => undefined)))
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
        const ok = await until(c, async () => {
          const mine = await allMessageIds(c, groupPk, READABLE)
          return target.every((id) => mine.includes(id))
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

/** kill -9 of a real daemon process at a random moment while it sends, `rounds` times. */
export async function crashScenario(rounds = 10): Promise<ScenarioCounts & { reusedCounters: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'berty-crash-'))
  const running: DaemonProcess[] = []
  try {
    const dataDir = join(dir, 'a')
    const tokenFile = join(dir, 'token')
    let a = await startDaemonProcess(dataDir, { tokenFile })
    running.push(a)
    await a.call('account:create', { displayName: 'Ann' })
    const { groupPk } = await a.call('group:create', { name: 'Crash' })
    const { url } = await a.call('group:invite', { groupPk })
    const b = await startNode('b')
    await b.call('account:create', { displayName: 'Ben' })
    await b.call('peer:connect', { multiaddr: a.ready.addrs[0]! })
    await b.call('group:join', { url })
    await until(b, () => b.node.groups.chainCount(gpkOf(groupPk)) === 2)
    const confirmed = new Set<string>()
    let lost = 0
    let duplicated = 0
    let misordered = 0
    const perRound: string[] = []
    for (let round = 0; round < rounds; round++) {
      let stop = false
      const sending = (async () => {
        for (let i = 0; !stop; i++) {
          try {
            confirmed.add((await a.call('message:send', { groupPk, text: `r${round}-m${i}` })).id)
          } catch {
            return // the process died under this call: it may or may not have landed
          }
        }
      })()
      await new Promise((r) => setTimeout(r, 100 + Math.floor(Math.random() * 900)))
      stop = true
      await a.kill9()
      running.splice(running.indexOf(a), 1)
      await sending
      a = await startDaemonProcess(dataDir, { tokenFile })
      running.push(a)
      // Every page: a fast sender passes one page (500) within a few rounds.
      const aIds = await allMessageIds(a, groupPk)
      lost += [...confirmed].filter((id) => !aIds.includes(id)).length
      await b.call('peer:connect', { multiaddr: a.ready.addrs[0]! })
      await until(b, async () => {
        const onB = await allMessageIds(b, groupPk, READABLE)
        return aIds.every((id) => onB.includes(id))
      }, 60_000).catch(() => undefined)
      const onB = await allMessageIds(b, groupPk, READABLE)
      lost += aIds.filter((id) => !onB.includes(id)).length
      duplicated += onB.length - new Set(onB).size
      if (JSON.stringify(onB) !== JSON.stringify(aIds)) misordered++
      perRound.push(`${round}:${confirmed.size}`)
    }
    // A reused counter would leave its twin undecryptable on the receiver.
    const reusedCounters = (
      b.node.db.sql
        .prepare("SELECT count(*) AS n FROM log_processed WHERE group_pk = ? AND log = 'msg' AND status != 'ok'")
        .get(gpkOf(groupPk)) as { n: number }
    ).n
    return {
      scenario: `kill -9 ×${rounds} while sending`,
      messages: confirmed.size,
      lost,
      duplicated,
      misordered,
      reusedCounters,
      detail: `confirmed sends per round (round:total) ${perRound.join(' ')}; entries the receiver could not open: ${reusedCounters}`
    }
  } finally {
    for (const d of running) await d.kill9().catch(() => {})
    await stopAll()
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * kill -9 of a newcomer, a real daemon, at a random moment of its first second in a group, `rounds`
 * times (a new person each round). It joins through the invitation and writes the moment the join
 * returns, as the two members do; killed, it starts again (joins again if it died before its join
 * returned: the group may be there or not) and writes once more. What its `message:send` confirmed
 * is read by the members, what they wrote after its join returned is read by it, in the same order
 * on all three.
 */
export async function crashJoinScenario(rounds = 5): Promise<ScenarioCounts> {
  const dir = mkdtempSync(join(tmpdir(), 'berty-crash-join-'))
  const running: DaemonProcess[] = []
  try {
    const [a, b] = [await startNode('a'), await startNode('b')]
    for (const t of [a, b]) await t.call('account:create', { displayName: t.name })
    await connect(a, b)
    const { groupPk } = await a.call('group:create', { name: 'Doorway' })
    const { url } = await a.call('group:invite', { groupPk })
    await b.call('group:join', { url })
    await Promise.all([a, b].map((t) => until(t, () => t.node.groups.chainCount(gpkOf(groupPk)) === 2)))
    const addrs = [a, b].map((t) => t.node.libp2p.getMultiaddrs()[0]!.toString())
    let lost = 0
    let duplicated = 0
    let misordered = 0
    let messages = 0
    const perRound: string[] = []
    const missing: string[] = []
    let killedInJoin = 0
    let finishedAtStart = 0
    for (let round = 0; round < rounds; round++) {
      const dataDir = join(dir, `n${round}`)
      const tokenFile = join(dir, `token${round}`)
      let n = await startDaemonProcess(dataDir, { tokenFile })
      running.push(n)
      await n.call('account:create', { displayName: `n${round}` })
      for (const multiaddr of addrs) await n.call('peer:connect', { multiaddr })
      const onStderr = (line: string): void => {
        if (line.includes('its join did not finish')) finishedAtStart++
      }
      // Confirmed sends: the newcomer's, and the members' after its join returned.
      const expected = new Set<string>()
      let writing = true
      const writer = async (call: DaemonProcess['call'], tag: string): Promise<void> => {
        for (let i = 0; writing; i++) {
          try {
            expected.add((await call('message:send', { groupPk, text: `${tag}${i}` })).id)
          } catch {
            return // the newcomer died under this call: it may or may not have landed
          }
          await new Promise((r) => setTimeout(r, 10))
        }
      }
      // Killed within a second of the join's call (every third round within 40 ms: a join takes
      // about 25 ms here, so often before it returned).
      const joined = n.call('group:join', { url }).then(
        () => true,
        () => false
      )
      let members: Promise<unknown> | undefined
      const startMembers = (): void => {
        members ??= Promise.all([writer(a.call, `a${round}-`), writer(b.call, `b${round}-`)])
      }
      const newcomer = joined.then((ok) => {
        if (!ok) return
        startMembers()
        return writer(n.call, `n${round}-`)
      })
      const killAt = Math.floor(Math.random() * (round % 3 === 0 ? 40 : 1000))
      await new Promise((r) => setTimeout(r, killAt))
      await n.kill9()
      running.splice(running.indexOf(n), 1)
      await newcomer
      n = await startDaemonProcess(dataDir, { tokenFile, onStderr })
      running.push(n)
      for (const multiaddr of addrs) await n.call('peer:connect', { multiaddr })
      // Killed before its join returned: the person tries again (the group may be there already).
      const rejoined = !(await joined)
      if (rejoined) {
        await n.call('group:join', { url })
        startMembers()
      }
      expected.add((await n.call('message:send', { groupPk, text: `n${round}-after restart` })).id)
      writing = false
      await members
      if (rejoined) killedInJoin++
      const readers: Array<Pick<TestNode, 'call'> & { name: string }> = [
        { name: 'a', call: a.call },
        { name: 'b', call: b.call },
        { name: `n${round}`, call: n.call }
      ]
      const has = async (r: Pick<TestNode, 'call'>): Promise<string[]> => (await allMessageIds(r, groupPk, READABLE)).filter((id) => expected.has(id))
      await poll(`round ${round} settles`, async () => (await Promise.all(readers.map(has))).every((l) => l.length >= expected.size), 60_000).catch(() => undefined)
      const lists = await Promise.all(readers.map(has))
      const c = count('', expected, lists, '')
      lost += c.lost
      duplicated += c.duplicated
      misordered += c.misordered
      messages += expected.size
      lists.forEach((l, i) => {
        const absent = [...expected].filter((id) => !l.includes(id)).length
        if (absent > 0) missing.push(`round ${round}: ${readers[i]!.name} lacks ${absent}`)
      })
      perRound.push(`${round}:${killAt}ms${rejoined ? ' (in the join)' : ''}/${expected.size}`)
      await n.stop()
      running.splice(running.indexOf(n), 1)
    }
    return {
      scenario: `kill -9 ×${rounds} of a newcomer`,
      messages,
      lost,
      duplicated,
      misordered,
      detail: `killed this long after its join's call / messages checked, per round: ${perRound.join(' ')}; killed before the join returned (joined again): ${killedInJoin}, of them found joined but not announced at restart (announced then): ${finishedAtStart}${missing.length > 0 ? `; ${missing.join('; ')}` : ''}`
    }
  } finally {
    for (const d of running) await d.kill9().catch(() => {})
    await stopAll()
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Keystore entries of a group (`group/<pk hex>/…`) that has no row: secrets left behind. */
function orphanGroupKeys(dbFile: string): number {
  const db = new Database(dbFile, { readonly: true })
  try {
    const rows = new Set(db.prepare<[], { pk: string }>('SELECT lower(hex(group_pk)) AS pk FROM groups').all().map((r) => r.pk))
    const names = db.prepare<[], { name: string }>("SELECT name FROM keystore WHERE name LIKE 'group/%'").all()
    return names.filter((n) => !rows.has(n.name.split('/')[1]!)).length
  } finally {
    db.close()
  }
}

/**
 * kill -9 of a daemon 4 to 40 ms into `group:create` (it takes about 15 ms here, longer on a busy machine), `rounds`
 * times. After the restart the group is absent (never created, or removed: its creation was cut
 * short before its first entries) or whole: a new person joins it by an invitation and each reads
 * what the other writes. Never a group that shows but where nobody reads what is written, nor a
 * group's keys left in the keystore without it.
 */
export async function crashCreateScenario(rounds = 10): Promise<ScenarioCounts & { broken: number; orphanKeys: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'berty-crash-create-'))
  const running: DaemonProcess[] = []
  try {
    const b = await startNode('b')
    await b.call('account:create', { displayName: 'b' })
    let absent = 0
    let whole = 0
    let broken = 0
    let removed = 0
    let orphanKeys = 0
    let messages = 0
    for (let round = 0; round < rounds; round++) {
      const dataDir = join(dir, `n${round}`)
      const tokenFile = join(dir, `token${round}`)
      let n = await startDaemonProcess(dataDir, { tokenFile })
      running.push(n)
      await n.call('account:create', { displayName: `n${round}` })
      const creating = n.call('group:create', { name: `G${round}` }).catch(() => undefined)
      await new Promise((r) => setTimeout(r, 4 + Math.floor(Math.random() * 36)))
      await n.kill9()
      running.splice(running.indexOf(n), 1)
      await creating
      n = await startDaemonProcess(dataDir, {
        tokenFile,
        onStderr: (line) => {
          if (line.includes('creation did not finish')) removed++
        }
      })
      running.push(n)
      const groups = (await n.call('group:list', {})).filter((g) => g.kind === 'multi')
      if (groups.length === 0) absent++
      for (const { groupPk } of groups) {
        const { url } = await n.call('group:invite', { groupPk })
        await b.call('peer:connect', { multiaddr: n.ready.addrs[0]! })
        await b.call('group:join', { url })
        const fromN = (await n.call('message:send', { groupPk, text: `from n${round}` })).id
        const fromB = (await b.call('message:send', { groupPk, text: `from b to n${round}` })).id
        messages += 2
        const ok = await poll(`round ${round}`, async () => {
          const [onB, onN] = await Promise.all([allMessageIds(b, groupPk, READABLE), allMessageIds(n, groupPk, READABLE)])
          return onB.includes(fromN) && onN.includes(fromB)
        }, 20_000).then(() => true, () => false)
        if (ok) whole++
        else broken++
      }
      await n.stop()
      running.splice(running.indexOf(n), 1)
      orphanKeys += orphanGroupKeys(join(dataDir, DATABASE_FILE))
    }
    return {
      scenario: `kill -9 ×${rounds} in group:create`,
      messages,
      lost: broken,
      duplicated: 0,
      misordered: 0,
      broken,
      orphanKeys,
      detail: `after the restart: no group ${absent} (of them removed, cut short: ${removed}), a whole group ${whole}, a group where what is written is not read ${broken}; group keys left without their group: ${orphanKeys}`
    }
  } finally {
    for (const d of running) await d.kill9().catch(() => {})
    await stopAll()
    rmSync(dir, { recursive: true, force: true })
  }
}
