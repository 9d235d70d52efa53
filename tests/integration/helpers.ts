// Real nodes for integration tests: one temp dir each, loopback TCP, port 0, no WebRTC.
import { randomBytes } from 'node:crypto'
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Dispatcher } from '../../core/service/dispatch'
import { createBertyNode, type BertyNode, type CreateNodeOptions } from '../../core/node'
import { staticKeyProvider } from '../../core/storage'
import type { EventName, MethodName, Params, Result } from '../../core/api'
import { KEEP_ALIVE, type Startable } from '@libp2p/interface'
import type { ReachOptions } from '../../core/net/reach'
import type { ReachSettings } from '../../core/net/reach-config'
import type { BleDriver } from '../../core/net/ble/driver'
import type { OpenGroup } from '../../core/groups/types'

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
/** Called after each new warning, per node (see `untilWarned`). */
const warningListeners = new WeakMap<string[], Set<() => void>>()

export async function startNode(
  name: string,
  opts: { dir?: string; key?: Uint8Array; now?: () => number; reach?: ReachOptions; reachSettings?: ReachSettings; bootstrap?: string[]; bleFactory?: () => Promise<BleDriver>; replicationServer?: CreateNodeOptions['replicationServer']; replicaDevice?: boolean } = {}
): Promise<TestNode> {
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
      ...(opts.now ? { now: opts.now } : {}),
      ...(opts.reach ? { reach: opts.reach } : {}),
      ...(opts.reachSettings ? { reachSettings: opts.reachSettings } : {}),
      ...(opts.bleFactory ? { bleFactory: opts.bleFactory } : {}),
      ...(opts.bootstrap ? { bootstrap: opts.bootstrap } : {}),
      ...(opts.replicationServer ? { replicationServer: opts.replicationServer } : {}),
      ...(opts.replicaDevice ? { replicaDevice: true } : {}),
      log: (level, msg, data) => {
        if (level === 'warn' || level === 'error') {
          warnings.push(`${level} ${msg} ${JSON.stringify(data)}`)
          for (const l of warningListeners.get(warnings) ?? []) l()
        }
        // BERTY_TEST_LOG=/path: every node's log lines, debug included, for post-mortems.
        if (process.env.BERTY_TEST_LOG) appendFileSync(process.env.BERTY_TEST_LOG, `${performance.now().toFixed(1)} [${name}] ${level} ${msg} ${JSON.stringify(data)}\n`)
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

/**
 * Dials b from a. Every test node shares 127.0.0.1, and libp2p refuses a host's inbound connections
 * past 5 a second (`inboundConnectionThreshold`, a flood defence): a test wiring a mesh at once, on
 * a fast machine, met it as "connect ECONNRESET". Such a refusal is tried again, as a dialer would.
 */
export async function connect(a: TestNode, b: TestNode): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await a.node.libp2p.dial(b.node.libp2p.getMultiaddrs(), { signal: AbortSignal.timeout(10_000) })
      return
    } catch (err) {
      if (attempt >= 8 || !/ECONNRESET|denied/i.test(String((err as Error).message))) throw err
      await new Promise((r) => setTimeout(r, 250))
    }
  }
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

/** Texts of the readable messages, in order (placeholders for unreadable entries left out). */
export async function texts(t: TestNode, groupPk: string): Promise<string[]> {
  const page = await t.call('message:list', { groupPk, limit: 500 })
  return page.messages.filter((m) => m.unreadable === undefined).map((m) => m.text)
}

/** How many placeholders (entries this node cannot open) the conversation shows. */
export async function placeholders(t: TestNode, groupPk: string): Promise<number> {
  const page = await t.call('message:list', { groupPk, limit: 500 })
  return page.messages.filter((m) => m.unreadable !== undefined).length
}

/** A group public key as the engine takes it. */
export function gpkOf(groupPk: string): Uint8Array {
  return new Uint8Array(Buffer.from(groupPk, 'base64url'))
}

