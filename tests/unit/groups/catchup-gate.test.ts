// The catch-up gate: a newcomer's first message pull waits for the chain keys of the devices its
// metadata log names, and no longer than its bound.
import { describe, expect, it } from 'vitest'
import { keysKnown, waitForKeys } from '../../../core/groups/catchup-gate'
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

  it('resolves when the key arrives', async () => {
    const g = group([1, 2], [1])
    setTimeout(() => g.chains.set(keyId(pk(2)), chain), 30)
    const t = performance.now()
    await waitForKeys(g, () => false, 10_000)
    expect(g.chains.has(keyId(pk(2)))).toBe(true)
    expect(performance.now() - t).toBeLessThan(5_000)
  })

  it('gives up after its bound, or when stopped', async () => {
    const g = group([1, 2], [1])
    const t = performance.now()
    await waitForKeys(g, () => false, 50)
    expect(performance.now() - t).toBeGreaterThanOrEqual(45)
    let stop = false
    setTimeout(() => (stop = true), 20)
    await waitForKeys(g, () => stop, 10_000)
    expect(stop).toBe(true)
    expect(keysKnown(g)).toBe(false)
  })
})
