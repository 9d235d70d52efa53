// The catch-up gate: a newcomer's first message pull waits for the chain keys of the devices its
// metadata log names, woken by metadata changes, and no longer than its bound.
import { describe, expect, it } from 'vitest'
import { CatchupGate, keyCount, keysKnown } from '../../../core/groups/catchup-gate'
import type { OpenGroup } from '../../../core/groups/types'
import { keyId, type ReceiverChain } from '../../../core/protocol/group'

const pk = (n: number) => new Uint8Array(32).fill(n)
const chain = {} as ReceiverChain

function group(devices: number[], chains: number[], me = 1): Pick<OpenGroup, 'state' | 'chains' | 'me'> {
  return {
    state: { devices: new Map(devices.map((d) => [keyId(pk(d)), `member-${d}`])) } as unknown as OpenGroup['state'],
    chains: new Map(chains.map((d) => [keyId(pk(d)), chain])),
    me: { devicePk: pk(me) } as OpenGroup['me']
  }
}

describe('catch-up gate', () => {
  it('waits while no other device is known (the metadata log was not pulled yet)', () => {
    expect(keysKnown(group([], []))).toBe(false)
    expect(keysKnown(group([1], [1]))).toBe(false)
  })

  it('waits for every other known device’s chain key, not for our own', () => {
    expect(keysKnown(group([1, 2, 3], [1, 2]))).toBe(false)
    expect(keysKnown(group([1, 2, 3], [2, 3]))).toBe(true)
    expect(keysKnown(group([2], [2]))).toBe(true)
  })

  it('resolves when woken after the key arrived, not before', async () => {
    const gate = new CatchupGate()
    const g = group([1, 2], [1])
    let resolved = false
    const waiting = gate.wait(g, new AbortController().signal, 10_000).then(() => (resolved = true))
    // A metadata change that does not complete the keys: still waiting.
    gate.changed(g)
    await new Promise((r) => setTimeout(r, 20))
    expect(resolved).toBe(false)
    // The key lands but nobody says so: the gate does not poll.
    g.chains.set(keyId(pk(2)), chain)
    await new Promise((r) => setTimeout(r, 50))
    expect(resolved).toBe(false)
    const t = performance.now()
    gate.changed(g)
    await waiting
    expect(performance.now() - t).toBeLessThan(1_000)
  })

  it('a device joining the group state wakes it too (its key may already be held)', async () => {
    const gate = new CatchupGate()
    const g = group([], [2])
    const waiting = gate.wait(g, new AbortController().signal, 10_000)
    const devices = g.state.devices as Map<string, string>
    devices.set(keyId(pk(2)), 'member-2')
    gate.changed(g)
    await waiting
    expect(keysKnown(g)).toBe(true)
  })

  it('gives up after its bound, or when the log ends; other groups are not woken', async () => {
    const gate = new CatchupGate()
    const g = group([1, 2], [1])
    const t = performance.now()
    await gate.wait(g, new AbortController().signal, 50)
    expect(performance.now() - t).toBeGreaterThanOrEqual(45)
    const ended = new AbortController()
    const other = group([1, 3], [1, 3])
    const waiting = gate.wait(g, ended.signal, 10_000)
    gate.changed(other)
    setTimeout(() => ended.abort(), 20)
    await waiting
    expect(ended.signal.aborted).toBe(true)
    expect(keysKnown(g)).toBe(false)
    // An already-ended log does not wait at all.
    await gate.wait(g, ended.signal, 10_000)
  })

  it('once one device answered, the silent ones get as long again as that took, then the pull goes on', async () => {
    const gate = new CatchupGate()
    const g = group([1, 2, 3], [1])
    const t = performance.now()
    const waiting = gate.wait(g, new AbortController().signal, 10_000, 50)
    await new Promise((r) => setTimeout(r, 150))
    g.chains.set(keyId(pk(2)), chain)
    gate.changed(g)
    const answeredAt = performance.now() - t
    await waiting
    const took = performance.now() - t
    // Device 3 (offline) never answers: about 2 × 150 ms, not the 10 s bound.
    expect(took).toBeGreaterThanOrEqual(2 * answeredAt - 20)
    expect(took).toBeLessThan(9_000)
    expect(keysKnown(g)).toBe(false)
    expect(keyCount(g)).toEqual({ known: 2, answered: 1 })
  })

  it('a late answer inside that time ends the wait at once; a key held at the start sets the minimum', async () => {
    const gate = new CatchupGate()
    const g = group([1, 2, 3], [1])
    let resolved = false
    const waiting = gate.wait(g, new AbortController().signal, 10_000, 50).then(() => (resolved = true))
    await new Promise((r) => setTimeout(r, 100))
    g.chains.set(keyId(pk(2)), chain)
    gate.changed(g)
    await new Promise((r) => setTimeout(r, 20))
    expect(resolved).toBe(false)
    g.chains.set(keyId(pk(3)), chain)
    gate.changed(g)
    // Woken synchronously: resolved within the same turn, long before the settle time.
    await Promise.resolve()
    await Promise.resolve()
    expect(resolved).toBe(true)
    await waiting
    expect(keysKnown(g)).toBe(true)
    // Device 2's key was already held when the wait began: the others get the minimum.
    const h = group([1, 2, 3], [1, 2])
    const t2 = performance.now()
    await gate.wait(h, new AbortController().signal, 10_000, 80)
    const took = performance.now() - t2
    expect(took).toBeGreaterThanOrEqual(75)
    expect(took).toBeLessThan(9_000)
  })
})
