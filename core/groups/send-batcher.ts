/**
 * Group commit for sends. Each `send` is sealed at once (its counter fixed in call order) and
 * queued; the queue is appended as one burst: one SQLite transaction and one `onEntries` for the
 * whole burst, and its entries gossiped in as few messages as fit (sync/batch.ts). A send alone
 * (the caller awaits each) is a burst of one, exactly the path it was; sends issued together (an
 * API client pipelining, a paste of many lines) share one commit instead of paying one each.
 *
 * Claims: bursts are appended one at a time, in queue order, so entries chain in counter order;
 * a send resolves only once its entry is committed (the same guarantee as an unbatched send), and
 * if a burst fails every send in it rejects with that error.
 */

/** Most sends per burst (one transaction; also gossip's MAX_BATCH_BLOCKS). */
export const MAX_SEND_BURST = 256

export interface QueuedSend {
  sealed: Uint8Array
  counter: number
}

export class SendBatcher {
  private queue: Array<QueuedSend & { resolve: (id: string) => void; reject: (err: unknown) => void }> = []
  private draining = false

  /** `flush` appends a burst and returns each entry's id, in order. */
  constructor(private readonly flush: (burst: readonly QueuedSend[]) => Promise<string[]>) {}

  push(send: QueuedSend): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      this.queue.push({ ...send, resolve, reject })
      if (this.draining) return
      this.draining = true
      // After the current task's synchronous sends have queued: they go out together.
      queueMicrotask(() => void this.drain())
    })
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const burst = this.queue.splice(0, MAX_SEND_BURST)
      try {
        const ids = await this.flush(burst)
        burst.forEach((s, i) => s.resolve(ids[i]!))
      } catch (err) {
        for (const s of burst) s.reject(err)
      }
    }
    this.draining = false
  }
}
