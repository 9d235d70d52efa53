import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiCallError } from '../../../renderer/src/api/errors'
import type { ConnectionInfo } from '../../../renderer/src/api/types'
import { createWsClient, type SocketFactory, type SocketHandlers } from '../../../renderer/src/api/ws-client'

interface RpcRequest {
  jsonrpc: string
  id: number
  method: string
  params: unknown
}

class FakeSocket {
  sent: string[] = []
  closedWith: { code?: number; reason?: string } | null = null

  constructor(
    readonly url: string,
    readonly handlers: SocketHandlers
  ) {}

  send(data: string): void {
    if (this.closedWith) throw new Error('socket is closed')
    this.sent.push(data)
  }

  close(code?: number, reason?: string): void {
    this.closedWith = { code, reason }
  }

  open(): void {
    this.handlers.open()
  }

  /** The server side dropping the connection. */
  drop(code = 1006, reason = ''): void {
    this.closedWith = { code, reason }
    this.handlers.close(code, reason)
  }

  receive(frame: unknown): void {
    this.handlers.message(typeof frame === 'string' ? frame : JSON.stringify(frame))
  }

  requests(): RpcRequest[] {
    return this.sent.map((s) => JSON.parse(s) as RpcRequest)
  }

  lastRequest(): RpcRequest {
    const all = this.requests()
    const last = all[all.length - 1]
    if (!last) throw new Error('nothing sent')
    return last
  }
}

function fakeNetwork() {
  const sockets: FakeSocket[] = []
  const factory: SocketFactory = (url, handlers) => {
    const s = new FakeSocket(url, handlers)
    sockets.push(s)
    return s
  }
  return {
    sockets,
    factory,
    current(): FakeSocket {
      const s = sockets[sockets.length - 1]
      if (!s) throw new Error('no socket')
      return s
    }
  }
}

const URL = 'ws://127.0.0.1:9/api?token=t'

