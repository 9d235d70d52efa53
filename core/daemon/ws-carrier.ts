/**
 * JSON-RPC 2.0 over WebSocket: the headless daemon's carrier for the API contract.
 *
 * Claims:
 * - Only a client presenting the daemon token (`?token=` or `Authorization: Bearer`) can
 *   call a method or receive an event. The token is compared in constant time on digests.
 * - A browser page from another origin cannot open the socket at all (403 at upgrade), so a
 *   page that guessed the port cannot even probe the token check.
 * - Every input is bounded: frame size (`maxPayload`, closed with 1009 by `ws`), batch
 *   length, requests in flight per socket, sockets per daemon, and bytes queued per socket
 *   (a slow reader is dropped with 1013 instead of making the node buffer without limit).
 * - A bad request is answered with a JSON-RPC error; neither the socket nor the node is
 *   harmed by it.
 *
 * Disclaims: the transport is plain `ws://`. The token and the traffic are readable by
 * anyone who can see the link, which is why the daemon binds to loopback by default.
 *
 * Wrong or missing token: the upgrade is accepted, then every request is answered with
 * -32001 UNAUTHORIZED and no event is ever pushed. Refusing at upgrade would give a client
 * only an opaque HTTP status (browsers do not expose it to scripts), while an answered error
 * lets the UI say "wrong token" and keeps the rule "a bad request gets a JSON-RPC error".
 * Unauthorized sockets get their own small quota so they cannot crowd out real clients.
 */
import { equalBytes, sha256 } from '../crypto'
import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocket, WebSocketServer, type RawData } from 'ws'
import type { EventName } from '../api/channels'
import { ErrorCode } from '../api/errors'
import type { Dispatcher } from '../service/dispatch'
import type { Logger } from '../log'
import type { BertyService } from '../service/service'

export const API_PATH = '/api'

/** JSON-RPC error codes: the spec's, plus -32000 (API error) and -32001 (no valid token). */
export const RpcCode = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  SERVER_ERROR: -32000,
  UNAUTHORIZED: -32001
} as const

export interface WsCarrierLimits {
  /** Largest accepted frame; bigger ones close the socket with 1009. */
  maxPayload: number
  /** Requests of one batch. */
  maxBatch: number
  /** Requests being handled at once on one socket; more are answered TOO_LARGE. */
  maxInFlight: number
  /** Open sockets, authorized or not. */
  maxConnections: number
  /** Open sockets without a valid token. */
  maxUnauthorized: number
  /** Bytes queued for one socket before it is dropped with 1013. */
  maxBufferedBytes: number
  /** Ping period; a socket that missed the previous pong is terminated. */
  heartbeatMs: number
}

export const DEFAULT_WS_LIMITS: WsCarrierLimits = {
  maxPayload: 64 * 1024,
  maxBatch: 32,
  maxInFlight: 16,
  maxConnections: 32,
  maxUnauthorized: 4,
  maxBufferedBytes: 4 * 1024 * 1024,
  heartbeatMs: 30_000
}

export interface WsCarrierOptions {
  server: Server
  dispatcher: Pick<Dispatcher, 'call'>
  /** Source of events pushed to authorized sockets. */
  events?: Pick<BertyService, 'onEvent'>
  token: string
  /**
   * Origins (`scheme://host:port`) a browser may connect from; called per upgrade because
   * the port is known only once the server listens. Requests without `Origin` (non-browser
   * clients) are always allowed: the token protects them.
   */
  allowedOrigins: () => readonly string[]
  limits?: Partial<WsCarrierLimits>
  log?: Logger
}

export interface WsCarrier {
  /** Closes every socket with 1001 and stops listening for upgrades and events. */
  close(): Promise<void>
  /** Open sockets, for tests and health output. */
  connectionCount(): { authorized: number; unauthorized: number }
}

type RpcId = string | number | null

interface RpcErrorObject {
  code: number
  message: string
  data?: { code: ErrorCode }
}

