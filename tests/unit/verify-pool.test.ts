// The worker pool must agree with core/crypto on every signature, good and bad.
import type { Worker } from 'node:worker_threads'
import { afterAll, describe, expect, it } from 'vitest'
import { ed25519PublicFromSeed, ed25519Sign, ed25519Verify, randomBytes, sodiumProvider } from '../../core/crypto'
import { VerifyPool, type VerifyItem } from '../../core/groups/verify-pool'

const pool = new VerifyPool(2)
afterAll(() => pool.close())

function items(n: number): VerifyItem[] {
  const out: VerifyItem[] = []
  for (let i = 0; i < n; i++) {
    const seed = randomBytes(32)
    const msg = randomBytes(1 + (i % 300))
    const sig = ed25519Sign(seed, msg)
    const pk = ed25519PublicFromSeed(seed)
    switch (i % 5) {
      case 0:
        out.push([pk, msg, sig])
        break
      case 1: {
        const bad = sig.slice()
        bad[i % 64]! ^= 1
        out.push([pk, msg, bad])
        break
      }
      case 2: {
        const other = msg.slice()
        other[0]! ^= 0x80
        out.push([pk, other, sig])
        break
      }
      case 3:
        out.push([ed25519PublicFromSeed(randomBytes(32)), msg, sig])
        break
      default:
        out.push([pk.subarray(0, 31), msg, sig.subarray(0, 10)])
    }
  }
  return out
}

describe('VerifyPool', () => {
  it('runs on worker threads here', () => {
    expect(pool.threads).toBe(2)
  })

  it('agrees with core/crypto on valid, tampered, wrong-key and malformed signatures', async () => {
    const batch = items(500)
    const expected = batch.map(([pk, m, s]) => pk.length === 32 && s.length === 64 && ed25519Verify(pk, m, s))
    expect(expected.filter(Boolean).length).toBe(100)
    const [a, b] = await Promise.all([pool.verifyMany(batch.slice(0, 250)), pool.verifyMany(batch.slice(250))])
    expect([...a, ...b]).toEqual(expected)
  })

  it('splits a large batch across the workers, results in order', async () => {
    const workers = (pool as unknown as { workers: Worker[] }).workers
    const posted = workers.map(() => 0)
    const originals = workers.map((w) => w.postMessage.bind(w))
    workers.forEach((w, i) => {
      w.postMessage = (value: unknown) => {
        posted[i]!++
        originals[i]!(value)
      }
    })
    try {
      const batch = items(1000)
      const expected = batch.map(([pk, m, s]) => pk.length === 32 && s.length === 64 && ed25519Verify(pk, m, s))
      expect(await pool.verifyMany(batch)).toEqual(expected)
      expect(posted).toEqual([1, 1])
    } finally {
      workers.forEach((w, i) => (w.postMessage = originals[i]!))
    }
  })

  it('verifies small batches inline and empty ones trivially', async () => {
    const batch = items(5)
    expect(await pool.verifyMany(batch)).toEqual(batch.map(([pk, m, s]) => pk.length === 32 && s.length === 64 && ed25519Verify(pk, m, s)))
    expect(await pool.verifyMany([])).toEqual([])
  })

  it('drops a worker that dies from the rotation; its requests fail instead of hanging', async () => {
    const p = new VerifyPool(2)
    try {
      const workers = (p as unknown as { workers: Worker[] }).workers
      const [first, second] = [workers[0]!, workers[1]!]
      // Large enough that the worker is still busy when it is killed.
      const inflight = p.verifyMany(items(4000))
      await first.terminate()
      await expect(inflight).rejects.toThrow(/exited/)
      expect(p.threads).toBe(1)
      const batch = items(40)
      const expected = batch.map(([pk, m, s]) => pk.length === 32 && s.length === 64 && ed25519Verify(pk, m, s))
      expect(await p.verifyMany(batch)).toEqual(expected)
      await second.terminate()
      // No worker left: verification goes on inline.
      expect(p.threads).toBe(0)
      expect(await p.verifyMany(batch)).toEqual(expected)
    } finally {
      await p.close()
    }
  })
})

describe('verify pool backends', () => {
  it('each worker reports the backend it verifies with: libsodium where it loads here', async () => {
    expect(await pool.backends).toEqual(sodiumProvider ? ['sodium', 'sodium'] : ['openssl', 'openssl'])
  })

  it('a pool without workers reports none', async () => {
    const inline = new VerifyPool(0)
    expect(await inline.backends).toEqual([])
    await inline.close()
  })
})
