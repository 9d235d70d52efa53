import { mkdtempSync, rmSync } from 'node:fs'
import type { Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { METHOD_NAMES, type MethodName } from '../../../core/api/channels'
import { methods } from '../../../core/api/contract'
import { startDaemon, type Daemon } from '../../../core/daemon/daemon'
import type { WsCarrierLimits } from '../../../core/daemon/ws-carrier'
import type { Logger } from '../../../core/log'
import { KEY_A, KEY_BROKEN, KEY_MISSING, createFixtureService, sampleMessage, validParams, type FixtureService } from './fixture-service'
import { TestClient, type RpcMessage } from './ws-client'

const rendererDir = mkdtempSync(join(tmpdir(), 'berty-ws-'))
afterAll(() => rmSync(rendererDir, { recursive: true, force: true }))

interface Harness {
  daemon: Daemon
  service: FixtureService
  logs: { level: string; msg: string; data?: Record<string, unknown> }[]
  clients: TestClient[]
  /** Opens an authorized client (query token by default). */
  open(options?: { token?: string | null; bearer?: boolean; origin?: string; autoPong?: boolean }): Promise<TestClient>
  close(): Promise<void>
}

async function harness(limits?: Partial<WsCarrierLimits>): Promise<Harness> {
  const service = createFixtureService()
  const logs: Harness['logs'] = []
  const log: Logger = (level, msg, data) => logs.push({ level, msg, data })
  const daemon = await startDaemon({ service, rendererDir, limits, log })
  const clients: TestClient[] = []
  return {
    daemon,
    service,
    logs,
    clients,
    async open(options = {}) {
      const token = options.token === undefined ? daemon.token : options.token
      const headers: Record<string, string> = {}
      let url = daemon.url
      if (token !== null && options.bearer) headers.authorization = `Bearer ${token}`
      else if (token !== null) url += `?token=${encodeURIComponent(token)}`
      const c = await TestClient.open(url, { headers, origin: options.origin, autoPong: options.autoPong ?? true })
      clients.push(c)
      return c
    },
    async close() {
      for (const c of clients) c.ws.terminate()
      await daemon.close()
    }
  }
}

const errorOf = (m: RpcMessage) => ({ code: m.error?.code, apiCode: m.error?.data?.code })

describe('ws carrier: calls and auth', () => {
  let h: Harness
  beforeAll(async () => {
    h = await harness()
  })
  afterAll(() => h.close())

  it('answers a valid call, token in the query', async () => {
    const c = await h.open()
    const res = await c.call('node:info', {})
    expect(res).toMatchObject({ jsonrpc: '2.0', id: 1, result: { peerId: '12D3KooWFixture', ready: true } })
    expect(methods['node:info'].result.safeParse(res.result).success).toBe(true)
  })

  it('accepts the token as Authorization: Bearer', async () => {
    const c = await h.open({ bearer: true })
    expect((await c.call('settings:get')).result).toMatchObject({ notifications: expect.any(Boolean) })
  })

  it('answers every valid method with a result the contract accepts', async () => {
    const c = await h.open()
    for (const method of METHOD_NAMES) {
      const res = await c.call(method, validParams[method])
      expect(res.error, method).toBeUndefined()
      expect(methods[method].result.safeParse(res.result).success, method).toBe(true)
    }
  })

  it('wrong or missing token: every request gets -32001, the socket stays usable, the node stays healthy', async () => {
    for (const token of ['wrong-token-wrong-token-wrong', null, '']) {
      const bad = await h.open({ token })
      const before = { info: h.service.callCount('node:info'), set: h.service.callCount('settings:set') }
      const first = await bad.call('node:info', {})
      expect(errorOf(first)).toEqual({ code: -32001, apiCode: 'UNAUTHORIZED' })
      // Still answering later, and still refusing; no call reached a handler.
      const second = await bad.call('settings:set', { notifications: false })
      expect(errorOf(second)).toEqual({ code: -32001, apiCode: 'UNAUTHORIZED' })
      bad.sendRaw(JSON.stringify({ jsonrpc: '2.0', method: 'settings:set', params: { startAtLogin: true } }))
      expect(errorOf(await bad.call('node:info'))).toEqual({ code: -32001, apiCode: 'UNAUTHORIZED' })
      expect({ info: h.service.callCount('node:info'), set: h.service.callCount('settings:set') }).toEqual(before)
      // A correct client works meanwhile.
      const good = await h.open()
      expect((await good.call('node:info', {})).result).toMatchObject({ ready: true })
      expect(h.service.callCount('node:info')).toBe(before.info + 1)
      await bad.close()
      await good.close()
    }
  })

  it('wrong bearer token is refused even with a right-length value', async () => {
    const bad = await h.open({ token: h.daemon.token.replace(/^./, (ch) => (ch === 'a' ? 'b' : 'a')), bearer: true })
    expect(errorOf(await bad.call('node:info'))).toEqual({ code: -32001, apiCode: 'UNAUTHORIZED' })
  })

  it('malformed JSON → -32700 with id null, and the socket keeps working', async () => {
    const c = await h.open()
    c.sendRaw('{"jsonrpc":"2.0","id":1,"method":')
    const res = await c.next()
    expect(res).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700 } })
    c.sendRaw(Buffer.from([0xff, 0xfe, 0x00]))
    expect(await c.next()).toMatchObject({ id: null, error: { code: -32700 } })
    expect((await c.call('node:info')).result).toBeDefined()
  })

  it('not a request object → -32600', async () => {
    const c = await h.open()
    const cases = [
      '42',
      '"node:info"',
      'null',
      '[]',
      JSON.stringify({ jsonrpc: '1.0', id: 7, method: 'node:info' }),
      JSON.stringify({ id: 8, method: 'node:info' }),
      JSON.stringify({ jsonrpc: '2.0', id: 9 }),
      JSON.stringify({ jsonrpc: '2.0', id: 10, method: 5 }),
      JSON.stringify({ jsonrpc: '2.0', id: { x: 1 }, method: 'node:info' }),
      JSON.stringify({ jsonrpc: '2.0', id: 11, method: 'node:info', params: 'x' }),
      JSON.stringify({ jsonrpc: '2.0', id: 12, method: 'node:info', params: null })
    ]
    for (const raw of cases) {
      c.sendRaw(raw)
      const res = await c.next()
      expect(res.error?.code, raw).toBe(-32600)
    }
    expect((await c.call('node:info')).result).toBeDefined()
  })

  it('unknown method → -32601 UNKNOWN_METHOD', async () => {
    const c = await h.open()
    for (const method of ['nope', 'node:inf', '__proto__', 'constructor', 'x'.repeat(1000)]) {
      expect(errorOf(await c.call(method, {})), method).toEqual({ code: -32601, apiCode: 'UNKNOWN_METHOD' })
    }
  })

  it('invalid params → -32602 INVALID_PARAMS for every method of the contract', async () => {
    const c = await h.open()
    const typeWrong = [12345, 'not-valid', true, null, { nested: 1 }, [1]]
    for (const method of METHOD_NAMES) {
      const schema = methods[method].params
      // An unknown key: every params schema is strict.
      const bogus = await c.call(method, { bogus: 1 })
      expect(errorOf(bogus), `${method} {bogus}`).toEqual({ code: -32602, apiCode: 'INVALID_PARAMS' })
      expect(bogus.error?.message.length).toBeGreaterThan(0)
      // Positional params are not part of the contract.
      expect(errorOf(await c.call(method, [validParams[method]])), `${method} [..]`).toEqual({ code: -32602, apiCode: 'INVALID_PARAMS' })
      // Each declared key with a value of the wrong type.
      const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape ?? {}
      for (const key of Object.keys(shape)) {
        const base = validParams[method] as Record<string, unknown>
        const wrong = typeWrong.find((v) => !schema.safeParse({ ...base, [key]: v }).success)
        expect(wrong, `${method}.${key} has a rejectable value`).not.toBeUndefined()
        const res = await c.call(method, { ...base, [key]: wrong })
        expect(errorOf(res), `${method}.${key}=${JSON.stringify(wrong)}`).toEqual({ code: -32602, apiCode: 'INVALID_PARAMS' })
        expect(res.error?.message).toContain(key)
      }
    }
  })

  it('a handler ApiError → -32000 with its code; an internal failure hides its detail', async () => {
    const c = await h.open()
    const missing = await c.call('group:get', { groupPk: KEY_MISSING })
    expect(missing.error).toEqual({ code: -32000, message: 'no such group', data: { code: 'NOT_FOUND' } })
    const broken = await c.call('group:get', { groupPk: KEY_BROKEN })
    expect(errorOf(broken)).toEqual({ code: -32000, apiCode: 'INTERNAL' })
    expect(broken.error?.message).not.toContain('secret')
  })

  it('a notification runs but gets no answer', async () => {
    const c = await h.open()
    const reached = h.service.nextCall('settings:set')
    c.sendRaw(JSON.stringify({ jsonrpc: '2.0', method: 'settings:set', params: { startAtLogin: true } }))
    expect(await reached).toEqual({ startAtLogin: true })
    // The next frame on the socket is the answer to this call, not one for the notification.
    const res = await c.call('settings:get')
    expect(res.result).toMatchObject({ startAtLogin: true })
    expect(c.pending()).toEqual([])
    // Invalid notifications are silent too.
    c.sendRaw(JSON.stringify({ jsonrpc: '2.0', method: 'nope' }))
    c.sendRaw(JSON.stringify({ jsonrpc: '2.0', method: 'settings:set', params: { bogus: 1 } }))
    expect((await c.call('node:info')).id).toBe(2)
    expect(c.pending()).toEqual([])
  })

  it('batches: answers each request, skips notifications, caps the size', async () => {
    const c = await h.open()
    c.sendRaw(
      JSON.stringify([
        { jsonrpc: '2.0', id: 'a', method: 'node:info' },
        { jsonrpc: '2.0', id: 'b', method: 'group:get', params: { groupPk: 'short' } },
        { jsonrpc: '2.0', method: 'settings:get' },
        { jsonrpc: '2.0', id: 'c', method: 'nope' },
        7
      ])
    )
    const res = await c.next<RpcMessage[]>()
    expect(Array.isArray(res)).toBe(true)
    expect(res).toHaveLength(4)
    const byId = new Map(res.map((r) => [r.id, r]))
    expect(byId.get('a')?.result).toMatchObject({ ready: true })
    expect(byId.get('b')?.error?.code).toBe(-32602)
    expect(byId.get('c')?.error?.code).toBe(-32601)
    expect(byId.get(null)?.error?.code).toBe(-32600)

    const big = Array.from({ length: 33 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'node:info' }))
    c.sendRaw(JSON.stringify(big))
    expect(await c.next()).toMatchObject({ id: null, error: { code: -32600, data: { code: 'TOO_LARGE' } } })

    // A batch of notifications only gets no answer at all.
    c.sendRaw(JSON.stringify([{ jsonrpc: '2.0', method: 'node:info' }]))
    expect((await c.call('settings:get')).result).toBeDefined()
    expect(c.pending()).toEqual([])
  })

  it('an oversize frame closes that socket with 1009; others keep being served', async () => {
    const other = await h.open()
    const c = await h.open()
    c.sendRaw(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'message:send', params: { groupPk: KEY_A, text: 'x'.repeat(70 * 1024) } }))
    expect((await c.closed).code).toBe(1009)
    expect((await other.call('node:info')).result).toBeDefined()
    const fresh = await h.open()
    expect((await fresh.call('node:info')).result).toBeDefined()
  })

  it('pushes events as notifications to authorized sockets only', async () => {
    const good = await h.open()
    const bad = await h.open({ token: 'not-the-token-not-the-token' })
    const payload = { groupPk: KEY_A, message: sampleMessage }
    h.service.emit('message:received', payload)
    expect(await good.next()).toEqual({ jsonrpc: '2.0', method: 'message:received', params: payload })
    // Frames on one socket arrive in order: had the event been sent to `bad`, it would come first.
    const res = await bad.call('node:info')
    expect(res.error?.code).toBe(-32001)
    expect(bad.pending()).toEqual([])
  })

  it('refuses a foreign Origin at upgrade, accepts its own origin and no origin', async () => {
    const url = `${h.daemon.url}?token=${h.daemon.token}`
    for (const origin of ['https://evil.example', 'http://127.0.0.1.evil.example', 'null', `http://127.0.0.1:${Number(new URL(h.daemon.origin).port) + 1}`]) {
      expect(await TestClient.refusal(url, { origin }), origin).toBe(403)
    }
    const own = await h.open({ origin: h.daemon.origin })
    expect((await own.call('node:info')).result).toBeDefined()
    const alias = await h.open({ origin: h.daemon.origin.replace('127.0.0.1', 'localhost') })
    expect((await alias.call('node:info')).result).toBeDefined()
  })

  it('serves the API at /api only', async () => {
    const other = h.daemon.url.replace(/\/api$/, '/other')
    expect(await TestClient.refusal(`${other}?token=${h.daemon.token}`)).toBe(404)
  })
})