/** Every message of the group as `message:list` returns them (Lamport order), page after page. */
export async function allMessages(t: Pick<TestNode, 'call'>, groupPk: string): Promise<Array<{ id: string; text: string; mine: boolean; unreadable?: string }>> {
  const out: Array<{ id: string; text: string; mine: boolean; unreadable?: string }> = []
  let before: string | undefined
  for (;;) {
    const page = await t.call('message:list', { groupPk, limit: 500, ...(before ? { before } : {}) })
    out.unshift(...page.messages)
    if (!page.hasMore || page.messages.length === 0) return out
    before = page.messages[0]!.id
  }
}

/** Every message id of the conversation (or only the readable ones), oldest first, paging back through `message:list`. */
export async function allMessageIds(t: Pick<TestNode, 'call'>, groupPk: string, opts: { readableOnly?: boolean } = {}): Promise<string[]> {
  return (await allMessages(t, groupPk)).filter((m) => !opts.readableOnly || m.unreadable === undefined).map((m) => m.id)
}

/** Ordered message ids (Lamport order, as `message:list` returns them). */
export async function messageIds(t: TestNode, groupPk: string): Promise<string[]> {
  const page = await t.call('message:list', { groupPk, limit: 500 })
  return page.messages.map((m) => m.id)
}

/**
 * Like `until`, but also re-checks on the groups engine's own events, which fire for
 * replicas too (the node API only reports member groups).
 */
export function untilEngine<T>(t: TestNode, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 30_000): Promise<T> {
  return new Promise((resolve, reject) => {
    let done = false
    const finish = (fn: () => void) => {
      if (done) return
      done = true
      clearTimeout(timer)
      offNode()
      offGroups()
      fn()
    }
    const timer = setTimeout(() => finish(() => reject(new Error(`${t.name}: condition not met in ${timeoutMs} ms`))), timeoutMs)
    const attempt = async () => {
      if (done) return
      try {
        const v = await check()
        if (v !== undefined && v !== false) finish(() => resolve(v as T))
      } catch (err) {
        finish(() => reject(err))
      }
    }
    const offNode = t.node.onEvent(() => void attempt())
    const offGroups = t.node.groups.on(() => void attempt())
    void attempt()
  })
}

/**
 * A partition between two nodes: every connection closed from both sides, and nothing redials. Group
 * peers carry a keep-alive tag (core/net/group-peers.ts) that makes libp2p's reconnect queue redial
 * them the moment they drop, as it should after a real network loss; a test's partition removes those
 * tags first, as a cut cable would make every redial fail.
 */
export async function disconnect(a: TestNode, b: TestNode): Promise<void> {
  for (const [x, y] of [[a, b], [b, a]] as const) {
    const peer = y.node.libp2p.peerId
    const tags = await x.node.libp2p.peerStore.get(peer).then((p) => [...p.tags.keys()], () => [] as string[])
    const drop = Object.fromEntries(tags.filter((t) => t.startsWith(KEEP_ALIVE)).map((t) => [t, undefined]))
    if (Object.keys(drop).length > 0) await x.node.libp2p.peerStore.merge(peer, { tags: drop })
  }
  await a.node.libp2p.hangUp(b.node.libp2p.peerId)
  await b.node.libp2p.hangUp(a.node.libp2p.peerId)
}

/**
 * Stops the node's DHT, whose self-queries learn neighbours' peers and dial them: tests that
 * need a fixed topology (a line, a partition) must only have the connections they dial.
 * Call again after `restart()`.
 */
export async function noDiscovery(t: TestNode): Promise<void> {
  await (t.node.libp2p.services.dht as unknown as Startable).stop()
}

/** The engine's open group (keys, chains, state): for tests that act as an insider or inspect the engine. */
export function openGroupOf(t: TestNode, gpk: Uint8Array): OpenGroup | undefined {
  return (t.node.groups as unknown as { groups: Map<string, OpenGroup> }).groups.get(Buffer.from(gpk).toString('hex'))
}

