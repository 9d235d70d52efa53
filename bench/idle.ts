/**
 * Idle CPU of running daemons (`npm run bench -- idle`; issue 8: a desktop left running as a replica,
 * and the 50-member group where every member's idle cost adds up on one machine).
 *
 * For each N in BENCH_IDLE_MEMBERS (default 1,5,10): N daemons from the bundle
 * (tests/support/daemon-bundle.ts), each with an account and discovery as configured by default
 * (mDNS, local records, DHT); each dials the next over loopback (a ring, as join-procs does) and
 * discovery does the rest; once every daemon is connected to every other (or BENCH_IDLE_MESH_MS,
 * 60,000, passed), they are left alone for BENCH_IDLE_SETTLE_MS (30,000) and their CPU is read from
 * /proc over BENCH_IDLE_WINDOW_MS (15,000) with nothing happening: CPU per daemon per second, RSS
 * (current and peak), the load average. The first 10 s of the settle time are reported too ("first
 * 10 s after the mesh": the start-up transient, what join-procs' idle baseline measures).
 * With BENCH_IDLE_PROFILE, daemon 0 runs under the inspector's profiler, which costs it tens of ms/s:
 * its own figure is then the max, not representative.
 *
 * Same-run baseline: the same N daemons started with BERTY_BENCH_IDLE_BASELINE=1 (core/daemon/cli.ts),
 * which restores the libp2p / discovery settings as they were before this work. Both sets run one after
 * the other (baseline first) in the same run; BENCH_IDLE_MODES=ours (or before) runs one only.
 * The daemons run in a network namespace of the bench's own (see run()), BENCH_IDLE_NETNS=0 to run on the host.
 * BENCH_IDLE_PROFILE=x.cpuprofile profiles daemon 0 of each set over the window into x-<mode>-<N>.cpuprofile.
 * BENCH_IDLE_GROUP=1: once meshed, the N daemons are members of one group (created by daemon 0, joined by
 * its link, one message each, all read everywhere) before the settle time: what a replica left running
 * with its people's groups does (each watched group is looked up by every discovery driver).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildDaemonBundle } from '../tests/support/daemon-bundle'
import { startDaemonProcess, type DaemonProcess } from '../tests/support/daemon-process'
import { inspectorUrlOf, processCpuMs, processPeakRssMb, processRssMb, remapBundle, startRemoteProfile } from './proc-stats'
import { insideIsolation, rerunIsolated } from './isolate'
import { fmt } from './util'

const here = dirname(fileURLToPath(import.meta.url))

type Mode = 'before' | 'ours'

interface IdleFigures {
  cpuPerDaemonPerS: number[]
  /** CPU per daemon per s over the first 10 s after the mesh. */
  justConnected: number[]
  rssMb: number[]
  peakRssMb: number[]
  connections: number[]
  meshMs: number
  load: string
}

export async function run(): Promise<void> {
  // Isolation (bench/isolate.ts): other sessions' daemons on this host answer mDNS and join the DHT
  // with the default settings. BENCH_IDLE_NETNS=0 runs on the host.
  if (process.env.BENCH_IDLE_NETNS !== '0' && !insideIsolation() && rerunIsolated('idle')) return
  return measureAll()
}

async function measureAll(): Promise<void> {
  const sizes = (process.env.BENCH_IDLE_MEMBERS ?? '1,5,10').split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0)
  const modes = (process.env.BENCH_IDLE_MODES ?? 'before,ours').split(',').filter((m): m is Mode => m === 'before' || m === 'ours')
  const windowMs = Number(process.env.BENCH_IDLE_WINDOW_MS ?? 15_000)
  const settleMs = Number(process.env.BENCH_IDLE_SETTLE_MS ?? 30_000)
  const entry = buildDaemonBundle()
  console.log(
    `idle: daemons connected and left alone (settle ${fmt(settleMs)} ms after the mesh, then a ${fmt(windowMs)} ms window); CPU from /proc, whole process` +
      (insideIsolation() ? '; in a network namespace of their own' : '')
  )
  for (const n of sizes) {
    const got = new Map<Mode, IdleFigures>()
    for (const mode of modes) {
      const f = await measureIdle(n, mode, entry, windowMs, settleMs)
      got.set(mode, f)
      const cpu = [...f.cpuPerDaemonPerS].sort((a, b) => a - b)
      const sum = cpu.reduce((a, b) => a + b, 0)
      const rss = [...f.rssMb].sort((a, b) => a - b)
      const peak = [...f.peakRssMb].sort((a, b) => a - b)
      const conns = [...f.connections].sort((a, b) => a - b)
      console.log(
        `idle     ${n} daemon${n > 1 ? 's' : ''}, ${mode === 'ours' ? 'ours  ' : 'before'}: ${fmt(sum / n, 1)} ms CPU per daemon per s ` +
          `(min ${fmt(cpu[0]!, 1)}, median ${fmt(cpu[n >> 1]!, 1)}, max ${fmt(cpu[n - 1]!, 1)}; all ${n}: ${fmt(sum, 1)} ms/s = ${fmt(sum / 10, 1)} % of one core); ` +
          `first 10 s after the mesh ${fmt(f.justConnected.reduce((a, b) => a + b, 0) / n, 1)} ms/s per daemon; ` +
          `RSS median ${fmt(rss[n >> 1]!)} MB (peak median ${fmt(peak[n >> 1]!)} MB); ` +
          `connections per daemon min ${conns[0]} max ${conns[n - 1]}${n > 1 ? ` (full mesh ${f.meshMs >= 0 ? `after ${fmt(f.meshMs)} ms` : 'NOT reached'})` : ''}; load average ${f.load}`
      )
    }
    const a = got.get('before')
    const b = got.get('ours')
    if (a && b) {
      const mean = (f: IdleFigures) => f.cpuPerDaemonPerS.reduce((x, y) => x + y, 0) / n
      console.log(`         → ${n}: ours ${fmt(mean(b), 1)} vs before ${fmt(mean(a), 1)} ms CPU per daemon per s (${fmt(mean(a) / Math.max(mean(b), 0.01), 1)}×)`)
    }
  }
}

