/**
 * Ed25519 verification on worker threads, for bulk catch-up: a fresh device receiving thousands of
 * entries spends half its time verifying two signatures per entry, and that work is independent
 * per entry, so it runs on the other core(s) while the main thread decodes the next frames.
 *
 * The worker is a small inline script (no file to locate, so it works the same under tsx, vitest
 * and the bundled Electron main) that verifies with node:crypto — the same OpenSSL primitive as
 * core/crypto's node provider, whose agreement with @noble is pinned by tests/vectors; a test here
 * checks the pool against core/crypto on good and bad signatures. Where workers cannot start, the
 * pool verifies on the calling thread through core/crypto.
 */
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import { ed25519Verify } from '../crypto'

export type VerifyItem = readonly [publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array]

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads')
const crypto = require('node:crypto')
const SPKI = Buffer.from('302a300506032b6570032100', 'hex')
const keys = new Map()
function keyOf(pk) {
  const id = Buffer.from(pk).toString('hex')
  let k = keys.get(id)
  if (!k) {
    k = crypto.createPublicKey({ key: Buffer.concat([SPKI, pk]), format: 'der', type: 'spki' })
    if (keys.size >= 4096) keys.clear()
    keys.set(id, k)
  }
  return k
}
parentPort.on('message', ({ id, items }) => {
  const out = new Uint8Array(items.length)
  for (let i = 0; i < items.length; i++) {
    const [pk, msg, sig] = items[i]
    try {
      out[i] = pk.length === 32 && sig.length === 64 && crypto.verify(null, msg, keyOf(pk), sig) ? 1 : 0
    } catch {
      out[i] = 0
    }
  }
  parentPort.postMessage({ id, out }, [out.buffer])
})
`

interface Pending {
  resolve: (v: boolean[]) => void
  reject: (e: Error) => void
}

export class VerifyPool {
  private readonly workers: Worker[] = []
  private readonly pending = new Map<number, Pending>()
  private nextId = 0
  private turn = 0
  private closed = false

  /**
   * `size` workers; default one per core (at most 4). During a catch-up the main thread mostly
   * waits on the network and the verifiers, so it does not need a core of its own.
   */
  constructor(size = Math.max(1, Math.min(4, availableParallelism()))) {
    for (let i = 0; i < size; i++) {
      try {
        const w = new Worker(WORKER_SOURCE, { eval: true })
        w.unref()
        w.on('message', (m: { id: number; out: Uint8Array }) => {
          const p = this.pending.get(m.id)
          if (!p) return
          this.pending.delete(m.id)
          p.resolve(Array.from(m.out, (v) => v === 1))
        })
        w.on('error', (err) => this.fail(err))
        this.workers.push(w)
      } catch {
        break // no worker support here: verify inline
      }
    }
  }

  get threads(): number {
    return this.workers.length
  }

  private fail(err: Error): void {
    for (const p of this.pending.values()) p.reject(err)
    this.pending.clear()
  }

  /** Verifies every item; `true` where the signature is valid. Never throws for bad inputs. */
  async verifyMany(items: readonly VerifyItem[]): Promise<boolean[]> {
    if (items.length === 0) return []
    if (this.closed || this.workers.length === 0 || items.length < 8) {
      return items.map(([pk, msg, sig]) => safeVerify(pk, msg, sig))
    }
    const worker = this.workers[this.turn++ % this.workers.length]!
    const id = this.nextId++
    return new Promise<boolean[]>((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      worker.postMessage({ id, items })
    })
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.fail(new Error('verify pool closed'))
    await Promise.allSettled(this.workers.map((w) => w.terminate()))
    this.workers.length = 0
  }
}

function safeVerify(pk: Uint8Array, msg: Uint8Array, sig: Uint8Array): boolean {
  try {
    return pk.length === 32 && sig.length === 64 && ed25519Verify(pk, msg, sig)
  } catch {
    return false
  }
}
