// Issue 13, bounded disk on a replication server: a group over its size quota stops replicating
// (with a warning first); over the total, groups that left (their token revoked) are evicted first,
// least recently grown first, each announced by a warning; `replica:status` reports it all.
import { afterEach, describe, expect, it } from 'vitest'
import { issueTokenFor, revokeTokenIn } from '../support/replication-cli'
import { connect, disconnect, gpkOf, logSize, noDiscovery, poll, startNode, stopAll, untilEngine } from './helpers'

afterEach(stopAll)

describe('replication server quotas', () => {
  it('a full group stops, groups that left are evicted first, warnings come before any drop', async () => {
    const limits = { maxTotalBytes: 110_000, warnRatio: 0.6, sweepMs: 200 }
    // The first token caps each of its groups at 60,000 bytes; the server's own per-group cap is its default.
    const groupCap = 60_000
    const r = await startNode('server', { replicationServer: { limits } })
    const a = await startNode('a')
    await Promise.all([a, r].map(noDiscovery))
    await a.call('account:create', { displayName: 'Ann' })
    const server = r.node.libp2p.getMultiaddrs()[0]!.toString()
    const status = () => r.call('replica:status', {})
    const of = async (groupPk: string) => (await status()).groups.find((g) => g.groupPk === groupPk)
    // Writes in rounds of 20 and lets the server take each round (or stop taking it) before the next.
    const fill = async (groupPk: string, done: () => Promise<boolean>) => {
      const gpk = gpkOf(groupPk)
      for (let round = 0; round < 40 && !(await done()); round++) {
        for (let i = 0; i < 20; i++) await a.call('message:send', { groupPk, text: `filler ${round}.${i} ${'x'.repeat(200)}` })
        await untilEngine(r, async () => logSize(r, gpk, 'msg') === logSize(a, gpk, 'msg') || (await of(groupPk))?.state !== 'active', 60_000)
        await r.node.replicationServer!.sweep()
      }
    }
    // Two groups under a token that is later revoked; one of them grows past its own quota.
    const first = await issueTokenFor(r, { quotaGroups: 2, quotaBytes: groupCap })
    const { groupPk: g1 } = await a.call('group:create', { name: 'One' })
    const { groupPk: g2 } = await a.call('group:create', { name: 'Two' })
    for (const groupPk of [g1, g2]) await a.call('replica:add', { groupPk, server, token: first.token })
    await untilEngine(r, () => [g1, g2].every((g) => logSize(r, gpkOf(g), 'meta') === logSize(a, gpkOf(g), 'meta')))
    await a.call('message:send', { groupPk: g2, text: 'small' })
    await untilEngine(r, () => logSize(r, gpkOf(g2), 'msg') === 1)
    await fill(g1, async () => (await of(g1))?.state === 'full')
    const full = (await of(g1))!
    expect(full.state).toBe('full')
    expect(full.bytes).toBeGreaterThanOrEqual(groupCap)
    const warnings = (await status()).warnings
    expect(warnings.some((w) => /at \d+ of its 60000 bytes/.test(w))).toBe(true)
    expect(warnings.some((w) => /reached its size quota/.test(w))).toBe(true)
    // The warning came before the group stopped: it is listed first.
    expect(warnings.findIndex((w) => /of its 60000 bytes/.test(w))).toBeLessThan(warnings.findIndex((w) => /reached its size quota/.test(w)))
    // A full group takes nothing more.
    const late: string[] = []
    for (let i = 0; i < 5; i++) late.push((await a.call('message:send', { groupPk: g1, text: `after full ${i}` })).id)
    await a.call('message:send', { groupPk: g2, text: 'ping' })
    await untilEngine(r, () => logSize(r, gpkOf(g2), 'msg') === logSize(a, gpkOf(g2), 'msg'))
    const has = r.node.db.sql.prepare<[string, string], { one: number }>('SELECT 1 AS one FROM orbit_kv WHERE namespace = ? AND key = ?')
    const g1Entries = `${Buffer.from(gpkOf(g1)).toString('hex')}:msg:entries`
    expect(late.filter((id) => has.get(g1Entries, id) !== undefined)).toEqual([])

    // Still full after a restart of the server. (Hung up first: an in-process restart is faster than
    // the other side's handling of the close, and gossipsub then never reopens its stream to the
    // same peer id; see the issue 13 report.)
    await disconnect(a, r)
    await r.restart()
    await noDiscovery(r)
    await connect(a, r)
    const afterRestart = (await a.call('message:send', { groupPk: g1, text: 'after restart' })).id
    await a.call('message:send', { groupPk: g2, text: 'ping again' })
    await untilEngine(r, () => logSize(r, gpkOf(g2), 'msg') === logSize(a, gpkOf(g2), 'msg'))
    expect(r.node.db.sql.prepare('SELECT 1 FROM orbit_kv WHERE namespace = ? AND key = ?').get(g1Entries, afterRestart)).toBeUndefined()
    expect((await of(g1))!.state).toBe('full')

    // The token is revoked: its groups leave (kept until space is needed).
    revokeTokenIn(r.dir, first.jti)
    await poll('groups left', async () => (await status()).groups.every((g) => g.state === 'left'), 20_000)
    expect((await status()).groups.map((g) => g.groupPk).sort()).toEqual([g1, g2].sort())

    // A new group under a new token fills the server past its total: the groups that left go first.
    const second = await issueTokenFor(r)
    const { groupPk: g3 } = await a.call('group:create', { name: 'Three' })
    await a.call('replica:add', { groupPk: g3, server, token: second.token })
    await fill(g3, async () => (await status()).groups.length < 3)
    const after = await status()
    expect(after.groups.map((g) => g.groupPk)).toContain(g3)
    expect(after.groups.find((g) => g.groupPk === g3)!.state).toBe('active')
    expect(after.groups.length).toBeLessThan(3)
    expect(after.warnings.some((w) => /replica storage at \d+ of 110000 bytes/.test(w))).toBe(true)
    const evictions = after.warnings.filter((w) => /evicting group/.test(w))
    expect(evictions.length).toBeGreaterThan(0)
    expect(evictions.every((w) => /\(left,/.test(w))).toBe(true)
    // The full group (least recently grown of the two that left) was the first to go.
    expect(evictions[0]).toContain(Buffer.from(gpkOf(g1)).toString('hex').slice(0, 16))
    expect(after.warnings.findIndex((w) => /replica storage at/.test(w))).toBeLessThan(after.warnings.findIndex((w) => /evicting group/.test(w)))
    expect(logSize(r, gpkOf(g1), 'msg')).toBe(0)
  }, 240_000)
})
