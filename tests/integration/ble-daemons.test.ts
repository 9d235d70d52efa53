/**
 * Issue 14 proof: headless daemons with every IP transport off (`--listen none --ble sim:PATH#LABEL`)
 * meet over the cross-process radio simulator, join a group by link and chat both ways; a third
 * daemon out of range of the first reaches it through the second (messages hop).
 * The test waits for membership (group:members) before chatting: a message sent before the secret
 * exchange has completed stayed unreadable in this engine version, over TCP as well (reported).
 * Range: alice–bob, bob–carol; alice and carol never hear each other.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimServer, type SimServer } from '../../core/net/ble/sim-server'
import { TestClient, type RpcMessage } from '../unit/daemon/ws-client'

const root = resolve(import.meta.dirname, '../..')

interface Daemon {
  name: string
  peerId: string
  addrs: string[]
  client: TestClient
  logs: string[]
  child: ChildProcess
}

async function startBleDaemon(name: string, dir: string, socket: string): Promise<Daemon> {
  const dataDir = join(dir, name)
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'core/daemon/cli.ts'), '--data', dataDir, '--listen', 'none', '--ble', `sim:${socket}#${name}`], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const logs: string[] = []
  createInterface({ input: child.stderr! }).on('line', (l) => logs.push(l))
  const ready = await new Promise<{ api: string; token: string; peerId: string; addrs: string[] }>((res, rej) => {
    child.once('exit', (code) => rej(new Error(`${name} exited ${code}\n${logs.join('\n')}`)))
    createInterface({ input: child.stdout! }).once('line', (line) => res(JSON.parse(line)))
  })
  const client = await TestClient.open(`${ready.api}?token=${encodeURIComponent(ready.token)}`)
  return { name, peerId: ready.peerId, addrs: ready.addrs, client, logs, child }
}

async function call<T>(d: Daemon, method: string, params?: unknown): Promise<T> {
  const r: RpcMessage = await d.client.call(method, params)
  if (r.error != null) throw new Error(`${d.name} ${method}: ${r.error.message}`)
  return r.result as T
}

async function texts(d: Daemon, groupPk: string): Promise<string[]> {
  const page = await call<{ messages: Array<{ text: string }> }>(d, 'message:list', { groupPk, limit: 500 })
  return page.messages.map((m) => m.text)
}

/** Re-checks after every event the daemon pushes (no sleeps); gives up after `ms`. */
async function until(d: Daemon, check: () => Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    const left = deadline - Date.now()
    if (left <= 0) {
      const peers = await call<unknown>(d, 'peer:list').catch((err: unknown) => String(err))
      throw new Error(`${d.name}: timed out waiting for ${what}; peers ${JSON.stringify(peers)}\n${d.logs.slice(-30).join('\n')}`)
    }
    await Promise.race([d.client.waitFor((m) => typeof m === 'object' && m !== null && 'method' in m), new Promise((r) => setTimeout(r, Math.min(left, 2_000)))])
  }
}

describe('daemons over the simulated BLE radio, no IP at all', () => {
  let dir: string
  let sim: SimServer
  const daemons: Daemon[] = []

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'berty-ble-daemons-'))
    const range = join(dir, 'range.json')
    writeFileSync(range, JSON.stringify({ inRange: [['alice', 'bob'], ['bob', 'carol']] }))
    sim = await startSimServer({ socket: join(dir, 'radio.sock'), range, mtu: 185, rate: 100_000, latencyMs: 5 })
  })

  afterAll(async () => {
    // BERTY_TEST_LOG=/path/prefix: every daemon's log lines, for post-mortems.
    if (process.env.BERTY_TEST_LOG) for (const d of daemons) writeFileSync(`${process.env.BERTY_TEST_LOG}-${d.name}.log`, d.logs.join('\n'))
    for (const d of daemons) {
      d.client.ws.terminate()
      const exited = new Promise((r) => d.child.once('exit', r))
      d.child.kill('SIGTERM')
      await exited
    }
    await sim.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('two daemons chat both ways; a third, out of range of the first, reaches it through the second', { timeout: 300_000 }, async () => {
    const t0 = Date.now()
    const step = (s: string): void => void process.stderr.write(`[ble-daemons ${((Date.now() - t0) / 1000).toFixed(1)}s] ${s}\n`)
    const [alice, bob, carol] = await Promise.all(['alice', 'bob', 'carol'].map((n) => startBleDaemon(n, dir, join(dir, 'radio.sock'))))
    daemons.push(alice!, bob!, carol!)
    const a = alice!
    const b = bob!
    const c = carol!
    step('daemons ready')
    for (const d of [a, b, c]) expect(d.addrs.every((addr) => addr.startsWith('/ble/'))).toBe(true)

    await call(a, 'account:create', { displayName: 'Alice' })
    await call(b, 'account:create', { displayName: 'Bob' })
    await call(c, 'account:create', { displayName: 'Carol' })
    const { groupPk } = await call<{ groupPk: string }>(a, 'group:create', { name: 'Radio' })
    const { url } = await call<{ url: string }>(a, 'group:invite', { groupPk })

    step('group created')
    await call(b, 'group:join', { url })
    step('bob joined')
    const members = async (d: Daemon): Promise<number> => (await call<unknown[]>(d, 'group:members', { groupPk })).length
    await until(a, async () => (await members(a)) === 2, 'alice sees bob as a member')
    await until(b, async () => (await members(b)) === 2, 'bob sees alice as a member')
    step('membership synced over the radio')
    await call(a, 'message:send', { groupPk, text: 'hello from alice' })
    await call(b, 'message:send', { groupPk, text: 'hello from bob' })
    await until(a, async () => (await texts(a, groupPk)).includes('hello from bob'), 'bob → alice')
    await until(b, async () => (await texts(b, groupPk)).includes('hello from alice'), 'alice → bob')

    step('alice and bob chatted')
    await call(c, 'group:join', { url })
    step('carol joined')
    await until(a, async () => (await members(a)) === 3, 'alice sees carol (through bob)')
    await until(c, async () => (await members(c)) === 3, 'carol sees alice (through bob)')
    await call(c, 'message:send', { groupPk, text: 'hello from carol' })
    await call(a, 'message:send', { groupPk, text: 'alice again' })
    await until(a, async () => (await texts(a, groupPk)).includes('hello from carol'), 'carol → bob → alice')
    await until(c, async () => (await texts(c, groupPk)).includes('alice again'), 'alice → bob → carol')
    step('messages hopped')
    // Carol joined minutes after alice's first message at most: within the hand-over window she
    // reads it too (README "Reliability and its forward-secrecy cost"; the window is tested in
    // tests/integration/groups.test.ts).
    expect(await texts(c, groupPk)).toContain('hello from alice')
    const peersOfCarol = await call<Array<{ peerId: string; transports: string[] }>>(c, 'peer:list')
    expect(peersOfCarol.map((p) => p.peerId)).not.toContain(a.peerId)
    expect(peersOfCarol.every((p) => p.transports.every((t) => t === 'ble'))).toBe(true)
  })
})
