/**
 * Groups engine benchmark (issue "Groups engine", Benchmark section), each figure with a baseline
 * measured in the same run:
 *
 * - send:    local send rate (ratchet + seal + sign + append + store + index), one node: one send
 *            at a time, then BENCH_SEND_BURST (32) at a time; baseline: plain OrbitDB events add().
 * - catchup: a fresh member joins a group holding N messages and receives the whole log; baseline:
 *            plain OrbitDB `events` (bitswap, block by block) on a smaller log, compared per entry.
 *            Also the receiver's CPU time (main thread and verify workers): on a shared machine it
 *            moves less with other load than the wall-clock figures do.
 * - latency: send → receive between two processes on loopback, p50/p99.
 * - join:    an M-member group where everyone joins and holds everyone's chain key, every member a
 *            full node in this one process (wall and CPU time, and the sync work it took: gossip
 *            messages, heads exchanges, pulls, joins).
 * - join-late: an M-member group formed first (not timed), then one more member joins by the link:
 *            timed until it holds every member's chain key and every member holds its own (what a
 *            person joining an existing group waits for).
 * - join-procs: the `join` scenario with every member a daemon in its own process (core/daemon/cli.ts,
 *            driven over its API); done when every member has read the message each other member sent
 *            the moment its join returned (so every chain key reached every member).
 *
 * `npm run bench -- groups` (all), or BENCH_GROUPS=send,catchup,latency,join,join-late,join-procs to pick;
 * BENCH_MESSAGES (default 10000), BENCH_BASELINE (1000), BENCH_CATCHUP_RUNS (3: runs of the catch-up and
 * of its baseline; the medians are compared), BENCH_MEMBERS (comma list, default 10,25,50),
 * BENCH_LATE_MEMBERS (the group join-late's newcomer joins, default 49), BENCH_PROC_MEMBERS (default
 * 10,25), BENCH_PROC_WAVE, BENCH_PROC_READY_MS, BENCH_PROC_PROFILE (see benchJoinProcesses);
 * BENCH_TIMELINE=1 prints progress every second (every 5 s for join-procs), BENCH_PROFILE=file.cpuprofile
 * profiles the in-process join (join-late: the newcomer's join); BENCH_CATCHUP_PROFILE=file.cpuprofile the
 * catch-up's receiving member (this process) and BENCH_HOST_PROFILE=file.cpuprofile its host (serving only).
 */
import '../core/polyfills'
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { multiaddr } from '@multiformats/multiaddr'
import { loadavg } from 'node:os'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { buildDaemonBundle } from '../tests/support/daemon-bundle'
import { startTestPeer } from '../tests/support/orbitdb-peer'
import { startNode, stopAll, type TestNode } from '../tests/integration/helpers'
import { startProfile } from './profile'
import { fmt, waitFor } from './util'
import { benchJoinProcesses } from './groups-join-procs'
import { insideIsolation, rerunIsolated } from './isolate'
import { benchJoin, benchJoinLate, describeCounters, gpkOf, groupWith } from './groups-join'

const here = dirname(fileURLToPath(import.meta.url))
const pick = new Set((process.env.BENCH_GROUPS ?? 'send,catchup,latency,join,join-late,join-procs').split(','))
const N = Number(process.env.BENCH_MESSAGES ?? 10_000)
const BASELINE = Number(process.env.BENCH_BASELINE ?? 1_000)
const CATCHUP_RUNS = Math.max(1, Number(process.env.BENCH_CATCHUP_RUNS ?? 3))
const MEMBERS = (process.env.BENCH_MEMBERS ?? '10,25,50').split(',').map(Number)
const LATE_MEMBERS = (process.env.BENCH_LATE_MEMBERS ?? '49').split(',').map(Number)
const PROC_MEMBERS = (process.env.BENCH_PROC_MEMBERS ?? '10,25').split(',').map(Number)

