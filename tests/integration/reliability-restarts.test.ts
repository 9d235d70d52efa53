// Issue "Reliability", restarts under traffic: a member restarted 20 times while two others write
// converges every time to exactly what the writers have, in the same order.
import { describe, expect, it } from 'vitest'
import { restartScenario } from '../support/reliability-scenarios'

describe('reliability: restarts under traffic', () => {
  it('a member restarted 20 times while others write converges every time', async () => {
    const r = await restartScenario(20)
    console.log(`${r.scenario}: ${r.detail}; lost ${r.lost}, duplicated ${r.duplicated}, misordered ${r.misordered}`)
    expect(r.messages).toBeGreaterThan(0)
    expect({ lost: r.lost, duplicated: r.duplicated, misordered: r.misordered }).toEqual({ lost: 0, duplicated: 0, misordered: 0 })
  }, 600_000)
})
