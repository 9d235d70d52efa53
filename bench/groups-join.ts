/**
 * The join benches of `npm run bench -- groups` (bench/groups.ts):
 * - join:      an M-member group where everyone joins at once and holds everyone's chain key, every
 *              member a full node in this one process.
 * - join-late: an M-member group formed first (not timed), then one more member joins; timed until
 *              the newcomer holds every member's chain key and every member holds the newcomer's. What
 *              a person joining an existing group waits for.
 */
import { availableParallelism } from 'node:os'
import { connect, logSize, startNode, stopAll, type TestNode } from '../tests/integration/helpers'
import { startProfile } from './profile'
import { fmt, waitFor } from './util'
import { measureVerifyMicros, verifyProviderName } from './verify-micros'

export const gpkOf = (s: string) => new Uint8Array(Buffer.from(s, 'base64url'))

/** Dials, retrying while libp2p's per-host inbound rate limit (every node is 127.0.0.1) resets us. */
async function dialRetry(a: TestNode, b: TestNode): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await connect(a, b)
      return
    } catch (err) {
      if (attempt >= 20) throw err
      await new Promise((r) => setTimeout(r, 250))
    }
  }
}

export async function groupWith(a: TestNode, name: string): Promise<{ groupPk: string; url: string }> {
  const { groupPk } = await a.call('group:create', { name })
  const { url } = await a.call('group:invite', { groupPk })
  return { groupPk, url }
}

/**
 * `members` started nodes with an account each, in a ring with chords: every node dials two peers and
 * is dialled by two, so no node exceeds libp2p's per-host inbound rate limit (all nodes share
 * 127.0.0.1), and any two nodes are a few hops apart: entries must be relayed.
 */
async function startRing(members: number, prefix: string): Promise<TestNode[]> {
  const nodes: TestNode[] = []
  for (let i = 0; i < members; i++) {
    const t = await startNode(`${prefix}-${i}`)
    await t.call('account:create', { displayName: `M${i}` })
    nodes.push(t)
  }
  const chord = Math.max(2, Math.floor(Math.sqrt(members)))
  for (let i = 0; i < members; i++) {
    await dialRetry(nodes[i]!, nodes[(i + 1) % members]!)
    if (members > 4) await dialRetry(nodes[i]!, nodes[(i + chord) % members]!)
  }
  return nodes
}

export async function benchJoin(members: number): Promise<void> {
  const nodes = await startRing(members, 'join')
  if (process.env.BENCH_JOIN_SETTLE_MS) await new Promise((r) => setTimeout(r, Number(process.env.BENCH_JOIN_SETTLE_MS)))
  const { groupPk, url } = await groupWith(nodes[0]!, `join-${members}`)
  const gpk = gpkOf(groupPk)
  const timeout = Number(process.env.BENCH_JOIN_TIMEOUT_MS ?? 300_000)
  const timed = await startTimed(nodes, (elapsed, c) => {
    const chains = nodes.reduce((a, t) => a + t.node.groups.chainCount(gpk), 0)
    const members = nodes.reduce((a, t) => a + t.node.groups.members(gpk).length, 0)
    const meta = nodes.reduce((a, t) => a + logSize(t, gpk, 'meta'), 0)
    return `  t=${fmt(elapsed)} ms members ${members}/${nodes.length ** 2} chains ${chains}/${nodes.length ** 2} meta entries ${meta}; ${describeCounters(c)}`
  })
  try {
    await Promise.all(nodes.slice(1).map((t) => t.call('group:join', { url })))
    await waitFor(() => nodes.every((t) => t.node.groups.chainCount(gpk) >= members), timeout, `${members}-member key exchange`)
  } catch (err) {
    const state = nodes.map((t) => {
      const topic = t.node.groups.topics(gpk).meta
      const subs = (t.node.libp2p.services.pubsub.getSubscribers(topic) as unknown[]).length
      return `${t.name}: chains ${t.node.groups.chainCount(gpk)}, members ${t.node.groups.members(gpk).length}, meta ${logSize(t, gpk, 'meta')}, conns ${t.node.libp2p.getConnections().length}, topic peers ${subs}, gossip peers ${t.node.libp2p.services.pubsub.getPeers().length}, topics ${t.node.libp2p.services.pubsub.getTopics().length}`
    })
    throw new Error(`${(err as Error).message}\n${state.join('\n')}`)
  } finally {
    await timed.end()
  }
  const { ms, cpuMs, c, wire } = timed.figures!
  const topics = nodes[0]!.node.groups.topics(gpk)
  const mean = (f: (t: TestNode) => number) => fmt(nodes.reduce((a, t) => a + f(t), 0) / nodes.length, 1)
  const pubsubOf = (t: TestNode) => t.node.libp2p.services.pubsub as unknown as { getSubscribers(topic: string): unknown[]; getMeshPeers(topic: string): unknown[] }
  const shape =
    `connections per node ${mean((t) => t.node.libp2p.getConnections().length)}, peers on the metadata topic ${mean((t) => pubsubOf(t).getSubscribers(topics.meta).length)}, ` +
    `of them in its gossip mesh ${mean((t) => pubsubOf(t).getMeshPeers(topics.meta).length)} (means at the end)`
  // The floor no engine change removes: every member checks the two signatures (group key,
  // writer key) of every metadata entry the others wrote, one native Ed25519 verify each,
  // measured here in the same run, on this machine's cores.
  const entries = logSize(nodes[0]!, gpk, 'meta')
  const verifies = 2 * entries * (members - 1)
  const verifyUs = measureVerifyMicros()
  const floorMs = (verifies * verifyUs) / 1000 / availableParallelism()
  console.log(
    `join     ${members} members joined and exchanged chain keys in ${fmt(ms)} ms ` +
      `(${members * members} secret entries; target for 50: < 10,000 ms)\n` +
      `         cpu ${fmt(cpuMs)} ms (${fmt(cpuMs / members)} ms per member); sync work, all nodes: ${describeCounters(c)}\n` +
      `         ${describeWire(wire)}; ${shape}\n` +
      `         floor: ${fmt(entries)} metadata entries × ${members - 1} receivers × 2 signatures = ${fmt(verifies)} verifies × ${fmt(verifyUs, 1)} µs ` +
      `(${verifyProviderName()}, this run) / ${availableParallelism()} cores = ${fmt(floorMs)} ms of signature checks alone`
  )
  await stopAll()
}

