/**
 * JSON-RPC 2.0 over WebSocket to the headless daemon (core/daemon/ws-carrier.ts).
 *
 * - Requests carry numeric ids; each has a timeout (TIMEOUT error) and is queued while no
 *   socket is open, so calls made during (re)connection go out once it opens.
 * - A request already sent when the socket drops fails with NETWORK: whether the node ran
 *   it is unknown, so it is not silently replayed.
 * - The socket reconnects with capped exponential backoff. Events need no subscription:
 *   the daemon pushes them to every authorized socket as notifications
 *   `{ jsonrpc: '2.0', method: <event>, params: <payload> }`; events emitted while no socket
 *   was open are lost, which is why the store refetches on reconnect.
 * - Errors `{ code: -32xxx, message, data: { code } }` become ApiCallError(data.code).
 *
 * The socket is reached through a factory so tests can drive a fake one.
 */
import type { EventName, EventPayload, MethodName, Params, Result } from '../../../core/api'
import type { ErrorCode } from '../../../core/api'
import { ApiCallError, isErrorCode } from './errors'
import type { AppClient, ConnectionInfo } from './types'

export interface SocketHandlers {
  open(): void
  message(data: unknown): void
  close(code: number, reason: string): void
  error(): void
}

/** The little of a WebSocket the client uses. */
export interface SocketConn {
  send(data: string): void
  close(code?: number, reason?: string): void
}

/** Opens a socket to `url` and reports its life through `handlers`. May throw. */
export type SocketFactory = (url: string, handlers: SocketHandlers) => SocketConn

export interface WsClientOptions {
  url: string
  socketFactory: SocketFactory
  /** Per-call timeout; default 30 s. */
  timeoutMs?: number
  /** Longer timeouts for calls that legitimately take long (joining syncs history). */
  methodTimeoutMs?: Partial<Record<MethodName, number>>
  /** Delay before reconnect attempt `attempt` (1-based). */
  backoff?: (attempt: number) => number
  now?: () => number
}

export const DEFAULT_TIMEOUT_MS = 30_000

export const DEFAULT_METHOD_TIMEOUTS: Partial<Record<MethodName, number>> = {
  'group:join': 120_000,
  'account:create': 60_000,
  'peer:connect': 60_000
}

export function defaultBackoff(attempt: number): number {
  const base = Math.min(10_000, 500 * 2 ** Math.max(0, attempt - 1))
  return Math.round(base * (0.8 + Math.random() * 0.4))
}

/** JSON-RPC standard codes → contract codes, for errors that lack `data.code`. */
function codeForRpc(rpcCode: unknown): ErrorCode {
  switch (rpcCode) {
    case -32601:
      return 'UNKNOWN_METHOD'
    case -32602:
    case -32600:
      return 'INVALID_PARAMS'
    case -32001:
      return 'UNAUTHORIZED'
    default:
      return 'INTERNAL'
  }
}

interface PendingCall {
  method: string
  frame: string
  sent: boolean
  timer: ReturnType<typeof setTimeout>
  resolve(value: unknown): void
  reject(err: ApiCallError): void
}

type Listener = (payload: unknown) => void

