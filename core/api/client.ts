/**
 * The one interface the renderer talks to, whatever carries it (Electron IPC through the
 * preload's `window.berty`, or JSON-RPC over WebSocket to a headless daemon).
 */
import type { EventName, MethodName } from './channels'
import type { EventPayload, Params, Result } from './contract'

export interface BertyClient {
  call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>>
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void
}

/** What the preload exposes as `window.berty`: one function per method plus `on`. */
export type BertyBridge = {
  [M in MethodName]: (params: Params<M>) => Promise<import('./errors').Envelope<Result<M>>>
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void
}
