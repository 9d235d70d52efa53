// Issue "Reliability", nothing half-created: kill -9 of a real daemon a few milliseconds into
// `group:create`. After the restart the group is absent (a creation cut short before its first
// entries is removed) or whole (another person joins it, each reads the other); never a group that
// shows but where nothing written is read (5 rounds in 10 before the fix).
import { describe, expect, it } from 'vitest'
import { crashCreateScenario } from '../support/crash-scenarios'

describe('reliability: kill -9 in the middle of creating a group', () => {
  it('8 rounds: the group is absent or whole, never broken, no keys left without their group', async () => {
    const r = await crashCreateScenario(Number(process.env.CRASH_CREATE_ROUNDS ?? 8))
    console.log(`${r.scenario}: ${r.detail}`)
    expect({ broken: r.broken, orphanKeys: r.orphanKeys }).toEqual({ broken: 0, orphanKeys: 0 })
  }, 600_000)
})
