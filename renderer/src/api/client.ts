/**
 * Picks the carrier: the Electron preload's bridge when it is there, else JSON-RPC over a
 * WebSocket to the daemon that served this page.
 */
import type { BertyBridge } from '../../../core/api'
import { createIpcClient } from './ipc-client'
import { apiUrl, takeToken } from './token'
import type { AppClient } from './types'
import { createWsClient, type SocketFactory } from './ws-client'

export type { AppClient, ConnectionInfo, ConnectionState } from './types'

declare global {
  interface Window {
    berty?: BertyBridge
  }
}

export const browserSocketFactory: SocketFactory = (url, handlers) => {
  const ws = new WebSocket(url)
  ws.onopen = () => handlers.open()
  ws.onmessage = (ev: MessageEvent) => handlers.message(ev.data)
  ws.onerror = () => handlers.error()
  ws.onclose = (ev: CloseEvent) => handlers.close(ev.code, ev.reason)
  return {
    send: (data) => ws.send(data),
    close: (code, reason) => ws.close(code, reason)
  }
}

export interface BrowserClient {
  client: AppClient
  /** For the ws carrier: whether a token was found (the banner explains when not). */
  hasToken: boolean
}

export function createBrowserClient(): BrowserClient {
  if (window.berty) return { client: createIpcClient(window.berty), hasToken: true }

  let storage: Storage | null = null
  try {
    storage = window.sessionStorage
  } catch {
    storage = null
  }
  const token = takeToken({
    hash: window.location.hash,
    pathAndQuery: window.location.pathname + window.location.search,
    replaceUrl: (url) => window.history.replaceState(window.history.state, '', url),
    storage
  })
  const url = apiUrl(window.location.protocol, window.location.host, token)
  return { client: createWsClient({ url, socketFactory: browserSocketFactory }), hasToken: token !== null }
}
