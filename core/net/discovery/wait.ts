/** Timers for discovery loops that a stop (signal) or a network change (waker) cuts short. */
import { networkInterfaces } from 'node:os'
import type { Logger } from '../../log'

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

/**
 * Every 10 s: a tick that fires late by far means the machine slept, and a different set of interface
 * addresses means the network changed (Wi-Fi switch, cable, VPN). Either way peers are likely gone and
 * old dial failures no longer say anything: `wake` is called. Returns the function that stops the clock.
 */
export function watchClock(log: Logger, wake: () => void, tickMs = 10_000): () => void {
  let last = Date.now()
  let net = interfaceSignature()
  const clock = setInterval(() => {
    const now = Date.now()
    const current = interfaceSignature()
    if (now - last > 3 * tickMs) {
      log('info', 'resumed from sleep: looking for peers again', { sleptMs: now - last - tickMs })
      wake()
    } else if (current !== net) {
      log('info', 'network interfaces changed: looking for peers again')
      wake()
    }
    last = now
    net = current
  }, tickMs)
  clock.unref?.()
  return () => clearInterval(clock)
}
