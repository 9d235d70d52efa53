/** Test helper: a raw WebSocket client that buffers frames so tests await them, never sleep. */
import type { ClientRequest, IncomingMessage } from 'node:http'
import { WebSocket, type ClientOptions } from 'ws'

export interface RpcMessage {
  jsonrpc?: string
  id?: string | number | null
  method?: string
  params?: unknown
  result?: unknown
  error?: { code: number; message: string; data?: { code: string } }
}

type Waiter = { pred: (m: unknown) => boolean; resolve: (m: unknown) => void; reject: (e: Error) => void }

export class TestClient {
  readonly closed: Promise<{ code: number; reason: string }>
  private readonly inbox: unknown[] = []
  private readonly waiters: Waiter[] = []
  private nextId = 1
  private closeInfo: { code: number; reason: string } | undefined

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg: unknown = JSON.parse(String(data))
      const i = this.waiters.findIndex((w) => w.pred(msg))
      if (i >= 0) this.waiters.splice(i, 1)[0]?.resolve(msg)
      else this.inbox.push(msg)
    })
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        this.closeInfo = { code, reason: reason.toString() }
        for (const w of this.waiters.splice(0)) w.reject(new Error(`socket closed (${code}) while waiting`))
        resolve(this.closeInfo)
      })
    })
    ws.on('error', () => {})
  }

  static open(url: string, options: ClientOptions = {}): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, options)
      const client = new TestClient(ws)
      ws.once('open', () => resolve(client))
      ws.once('unexpected-response', (_req: ClientRequest, res: IncomingMessage) => {
        reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { statusCode: res.statusCode }))
        ws.terminate()
      })
      ws.once('error', reject)
    })
  }

  /** Resolves with the HTTP status that refused the upgrade (fails if it was accepted). */
  static async refusal(url: string, options: ClientOptions = {}): Promise<number> {
    try {
      const c = await TestClient.open(url, options)
      c.ws.terminate()
      throw new Error('upgrade was accepted')
    } catch (err) {
      const status = (err as { statusCode?: number }).statusCode
      if (status === undefined) throw err
      return status
    }
  }

  sendRaw(data: string | Buffer): void {
    this.ws.send(data)
  }

  /** Next buffered or incoming frame matching `pred` (all frames by default). */
  waitFor<T = RpcMessage>(pred: (m: unknown) => boolean = () => true): Promise<T> {
    const i = this.inbox.findIndex(pred)
    if (i >= 0) return Promise.resolve(this.inbox.splice(i, 1)[0] as T)
    if (this.closeInfo) return Promise.reject(new Error('socket closed'))
    return new Promise((resolve, reject) => this.waiters.push({ pred, resolve: resolve as (m: unknown) => void, reject }))
  }

  next<T = RpcMessage>(): Promise<T> {
    return this.waitFor<T>()
  }

  async call(method: string, params?: unknown): Promise<RpcMessage> {
    const id = this.nextId++
    this.ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }))
    return this.waitFor((m) => typeof m === 'object' && m !== null && (m as RpcMessage).id === id)
  }

  pending(): unknown[] {
    return [...this.inbox]
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return
    this.ws.close()
    await this.closed
  }
}