describe('ws-client', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('queues calls until the socket opens, then sends JSON-RPC 2.0 requests with distinct ids', async () => {
    const net = fakeNetwork()
    const client = createWsClient({ url: URL, socketFactory: net.factory, backoff: () => 100 })
    expect(client.connection().state).toBe('connecting')
    expect(net.current().url).toBe(URL)

    const a = client.call('account:get', {})
    const b = client.call('group:get', { groupPk: 'x'.repeat(43) })
    expect(net.current().sent).toHaveLength(0)

    net.current().open()
    expect(client.connection().state).toBe('open')
    const [ra, rb] = net.current().requests()
    expect(ra).toEqual({ jsonrpc: '2.0', id: ra?.id, method: 'account:get', params: {} })
    expect(rb?.method).toBe('group:get')
    expect(rb?.params).toEqual({ groupPk: 'x'.repeat(43) })
    expect(ra?.id).not.toBe(rb?.id)

    // Answers may come in any order.
    net.current().receive({ jsonrpc: '2.0', id: rb?.id, result: { name: 'b' } })
    net.current().receive({ jsonrpc: '2.0', id: ra?.id, result: null })
    await expect(a).resolves.toBeNull()
    await expect(b).resolves.toEqual({ name: 'b' })
    client.close()
  })

  it('maps JSON-RPC errors to ApiCallError with the contract code', async () => {
    const net = fakeNetwork()
    const client = createWsClient({ url: URL, socketFactory: net.factory })
    net.current().open()

    const p1 = client.call('group:join', { url: 'https://x/#bad' })
    net.current().receive({
      jsonrpc: '2.0',
      id: net.current().lastRequest().id,
      error: { code: -32000, message: 'bad invitation', data: { code: 'INVALID_INVITATION' } }
    })
    const e1 = await p1.catch((e: unknown) => e)
    expect(e1).toBeInstanceOf(ApiCallError)
    expect(e1).toMatchObject({ code: 'INVALID_INVITATION', message: 'bad invitation' })

    // Without data.code the JSON-RPC code decides; an unknown data.code is not trusted.
    const p2 = client.call('node:info', {})
    net.current().receive({ jsonrpc: '2.0', id: net.current().lastRequest().id, error: { code: -32601, message: 'nope' } })
    await expect(p2).rejects.toMatchObject({ code: 'UNKNOWN_METHOD' })

    const p3 = client.call('node:info', {})
    net.current().receive({ jsonrpc: '2.0', id: net.current().lastRequest().id, error: { code: -32001, message: 'no', data: { code: 'WHATEVER' } } })
    await expect(p3).rejects.toMatchObject({ code: 'UNAUTHORIZED' })
    client.close()
  })

  it('times out a call with TIMEOUT and ignores a late answer', async () => {
    const net = fakeNetwork()
    const client = createWsClient({ url: URL, socketFactory: net.factory, timeoutMs: 1000 })
    net.current().open()
    const p = client.call('peer:list', {})
    const caught = p.catch((e: unknown) => e)
    vi.advanceTimersByTime(999)
    net.current().receive('not json at all')
    vi.advanceTimersByTime(1)
    expect(await caught).toMatchObject({ code: 'TIMEOUT' })
    // A late answer must not throw or resolve anything.
    net.current().receive({ jsonrpc: '2.0', id: net.current().lastRequest().id, result: [] })
    client.close()
  })

  it('gives long operations their own timeout', async () => {
    const net = fakeNetwork()
    const client = createWsClient({ url: URL, socketFactory: net.factory, timeoutMs: 1000, methodTimeoutMs: { 'group:join': 5000 } })
    net.current().open()
    const p = client.call('group:join', { url: 'https://x/#y' })
    let settled = false
    p.then(
      () => (settled = true),
      () => (settled = true)
    )
    vi.advanceTimersByTime(4000)
    await Promise.resolve()
    expect(settled).toBe(false)
    net.current().receive({ jsonrpc: '2.0', id: net.current().lastRequest().id, result: { groupPk: 'g' } })
    await expect(p).resolves.toEqual({ groupPk: 'g' })
    client.close()
  })

  it('delivers notifications to the listeners of that event only', () => {
    const net = fakeNetwork()
    const client = createWsClient({ url: URL, socketFactory: net.factory })
    net.current().open()
    const got: unknown[] = []
    const other: unknown[] = []
    const off = client.on('peer:updated', (p) => got.push(p))
    client.on('sync:progress', (p) => other.push(p))
    // A throwing listener does not stop the others.
    client.on('peer:updated', () => {
      throw new Error('boom')
    })
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {})

    net.current().receive({ jsonrpc: '2.0', method: 'peer:updated', params: { peers: [] } })
    expect(got).toEqual([{ peers: [] }])
    expect(other).toEqual([])

    // Batches are arrays of frames.
    net.current().receive([
      { jsonrpc: '2.0', method: 'peer:updated', params: { peers: [1] } },
      { jsonrpc: '2.0', method: 'sync:progress', params: { done: true } }
    ])
    expect(got).toHaveLength(2)
    expect(other).toEqual([{ done: true }])

    off()
    net.current().receive({ jsonrpc: '2.0', method: 'peer:updated', params: { peers: [] } })
    expect(got).toHaveLength(2)
    spy.mockRestore()
    client.close()
  })

  it('fails calls in flight when the socket drops, keeps queued ones, reconnects with backoff', async () => {
    const net = fakeNetwork()
    const states: ConnectionInfo[] = []
    const client = createWsClient({ url: URL, socketFactory: net.factory, backoff: (n) => n * 1000, now: () => 0 })
    client.onConnection((i) => states.push(i))
    net.current().open()

    const inFlight = client.call('peer:list', {})
    net.current().drop(1006)
    await expect(inFlight).rejects.toMatchObject({ code: 'NETWORK' })
    expect(client.connection()).toMatchObject({ state: 'closed', attempt: 1, retryAt: 1000, lastClose: { code: 1006 } })

    // Made while disconnected: waits for the next socket.
    const queued = client.call('node:info', {})
    expect(net.sockets).toHaveLength(1)
    vi.advanceTimersByTime(999)
    expect(net.sockets).toHaveLength(1)
    vi.advanceTimersByTime(1)
    expect(net.sockets).toHaveLength(2)
    expect(client.connection().state).toBe('connecting')

    // That attempt fails too: the next wait is longer.
    net.current().drop(1006)
    expect(client.connection()).toMatchObject({ state: 'closed', attempt: 2, retryAt: 2000 })
    vi.advanceTimersByTime(2000)
    expect(net.sockets).toHaveLength(3)

    net.current().open()
    expect(client.connection()).toMatchObject({ state: 'open', attempt: 0 })
    expect(net.current().lastRequest().method).toBe('node:info')
    net.current().receive({ jsonrpc: '2.0', id: net.current().lastRequest().id, result: { ready: true } })
    await expect(queued).resolves.toEqual({ ready: true })

    expect(states.map((s) => s.state)).toEqual(['open', 'closed', 'connecting', 'closed', 'connecting', 'open'])
    client.close()
  })

  it('ignores frames from a socket it has replaced', async () => {
    const net = fakeNetwork()
    const client = createWsClient({ url: URL, socketFactory: net.factory, backoff: () => 10 })
    net.current().open()
    const old = net.current()
    old.drop()
    vi.advanceTimersByTime(10)
    net.current().open()
    const got: unknown[] = []
    client.on('peer:updated', (p) => got.push(p))
    old.receive({ jsonrpc: '2.0', method: 'peer:updated', params: { peers: [] } })
    old.handlers.open()
    expect(got).toEqual([])
    expect(net.sockets).toHaveLength(2)
    client.close()
  })

  it('reconnectNow skips the backoff wait; a throwing factory counts as a failed attempt', () => {
    const net = fakeNetwork()
    let fail = true
    const factory: SocketFactory = (url, handlers) => {
      if (fail) throw new Error('refused by CSP')
      return net.factory(url, handlers)
    }
    const client = createWsClient({ url: URL, socketFactory: factory, backoff: () => 60_000 })
    expect(client.connection()).toMatchObject({ state: 'closed', attempt: 1, lastClose: { reason: 'refused by CSP' } })
    fail = false
    client.reconnectNow()
    expect(client.connection().state).toBe('connecting')
    expect(net.sockets).toHaveLength(1)
    client.close()
  })

  it('close() fails pending calls and never reconnects', async () => {
    const net = fakeNetwork()
    const client = createWsClient({ url: URL, socketFactory: net.factory, backoff: () => 10 })
    net.current().open()
    const p = client.call('peer:list', {})
    client.close()
    await expect(p).rejects.toMatchObject({ code: 'NETWORK' })
    expect(net.current().closedWith).toEqual({ code: 1000, reason: 'closing' })
    expect(client.connection().state).toBe('closed')
    vi.advanceTimersByTime(1000)
    expect(net.sockets).toHaveLength(1)
    await expect(client.call('peer:list', {})).rejects.toMatchObject({ code: 'NETWORK' })
  })
})
