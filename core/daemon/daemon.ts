/**
 * Starts the headless host around an already running node: one HTTP server on one port
 * serving the built renderer at `/`, `/healthz`, and the JSON-RPC WebSocket API at `/api`.
 * The node's lifecycle stays with the caller: `close()` stops serving, not the node.
 */
import { base64urlEncode } from '../bytes'
import { randomBytes } from '../crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { networkInterfaces } from 'node:os'
import { Dispatcher } from '../service/dispatch'
import type { Logger } from '../log'
import type { BertyService } from '../service/service'
import { createHttpHandler } from './http-server'
import { API_PATH, attachWsCarrier, type WsCarrierLimits } from './ws-carrier'

export interface DaemonOptions {
  service: BertyService
  /** Loopback by default: anything else exposes the API (over plain ws://) to the network. */
  apiHost?: string
  /** 0 picks a free port. */
  apiPort?: number
  rendererDir: string
  /** Reused across restarts when given (e.g. from a token file); else 32 random bytes. */
  token?: string
  /** Extra browser origins allowed to open the API, beyond the daemon's own. */
  extraOrigins?: readonly string[]
  limits?: Partial<WsCarrierLimits>
  log?: Logger
}

export interface Daemon {
  /** `ws://host:port/api` */
  url: string
  token: string
  /** `http://host:port/#token=…`: the fragment never leaves the browser. */
  uiUrl: string
  /** The daemon's own http origin. */
  origin: string
  /** The port it listens on (a restart of the node listens on it again: open windows reconnect). */
  port: number
  close(): Promise<void>
}

/** Tokens travel in URLs and headers: URL-safe characters only, and at least 128 bits. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{22,256}$/

export function generateToken(): string {
  return base64urlEncode(randomBytes(32))
}

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase()
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '::ffff:127.0.0.1'
}

const isWildcard = (host: string): boolean => host === '0.0.0.0' || host === '::' || host === '[::]'

const hostPort = (host: string, port: number): string => (host.includes(':') ? `[${host.replace(/^\[|\]$/g, '')}]:${port}` : `${host}:${port}`)

/**
 * The http origins a browser shows when it loads the UI from this daemon. For loopback the
 * usual aliases are all ours; for a wildcard bind, every local interface address is.
 */
export function ownOrigins(bindHost: string, port: number): string[] {
  const hosts = new Set<string>()
  if (isLoopbackHost(bindHost) || isWildcard(bindHost)) {
    for (const h of ['127.0.0.1', 'localhost', '::1']) hosts.add(h)
  }
  if (isWildcard(bindHost)) {
    for (const list of Object.values(networkInterfaces())) {
      for (const a of list ?? []) hosts.add(a.address.replace(/%.*$/, ''))
    }
  } else {
    hosts.add(bindHost.replace(/^\[|\]$/g, ''))
  }
  return [...hosts].map((h) => `http://${hostPort(h, port)}`)
}

function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err)
    server.once('error', onError)
    server.listen({ host: host.replace(/^\[|\]$/g, ''), port }, () => {
      server.off('error', onError)
      resolve(server.address() as AddressInfo)
    })
  })
}

export async function startDaemon(options: DaemonOptions): Promise<Daemon> {
  const apiHost = options.apiHost ?? '127.0.0.1'
  const token = options.token ?? generateToken()
  if (!TOKEN_PATTERN.test(token)) {
    throw new RangeError('token: expected 22 to 256 characters of [A-Za-z0-9_-]')
  }
  const log = options.log
  let origins: string[] = []
  const server = createServer(createHttpHandler({ rendererDir: options.rendererDir, origins: () => origins, log }))
  // Bounded header and request times: a client trickling bytes must not pin a socket.
  server.headersTimeout = 10_000
  server.requestTimeout = 30_000
  server.maxHeadersCount = 64

  const carrier = attachWsCarrier({
    server,
    dispatcher: new Dispatcher(options.service.handlers, log),
    events: options.service,
    token,
    allowedOrigins: () => origins,
    limits: options.limits,
    log
  })

  let address: AddressInfo
  try {
    address = await listen(server, apiHost, options.apiPort ?? 0)
  } catch (err) {
    await carrier.close()
    throw err
  }
  origins = [...ownOrigins(apiHost, address.port), ...(options.extraOrigins ?? [])]

  // A wildcard bind is reachable locally through loopback; print the address that works here.
  const shownHost = isWildcard(apiHost) ? (apiHost === '0.0.0.0' ? '127.0.0.1' : '::1') : apiHost
  const origin = `http://${hostPort(shownHost, address.port)}`
  let closing: Promise<void> | undefined

  return {
    url: `ws://${hostPort(shownHost, address.port)}${API_PATH}`,
    token,
    uiUrl: `${origin}/#token=${token}`,
    origin,
    port: address.port,
    close() {
      closing ??= (async () => {
        await carrier.close()
        await new Promise<void>((resolve) => {
          server.close(() => resolve())
          server.closeAllConnections()
        })
      })()
      return closing
    }
  }
}
