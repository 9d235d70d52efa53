/**
 * Start and stop of the hosted node, without Electron.
 *
 * - `deferredDispatcher`: the IPC carrier is registered before the window loads (an `invoke` on a
 *   channel with no handler fails), while the node is still opening its database; calls wait for
 *   the node; if it failed to start, every call gets `START_FAILED` with why (the renderer shows it
 *   in place of its "Starting Berty…" spinner and stops retrying), or `DATA_DAMAGED` for a damaged
 *   database, which `node:repair` then repairs (at the next start, the app relaunched).
 * - `createQuitGuard`: Electron's `before-quit` is synchronous, the node's stop is not. The first
 *   `before-quit` is cancelled, the node is stopped (flushing the database and logs), then the app
 *   quits for real; a stop that hangs is cut short so Quit always quits.
 */
import { methods } from '../../core/api/contract'
import { ErrorCode, type Envelope } from '../../core/api/errors'
import { isDatabaseDamaged } from '../../core/storage/errors'
import type { CallContext } from '../../core/service/dispatch'
import type { CallOnly } from './settings-logic'

export const SHUTDOWN_TIMEOUT_MS = 30_000

/**
 * A start that failed on a damaged database can still be repaired from the window: `node:repair`
 * asks for the repair (core/service/repair-request.ts) and restarts the app, whose start runs it.
 */
export interface StartRepair {
  request(): void | Promise<void>
  restart(): void
}

export function deferredDispatcher(
  ready: Promise<CallOnly>,
  describeFailure: (err: unknown) => string = () => 'the node failed to start (see the log)',
  repair?: StartRepair
): CallOnly {
  // Observe a rejection now so it is never reported as unhandled; callers still see it below.
  ready.catch(() => {})
  return {
    async call(method: unknown, params: unknown, ctx: CallContext): Promise<Envelope<unknown>> {
      let dispatcher: CallOnly
      try {
        dispatcher = await ready
      } catch (err) {
        // A damaged file: DATA_DAMAGED, which the window answers with its Repair button.
        const damaged = isDatabaseDamaged(err)
        if (damaged && repair && method === 'node:repair') return await startRepair(repair, params)
        // Final: nothing changes until the person acts and starts the app again (no NOT_READY retries).
        return { ok: false, error: { code: damaged ? ErrorCode.DATA_DAMAGED : ErrorCode.START_FAILED, message: describeFailure(err) } }
      }
      return dispatcher.call(method, params, ctx)
    }
  }
}

async function startRepair(repair: StartRepair, params: unknown): Promise<Envelope<unknown>> {
  // The contract's params for node:repair: an empty object (the node's dispatcher is not there to check).
  const parsed = methods['node:repair'].params.safeParse(params ?? {})
  if (!parsed.success) return { ok: false, error: { code: ErrorCode.INVALID_PARAMS, message: 'node:repair takes no parameters' } }
  try {
    await repair.request()
  } catch (err) {
    return { ok: false, error: { code: ErrorCode.INTERNAL, message: `the repair could not be asked for: ${err instanceof Error ? err.message : String(err)}` } }
  }
  // After the answer has gone out.
  setTimeout(() => repair.restart(), 50)
  return { ok: true, value: { restarting: true } }
}

export interface QuitGuardDeps {
  /** Stops everything (IPC, the node); may reject. */
  stop(): Promise<void>
  /** Called once the stop settled: quit for real. `code` 0 = clean, 1 = failed or timed out. */
  done(code: number): void
  timeoutMs?: number
  setTimer?: (fn: () => void, ms: number) => { unref?: () => void } | unknown
  log?: (level: 'info' | 'warn' | 'error', msg: string, data?: Record<string, unknown>) => void
}

export interface QuitGuard {
  /** For `before-quit`: true = let the quit proceed, false = call `event.preventDefault()`. */
  beforeQuit(): boolean
  /** True from the first quit request on (the window's close handler reads it). */
  readonly quitting: boolean
  readonly stopped: boolean
}

export function createQuitGuard(deps: QuitGuardDeps): QuitGuard {
  let state: 'running' | 'stopping' | 'stopped' = 'running'
  const timeoutMs = deps.timeoutMs ?? SHUTDOWN_TIMEOUT_MS
  const setTimer = deps.setTimer ?? ((fn: () => void, ms: number) => setTimeout(fn, ms))

  const finish = (code: number): void => {
    if (state === 'stopped') return
    state = 'stopped'
    deps.done(code)
  }

  return {
    beforeQuit() {
      if (state === 'stopped') return true
      if (state === 'running') {
        state = 'stopping'
        deps.log?.('info', 'stopping the node before quitting')
        const timer = setTimer(() => {
          deps.log?.('error', 'stopping the node timed out; quitting anyway', { timeoutMs })
          finish(1)
        }, timeoutMs) as { unref?: () => void } | undefined
        timer?.unref?.()
        let stopping: Promise<void>
        try {
          stopping = Promise.resolve(deps.stop())
        } catch (err) {
          stopping = Promise.reject(err)
        }
        stopping.then(
          () => finish(0),
          (err: unknown) => {
            deps.log?.('error', 'stopping the node failed', { error: err instanceof Error ? err.message : String(err) })
            finish(1)
          }
        )
      }
      return false
    },
    get quitting() {
      return state !== 'running'
    },
    get stopped() {
      return state === 'stopped'
    }
  }
}
