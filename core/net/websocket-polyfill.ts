/**
 * Node 20 has no global `WebSocket` (Node 22 and Electron 45's main process do). `@libp2p/websockets` 10
 * dials with `new WebSocket(uri)` (dist/src/index.js `_connect`) and fails with
 * "ReferenceError: WebSocket is not defined" without this. Listening works regardless (it uses `ws`).
 * `ws` is a direct dependency and implements the parts libp2p uses (binaryType, addEventListener, send,
 * bufferedAmount, close). Belongs in core/polyfills.ts once the owners agree.
 */
import { WebSocket as WsWebSocket } from 'ws'

const g = globalThis as { WebSocket?: unknown }
if (typeof g.WebSocket !== 'function') {
  g.WebSocket = WsWebSocket
}

export {}
