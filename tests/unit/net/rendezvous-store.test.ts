/** Rendezvous registrations: expiry, replacement, per-peer and total caps, TTL bounds, cookie paging. */
import { describe, expect, it } from 'vitest'
import { rendezvous } from '../../../core/net/discovery/proto/rendezvous'
import { RegistrationStore } from '../../../core/net/discovery/rendezvous-store'

const Status = rendezvous.Message.ResponseStatus
const addr = Uint8Array.from([4, 10, 213, 0, 1, 6, 0x0f, 0xa1])
const id = (n: number): Uint8Array => Uint8Array.from([0, 36, n])

describe('rendezvous registration store', () => {
  it('expires registrations, replaces on re-register, and pages with the cookie', () => {
    let now = 1_000_000
    const s = new RegistrationStore({ maxPerPeer: 10, maxTotal: 100, maxTtlSec: 3600, defaultTtlSec: 60, maxNamespaceBytes: 256, maxAddrBytes: 2048, maxDiscoverLimit: 1000 }, () => now)
    expect(s.register('p1', id(1), 'ns', [addr], 0n)).toEqual({ ok: true, ttlSec: 60 })
    expect(s.register('p2', id(2), 'ns', [addr], 120n)).toEqual({ ok: true, ttlSec: 120 })
    const first = s.discover('ns', 0n, undefined)
    if (!first.ok) throw new Error('discover failed')
    expect(first.registrations.map((r) => r.peer?.id[2])).toEqual([1, 2])
    expect(first.registrations.map((r) => r.ttl)).toEqual([60n, 120n])
    // Re-registering p1 gives it a new counter: it shows up after the cookie again.
    s.register('p1', id(1), 'ns', [addr], 300n)
    const again = s.discover('ns', 0n, first.cookie)
    expect(again.ok && again.registrations.map((r) => r.peer?.id[2])).toEqual([1])
    expect(s.size).toBe(2)
    now += 121_000
    const later = s.discover('ns', 0n, undefined)
    expect(later.ok && later.registrations.map((r) => r.peer?.id[2])).toEqual([1])
    expect(s.pruneExpired()).toBe(1)
    expect(s.size).toBe(1)
    now += 300_000
    expect(s.pruneExpired()).toBe(1)
    expect(s.size).toBe(0)
    // A cookie for another namespace is refused.
    expect(s.discover('other', 0n, first.cookie)).toMatchObject({ ok: false, status: Status.E_INVALID_COOKIE })
  })

  it('caps per peer, in total, and refuses bad TTLs, namespaces and address blobs', () => {
    const s = new RegistrationStore({ maxPerPeer: 2, maxTotal: 3, maxTtlSec: 3600, defaultTtlSec: 60, maxNamespaceBytes: 8, maxAddrBytes: 16, maxDiscoverLimit: 1000 })
    expect(s.register('p1', id(1), 'a', [addr], 0n).ok).toBe(true)
    expect(s.register('p1', id(1), 'b', [addr], 0n).ok).toBe(true)
    expect(s.register('p1', id(1), 'c', [addr], 0n)).toMatchObject({ ok: false, status: Status.E_NOT_AUTHORIZED })
    expect(s.register('p1', id(1), 'a', [addr], 0n).ok).toBe(true)
    expect(s.register('p2', id(2), 'a', [addr], 0n).ok).toBe(true)
    expect(s.register('p3', id(3), 'a', [addr], 0n)).toMatchObject({ ok: false, status: Status.E_UNAVAILABLE })
    expect(s.register('p2', id(2), 'x', [addr], 3601n)).toMatchObject({ ok: false, status: Status.E_INVALID_TTL })
    expect(s.register('p2', id(2), 'x', [addr], -1n)).toMatchObject({ ok: false, status: Status.E_INVALID_TTL })
    expect(s.register('p2', id(2), 'ninebytes', [addr], 0n)).toMatchObject({ ok: false, status: Status.E_INVALID_NAMESPACE })
    expect(s.register('p2', id(2), 'x', [addr, addr, addr], 0n)).toMatchObject({ ok: false, status: Status.E_INVALID_PEER_INFO })
    expect(s.register('p2', id(2), 'x', [], 0n)).toMatchObject({ ok: false, status: Status.E_INVALID_PEER_INFO })
    s.unregister('p1', '')
    expect(s.size).toBe(1)
    expect(s.peers).toBe(1)
  })
})
