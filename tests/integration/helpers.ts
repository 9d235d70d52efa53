// Real nodes for integration tests: one temp dir each, loopback TCP, port 0, no WebRTC.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Dispatcher } from '../../core/service/dispatch'
import { createBertyNode, type BertyNode } from '../../core/node'
import { staticKeyProvider } from '../../core/storage'
import type { EventName, MethodName, Params, Result } from '../../core/api'

export interface TestNode {
  name: string
  dir: string
  key: Uint8Array
  node: BertyNode
  call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>>
  events: Array<{ event: EventName; payload: unknown }>
  warnings: string[]
  restart(): Promise<void>
  stop(): Promise<void>
}

const live: TestNode[] = []

export async function startNode(name: string, opts: { dir?: string; key?: Uint8Array } = {}): Promise<TestNode> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), `berty-it-${name}-`))
  const key = opts.key ?? new Uint8Array(randomBytes(32))
  const warnings: string[] = []
  const events: TestNode['events'] = []
  const make = () =>
    createBertyNode({
      dataDir: dir,
      encryptionKey: staticKeyProvider(key),
      listen: ['/ip4/127.0.0.1/tcp/0'],
      webrtc: false,
      antiEntropyMs: 0,
      log: (level, msg, data) => {
        if (level === 'warn' || level === 'error') warnings.push(`${level} ${msg} ${JSON.stringify(data)}`)
      }
    })
  let node = await make()
  let dispatcher = new Dispatcher(node.handlers)
  const subscribe = () => node.onEvent((event, payload) => events.push({ event, payload }))
  subscribe()
  const t: TestNode = {
    name,
    dir,
    key,
    get node() {
      return node
    },
    async call(method, params) {
      const res = await dispatcher.call(method, params, { carrier: 'internal' })
      if (!res.ok) throw Object.assign(new Error(`${method}: ${res.error.code} ${res.error.message}`), { code: res.error.code })
      return res.value as never
    },
    events,
    warnings,
    async restart() {
      await node.stop()
      node = await make()
      dispatcher = new Dispatcher(node.handlers)
      subscribe()
    },
    async stop() {
      await node.stop()
    }
  }
  live.push(t)
  return t
}

export async function stopAll(): Promise<void> {
  for (const t of live.splice(0)) {
    await t.stop()
    rmSync(t.dir, { recursive: true, force: true })
  }
}

export async function connect(a: TestNode, b: TestNode): Promise<void> {
  await a.node.libp2p.dial(b.node.libp2p.getMultiaddrs(), { signal: AbortSignal.timeout(10_000) })
}

/** Resolves when `check` holds, re-checking on every event the node emits (no polling sleeps). */
export function until<T>(t: TestNode, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 30_000): Promise<T> {
  return new Promise((resolve, reject) => {
    let done = false
    const timer = setTimeout(() => {
      if (done) return
      done = true
      off()
      reject(new Error(`${t.name}: condition not met in ${timeoutMs} ms`))
    }, timeoutMs)
    const attempt = async () => {
      if (done) return
      try {
        const v = await check()
        if (v !== undefined && v !== false && !done) {
          done = true
          clearTimeout(timer)
          off()
          resolve(v as T)
        }
      } catch (err) {
        if (!done) {
          done = true
          clearTimeout(timer)
          off()
          reject(err)
        }
      }
    }
    const off = t.node.onEvent(() => void attempt())
    void attempt()
  })
}

export async function texts(t: TestNode, groupPk: string): Promise<string[]> {
  const page = await t.call('message:list', { groupPk, limit: 500 })
  return page.messages.map((m) => m.text)
}
