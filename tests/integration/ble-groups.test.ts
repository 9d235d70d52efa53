/**
 * Issue 14 proof, in process: Berty nodes with no IP transport at all (`ip: false`, what the daemon's
 * `--listen none --ble …` builds) find each other over the simulated radio, join a group by link and
 * chat both ways; a third node out of range of the first reaches it through the second (messages hop);
 * a link lost in the middle of a catch-up does not lose anything once the radio comes back.
 * Radio: 185-byte MTU, 100 kB/s, 5 ms latency. Range: alice–bob, bob–carol.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { MethodName, Params, Result } from '../../core/api'
import { GattDriver } from '../../core/net/ble/gatt-driver'
import { SimRadio } from '../../core/net/ble/sim-radio'
import { createBertyNode, type BertyNode } from '../../core/node'
import { Dispatcher } from '../../core/service/dispatch'
import { staticKeyProvider } from '../../core/storage'

interface BleNode {
  name: string
  node: BertyNode
  dir: string
  call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>>
}

const live: BleNode[] = []

async function startBleNode(radio: SimRadio, name: string): Promise<BleNode> {
  const dir = mkdtempSync(join(tmpdir(), `berty-ble-${name}-`))
  const node = await createBertyNode({
    dataDir: dir,
    encryptionKey: staticKeyProvider(new Uint8Array(randomBytes(32))),
    ble: new GattDriver(radio.attach(name), { lostAfterMs: 3_000 }),
    ip: false,
    antiEntropyMs: 0
  })
  const dispatcher = new Dispatcher(node.handlers)
  const t: BleNode = {
    name,
    node,
    dir,
    async call(method, params) {
      const res = await dispatcher.call(method, params, { carrier: 'internal' })
      if (!res.ok) throw new Error(`${name} ${method}: ${res.error.code} ${res.error.message}`)
      return res.value as never
    }
  }
  live.push(t)
  return t
}

/** Re-checks on every node event; fails after `ms` with `what`. */
function until(t: BleNode, check: () => Promise<boolean> | boolean, what: string, ms = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let done = false
    const finish = (err?: Error): void => {
      if (done) return
      done = true
      clearTimeout(timer)
      clearInterval(tick)
      off()
      if (err) reject(err)
      else resolve()
    }
    const attempt = async (): Promise<void> => {
      try {
        if (!done && (await check())) finish()
      } catch (err) {
        finish(err as Error)
      }
    }
    const timer = setTimeout(() => finish(new Error(`${t.name}: ${what} not met in ${ms} ms`)), ms)
    // Engine state (chain counts) changes without an API event; libp2p events cover connectivity.
    const tick = setInterval(() => void attempt(), 250)
    const off = t.node.onEvent(() => void attempt())
    void attempt()
  })
}

async function texts(t: BleNode, groupPk: string): Promise<string[]> {
  return (await t.call('message:list', { groupPk, limit: 500 })).messages.map((m) => m.text)
}

const gpk = (groupPk: string): Uint8Array => new Uint8Array(Buffer.from(groupPk, 'base64url'))

