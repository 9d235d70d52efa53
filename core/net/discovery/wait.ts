/** Timers for discovery loops that a stop (signal) or a network change (waker) cuts short. */
import { networkInterfaces } from 'node:os'

/** Lets every pending {@link abortableSleep} with this waker return early. */
export class Waker {
  private readonly listeners = new Set<() => void>()

  wake(): void {
    const now = [...this.listeners]
    this.listeners.clear()
    for (const l of now) l()
  }

  on(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}

/**
 * Waits `ms`. Resolves `true` if a waker fired first, `false` on timeout or abort (never rejects:
 * loops check their signal right after).
 */
export async function abortableSleep(ms: number, signal: AbortSignal, wakers: Waker | Waker[] = []): Promise<boolean> {
  if (signal.aborted) return false
  return new Promise<boolean>((resolve) => {
    let offs: Array<() => void> = []
    const finish = (woken: boolean): void => {
      clearTimeout(timer)
      signal.removeEventListener('abort', onAbort)
      for (const off of offs) off()
      resolve(woken)
    }
    const onAbort = (): void => finish(false)
    const timer = setTimeout(() => finish(false), ms)
    signal.addEventListener('abort', onAbort, { once: true })
    offs = (Array.isArray(wakers) ? wakers : [wakers]).map((w) => w.on(() => finish(true)))
  })
}

/** The machine's non-internal interface addresses, sorted: changes when the network does. */
export function interfaceSignature(): string {
  return Object.values(networkInterfaces()).flat()
    .flatMap((i) => (i != null && !i.internal ? [i.address] : []))
    .sort()
    .join(',')
}