/** How many entries a node stores for one of a group's logs (members and replicas alike). */
export function logSize(t: TestNode, gpk: Uint8Array, kind: 'meta' | 'msg'): number {
  const row = t.node.db.sql
    .prepare<[string], { n: number }>('SELECT count(*) AS n FROM orbit_kv WHERE namespace = ?')
    .get(`${Buffer.from(gpk).toString('hex')}:${kind}:entries`)
  return row?.n ?? 0
}

/** Resolves when `check` holds, re-checking on every new warning (a rejected entry emits no event). */
export function untilWarned(t: TestNode, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  let listeners = warningListeners.get(t.warnings)
  if (!listeners) warningListeners.set(t.warnings, (listeners = new Set()))
  const set = listeners
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (!check()) return
      done()
      resolve()
    }
    const timer = setTimeout(() => {
      done()
      reject(new Error(`${t.name}: condition not met in ${timeoutMs} ms; warnings: ${t.warnings.join('; ')}`))
    }, timeoutMs)
    const done = () => {
      clearTimeout(timer)
      set.delete(attempt)
    }
    set.add(attempt)
    attempt()
  })
}

/** Resolves when `check` holds, re-checking on every `type` event of `target` (e.g. pubsub events). */
export function untilTarget<T>(
  target: { addEventListener(type: string, fn: () => void): void; removeEventListener(type: string, fn: () => void): void },
  type: string,
  check: () => T | undefined | false,
  timeoutMs = 30_000
): Promise<T> {
  return new Promise((resolve, reject) => {
    const attempt = () => {
      let v: T | undefined | false
      try {
        v = check()
      } catch (err) {
        done()
        reject(err)
        return
      }
      if (v !== undefined && v !== false) {
        done()
        resolve(v)
      }
    }
    const timer = setTimeout(() => {
      done()
      reject(new Error(`no ${type} event satisfied the condition in ${timeoutMs} ms`))
    }, timeoutMs)
    const done = () => {
      clearTimeout(timer)
      target.removeEventListener(type, attempt)
    }
    target.addEventListener(type, attempt)
    attempt()
  })
}

/** Polls `check` every 100 ms: for state in another process, or that emits no event (a replica's store). */
export async function poll<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const v = await check()
    if (v !== undefined && v !== false) return v
    if (Date.now() > end) throw new Error(`${what}: not met in ${timeoutMs} ms`)
    await new Promise((res) => setTimeout(res, 100))
  }
}

/** Two new accounts, connected, without discovery; the second joins the first's new group; chain keys exchanged. */
export async function pairInGroup(names: [string, string], groupName = 'Friends'): Promise<{ a: TestNode; b: TestNode; groupPk: string }> {
  const a = await startNode('a')
  const b = await startNode('b')
  await Promise.all([a, b].map(noDiscovery))
  await a.call('account:create', { displayName: names[0] })
  await b.call('account:create', { displayName: names[1] })
  await connect(a, b)
  const { groupPk } = await a.call('group:create', { name: groupName })
  await b.call('group:join', { url: (await a.call('group:invite', { groupPk })).url })
  await Promise.all([a, b].map((t) => until(t, () => t.node.groups.chainCount(gpkOf(groupPk)) === 2)))
  return { a, b, groupPk }
}

/**
 * A writes `count` messages in a new group; B, a new account not yet connected, holds its invitation
 * link (a newcomer about to catch up a backlog). `prepare` runs on both nodes before anything else.
 */
export async function backlogFor(count: number, prepare?: (t: TestNode) => void): Promise<{ a: TestNode; b: TestNode; groupPk: string; url: string; sent: string[] }> {
  const a = await startNode('a')
  const b = await startNode('b')
  for (const t of [a, b]) prepare?.(t)
  await a.call('account:create', { displayName: 'A' })
  await b.call('account:create', { displayName: 'B' })
  const { groupPk } = await a.call('group:create', { name: 'Backlog' })
  const { url } = await a.call('group:invite', { groupPk })
  const sent = Array.from({ length: count }, (_, i) => `m${i}`)
  await Promise.all(sent.map((text) => a.node.groups.send(gpkOf(groupPk), text)))
  return { a, b, groupPk, url, sent }
}
