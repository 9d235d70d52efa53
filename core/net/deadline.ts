/**
 * Deadlines for network operations.
 *
 * Not `AbortSignal.any([AbortSignal.timeout(ms), …])`: Node's timeout signal is held only weakly by its
 * own timer, and a composite signal does not hold its sources, so once a collection ran the timeout
 * signal was gone and the deadline never fired (nodejs/node#57736, open on Node 20). Seen here as a
 * contact request to a silent peer that never timed out (`contacts-faults.test.ts`) and, earlier, a
 * liveness ping that hung for good. The timer below holds its controller until it fires or the
 * signal aborts.
 */

/** An AbortSignal that fires after `timeoutMs` (a `TimeoutError`) or when any of `signals` fires. */
export function deadline(timeoutMs: number, ...signals: Array<AbortSignal | undefined>): AbortSignal {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(new DOMException(`timed out after ${timeoutMs} ms`, 'TimeoutError')), timeoutMs)
  // As AbortSignal.timeout: a pending deadline alone does not keep the process running.
  timer.unref?.()
  const sources = signals.filter((s): s is AbortSignal => s != null)
  const signal = sources.length === 0 ? controller.signal : AbortSignal.any([controller.signal, ...sources])
  if (signal.aborted) clearTimeout(timer)
  else signal.addEventListener('abort', () => clearTimeout(timer), { once: true })
  return signal
}