type Counters = TestNode['node']['sync']['counters']

/** Gossip as it crosses the wire, all nodes: message copies received (and how many were duplicates), copies sent. */
interface GossipWire {
  received: number
  duplicates: number
  sent: number
}

/**
 * Counts gossipsub's message copies on each node: received through its (internal) validation step,
 * where duplicates are told apart (the sync counters see a message once, after verification, not
 * the copies every mesh peer sends); sent through its metrics hook, which every send path calls
 * (one peer at a time, a publish to all at once, a forward sharing one encoding: patches/).
 */
function tallyGossip(nodes: TestNode[]): GossipWire {
  const tally: GossipWire = { received: 0, duplicates: 0, sent: 0 }
  // Gossipsub's metrics are either null or a full set: a stand-in that counts sent copies, every
  // other hook a no-op (the `on…` methods, and the gauges' and counters' inc/set/observe/startTimer).
  const gauge = { inc() {}, set() {}, observe() {}, startTimer: () => () => {} }
  const metrics = new Proxy({} as Record<string, unknown>, {
    get: (_, key) => {
      if (key === 'onRpcSent') return (rpc: { messages?: unknown[] }) => void (tally.sent += rpc.messages?.length ?? 0)
      return typeof key === 'string' && key.startsWith('on') ? () => {} : gauge
    }
  })
  for (const t of nodes) {
    const gs = t.node.libp2p.services.pubsub as unknown as {
      validateReceivedMessage(from: unknown, msg: unknown): Promise<{ code: string }>
      metrics: unknown
    }
    const validate = gs.validateReceivedMessage.bind(gs)
    gs.validateReceivedMessage = async (from, msg) => {
      const r = await validate(from, msg)
      tally.received++
      if (r.code === 'duplicate') tally.duplicates++
      return r
    }
    gs.metrics = metrics
  }
  return tally
}

interface Timed {
  elapsed(): number
  /** Takes the figures (first), then stops the timeline and writes the profile. */
  end(): Promise<void>
  figures?: { ms: number; cpuMs: number; c: Counters; wire: GossipWire }
}

/**
 * The timed part of a bench: wall clock, this process's CPU and the nodes' sync counters from now; a
 * BENCH_TIMELINE line every second; the BENCH_PROFILE profile.
 */
