/**
 * Rotating rendezvous namespaces: base64-std of the PROTOCOL.md point, both points during the grace period,
 * the old advertisement stopped (unregistered) when the grace ends. Fake timers: no wall-clock waits.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { rendezvousPoint } from '../../../core/crypto/rendezvous'
import { activeNamespaces, nextChangeIn, RendezvousRotation } from '../../../core/net/discovery/rotation'

const topic = new TextEncoder().encode('/orbitdb/zdpu-group-store-address')
const seed = new Uint8Array(32).fill(9)
const DAY = 86_400

class Recorder {
  calls: string[] = []
  advertise(ns: string): void { this.calls.push(`+a ${ns}`) }
  async stopAdvertising(ns: string): Promise<void> { this.calls.push(`-a ${ns}`) }
  watch(ns: string): void { this.calls.push(`+w ${ns}`) }
  unwatch(ns: string): void { this.calls.push(`-w ${ns}`) }
}

describe('rendezvous rotation', () => {
  beforeEach(() => { vi.useFakeTimers() })
  afterEach(() => { vi.useRealTimers() })

  it('namespaces are base64-std(point); two during the grace period', () => {
    const t = 100 * DAY + 30
    const b64 = (p: Uint8Array): string => Buffer.from(p).toString('base64')
    expect(activeNamespaces({ topic, seed }, t)).toEqual([b64(rendezvousPoint(topic, seed, 100 * DAY)), b64(rendezvousPoint(topic, seed, 99 * DAY))])
    expect(activeNamespaces({ topic, seed }, 100 * DAY + 600)).toEqual([b64(rendezvousPoint(topic, seed, 100 * DAY))])
    expect(nextChangeIn({ topic, seed }, t)).toBe(570)
    expect(nextChangeIn({ topic, seed }, 100 * DAY + 600)).toBe(DAY - 600)
  })

  it('advertises the new point at the boundary and stops the old one when the grace ends', () => {
    const start = (100 * DAY + DAY - 5) * 1000
    vi.setSystemTime(start)
    const d = new Recorder()
    const r = new RendezvousRotation(d)
    r.announce('g', { topic, seed })
    r.watch('g', { topic, seed })
    const [cur] = activeNamespaces({ topic, seed }, 100 * DAY)
    const [next] = activeNamespaces({ topic, seed }, 101 * DAY + 700)
    expect(d.calls).toEqual([`+a ${cur}`, `+w ${cur}`])
    vi.advanceTimersByTime(6_000)
    expect(d.calls.slice(2)).toEqual([`+a ${next}`, `+w ${next}`])
    expect(r.namespaces('g').sort()).toEqual([cur, next].sort())
    vi.advanceTimersByTime(600_000)
    expect(d.calls.slice(4)).toEqual([`-a ${cur}`, `-w ${cur}`])
    r.stop('g')
    expect(d.calls.slice(6)).toEqual([`-a ${next}`, `-w ${next}`])
  })
})
