// Issue "Reliability", crash at join: kill -9 of a newcomer (a real daemon process) at a random moment
// of its first second in a group, while it and the members write from the moment its join returned.
// After its restart: everything it confirmed is read by the members, everything they wrote after its
// join is read by it, in the same order on all three; a new person each round.
import { describe, expect, it } from 'vitest'
import { crashJoinScenario } from '../support/crash-scenarios'

describe('reliability: kill -9 of a newcomer in its first second', () => {
  it('5 rounds: 0 lost, 0 duplicated, 0 misordered', async () => {
    const r = await crashJoinScenario(Number(process.env.CRASH_JOIN_ROUNDS ?? 5))
    console.log(`${r.scenario}: ${r.messages} messages, lost ${r.lost}, duplicated ${r.duplicated}, misordered ${r.misordered}; ${r.detail}`)
    expect(r.messages).toBeGreaterThan(0)
    expect({ lost: r.lost, duplicated: r.duplicated, misordered: r.misordered }).toEqual({ lost: 0, duplicated: 0, misordered: 0 })
  }, 600_000)
})
