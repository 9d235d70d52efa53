// Issue "Reliability", partition: five members split 3/2, both sides write, a newcomer joins on the
// minority side and everyone there writes the moment the join returns; once healed, every member
// holds every message in the identical order.
import { describe, expect, it } from 'vitest'
import { partitionScenario } from '../support/reliability-scenarios'

describe('reliability: partition with a join race inside', () => {
  it('3/2 split, join on the minority side, heal: 0 lost, 0 duplicated, one order', async () => {
    const r = await partitionScenario(10)
    console.log(`${r.scenario}: ${r.detail}; lost ${r.lost}, duplicated ${r.duplicated}, misordered ${r.misordered}`)
    expect(r.messages).toBe(50)
    expect({ lost: r.lost, duplicated: r.duplicated, misordered: r.misordered }).toEqual({ lost: 0, duplicated: 0, misordered: 0 })
  }, 300_000)
})
