/**
 * The Electron carrier: `window.berty` (the preload's bridge) answers every call with an
 * envelope; a failed one becomes an ApiCallError carrying the node's code. IPC has no
 * connection to lose, so the state is always `open`.
 */
import type { BertyBridge, Envelope, EventName, EventPayload, MethodName, Params, Result } from '../../../core/api'
import { ApiCallError, isErrorCode } from './errors'
import type { AppClient, ConnectionInfo } from './types'

const OPEN: ConnectionInfo = { state: 'open', attempt: 0 }

export function unwrapEnvelope<T>(env: unknown): T {
  if (typeof env !== 'object' || env === null || typeof (env as { ok?: unknown }).ok !== 'boolean') {
    throw new ApiCallError('INTERNAL', 'malformed answer from the node')
  }
  const e = env as Envelope<T>
  if (e.ok) return e.value
  const code = isErrorCode(e.error?.code) ? e.error.code : 'INTERNAL'
  throw new ApiCallError(code, typeof e.error?.message === 'string' ? e.error.message : 'request failed')
}

export function createIpcClient(bridge: BertyBridge): AppClient {
  return {
    carrier: 'ipc',

    async call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> {
      const fn = bridge[method] as unknown as ((p: Params<M>) => Promise<Envelope<Result<M>>>) | undefined
      if (typeof fn !== 'function') throw new ApiCallError('UNKNOWN_METHOD', `the desktop bridge has no ${method}`)
      let env: unknown
      try {
        env = await fn(params ?? ({} as Params<M>))
      } catch (err) {
        // Electron rejects an invoke when main has not registered the channel yet (the
        // node is still starting); anything else here is a bug on the IPC path.
        const message = err instanceof Error ? err.message : String(err)
        throw new ApiCallError(/no handler registered/i.test(message) ? 'NOT_READY' : 'INTERNAL', message)
      }
      return unwrapEnvelope<Result<M>>(env)
    },

    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      return bridge.on(event, listener)
    },

    connection: () => OPEN,
    onConnection: () => () => {},
    reconnectNow: () => {},
    close: () => {}
  }
}