export function createWsClient(options: WsClientOptions): AppClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const methodTimeouts = { ...DEFAULT_METHOD_TIMEOUTS, ...options.methodTimeoutMs }
  const backoff = options.backoff ?? defaultBackoff
  const now = options.now ?? Date.now

  const pending = new Map<number, PendingCall>()
  const listeners = new Map<string, Set<Listener>>()
  const connListeners = new Set<(info: ConnectionInfo) => void>()
  let info: ConnectionInfo = { state: 'connecting', attempt: 0 }
  let socket: SocketConn | null = null
  let socketOpen = false
  let generation = 0
  let retryTimer: ReturnType<typeof setTimeout> | undefined
  let nextId = 1
  let stopped = false

  const setInfo = (next: ConnectionInfo): void => {
    info = next
    for (const l of [...connListeners]) {
      try {
        l(info)
      } catch (err) {
        console.error('berty: connection listener failed', err)
      }
    }
  }

  const settle = (id: number): PendingCall | undefined => {
    const call = pending.get(id)
    if (!call) return undefined
    pending.delete(id)
    clearTimeout(call.timer)
    return call
  }

  const flush = (): void => {
    for (const call of pending.values()) {
      if (call.sent || !socket || !socketOpen) continue
      try {
        socket.send(call.frame)
        call.sent = true
      } catch {
        // The close handler follows; the call stays queued.
        return
      }
    }
  }

  const emit = (event: string, payload: unknown): void => {
    for (const l of [...(listeners.get(event) ?? [])]) {
      try {
        l(payload)
      } catch (err) {
        console.error(`berty: listener for ${event} failed`, err)
      }
    }
  }

  const handleFrame = (msg: unknown): void => {
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return
    const m = msg as Record<string, unknown>
    if (m.jsonrpc !== '2.0') return
    if ('id' in m && ('result' in m || 'error' in m)) {
      if (typeof m.id !== 'number') return
      const call = settle(m.id)
      if (!call) return
      if ('error' in m) {
        const e = (typeof m.error === 'object' && m.error !== null ? m.error : {}) as Record<string, unknown>
        const data = (typeof e.data === 'object' && e.data !== null ? e.data : {}) as Record<string, unknown>
        const code = isErrorCode(data.code) ? data.code : codeForRpc(e.code)
        call.reject(new ApiCallError(code, typeof e.message === 'string' ? e.message : 'request failed'))
      } else {
        call.resolve(m.result)
      }
      return
    }
    if (typeof m.method === 'string' && !('id' in m)) emit(m.method, m.params)
  }

  const scheduleRetry = (): void => {
    if (stopped) return
    const attempt = info.attempt + 1
    const delay = Math.max(0, backoff(attempt))
    clearTimeout(retryTimer)
    retryTimer = setTimeout(() => {
      retryTimer = undefined
      connect(attempt)
    }, delay)
    setInfo({ state: 'closed', attempt, retryAt: now() + delay, lastClose: info.lastClose })
  }

  const onSocketGone = (gen: number, code: number, reason: string): void => {
    if (gen !== generation) return
    generation++
    socket = null
    socketOpen = false
    // Calls already on the wire are in an unknown state: fail them. Queued ones wait.
    for (const [id, call] of [...pending]) {
      if (!call.sent) continue
      settle(id)
      call.reject(new ApiCallError('NETWORK', `connection lost before ${call.method} answered`))
    }
    info = { ...info, lastClose: { code, reason } }
    if (stopped) setInfo({ state: 'closed', attempt: info.attempt, lastClose: info.lastClose })
    else scheduleRetry()
  }

  function connect(attempt: number): void {
    if (stopped) return
    const gen = ++generation
    setInfo({ state: 'connecting', attempt, lastClose: info.lastClose })
    const handlers: SocketHandlers = {
      open() {
        if (gen !== generation) return
        socketOpen = true
        setInfo({ state: 'open', attempt: 0 })
        flush()
      },
      message(data) {
        if (gen !== generation || typeof data !== 'string') return
        let parsed: unknown
        try {
          parsed = JSON.parse(data)
        } catch {
          return
        }
        if (Array.isArray(parsed)) parsed.forEach(handleFrame)
        else handleFrame(parsed)
      },
      close(code, reason) {
        onSocketGone(gen, code, reason)
      },
      error() {
        // A close event always follows an error event; nothing to do until then.
      }
    }
    try {
      socket = options.socketFactory(options.url, handlers)
    } catch (err) {
      onSocketGone(gen, 1006, err instanceof Error ? err.message : String(err))
    }
  }

  const client: AppClient = {
    carrier: 'ws',

    call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> {
      if (stopped) return Promise.reject(new ApiCallError('NETWORK', 'the client is closed'))
      const id = nextId++
      const frame = JSON.stringify({ jsonrpc: '2.0', id, method, params: params ?? {} })
      return new Promise<Result<M>>((resolve, reject) => {
        const ms = methodTimeouts[method] ?? timeoutMs
        const timer = setTimeout(() => {
          if (settle(id)) reject(new ApiCallError('TIMEOUT', `${method} did not answer within ${Math.round(ms / 1000)} s`))
        }, ms)
        pending.set(id, {
          method,
          frame,
          sent: false,
          timer,
          resolve: resolve as (value: unknown) => void,
          reject
        })
        flush()
      })
    },

    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      let set = listeners.get(event)
      if (!set) listeners.set(event, (set = new Set()))
      const l = listener as Listener
      set.add(l)
      return () => {
        set.delete(l)
      }
    },

    connection: () => info,

    onConnection(listener) {
      connListeners.add(listener)
      return () => {
        connListeners.delete(listener)
      }
    },

    reconnectNow() {
      if (stopped || info.state !== 'closed') return
      clearTimeout(retryTimer)
      retryTimer = undefined
      connect(info.attempt)
    },

    close() {
      if (stopped) return
      stopped = true
      clearTimeout(retryTimer)
      retryTimer = undefined
      for (const id of [...pending.keys()]) settle(id)?.reject(new ApiCallError('NETWORK', 'the client is closed'))
      const s = socket
      generation++
      socket = null
      socketOpen = false
      try {
        s?.close(1000, 'closing')
      } catch {
        // already closed
      }
      setInfo({ state: 'closed', attempt: info.attempt, lastClose: info.lastClose })
    }
  }

  connect(0)
  return client
}