async function startTimed(nodes: TestNode[], line: (elapsedMs: number, c: Counters) => string): Promise<Timed> {
  const profile = process.env.BENCH_PROFILE ? await startProfile(process.env.BENCH_PROFILE) : undefined
  const cpu0 = process.cpuUsage()
  const c0 = sumCounters(nodes)
  const wire = tallyGossip(nodes)
  const t0 = performance.now()
  const timeline = setInterval(() => {
    if (process.env.BENCH_TIMELINE) console.log(line(performance.now() - t0, diffCounters(sumCounters(nodes), c0)))
  }, 1000)
  const timed: Timed = {
    elapsed: () => performance.now() - t0,
    async end() {
      const cpu = process.cpuUsage(cpu0)
      timed.figures ??= { ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, c: diffCounters(sumCounters(nodes), c0), wire: { ...wire } }
      clearInterval(timeline)
      await profile?.()
    }
  }
  return timed
}
function sumCounters(nodes: TestNode[]): Counters {
  const out = { ...nodes[0]!.node.sync.counters }
  for (const k of Object.keys(out) as Array<keyof Counters>) out[k] = nodes.reduce((a, t) => a + t.node.sync.counters[k], 0)
  return out
}
function diffCounters(a: Counters, b: Counters): Counters {
  const out = { ...a }
  for (const k of Object.keys(out) as Array<keyof Counters>) out[k] = a[k] - b[k]
  return out
}
function describeWire(w: GossipWire): string {
  const pct = w.received > 0 ? Math.round((100 * w.duplicates) / w.received) : 0
  return `gossip on the wire: ${fmt(w.received)} message copies received (${fmt(w.duplicates)} duplicates, ${pct} %), ${fmt(w.sent)} sent`
}
export function describeCounters(c: Counters): string {
  return (
    `gossip out ${fmt(c.gossipOut)} msgs/${fmt(c.gossipEntriesOut)} entries, in ${fmt(c.gossipIn)}/${fmt(c.gossipEntriesIn)}; ` +
    `heads exchanges ${fmt(c.headsOut)} (${fmt(c.headsSkipped)} left to the peer, ${fmt(c.settles)} settle rounds); pulls ${fmt(c.pulls)} (${fmt(c.pulledEntries)} entries, ${fmt(c.pulledKnown)} already held, ${fmt(c.prunedByClock)} left out by version vectors); joins ${fmt(c.joins)} (${fmt(c.joined)} entries)`
  )
}

/**
 * One member more for a group of `members`: the group forms first (everyone holds everyone's key),
 * then the newcomer, connected from the start like the others, joins by the invitation link.
 */
export async function benchJoinLate(members: number): Promise<void> {
  const nodes = await startRing(members + 1, 'late')
  const newcomer = nodes.at(-1)!
  const group = nodes.slice(0, -1)
  const { groupPk, url } = await groupWith(group[0]!, `late-${members}`)
  const gpk = gpkOf(groupPk)
  const timeout = Number(process.env.BENCH_JOIN_TIMEOUT_MS ?? 300_000)
  const f0 = performance.now()
  await Promise.all(group.slice(1).map((t) => t.call('group:join', { url })))
  await waitFor(() => group.every((t) => t.node.groups.chainCount(gpk) >= members), timeout, `${members}-member group forming`)
  const formedMs = performance.now() - f0
  // Until the last heads exchanges and pulls of the forming are over: the newcomer's join alone is timed.
  const quiet = await settle(nodes)
  const timed = await startTimed(nodes, (elapsed, c) => {
    const holding = group.filter((t) => t.node.groups.chainCount(gpk) >= members + 1).length
    return `  t=${fmt(elapsed)} ms newcomer: chains ${newcomer.node.groups.chainCount(gpk)}, members ${newcomer.node.groups.members(gpk).length}, meta ${logSize(newcomer, gpk, 'meta')}; members holding its key ${holding}; ${describeCounters(c)}`
  })
  const all = members + 1
  let returnedMs = 0
  let heldMs = 0
  try {
    await newcomer.call('group:join', { url })
    returnedMs = timed.elapsed()
    await waitFor(() => newcomer.node.groups.chainCount(gpk) >= all, timeout, 'the newcomer holding every chain key')
    heldMs = timed.elapsed()
    await waitFor(() => nodes.every((t) => t.node.groups.chainCount(gpk) >= all), timeout, "every member holding the newcomer's chain key")
  } finally {
    await timed.end()
  }
  const { ms, cpuMs, c, wire } = timed.figures!
  console.log(
    `join-late one member joined a ${members}-member group in ${fmt(ms)} ms: every member holds its chain key and it holds all ${all}; ` +
      `its join returned in ${fmt(returnedMs)} ms, it held every key at ${fmt(heldMs)} ms\n` +
      `         cpu ${fmt(cpuMs)} ms, all ${all} nodes; sync work: ${describeCounters(c)}\n` +
      `         ${describeWire(wire)}\n` +
      `         (not timed: the ${members}-member group formed in ${fmt(formedMs)} ms, then ` +
      (quiet.still ? `${fmt(quiet.ms)} ms until its sync work stopped)` : `its sync work was still going after ${fmt(quiet.ms)} ms)`)
  )
  await stopAll()
}

/** Waits until the nodes' sync counters stay still for a second, 60 s at most; says how long, and whether they did. */
async function settle(nodes: TestNode[]): Promise<{ ms: number; still: boolean }> {
  const t0 = performance.now()
  let last = JSON.stringify(sumCounters(nodes))
  for (;;) {
    await new Promise((r) => setTimeout(r, 1_000))
    const now = JSON.stringify(sumCounters(nodes))
    const ms = performance.now() - t0
    if (now === last) return { ms, still: true }
    if (ms > 60_000) return { ms, still: false }
    last = now
  }
}
