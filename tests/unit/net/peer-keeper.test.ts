import { multiaddr } from '@multiformats/multiaddr'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { KEEP_CHECK_MS, KEEP_WAIT_MAX_MS, KEEP_WAIT_MIN_MS, PeerKeeper, type KeptPeer } from '../../../core/net/peer-keeper'

const A = { peerId: 'peerA', addr: multiaddr('/ip4/127.0.0.1/tcp/4001') }
const B = { peerId: 'peerB', addr: multiaddr('/ip4/127.0.0.1/tcp/4002') }

/** A keeper over a fake network: `up` peers accept dials (and stay connected), the others refuse. */
function lab(targets: KeptPeer[]) {
  const up = new Set<string>()
  const connected = new Set<string>()
  const dials: Array<{ peer: string; at: number }> = []
  const keeper = new PeerKeeper({
    targets: () => targets,
    what: 'a test peer',
    connected: (p) => connected.has(p),
    dial: async (addr) => {
      const peer = targets.find((t) => t.addr.equals(addr))!.peerId
      dials.push({ peer, at: Date.now() })
      if (!up.has(peer)) throw new Error('refused')
      connected.add(peer)
    }
  })
  return { keeper, up, connected, dials }
}

describe('PeerKeeper', () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }))
  afterEach(() => vi.useRealTimers())

  it('dials at start, again after 2 s, 4 s, 8 s … up to a minute while it fails, and stops once connected', async () => {
    const l = lab([A])
    l.keeper.start()
    await vi.advanceTimersByTimeAsync(0)
    expect(l.dials.map((d) => d.at)).toEqual([0])
    await vi.advanceTimersByTimeAsync(5 * 60_000)
    const gaps = l.dials.slice(1).map((d, i) => d.at - l.dials[i]!.at)
    // Checked every KEEP_CHECK_MS: each wait ends at the next check.
    const expected = [2, 4, 8, 16, 32, 60, 60, 60].map((s) => Math.ceil((s * 1000) / KEEP_CHECK_MS) * KEEP_CHECK_MS)
    expect(gaps.slice(0, expected.length)).toEqual(expected)
    expect(Math.max(...gaps)).toBe(KEEP_WAIT_MAX_MS)
    // The peer comes back: dialled at the end of the current wait, then left alone while connected.
    l.up.add('peerA')
    await vi.advanceTimersByTimeAsync(KEEP_WAIT_MAX_MS + KEEP_CHECK_MS)
    expect(l.connected.has('peerA')).toBe(true)
    const n = l.dials.length
    await vi.advanceTimersByTimeAsync(10 * KEEP_CHECK_MS)
    expect(l.dials.length).toBe(n)
    // Dropped: dialled at the next check, not after the old wait.
    l.connected.delete('peerA')
    await vi.advanceTimersByTimeAsync(KEEP_CHECK_MS)
    expect(l.dials.length).toBe(n + 1)
    expect(l.connected.has('peerA')).toBe(true)
    l.keeper.stop()
  })

  it('one dial at a time per peer; each peer has its own wait; nothing after stop', async () => {
    const l = lab([A, B, A])
    l.up.add('peerB')
    let release: (() => void) | undefined
    let slowDials = 0
    const slow = new PeerKeeper({
      targets: () => [A],
      what: 'a test peer',
      connected: () => false,
      dial: () => {
        slowDials++
        return new Promise<void>((_, reject) => (release = () => reject(new Error('late'))))
      }
    })
    slow.start()
    await vi.advanceTimersByTimeAsync(10 * KEEP_CHECK_MS)
    // A dial that hangs is not doubled by the checks that come meanwhile.
    expect(slowDials).toBe(1)
    slow.stop()
    release!()

    l.keeper.start()
    await vi.advanceTimersByTimeAsync(0)
    // A listed twice: one dial; B connected at once.
    expect(l.dials.map((d) => d.peer).sort()).toEqual(['peerA', 'peerB'])
    await vi.advanceTimersByTimeAsync(KEEP_WAIT_MIN_MS)
    expect(l.dials.filter((d) => d.peer === 'peerB')).toHaveLength(1)
    expect(l.dials.filter((d) => d.peer === 'peerA')).toHaveLength(2)
    l.keeper.stop()
    const n = l.dials.length
    await vi.advanceTimersByTimeAsync(5 * 60_000)
    expect(l.dials.length).toBe(n)
    // Started again (a libp2p node stopped and started): A, still down, is dialled at once.
    l.keeper.start()
    await vi.advanceTimersByTimeAsync(0)
    expect(l.dials.slice(n).map((d) => d.peer)).toEqual(['peerA'])
    l.keeper.stop()
  })
})
