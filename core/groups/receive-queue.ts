/**
 * Ordering and memory for the receive side of a group's message log (message-pipeline.ts).
 *
 * - One queue per group: received batches are opened one after the other, in the order they were
 *   handed over. A receiver chain only steps forward (its skipped keys are bounded), so a later
 *   batch opened before an earlier one could settle the earlier one as unreadable.
 * - A retry (a sender's chain key arrived: open what waited for it) goes ahead of the batches still
 *   queued, which are newer; entries of that sender in the batch being opened at that moment wait
 *   and join the retry instead of being opened out of order.
 * - Entries waiting for their sender's chain key are kept decoded (with their opened headers), up
 *   to a bound, so the retry does not read, open and decode every block again (a newcomer's
 *   catch-up usually pulls the log before the key arrives). Past the bound, or after a restart,
 *   the retry reads them from the log. Kept per open group (a closed group's go with it).
 */
import { equalBytes } from '../crypto'
import type { MessageHeaders } from '../protocol/group'
import type { BertyLogEntry } from './group-log'
import type { OpenGroup } from './types'

/** Decoded entries kept per group while they wait for a chain key. */
export const WAITING_MAX_PER_GROUP = 16_384
/**
 * And their bytes (sealed payload plus a decoded entry's own weight, roughly): the count alone let
 * a group hold 16,384 entries of up to 64 KiB, about 1 GiB, for as long as the keys did not come.
 * 10,000 small messages pulled before their key (the catch-up bench) still fit.
 */
export const WAITING_MAX_BYTES_PER_GROUP = 16 * 1024 * 1024
/** A decoded entry's weight beyond its sealed payload (fields, strings, headers), roughly. */
const ENTRY_OVERHEAD = 1024

const costOf = (entry: BertyLogEntry): number => (entry.payload?.s?.byteLength ?? 0) + ENTRY_OVERHEAD

export interface Waiting {
  entry: BertyLogEntry
  headers: MessageHeaders
}

/** Entries to open again now that their senders' chain keys arrived. */
export interface Retry {
  /** Device ids (keyId) whose chain key arrived. */
  devices: Set<string>
  /** Entries kept decoded, and the hashes of the others (read from the log). */
  kept: Waiting[]
  unkept: string[]
}

interface Queue {
  tasks: Array<{ fn: () => Promise<void>; resolve: () => void; reject: (e: unknown) => void }>
  running: boolean
  retry?: Retry
}

export class ReceiveQueues {
  private readonly queues = new WeakMap<OpenGroup, Queue>()
  private readonly waiting = new WeakMap<OpenGroup, { entries: Map<string, Waiting>; bytes: number }>()

  constructor(private readonly runRetry: (g: OpenGroup, r: Retry) => Promise<void>) {}

  private queue(g: OpenGroup): Queue {
    let q = this.queues.get(g)
    if (!q) {
      q = { tasks: [], running: false }
      this.queues.set(g, q)
    }
    return q
  }

  /** Whether work is queued or running for this group: a batch handed over now must queue too. */
  busy(g: OpenGroup): boolean {
    const q = this.queues.get(g)
    return q !== undefined && (q.running || q.tasks.length > 0 || q.retry !== undefined)
  }

  /** Runs `fn` after everything queued before it for this group (and any retry asked meanwhile). */
  run(g: OpenGroup, fn: () => Promise<void>): Promise<void> {
    const q = this.queue(g)
    return new Promise<void>((resolve, reject) => {
      q.tasks.push({ fn, resolve, reject })
      void this.drain(g, q)
    })
  }

  /** Resolves once nothing is queued or running for this group (a retry asked meanwhile included). */
  async idle(g: OpenGroup): Promise<void> {
    while (this.busy(g)) await this.run(g, async () => {})
  }

  /**
   * Asks for a retry of the entries that waited for `devicePk`'s chain key (`hashes`): it runs
   * before the batches still queued. Resolves when it has run.
   */
  retry(g: OpenGroup, deviceId: string, hashes: readonly string[]): Promise<void> {
    const q = this.queue(g)
    const r = (q.retry ??= { devices: new Set(), kept: [], unkept: [] })
    r.devices.add(deviceId)
    for (const h of hashes) {
      const w = this.take(g, h)
      if (w) r.kept.push(w)
      else r.unkept.push(h)
    }
    return new Promise<void>((resolve, reject) => {
      // An empty task: the drain loop runs the retry before it.
      q.tasks.unshift({ fn: async () => {}, resolve, reject })
      void this.drain(g, q)
    })
  }

  /**
   * A batch being opened meets an entry of a sender whose retry has not run yet: it waits for the
   * retry (returns true) instead of being opened ahead of older entries.
   */
  deferToRetry(g: OpenGroup, deviceId: string, entry: BertyLogEntry, headers: MessageHeaders): boolean {
    const r = this.queues.get(g)?.retry
    if (!r || !r.devices.has(deviceId)) return false
    r.kept.push({ entry, headers })
    return true
  }

  private async drain(g: OpenGroup, q: Queue): Promise<void> {
    if (q.running) return
    q.running = true
    try {
      for (;;) {
        const r = q.retry
        if (r) {
          q.retry = undefined
          try {
            await this.runRetry(g, r)
          } catch {
            // logged by the caller's task; the entries stay pending in storage
          }
          continue
        }
        const task = q.tasks.shift()
        if (!task) break
        try {
          await task.fn()
          task.resolve()
        } catch (err) {
          task.reject(err)
        }
      }
    } finally {
      q.running = false
    }
  }

  /** Keeps a decoded entry that waits for its sender's chain key (dropped past the bound). */
  keep(g: OpenGroup, entry: BertyLogEntry, headers: MessageHeaders): void {
    let w = this.waiting.get(g)
    if (!w) {
      w = { entries: new Map(), bytes: 0 }
      this.waiting.set(g, w)
    }
    const cost = costOf(entry)
    if (w.entries.has(entry.hash) || w.entries.size >= WAITING_MAX_PER_GROUP || w.bytes + cost > WAITING_MAX_BYTES_PER_GROUP) return
    w.entries.set(entry.hash, { entry, headers })
    w.bytes += cost
  }

  /** Entries kept decoded for this group now, and their estimated bytes: for tests and figures. */
  kept(g: OpenGroup): { entries: number; bytes: number } {
    const w = this.waiting.get(g)
    return { entries: w?.entries.size ?? 0, bytes: w?.bytes ?? 0 }
  }

  private take(g: OpenGroup, hash: string): Waiting | undefined {
    const w = this.waiting.get(g)
    const kept = w?.entries.get(hash)
    if (kept) this.forget(w!, hash, kept)
    return kept
  }

  /** Drops the kept entries of `devicePk` below `counter`: settled unreadable, never retried. */
  dropBelow(g: OpenGroup, devicePk: Uint8Array, counter: number): void {
    const w = this.waiting.get(g)
    if (!w) return
    for (const [hash, k] of w.entries) if (k.headers.counter < counter && equalBytes(k.headers.devicePk, devicePk)) this.forget(w, hash, k)
  }

  private forget(w: { entries: Map<string, Waiting>; bytes: number }, hash: string, k: Waiting): void {
    w.entries.delete(hash)
    w.bytes -= costOf(k.entry)
  }
}