/**
 * Message-log entries of others this member processed; `settled`: opened or settled for good (not
 * waiting for a chain key). A readable message is recorded by its messages row (a log_processed
 * row too only if it waited for its key, then marked 'ok': not counted twice); the other outcomes
 * by log_processed. The bench sends text only (an opened non-text entry is an 'ok' row alone).
 */
function processedCount(t: TestNode, gpk: Uint8Array, settled = false): number {
  const outcomes = settled ? "('rejected', 'undecryptable')" : "('pending', 'rejected', 'undecryptable')"
  return (
    t.node.db.sql
      .prepare<[Uint8Array, Uint8Array], { n: number }>(
        `SELECT (SELECT count(*) FROM messages WHERE group_pk = ? AND mine = 0 AND unreadable IS NULL) +
                (SELECT count(*) FROM log_processed WHERE group_pk = ? AND log = 'msg' AND status IN ${outcomes}) AS n`
      )
      .get(gpk, gpk)?.n ?? 0
  )
}

/** Runs a bench/peers script in its own process and resolves with its ready line. */
async function host<T>(script: string, args: string[]): Promise<{ info: T; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'peers', script), ...args], {
    stdio: ['ignore', 'pipe', 'inherit']
  })
  const info = await new Promise<T>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)))
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line) as T))
  })
  return { info, stop: () => void child.kill('SIGTERM') }
}

async function benchSendAndCatchup(): Promise<void> {
  // The host (another device, in its own process) creates the group and sends N messages, one at
  // a time and then BENCH_SEND_BURST at a time: that is the local send figure.
  const a = await host<{
    url: string
    groupPk: string
    catchup: Array<{ url: string; groupPk: string }>
    addr: string
    sendMs: number
    sendCpuMs: number
    burst: number
    burstMs: number
    burstCpuMs: number
  }>('group-host.ts', [String(N), String(pick.has('catchup') ? CATCHUP_RUNS : 1)])
  const runs: CatchUpRun[] = []
  const baseRuns: number[] = []
  let base: Awaited<ReturnType<typeof host<{ address: string; addr: string; addMs: number; addCpuMs: number }>>> | undefined
  try {
    if (pick.has('catchup')) {
      // Catch-up: a fresh member joins and pulls the whole message log in verified batches, RUNS
      // times (a new member and a group of its own each time, the previous member stopped): the
      // figure is the median.
      for (let i = 0; i < CATCHUP_RUNS; i++) {
        runs.push(await catchUpOnce({ ...a.info.catchup[i]!, addr: a.info.addr }, i))
        await stopAll()
      }
    }
    // Baseline: plain OrbitDB events, same machine, same run, host in its own process too (its
    // BASELINE adds are the send baseline); as many fresh readers as our runs, median too.
    base = await host<{ address: string; addr: string; addMs: number; addCpuMs: number }>('orbitdb-host.ts', [String(BASELINE)])
    if (pick.has('catchup')) {
      for (let i = 0; i < CATCHUP_RUNS; i++) {
        const p2 = await startTestPeer(`base-${i}`)
        try {
          await p2.libp2p.dial(multiaddr(base.info.addr), { signal: AbortSignal.timeout(10_000) })
          const t2 = performance.now()
          const db2 = await p2.orbitdb.open(base.info.address)
          await waitFor(async () => (await db2.log.values()).length >= BASELINE, 600_000, 'baseline catch-up')
          baseRuns.push(performance.now() - t2)
        } finally {
          await p2.stop()
        }
      }
    }
  } finally {
    base?.stop()
    a.stop()
  }
  if (pick.has('send')) {
    const rate = (count: number, ms: number) => fmt((count / ms) * 1000)
    const i = a.info
    const b = base!.info
    console.log(
      `send     ${fmt(N)} messages one at a time: ${fmt(i.sendMs)} ms → ${rate(N, i.sendMs)} msg/s (target ≥ 1,000); ` +
        `${fmt((i.sendCpuMs / N) * 1000)} µs CPU each → ${rate(N, i.sendCpuMs)} per CPU-second\n` +
        `         ${i.burst} at a time (sharing commits): ${fmt(i.burstMs)} ms → ${rate(N, i.burstMs)} msg/s; ${fmt((i.burstCpuMs / N) * 1000)} µs CPU each\n` +
        `         baseline plain OrbitDB events add() (no encryption, no signatures but OrbitDB's): ${fmt(BASELINE)} in ${fmt(b.addMs)} ms → ` +
        `${rate(BASELINE, b.addMs)} msg/s; ${fmt((b.addCpuMs / BASELINE) * 1000)} µs CPU each`
    )
  }
  if (pick.has('catchup')) {
    const middle = <T>(xs: T[], by: (x: T) => number): T => [...xs].sort((x, y) => by(x) - by(y))[Math.floor(xs.length / 2)]!
    const median = (xs: number[]) => middle(xs, (x) => x)
    const mid = middle(runs, (r) => r.catchMs)
    const oursPerEntry = mid.catchMs / N
    const basePerEntry = median(baseRuns) / BASELINE
    const list = (xs: number[]) => xs.map((x) => fmt(x)).join(' / ')
    console.log(
      `catchup  ${fmt(N)} entries, median of ${runs.length} runs: ${fmt(mid.catchMs)} ms (${fmt(oursPerEntry * 1000, 1)} µs/entry; target < 5,000 ms), ` +
        `all opened and indexed (${fmt(mid.readable)} readable); all received (some waiting for a chain key) at ${fmt(mid.receivedMs)} ms; ` +
        `runs ${list(runs.map((r) => r.catchMs))} ms\n` +
        `         receiver CPU ${fmt(mid.cpuMs)} ms (${fmt((mid.cpuMs / N) * 1000, 1)} µs/entry, main thread and verify workers); main thread busy ${fmt(mid.busyMs)} ms (${fmt((mid.busyMs / N) * 1000, 1)} µs/entry); ` +
        `event loop held at most ${fmt(mid.stallMs)} ms at a time (99th percentile of its delays ${fmt(mid.stallP99Ms)} ms; runs, longest: ${list(runs.map((r) => r.stallMs))} ms)\n` +
        `         receiver sync work: ${mid.work}\n` +
        `         baseline plain OrbitDB events, median of ${baseRuns.length}: ${fmt(BASELINE)} entries in ${fmt(median(baseRuns))} ms (${fmt(basePerEntry * 1000, 1)} µs/entry); runs ${list(baseRuns)} ms\n` +
        `         speed-up per entry, median against median: ${fmt(basePerEntry / oursPerEntry, 1)}× (target ≥ 20×); load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`
    )
  }
}

