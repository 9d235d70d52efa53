// A real headless daemon in its own process (core/daemon/cli.ts), driven over its JSON-RPC WebSocket
// API exactly as the web UI drives it: for crash (kill -9) and restart tests.
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import WebSocket from 'ws'
import type { MethodName, Params, Result } from '../../core/api'

const root = resolve(import.meta.dirname, '../..')

export interface DaemonReady {
  api: string
  token: string
  peerId: string
  addrs: string[]
}

export interface DaemonProcess {
  ready: DaemonReady
  /** Every stdout line so far (the ready line first). */
  stdout: string[]
  child: ChildProcess
  call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>>
  /** SIGKILL: no flush, no clean stop. */
  kill9(): Promise<void>
  stop(): Promise<number | null>
}

export interface DaemonProcessOptions {
  tokenFile?: string
  listen?: string[]
  args?: string[]
  /**
   * A prebuilt JS bundle of core/daemon/cli.ts (tests/support/daemon-bundle.ts) run by plain node.
   * Default: the sources through tsx, which compiles the whole tree in every daemon at start (fine
   * for a few daemons, the cause of missed ready lines when dozens start at once).
   */
  entry?: string
  /** Flags for node itself, before the script (e.g. `--inspect=127.0.0.1:0`). */
  nodeArgs?: string[]
  /** How long to wait for the ready line (default 60 s). */
  readyTimeoutMs?: number
  /** Every stderr line (JSON log lines, node's own messages), as it arrives. */
  onStderr?: (line: string) => void
  /** Extra environment variables for the daemon (over this process's own). */
  env?: Record<string, string>
}

export async function startDaemonProcess(dataDir: string, opts: DaemonProcessOptions = {}): Promise<DaemonProcess> {
  const script = opts.entry !== undefined ? [opts.entry] : ['--import', 'tsx', join(root, 'core/daemon/cli.ts')]
  const args = [...(opts.nodeArgs ?? []), ...script, '--data', dataDir]
  for (const l of opts.listen ?? ['/ip4/127.0.0.1/tcp/0']) args.push('--listen', l)
  if (opts.tokenFile) args.push('--token-file', opts.tokenFile)
  args.push(...(opts.args ?? []))
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], ...(opts.env ? { env: { ...process.env, ...opts.env } } : {}) })
  const logs: string[] = []
  createInterface({ input: child.stderr! }).on('line', (l) => {
    logs.push(l)
    if (logs.length > 200) logs.splice(0, 100)
    opts.onStderr?.(l)
  })
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)))
  const stdout: string[] = []
  const ready = await new Promise<DaemonReady>((res, rej) => {
    const readyMs = opts.readyTimeoutMs ?? 60_000
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      rej(new Error(`daemon: no ready line in ${readyMs / 1000} s\n${logs.slice(-20).join('\n')}`))
    }, readyMs)
    void exited.then((code) => rej(new Error(`daemon exited with ${code} before ready\n${logs.slice(-20).join('\n')}`)))
    createInterface({ input: child.stdout! }).on('line', (line) => {
      stdout.push(line)
      if (stdout.length > 1) return
      clearTimeout(timer)
      res(JSON.parse(line) as DaemonReady)
    })
  })
  const api = await connectDaemonApi(ready)
  return {
    ready,
    stdout,
    child,
    call: api.call,
    async kill9() {
      child.kill('SIGKILL')
      await exited
      api.terminate()
    },
    async stop() {
      api.close()
      child.kill('SIGTERM')
      return exited
    }
  }
}

export interface DaemonApi {
  call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>>
  close(): void
  terminate(): void
}

/**
 * A client of a daemon's WebSocket API, as a window opens one (JSON-RPC, bearer token); `onEvent`
 * hears every event the node pushes. A call rejects with the node's error (its `code` kept), or when
 * the connection closes first.
 */
export async function connectDaemonApi(ready: DaemonReady, onEvent?: (event: { method: string; params: unknown }) => void): Promise<DaemonApi> {
  const ws = new WebSocket(ready.api, { headers: { Authorization: `Bearer ${ready.token}` } })
  await new Promise<void>((res, rej) => {
    ws.once('open', () => res())
    ws.once('error', rej)
  })
  let nextId = 1
  const pending = new Map<number, { res: (v: unknown) => void; rej: (e: Error) => void }>()
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as { id?: number; method?: string; params?: unknown; result?: unknown; error?: { message: string; data?: { code?: string } } }
    if (msg.id === undefined) {
      if (msg.method !== undefined) onEvent?.({ method: msg.method, params: msg.params })
      return
    }
    const p = pending.get(msg.id)
    if (!p) return
    pending.delete(msg.id)
    if (msg.error) p.rej(Object.assign(new Error(msg.error.message), { code: msg.error.data?.code }))
    else p.res(msg.result)
  })
  ws.on('close', () => {
    for (const p of pending.values()) p.rej(new Error('connection closed'))
    pending.clear()
  })
  ws.on('error', () => {})
  return {
    call(method, params) {
      const id = nextId++
      // A send on a closed socket is dropped without a word: say so instead of waiting forever.
      if (ws.readyState !== WebSocket.OPEN) return Promise.reject(new Error('connection closed'))
      return new Promise((res, rej) => {
        pending.set(id, { res: res as (v: unknown) => void, rej })
        ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }))
      })
    },
    close: () => ws.close(),
    terminate: () => ws.terminate()
  }
}

/** A loopback TCP port free now (a daemon restarts on the same one, as a deployed server does). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => resolve(port))
    })
  })
}