async function measureIdle(n: number, mode: Mode, entry: string, windowMs: number, settleMs: number): Promise<IdleFigures> {
  const daemons: DaemonProcess[] = []
  const dirs: string[] = []
  const profileFile = process.env.BENCH_IDLE_PROFILE?.replace(/(\.cpuprofile)?$/, `-${mode}-${n}.cpuprofile`)
  let inspector: string | undefined
  const env = { ...(mode === 'before' ? { BERTY_BENCH_IDLE_BASELINE: '1' } : {}) }
  try {
    for (let i = 0; i < n; i += 5) {
      const started = await Promise.all(
        Array.from({ length: Math.min(5, n - i) }, async (_, k) => {
          const idx = i + k
          const dir = mkdtempSync(join(tmpdir(), `berty-idle-${idx}-`))
          dirs[idx] = dir
          const d = await startDaemonProcess(dir, {
            entry,
            readyTimeoutMs: 120_000,
            env,
            ...(idx === 0 && profileFile
              ? { nodeArgs: ['--inspect=127.0.0.1:0'], onStderr: (l: string) => void (inspector ??= inspectorUrlOf(l)) }
              : {})
          })
          await d.call('account:create', { displayName: `I${idx}` })
          return d
        })
      )
      daemons.push(...started)
    }
    const addr = (d: DaemonProcess) => d.ready.addrs.find((a) => a.startsWith('/ip4/127.0.0.1/tcp/') && !a.includes('/ws'))!
    const t0 = performance.now()
    if (n > 1) {
      await Promise.all(
        daemons.map(async (d, i) => {
          for (let attempt = 0; attempt < 5; attempt++) {
            try {
              await d.call('peer:connect', { multiaddr: addr(daemons[(i + 1) % n]!) })
              return
            } catch {
              await new Promise((r) => setTimeout(r, 1_000))
            }
          }
        })
      )
    }
    const connections = new Array<number>(n).fill(0)
    const count = async () => {
      await Promise.all(
        daemons.map(async (d, i) => {
          const list = await d.call('peer:list', {}).catch(() => undefined)
          if (list) connections[i] = new Set(list.map((p) => p.peerId)).size
        })
      )
    }
    let meshMs = -1
    const meshDeadline = Number(process.env.BENCH_IDLE_MESH_MS ?? 60_000)
    while (performance.now() - t0 < meshDeadline) {
      await count()
      if (connections.every((c) => c >= n - 1)) {
        meshMs = performance.now() - t0
        break
      }
      await new Promise((r) => setTimeout(r, 500))
    }
    if (process.env.BENCH_IDLE_GROUP === '1' && n > 1) await shareOneGroup(daemons)
    // The first 10 s after the mesh (what join-procs' 5 s idle baseline saw): DHT table fill, identify,
    // mDNS at its fast cadence. Reported beside the settled figure; part of the settle time.
    const pids = daemons.map((d) => d.child.pid)
    const justMs = Math.min(10_000, settleMs)
    const j0 = pids.map(processCpuMs)
    const jt = performance.now()
    await new Promise((r) => setTimeout(r, justMs))
    const justConnected = pids.map((p, i) => (processCpuMs(p) - j0[i]!) / ((performance.now() - jt) / 1000))
    await new Promise((r) => setTimeout(r, settleMs - justMs))
    const stopProfile = inspector && profileFile ? await startRemoteProfile(inspector) : undefined
    const cpu0 = pids.map(processCpuMs)
    const w0 = performance.now()
    await new Promise((r) => setTimeout(r, windowMs))
    const elapsedS = (performance.now() - w0) / 1000
    const cpuPerDaemonPerS = pids.map((p, i) => (processCpuMs(p) - cpu0[i]!) / elapsedS)
    const load = loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')
    if (stopProfile && profileFile) {
      await stopProfile(profileFile)
      remapBundle(profileFile, entry, resolve(here, '..'))
    }
    await count()
    return {
      cpuPerDaemonPerS,
      justConnected,
      rssMb: pids.map(processRssMb),
      peakRssMb: pids.map(processPeakRssMb),
      connections: [...connections],
      meshMs,
      load
    }
  } finally {
    await Promise.allSettled(daemons.map((d) => d.stop()))
    for (const dir of dirs) if (dir) rmSync(dir, { recursive: true, force: true })
  }
}

/** Daemon 0 creates a group; the others join by its link; each writes once; returns when all read all. */
async function shareOneGroup(daemons: DaemonProcess[]): Promise<void> {
  const { groupPk } = await daemons[0]!.call('group:create', { name: 'idle' })
  const { url } = await daemons[0]!.call('group:invite', { groupPk })
  for (const d of daemons.slice(1)) await d.call('group:join', { url })
  await Promise.all(daemons.map((d, i) => d.call('message:send', { groupPk, text: `hello from ${i}` })))
  const deadline = performance.now() + 60_000
  for (const d of daemons) {
    while ((await d.call('message:list', { groupPk, limit: 100 })).messages.length < daemons.length) {
      if (performance.now() > deadline) throw new Error('idle: the group did not converge in 60 s')
      await new Promise((r) => setTimeout(r, 250))
    }
  }
}