interface CatchUpRun {
  catchMs: number
  receivedMs: number
  cpuMs: number
  busyMs: number
  /** Longest event-loop delay during the catch-up, and its 99th percentile. */
  stallMs: number
  stallP99Ms: number
  readable: number
  work: string
}

/** One fresh member joins the host's group and catches up its N messages (BENCH_CATCHUP_PROFILE: the first run). */
async function catchUpOnce(host: { url: string; groupPk: string; addr: string }, run: number): Promise<CatchUpRun> {
  const gpk = gpkOf(host.groupPk)
  const b = await startNode(`bench-b${run}`)
  await b.call('account:create', { displayName: 'B' })
  await b.call('peer:connect', { multiaddr: host.addr })
  const profile = run === 0 && process.env.BENCH_CATCHUP_PROFILE ? await startProfile(process.env.BENCH_CATCHUP_PROFILE) : undefined
  const t1 = performance.now()
  // CPU of this process (main thread and verify workers) and the main thread's busy time: what
  // the catch-up cost, less sensitive than wall time to other load on a shared machine.
  const cpu1 = process.cpuUsage()
  const elu1 = performance.eventLoopUtilization()
  // The longest the event loop went without a turn: while it works, the node answers no API call,
  // no ping, no timer (a desktop's window waits on it).
  const stalls = monitorEventLoopDelay({ resolution: 10 })
  stalls.enable()
  await b.call('group:join', { url: host.url })
  // Received: every entry verified, joined and looked at (some may wait for the sender's chain
  // key); settled: every message opened and indexed (or settled for good).
  // Polled every 50 ms: a count over the member's table is work on the very thread measured.
  await waitFor(() => processedCount(b, gpk) >= N, 300_000, 'catch-up', 50)
  const receivedMs = performance.now() - t1
  await waitFor(() => processedCount(b, gpk, true) >= N, 300_000, 'catch-up settled', 50)
  const catchMs = performance.now() - t1
  const cpu = process.cpuUsage(cpu1)
  const busyMs = performance.eventLoopUtilization(elu1).active
  stalls.disable()
  const readable = b.node.db.sql
    .prepare<[Uint8Array], { n: number }>('SELECT count(*) AS n FROM messages WHERE group_pk = ? AND unreadable IS NULL')
    .get(gpk)!.n
  await profile?.()
  return {
    catchMs,
    receivedMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    busyMs,
    stallMs: stalls.max / 1e6,
    stallP99Ms: stalls.percentile(99) / 1e6,
    readable,
    work: describeCounters(b.node.sync.counters)
  }
}