describe('Berty groups over the simulated BLE radio, no IP', () => {
  const radios: SimRadio[] = []
  afterEach(async () => {
    for (const t of live.splice(0)) {
      await t.node.stop()
      rmSync(t.dir, { recursive: true, force: true })
    }
    for (const r of radios.splice(0)) r.close()
  })

  it('join by link and chat both ways; a third node out of range of the first reaches it through the second', { timeout: 180_000 }, async () => {
    const pairs = new Set(['alice|bob', 'bob|alice', 'bob|carol', 'carol|bob'])
    const radio = new SimRadio({ mtu: 185, rate: 100_000, latencyMs: 5, inRange: (a, b) => pairs.has(`${a}|${b}`) })
    radios.push(radio)
    const a = await startBleNode(radio, 'alice')
    const b = await startBleNode(radio, 'bob')
    const c = await startBleNode(radio, 'carol')
    for (const t of [a, b, c]) expect(t.node.addrs().every((addr) => addr.startsWith('/ble/'))).toBe(true)
    await a.call('account:create', { displayName: 'Alice' })
    await b.call('account:create', { displayName: 'Bob' })
    await c.call('account:create', { displayName: 'Carol' })
    const { groupPk } = await a.call('group:create', { name: 'Radio' })
    const { url } = await a.call('group:invite', { groupPk })
    await until(b, () => b.node.libp2p.getConnections(a.node.libp2p.peerId).length > 0, 'bob connected to alice over BLE')

    await b.call('group:join', { url })
    await until(a, () => a.node.groups.chainCount(gpk(groupPk)) >= 2, 'alice has bob’s chain')
    await until(b, () => b.node.groups.chainCount(gpk(groupPk)) >= 2, 'bob has alice’s chain')
    await a.call('message:send', { groupPk, text: 'hello from alice' })
    await b.call('message:send', { groupPk, text: 'hello from bob' })
    await until(a, async () => (await texts(a, groupPk)).includes('hello from bob'), 'bob → alice')
    await until(b, async () => (await texts(b, groupPk)).includes('hello from alice'), 'alice → bob')

    expect(c.node.libp2p.getConnections(a.node.libp2p.peerId)).toHaveLength(0)
    await until(c, () => c.node.libp2p.getConnections(b.node.libp2p.peerId).length > 0, 'carol connected to bob')
    await c.call('group:join', { url })
    await until(a, () => a.node.groups.chainCount(gpk(groupPk)) >= 3, 'alice has carol’s chain (via bob)')
    await until(c, () => c.node.groups.chainCount(gpk(groupPk)) >= 3, 'carol has the others’ chains')
    await c.call('message:send', { groupPk, text: 'hello from carol' })
    await a.call('message:send', { groupPk, text: 'alice again' })
    await until(a, async () => (await texts(a, groupPk)).includes('hello from carol'), 'carol → bob → alice')
    await until(c, async () => (await texts(c, groupPk)).includes('alice again'), 'alice → bob → carol')
    // Radio range never changed: alice and carol only ever talked through bob.
    expect(c.node.libp2p.getConnections(a.node.libp2p.peerId)).toHaveLength(0)
  })

  it('a link lost in the middle of a 1 MiB catch-up: the next connection resumes the sync and nothing is lost', { timeout: 240_000 }, async () => {
    let inRange = true
    const radio = new SimRadio({ mtu: 185, rate: 100_000, latencyMs: 5, inRange: () => inRange })
    radios.push(radio)
    const setRange = (v: boolean): void => {
      inRange = v
      radio.setInRange(() => inRange)
    }
    const a = await startBleNode(radio, 'alice')
    const b = await startBleNode(radio, 'bob')
    await a.call('account:create', { displayName: 'Alice' })
    await b.call('account:create', { displayName: 'Bob' })
    const { groupPk } = await a.call('group:create', { name: 'Catch-up' })
    const { url } = await a.call('group:invite', { groupPk })
    await until(b, () => b.node.libp2p.getConnections(a.node.libp2p.peerId).length > 0, 'bob connected')
    await b.call('group:join', { url })
    await until(a, () => a.node.groups.chainCount(gpk(groupPk)) >= 2, 'alice has bob’s chain')
    await until(b, () => b.node.groups.chainCount(gpk(groupPk)) >= 2, 'bob has alice’s chain')

    setRange(false)
    await until(b, () => b.node.libp2p.getConnections(a.node.libp2p.peerId).length === 0, 'link dropped')
    const N = 64
    const body = 'x'.repeat(15_000)
    for (let i = 0; i < N; i++) await a.call('message:send', { groupPk, text: `${i} ${body}` })

    const msgTopic = b.node.groups.topics(gpk(groupPk)).msg
    const count = async (): Promise<number> => (await texts(b, groupPk)).length
    setRange(true)
    await until(b, () => b.node.libp2p.getConnections(a.node.libp2p.peerId).length > 0, 'reconnected')
    void b.node.sync.syncNow(msgTopic).catch(() => {})
    await until(b, async () => (await count()) >= N / 8, 'part of the catch-up arrived', 120_000)
    setRange(false)
    const partial = await count()
    expect(partial).toBeLessThan(N)

    setRange(true)
    await until(b, () => b.node.libp2p.getConnections(a.node.libp2p.peerId).length > 0, 'reconnected again')
    await b.node.sync.syncNow(msgTopic).catch(() => {})
    await until(b, async () => (await count()) === N, 'everything after the second connection', 180_000)
    expect(await texts(b, groupPk)).toEqual(await texts(a, groupPk))
    process.stderr.write(`[ble catch-up] ${partial}/${N} messages before the cut, ${N}/${N} after\n`)
  })
})
