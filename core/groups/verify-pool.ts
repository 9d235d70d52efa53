/**
 * Ed25519 verification on worker threads, for bulk catch-up: a fresh device receiving thousands of
 * entries spends half its time verifying two signatures per entry, and that work is independent
 * per entry, so it runs on the other core(s) while the main thread decodes the next frames.
 *
 * The worker's source is core/crypto's (verify-worker-source.ts `ED25519_VERIFY_WORKER_SOURCE`:
 * libsodium then OpenSSL, as the libsodium provider, else OpenSSL alone; each worker reports which
 * at start, `backends`); a test here checks the pool against
 * core/crypto on good and bad signatures. Where workers cannot start, or every worker failed,
 * the pool verifies on the calling thread through core/crypto. A worker that fails leaves the
 * rotation at once and its requests are rejected, so no caller waits for an answer that never comes.
 */
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import { ED25519_VERIFY_WORKER_SOURCE, ed25519Verify, sodiumPath } from '../crypto'

/** A batch is split across workers only in parts of at least this many items. */
const SPLIT_MIN_ITEMS = 64

export type VerifyItem = readonly [publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array]

interface Pending {
  worker: Worker
  resolve: (v: boolean[]) => void
  reject: (e: Error) => void
}

export class VerifyPool {
  private readonly workers: Worker[] = []
  private readonly reported: string[] = []
  private allReported: () => void = () => {}
  /** The backend each worker verifies with ('sodium' or 'openssl'), once every live worker has said. */
  readonly backends: Promise<readonly string[]> = new Promise((resolve) => (this.allReported = () => resolve([...this.reported])))
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
        const w = new Worker(ED25519_VERIFY_WORKER_SOURCE, { eval: true, workerData: { sodiumPath } })
        w.unref()
        w.on('message', (m: { id: number; out: Uint8Array } | { ready: string }) => {
          if ('ready' in m) {
            this.reported.push(m.ready === 'sodium' ? 'sodium' : 'openssl')
            if (this.reported.length >= this.workers.length) this.allReported()
            return
          }
          const p = this.pending.get(m.id)
          if (!p) return
          this.pending.delete(m.id)
          p.resolve(Array.from(m.out, (v) => v === 1))
        })
        w.on('error', (err) => this.retire(w, err))
        w.on('exit', () => this.retire(w, new Error('verify worker exited')))
        this.workers.push(w)
      } catch {
        break // no worker support here: verify inline
      }
    }
    if (this.workers.length === 0) this.allReported()
  }

  get threads(): number {
    return this.workers.length
  }

  /** Takes a failed worker out of the rotation and rejects what it was asked. */
  private retire(worker: Worker, err: Error): void {
    const i = this.workers.indexOf(worker)
    if (i >= 0) this.workers.splice(i, 1)
    if (this.reported.length >= this.workers.length) this.allReported()
    for (const [id, p] of this.pending) {
      if (p.worker !== worker) continue
      this.pending.delete(id)
      p.reject(err)
    }
  }

  /** Verifies every item; `true` where the signature is valid. Never throws for bad inputs. */
  async verifyMany(items: readonly VerifyItem[]): Promise<boolean[]> {
    if (items.length === 0) return []
    if (this.closed || this.workers.length === 0 || items.length < 8) {
      return items.map(([pk, msg, sig]) => safeVerify(pk, msg, sig))
    }
    // A large batch is split across the workers, so one batch uses every core.
    const parts = Math.min(this.workers.length, Math.floor(items.length / SPLIT_MIN_ITEMS))
    if (parts <= 1) return this.post(items)
    const size = Math.ceil(items.length / parts)
    const out = await Promise.all(Array.from({ length: parts }, (_, i) => this.post(items.slice(i * size, (i + 1) * size))))
    return out.flat()
  }

  private post(items: readonly VerifyItem[]): Promise<boolean[]> {
    const worker = this.workers[this.turn++ % this.workers.length]!
    const id = this.nextId++
    const packed = packVerifyItems(items)
    return new Promise<boolean[]>((resolve, reject) => {
      this.pending.set(id, { worker, resolve, reject })
      worker.postMessage({ id, count: items.length, packed }, [packed])
    })
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    const workers = this.workers.splice(0)
    const err = new Error('verify pool closed')
    for (const p of this.pending.values()) p.reject(err)
    this.pending.clear()
    await Promise.allSettled(workers.map((w) => w.terminate()))
  }
}

/**
 * The items in one transferable buffer (the worker protocol of ED25519_VERIFY_WORKER_SOURCE): posting
 * an array of views structured-cloned every item and, with each view, the whole buffer it points
 * into (a decoded block's, for the group signature), per batch on the main thread.
 */
export function packVerifyItems(items: readonly VerifyItem[]): ArrayBuffer {
  let size = 0
  for (const [, msg] of items) size += 101 + msg.length
  const packed = new ArrayBuffer(size)
  const bytes = new Uint8Array(packed)
  const view = new DataView(packed)
  let at = 0
  for (const [pk, msg, sig] of items) {
    const sized = pk.length === 32 && sig.length === 64
    bytes[at] = sized ? 1 : 0
    view.setUint32(at + 1, msg.length)
    if (sized) {
      bytes.set(pk, at + 5)
      bytes.set(sig, at + 37)
    }
    bytes.set(msg, at + 101)
    at += 101 + msg.length
  }
  return packed
}

function safeVerify(pk: Uint8Array, msg: Uint8Array, sig: Uint8Array): boolean {
  try {
    return pk.length === 32 && sig.length === 64 && ed25519Verify(pk, msg, sig)
  } catch {
    return false
  }
}