async function benchLatency(): Promise<void> {
  const a = await startNode('lat-a')
  await a.call('account:create', { displayName: 'A' })
  const { groupPk, url } = await groupWith(a, 'latency')
  const gpk = gpkOf(groupPk)
  const addr = a.node.addrs().find((x) => x.startsWith('/ip4/127.0.0.1/tcp/') && !x.includes('/ws'))!
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'peers/latency-peer.ts'), url, addr], {
    stdio: ['ignore', 'pipe', 'inherit']
  })
  const received = new Map<string, number>()
  let readyResolve!: () => void
  const ready = new Promise<void>((r) => (readyResolve = r))
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const msg = JSON.parse(line) as { ready?: boolean; text?: string; at?: number }
    if (msg.ready) readyResolve()
    else if (msg.text !== undefined && msg.at !== undefined) received.set(msg.text, msg.at)
  })
  try {
    await ready
    await waitFor(() => a.node.groups.chainCount(gpk) >= 2, 30_000, 'peer chain key')
    const samples: number[] = []
    const COUNT = 300
    for (let i = 0; i < COUNT; i++) {
      const text = `ping ${i}`
      const sentAt = performance.timeOrigin + performance.now()
      await a.node.groups.send(gpk, text)
      await waitFor(() => received.has(text), 10_000, `receipt of ${text}`)
      samples.push(received.get(text)! - sentAt)
    }
    samples.sort((x, y) => x - y)
    const q = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))]!
    console.log(
      `latency  ${COUNT} messages A→B across two processes: p50 ${fmt(q(0.5), 1)} ms, p99 ${fmt(q(0.99), 1)} ms, ` +
        `max ${fmt(samples[samples.length - 1]!, 1)} ms (targets p50 < 20, p99 < 100)`
    )
  } finally {
    child.kill('SIGTERM')
  }
}

export async function run(): Promise<void> {
  console.log(`groups bench — node ${process.version}, ${process.arch}`)
  try {
    if (pick.has('send') || pick.has('catchup')) await benchSendAndCatchup()
    await stopAll()
    if (pick.has('latency')) await benchLatency()
    await stopAll()
    if (pick.has('join')) for (const m of MEMBERS) await benchJoin(m)
    if (pick.has('join-late')) for (const m of LATE_MEMBERS) await benchJoinLate(m)
    if (pick.has('join-procs')) {
      // In a network namespace of its own (bench/isolate.ts) unless BENCH_PROC_NETNS=0: on the host, the
      // daemons would find other sessions' daemons through mDNS and the DHT.
      const isolated = process.env.BENCH_PROC_NETNS !== '0' && !insideIsolation() && rerunIsolated('groups', { BENCH_GROUPS: 'join-procs' })
      if (!isolated) {
        const entry = buildDaemonBundle()
        for (const m of PROC_MEMBERS) await benchJoinProcesses(m, entry)
      }
    }
  } finally {
    await stopAll()
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await run()
