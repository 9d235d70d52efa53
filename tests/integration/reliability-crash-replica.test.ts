// Issue "Reliability", crash, on the always-online side: kill -9 of a replication server (a real
// `--replication-server` daemon, restarted on its port) at a random moment while a member writes.
// After every restart the server holds everything written; the other member, offline throughout,
// then reads every message from the server alone, in the writer's order.
import { describe, expect, it } from 'vitest'
import { crashReplicaScenario } from '../support/replica-crash-scenario'

describe('reliability: kill -9 of a replication server while a member writes', () => {
  it('5 rounds: the server catches up each time; the offline member reads all, in order, from it alone', async () => {
    const r = await crashReplicaScenario(Number(process.env.CRASH_REPLICA_ROUNDS ?? 5))
    console.log(`${r.scenario}: ${r.messages} messages, lost ${r.lost}, duplicated ${r.duplicated}, misordered ${r.misordered}; rounds behind ${r.behind}; ${r.detail}`)
    expect(r.messages).toBeGreaterThan(0)
    expect({ lost: r.lost, duplicated: r.duplicated, misordered: r.misordered, behind: r.behind }).toEqual({ lost: 0, duplicated: 0, misordered: 0, behind: 0 })
    expect(r.detail).toContain("Ben's peers the server alone")
  }, 600_000)
})