type RpcResponse = { jsonrpc: '2.0'; id: RpcId; result: unknown } | { jsonrpc: '2.0'; id: RpcId; error: RpcErrorObject }

interface ClientState {
  authorized: boolean
  alive: boolean
  inFlight: number
  /** Set once the socket is being dropped, so nothing more is queued on it. */
  dropped: boolean
  /** A backlog check is pending for the end of this tick. */
  checkScheduled: boolean
  /** Aborts the handlers of this socket's calls when it goes away. */
  abort: AbortController
  id: number
}

/** Bytes one socket may hold within a single tick, as a multiple of `maxBufferedBytes`. */
const HARD_BUFFER_FACTOR = 4

const digest = (value: string): Uint8Array => sha256(new TextEncoder().encode(value))

/** Constant-time token check: equal-length digests, so neither length nor prefix leaks. */
export function tokenMatches(presented: string | undefined, expectedDigest: Uint8Array): boolean {
  if (presented === undefined) return false
  return equalBytes(digest(presented), expectedDigest)
}

/** The token of an upgrade request: `Authorization: Bearer` first, then `?token=`. */
export function presentedToken(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth)
    if (m) return m[1]
  }
  try {
    const q = new URL(req.url ?? '/', 'http://localhost').searchParams.get('token')
    return q ?? undefined
  } catch {
    return undefined
  }
}

