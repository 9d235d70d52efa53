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
    // Ann is stopped: Ben read it all from the server (his connection to it may have dropped since
    // and be redialled: a loaded machine's liveness pings close it; the keeper dials it again). No
    // member of the group is among his peers; a peer unknown to the group may be (in a full run, a
    // node of a test running beside this one dialled Ben's loopback port inbound: it holds nothing
    // of this group, so it served none of what Ben read).
    expect(r.detail).toMatch(/Ben's peers (none but the server|the server \d+×, \[("unknown [^"]*",?)+\])$/)
  }, 600_000)
})
