/**
 * Deadlines and combined signals for network operations.
 *
 * Never `AbortSignal.any` here, for two faults of Node 20:
 * - a timeout signal is held only weakly by its own timer, and a composite does not hold its sources,
 *   so once a collection ran `AbortSignal.any([AbortSignal.timeout(ms), …])` never fired
 *   (nodejs/node#57736). Seen as a contact request to a silent peer that never timed out
 *   (`contacts-faults.test.ts`) and, earlier, a liveness ping that hung for good;
 * - a long-lived source keeps every composite ever made from it (nodejs/node#54614, #55351): measured
 *   here 1.3 KB kept for good per composite carrying an abort listener, 2.9 KB once aborted. The
 *   node's stop signal and each discovery driver's are in every lookup's deadline, every minute per
 *   group and driver, for as long as the node runs.
 * Combined signals come from `any-signal` instead: plain listeners on the sources, removed when any
 * of them fires or on `clear()`. A deadline's timer holds its controller until it fires or is cleared.
 */
import { setMaxListeners } from 'node:events'
import { anySignal, type ClearableSignal } from 'any-signal'

export type { ClearableSignal }

/**
 * A signal that fires when any of `signals` does. `clear()` (in a `finally`) lets go of the sources
 * at once; otherwise their listeners stay until one of them fires.
 */
export function linkSignals(...signals: Array<AbortSignal | undefined>): ClearableSignal {
  return anySignal(allowMany(signals))
}

/**
 * A long-lived source (the node's stop signal, a server's) carries one listener per operation in
 * flight, and a server has many at once: expected, since each is removed when its operation ends,
 * so Node's "possible leak" warning past 10 listeners does not apply to them.
 */
function allowMany(signals: Array<AbortSignal | undefined>): Array<AbortSignal | undefined> {
  for (const s of signals) if (s != null) setMaxListeners(Infinity, s)
  return signals
}

/**
 * An AbortSignal that fires after `timeoutMs` (a `TimeoutError`) or when any of `signals` fires.
 * `clear()` once the operation is over stops the timer and lets go of the sources; a deadline never
 * cleared holds them until it fires, no longer.
 */
export function deadline(timeoutMs: number, ...signals: Array<AbortSignal | undefined>): ClearableSignal {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(new DOMException(`timed out after ${timeoutMs} ms`, 'TimeoutError')), timeoutMs)
  // As AbortSignal.timeout: a pending deadline alone does not keep the process running.
  timer.unref?.()
  const signal = anySignal([controller.signal, ...allowMany(signals)])
  const clearSources = signal.clear.bind(signal)
  const clear = (): void => {
    clearTimeout(timer)
    clearSources()
  }
  if (signal.aborted) clear()
  else signal.addEventListener('abort', clear, { once: true })
  return Object.assign(signal, { clear })
}