function rejectUpgrade(socket: Duplex, status: number, reason: string): void {
  if (socket.writable) {
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${reason.length}\r\n\r\n${reason}`)
  }
  socket.destroy()
}

function rpcError(id: RpcId, code: number, message: string, apiCode?: ErrorCode): RpcResponse {
  const error: RpcErrorObject = { code, message }
  if (apiCode) error.data = { code: apiCode }
  return { jsonrpc: '2.0', id, error }
}

/** JSON-RPC code for an API error code from the dispatcher. */
function rpcCodeFor(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.UNKNOWN_METHOD:
      return RpcCode.METHOD_NOT_FOUND
    case ErrorCode.INVALID_PARAMS:
      return RpcCode.INVALID_PARAMS
    case ErrorCode.UNAUTHORIZED:
      return RpcCode.UNAUTHORIZED
    default:
      return RpcCode.SERVER_ERROR
  }
}

const isRpcId = (v: unknown): v is RpcId =>
  v === null || (typeof v === 'string' && v.length <= 256) || (typeof v === 'number' && Number.isFinite(v))

const utf8 = new TextDecoder('utf-8', { fatal: true })

function frameText(data: RawData): string {
  if (Array.isArray(data)) return utf8.decode(Buffer.concat(data))
  return utf8.decode(data)
}

export function attachWsCarrier(options: WsCarrierOptions): WsCarrier {
  const limits: WsCarrierLimits = { ...DEFAULT_WS_LIMITS, ...options.limits }
  const log: Logger = options.log ?? (() => {})
  const { dispatcher, server } = options
  const expected = digest(options.token)
  const clients = new Map<WebSocket, ClientState>()
  let nextId = 1
  let closed = false

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: limits.maxPayload,
    // Compression costs memory per socket and invites compression-ratio bombs.
    perMessageDeflate: false,
    clientTracking: false
  })

  const countUnauthorized = (): number => {
    let n = 0
    for (const c of clients.values()) if (!c.authorized) n++
    return n
  }

  const drop = (ws: WebSocket, state: ClientState, code: number, reason: string): void => {
    if (state.dropped) return
    state.dropped = true
    log('warn', 'ws: dropping socket', { client: state.id, code, reason })
    ws.close(code, reason)
  }

  /**
   * Queues one frame, dropping a socket whose reader does not keep up. Node counts a write as
   * buffered until the tick after the kernel took it, so a burst of events within one tick
   * looks like a backlog even for a fast reader: the cap is judged once that tick is over,
   * with a hard ceiling of four caps within the tick to bound memory all the same.
   */
  const send = (ws: WebSocket, state: ClientState, message: string): void => {
    if (state.dropped || ws.readyState !== WebSocket.OPEN) return
    if (ws.bufferedAmount > HARD_BUFFER_FACTOR * limits.maxBufferedBytes) {
      drop(ws, state, 1013, 'slow consumer')
      return
    }
    ws.send(message)
    if (ws.bufferedAmount > limits.maxBufferedBytes && !state.checkScheduled) {
      state.checkScheduled = true
      setImmediate(() => {
        state.checkScheduled = false
        if (ws.bufferedAmount > limits.maxBufferedBytes) drop(ws, state, 1013, 'slow consumer')
      })
    }
  }

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    // Without a listener a reset during the handshake would crash the process.
    socket.on('error', () => socket.destroy())
    let pathname: string
    try {
      pathname = new URL(req.url ?? '/', 'http://localhost').pathname
    } catch {
      return rejectUpgrade(socket, 400, 'Bad Request')
    }
    if (pathname !== API_PATH) return rejectUpgrade(socket, 404, 'Not Found')
    if (closed) return rejectUpgrade(socket, 503, 'Service Unavailable')

    const origin = req.headers.origin
    if (origin !== undefined && !options.allowedOrigins().includes(origin)) {
      log('warn', 'ws: refused a foreign origin', { origin: origin.slice(0, 200) })
      return rejectUpgrade(socket, 403, 'Forbidden')
    }
    if (clients.size >= limits.maxConnections) {
      log('warn', 'ws: connection limit reached', { max: limits.maxConnections })
      return rejectUpgrade(socket, 503, 'Service Unavailable')
    }
    const authorized = tokenMatches(presentedToken(req), expected)
    if (!authorized && countUnauthorized() >= limits.maxUnauthorized) {
      return rejectUpgrade(socket, 503, 'Service Unavailable')
    }
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, authorized))
  }

  const onConnection = (ws: WebSocket, authorized: boolean): void => {
    const state: ClientState = {
      authorized,
      alive: true,
      inFlight: 0,
      dropped: false,
      checkScheduled: false,
      abort: new AbortController(),
      id: nextId++
    }
    clients.set(ws, state)
    log('info', 'ws: client connected', { client: state.id, authorized })
    ws.on('pong', () => {
      state.alive = true
    })
    // `ws` reports protocol violations (oversize frame, bad UTF-8) here, then closes.
    ws.on('error', (err) => log('warn', 'ws: socket error', { client: state.id, error: err.message }))
    ws.on('close', (code) => {
      clients.delete(ws)
      state.abort.abort()
      log('info', 'ws: client disconnected', { client: state.id, code })
    })
    ws.on('message', (data, isBinary) => {
      void onMessage(ws, state, data, isBinary)
    })
  }

  const onMessage = async (ws: WebSocket, state: ClientState, data: RawData, _isBinary: boolean): Promise<void> => {
    let parsed: unknown
    try {
      parsed = JSON.parse(frameText(data))
    } catch {
      send(ws, state, JSON.stringify(rpcError(null, RpcCode.PARSE_ERROR, 'parse error: the frame is not valid JSON')))
      return
    }
    if (Array.isArray(parsed)) {
      if (parsed.length === 0) {
        send(ws, state, JSON.stringify(rpcError(null, RpcCode.INVALID_REQUEST, 'invalid request: empty batch')))
        return
      }
      if (parsed.length > limits.maxBatch) {
        send(
          ws,
          state,
          JSON.stringify(rpcError(null, RpcCode.INVALID_REQUEST, `batch of ${parsed.length} requests exceeds ${limits.maxBatch}`, ErrorCode.TOO_LARGE))
        )
        return
      }
      const responses = await Promise.all(parsed.map((item) => handleOne(state, item)))
      const answered = responses.filter((r): r is RpcResponse => r !== undefined)
      if (answered.length > 0) send(ws, state, JSON.stringify(answered))
      return
    }
    const response = await handleOne(state, parsed)
    if (response) send(ws, state, JSON.stringify(response))
  }

  /** One request object → its response, or undefined for a notification. */
  const handleOne = async (state: ClientState, item: unknown): Promise<RpcResponse | undefined> => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      return rpcError(null, RpcCode.INVALID_REQUEST, 'invalid request: expected an object')
    }
    const req = item as Record<string, unknown>
    const hasId = Object.prototype.hasOwnProperty.call(req, 'id')
    const id: RpcId = hasId && isRpcId(req.id) ? req.id : null
    if (req.jsonrpc !== '2.0') return rpcError(id, RpcCode.INVALID_REQUEST, 'invalid request: jsonrpc must be "2.0"')
    if (hasId && !isRpcId(req.id)) return rpcError(null, RpcCode.INVALID_REQUEST, 'invalid request: bad id')
    if (typeof req.method !== 'string') return rpcError(id, RpcCode.INVALID_REQUEST, 'invalid request: method must be a string')
    if (req.params !== undefined && (typeof req.params !== 'object' || req.params === null)) {
      return rpcError(id, RpcCode.INVALID_REQUEST, 'invalid request: params must be an object')
    }
    if (!state.authorized) {
      return hasId ? rpcError(id, RpcCode.UNAUTHORIZED, 'unauthorized: missing or wrong token', ErrorCode.UNAUTHORIZED) : undefined
    }
    if (state.inFlight >= limits.maxInFlight) {
      return hasId
        ? rpcError(id, RpcCode.SERVER_ERROR, `busy: more than ${limits.maxInFlight} requests in flight`, ErrorCode.TOO_LARGE)
        : undefined
    }
    state.inFlight++
    try {
      const envelope = await dispatcher.call(req.method, req.params, { carrier: 'ws', signal: state.abort.signal })
      if (!hasId) return undefined
      if (envelope.ok) return { jsonrpc: '2.0', id, result: envelope.value ?? null }
      return rpcError(id, rpcCodeFor(envelope.error.code), envelope.error.message, envelope.error.code)
    } finally {
      state.inFlight--
    }
  }

  const onEvent = (event: EventName, payload: unknown): void => {
    let frame: string | undefined
    for (const [ws, state] of clients) {
      if (!state.authorized) continue
      // Serialize once for all sockets, and only if someone listens.
      frame ??= JSON.stringify({ jsonrpc: '2.0', method: event, params: payload })
      send(ws, state, frame)
    }
  }

  const heartbeat = setInterval(() => {
    for (const [ws, state] of clients) {
      if (!state.alive) {
        log('info', 'ws: terminating a socket that missed a heartbeat', { client: state.id })
        ws.terminate()
        continue
      }
      state.alive = false
      ws.ping()
    }
  }, limits.heartbeatMs)
  heartbeat.unref()

  server.on('upgrade', onUpgrade)
  const unsubscribe = options.events?.onEvent(onEvent)

  return {
    async close() {
      if (closed) return
      closed = true
      clearInterval(heartbeat)
      unsubscribe?.()
      server.off('upgrade', onUpgrade)
      const gone = [...clients.keys()].map(
        (ws) =>
          new Promise<void>((resolve) => {
            if (ws.readyState === WebSocket.CLOSED) return resolve()
            ws.once('close', () => resolve())
            ws.close(1001, 'daemon stopping')
            // A peer that never answers the close frame must not hold up shutdown.
            setTimeout(() => ws.terminate(), 1000).unref()
          })
      )
      await Promise.all(gone)
      await new Promise<void>((resolve) => wss.close(() => resolve()))
    },
    connectionCount() {
      let authorized = 0
      for (const c of clients.values()) if (c.authorized) authorized++
      return { authorized, unauthorized: clients.size - authorized }
    }
  }
}
