// Issue "Reliability", crash: kill -9 the real daemon process at a random moment while it sends.
// Every message whose `message:send` returned is there after the restart, reaches the other
// member readable, in the same order on both; the database opens cleanly; no counter is reused
// (a reused counter would leave the twin undecryptable on the receiver).
import { describe, expect, it } from 'vitest'
import { crashScenario } from '../support/crash-scenarios'

describe('reliability: kill -9 while sending', () => {
  it('10 rounds: 0 lost, 0 duplicated, 0 misordered, no counter reused', async () => {
    const r = await crashScenario(Number(process.env.CRASH_ROUNDS ?? 10))
    console.log(`${r.scenario}: ${r.messages} messages, lost ${r.lost}, duplicated ${r.duplicated}, misordered ${r.misordered}; ${r.detail}`)
    expect(r.messages).toBeGreaterThan(0)
    expect({ lost: r.lost, duplicated: r.duplicated, misordered: r.misordered, reused: r.reusedCounters }).toEqual({ lost: 0, duplicated: 0, misordered: 0, reused: 0 })
  }, 900_000)
})