describe('ws carrier: limits', () => {
  let h: Harness | undefined
  afterEach(async () => {
    await h?.close()
    h = undefined
  })

  it('answers TOO_LARGE beyond the requests in flight of one socket', async () => {
    h = await harness({ maxInFlight: 2 })
    let release!: () => void
    h.service.gate = new Promise((resolve) => (release = resolve))
    const c = await h.open()
    const first = c.call('node:info')
    const second = c.call('node:info')
    const third = await c.call('node:info')
    expect(errorOf(third)).toEqual({ code: -32000, apiCode: 'TOO_LARGE' })
    release()
    expect((await first).result).toBeDefined()
    expect((await second).result).toBeDefined()
    h.service.gate = undefined
    expect((await c.call('node:info')).result).toBeDefined()
  })

  it('refuses connections beyond the cap with 503, and unauthorized ones beyond their own quota', async () => {
    h = await harness({ maxConnections: 3, maxUnauthorized: 1 })
    await h.open({ token: 'wrong-wrong-wrong-wrong-wrong' })
    expect(await TestClient.refusal(`${h.daemon.url}?token=also-wrong-also-wrong-also`)).toBe(503)
    const a = await h.open()
    await h.open()
    expect(await TestClient.refusal(`${h.daemon.url}?token=${h.daemon.token}`)).toBe(503)
    await a.close()
    const again = await h.open()
    expect((await again.call('node:info')).result).toBeDefined()
  })

  it('drops a socket that does not read with 1013 instead of buffering without bound', async () => {
    h = await harness({ maxBufferedBytes: 64 * 1024 })
    const slow = await h.open()
    const fast = await h.open()
    const raw = (slow.ws as unknown as { _socket: Socket })._socket
    raw.pause()
    const payload = { groupPk: KEY_A, message: { ...sampleMessage, text: 'y'.repeat(2048) } }
    const drops = () => h?.logs.filter((l) => l.msg === 'ws: dropping socket') ?? []
    let sent = 0
    let received = 0
    fast.ws.on('message', () => received++)
    // Bursts with a yield between them: the fast reader drains, the paused one cannot.
    while (drops().length === 0 && sent < 40_000) {
      for (let i = 0; i < 64; i++, sent++) h.service.emit('message:received', payload)
      await new Promise((resolve) => setImmediate(resolve))
    }
    expect(drops()).toHaveLength(1)
    expect(drops()[0]?.data).toMatchObject({ client: 1, code: 1013 })
    raw.resume()
    expect((await slow.closed).code).toBe(1013)
    // The reading client got the events and is still connected.
    expect((await fast.call('node:info')).result).toBeDefined()
    expect(received).toBeGreaterThan(0)
    expect(fast.ws.readyState).toBe(fast.ws.OPEN)
  })

  it('bounds what one socket may hold within a single tick', async () => {
    h = await harness({ maxBufferedBytes: 16 * 1024 })
    const c = await h.open()
    const payload = { groupPk: KEY_A, message: { ...sampleMessage, text: 'z'.repeat(4096) } }
    for (let i = 0; i < 10_000 && h.logs.every((l) => l.msg !== 'ws: dropping socket'); i++) h.service.emit('message:received', payload)
    expect(h.logs.some((l) => l.msg === 'ws: dropping socket')).toBe(true)
    expect((await c.closed).code).toBe(1013)
  })

  it('terminates a socket that stops answering pings', async () => {
    h = await harness({ heartbeatMs: 50 })
    const dead = await h.open({ autoPong: false })
    expect((await dead.closed).code).toBe(1006)
    expect(h.daemon).toBeDefined()
  })

  it('close() sends 1001 to clients and stops accepting', async () => {
    h = await harness()
    const c = await h.open()
    const url = `${h.daemon.url}?token=${h.daemon.token}`
    await h.daemon.close()
    expect((await c.closed).code).toBe(1001)
    await expect(TestClient.open(url)).rejects.toThrow()
  })
})

describe('ws carrier: contract coverage', () => {
  it('the fixture covers every method', () => {
    const names = Object.keys(validParams) as MethodName[]
    expect(names.sort()).toEqual([...METHOD_NAMES].sort())
    for (const m of METHOD_NAMES) expect(methods[m].params.safeParse(validParams[m]).success, m).toBe(true)
  })
})
