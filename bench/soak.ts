/**
 * `npm run bench -- soak`: the node left running as an always-online peer, for minutes, as its owner
 * leaves it. Daemon A (real process, the bundle) is in two groups with B and C, who write without
 * pause; windows open on A and close again (a WebSocket client: lists, a page of messages, a few
 * seconds of events); C is stopped and started again on its directory now and then (a phone coming
 * and going). Every sample, A's JS heap after a full collection (through its inspector) and its RSS.
 *
 * Printed: messages through A, the heap at the first sample after the warm-up (the baseline, same
 * run) and at the end, the growth per 1,000 messages and per window opened (least squares over the
 * samples; windows alone in a burst at the end), RSS; and lost / duplicated at A once the writers stop (must be 0). A node that keeps
 * something per message, per connection or per window shows here as a slope that does not flatten.
 *
 * BENCH_SOAK_MS (300,000) how long the writers write; BENCH_SOAK_RATE (10) messages a second per
 * writer (0: nobody writes, the node idles with its groups and peers: what grows with time alone); BENCH_SOAK_SAMPLE_MS (30,000); BENCH_SOAK_WINDOW_MS (10,000) between two windows;
 * BENCH_SOAK_RESTART_MS (60,000) between two restarts of C (0: none); BENCH_SOAK_WINDOWS (50) in the
 * closing burst. BENCH_SOAK_PROFILE=file.cpuprofile: a CPU profile of A while the writers write;
 * BENCH_SOAK_SNAPSHOTS=prefix: heap snapshots of A at the baseline and once every message arrived.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { buildDaemonBundle } from '../tests/support/daemon-bundle'
import { connectDaemonApi, startDaemonProcess, type DaemonProcess, type DaemonReady } from '../tests/support/daemon-process'
import { connectInspector, heapAfterGcMb, inspectorUrlOf, processCpuMs, processRssMb, remapBundle, startRemoteProfile, writeHeapSnapshot } from './proc-stats'
import { fmt, waitFor } from './util'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

interface Sample {
  atMs: number
  messages: number
  windows: number
  heapMb: number
  rssMb: number
}

/** Slope of y over x by least squares (0 with fewer than two distinct x). */
function slope(points: Array<[number, number]>): number {
  const n = points.length
  if (n < 2) return 0
  const mx = points.reduce((a, [x]) => a + x, 0) / n
  const my = points.reduce((a, [, y]) => a + y, 0) / n
  const sxx = points.reduce((a, [x]) => a + (x - mx) ** 2, 0)
  if (sxx === 0) return 0
  return points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) / sxx
}

/**
 * A window on `ready`'s node, as the web UI opens one: the conversation list, a page of each
 * conversation, a few seconds of events, then closed. Returns the events it heard.
 */
async function openWindow(ready: DaemonReady, groups: string[], stayMs: number): Promise<number> {
  let events = 0
  const api = await connectDaemonApi(ready, () => events++)
  await api.call('group:list', {})
  for (const groupPk of groups) await api.call('message:list', { groupPk, limit: 50 })
  await sleep(stayMs)
  api.close()
  return events
}

export async function run(): Promise<void> {
  const durationMs = Number(process.env.BENCH_SOAK_MS ?? 300_000)
  const rate = Number(process.env.BENCH_SOAK_RATE ?? 10)
  if (!(rate >= 0)) throw new Error('BENCH_SOAK_RATE: messages a second per writer, 0 for none')
  const sampleMs = Number(process.env.BENCH_SOAK_SAMPLE_MS ?? 30_000)
  const windowMs = Number(process.env.BENCH_SOAK_WINDOW_MS ?? 10_000)
  const restartMs = Number(process.env.BENCH_SOAK_RESTART_MS ?? 60_000)
  const entry = buildDaemonBundle()
  const dirs = ['A', 'B', 'C'].map((n) => mkdtempSync(join(tmpdir(), `berty-soak-${n}-`)))
  let inspectorUrl: string | undefined
  const daemons: DaemonProcess[] = []
  try {
    const a = await startDaemonProcess(dirs[0]!, { entry, nodeArgs: ['--inspect=127.0.0.1:0'], onStderr: (l) => void (inspectorUrl ??= inspectorUrlOf(l)) })
    daemons.push(a)
    for (const dir of dirs.slice(1)) daemons.push(await startDaemonProcess(dir, { entry }))
    for (const [i, d] of daemons.entries()) await d.call('account:create', { displayName: `Soak ${'ABC'[i]}` })
    await waitFor(() => inspectorUrl !== undefined, 10_000, 'the inspector address of A')
    const inspector = await connectInspector(inspectorUrl!)
    const tcp = (d: DaemonProcess) => d.ready.addrs.find((x) => x.startsWith('/ip4/127.0.0.1/tcp/') && !x.includes('/ws'))!
    const connect = async (d: DaemonProcess) => {
      for (const other of daemons) if (other !== d) await d.call('peer:connect', { multiaddr: tcp(other) })
    }
    await connect(daemons[1]!)
    await connect(daemons[2]!)
    const groups: string[] = []
    for (const name of ['Soak one', 'Soak two']) {
      const { groupPk } = await a.call('group:create', { name })
      const { url } = await a.call('group:invite', { groupPk })
      for (const d of daemons.slice(1)) await d.call('group:join', { url })
      groups.push(groupPk)
    }

    // What A holds from B and C: every text once, counted page by page.
    const received = async (): Promise<{ texts: Map<string, number>; count: number }> => {
      const texts = new Map<string, number>()
      for (const groupPk of groups) {
        let before: string | undefined
        for (;;) {
          const page = await a.call('message:list', { groupPk, limit: 500, ...(before ? { before } : {}) })
          for (const m of page.messages) if (!m.mine) texts.set(m.text, (texts.get(m.text) ?? 0) + 1)
          if (!page.hasMore || page.messages.length === 0) break
          before = page.messages[0]!.id
        }
      }
      return { texts, count: [...texts.values()].reduce((x, y) => x + y, 0) }
    }
    const unread = async () => (await a.call('group:list', {})).reduce((n, g) => n + g.unread, 0)

    // Writers: B and C, one message every 1/rate s each, alternating groups; C pauses while restarted.
    const sent: string[] = []
    let writing = true
    let cDown: Promise<void> | undefined
    const next = [0, 0, 0]
    const writer = async (i: 1 | 2) => {
      // BENCH_SOAK_RATE=0: nobody writes; the node is left alone with its groups and peers.
      while (writing && rate > 0) {
        const n = next[i]!++
        if (i === 2 && cDown) await cDown
        const text = `${'ABC'[i]}-${n}`
        // Named as the window names its sends: a send C's restart cut short is made again under the
        // same name once C is back, and never lands twice.
        const clientId = `soak-${'ABC'[i]}-${n}`
        const t = performance.now()
        for (;;) {
          try {
            await daemons[i]!.call('message:send', { groupPk: groups[n % 2]!, text, clientId })
            sent.push(text)
            break
          } catch (err) {
            // Only C's restart may cut a send short.
            if (!(i === 2 && cDown)) throw err
            await cDown
          }
        }
        await sleep(Math.max(0, 1000 / rate - (performance.now() - t)))
      }
    }
    // Warm-up: the groups carry traffic and A has caught up before the baseline is taken.
    writing = true
    const warm = Promise.all([writer(1), writer(2)])
    await sleep(Math.min(20_000, durationMs / 5))
    writing = false
    await warm
    await waitFor(async () => (await unread()) >= sent.length, 60_000, 'A catching up after the warm-up', 250)
    const warmMessages = sent.length

    const samples: Sample[] = []
    let windows = 0
    let windowEvents = 0
    let restarts = 0
    const t0 = performance.now()
    const cpu0 = processCpuMs(a.child.pid)
    const sample = async () => {
      samples.push({ atMs: performance.now() - t0, messages: await unread(), windows, heapMb: await heapAfterGcMb(inspector), rssMb: processRssMb(a.child.pid) })
      const s = samples.at(-1)!
      console.log(`  t=${fmt(s.atMs / 1000)} s: A holds ${fmt(s.messages)} messages, ${windows} windows opened; heap after GC ${fmt(s.heapMb, 1)} MB, RSS ${fmt(s.rssMb)} MB`)
    }
    await sample()
    // BENCH_SOAK_SNAPSHOTS=prefix: A's heap at the baseline and at the end, for a diff in DevTools.
    const snapshots = process.env.BENCH_SOAK_SNAPSHOTS
    if (snapshots) await writeHeapSnapshot(inspector, `${snapshots}-start.heapsnapshot`)
    const profileFile = process.env.BENCH_SOAK_PROFILE
    const stopProfile = profileFile ? await startRemoteProfile(inspectorUrl!) : undefined
    writing = true
    const writers = Promise.all([writer(1), writer(2)])
    const end = performance.now() + durationMs
    let nextSample = performance.now() + sampleMs
    let nextWindow = performance.now() + windowMs
    let nextRestart = restartMs > 0 ? performance.now() + restartMs : Infinity
    while (performance.now() < end) {
      const now = performance.now()
      if (now >= nextWindow) {
        nextWindow += windowMs
        windowEvents += await openWindow(a.ready, groups, 2_000)
        windows++
      }
      if (now >= nextRestart) {
        nextRestart += restartMs
        let up!: () => void
        cDown = new Promise((r) => (up = r))
        await daemons[2]!.stop()
        daemons[2] = await startDaemonProcess(dirs[2]!, { entry })
        await connect(daemons[2]!)
        restarts++
        cDown = undefined
        up()
      }
      if (now >= nextSample) {
        nextSample += sampleMs
        await sample()
      }
      await sleep(200)
    }
    writing = false
    await writers
    const cpuMs = processCpuMs(a.child.pid) - cpu0
    if (stopProfile && profileFile) {
      await stopProfile(profileFile)
      remapBundle(profileFile, entry, resolve(import.meta.dirname, '..'))
    }
    const writtenMessages = sent.length - warmMessages
    const drainStart = performance.now()
    let drained = true
    try {
      await waitFor(async () => (await unread()) >= sent.length, 120_000, 'A receiving every message', 500)
    } catch {
      drained = false
    }
    const drainMs = performance.now() - drainStart
    await sample()
    if (snapshots) await writeHeapSnapshot(inspector, `${snapshots}-end.heapsnapshot`)
    // Windows alone, no traffic: what opening and closing one leaves behind.
    const burst = Number(process.env.BENCH_SOAK_WINDOWS ?? 50)
    const beforeWindows = await heapAfterGcMb(inspector)
    for (let w = 0; w < burst; w++) await openWindow(a.ready, groups, 100)
    const perWindowKb = ((await heapAfterGcMb(inspector)) - beforeWindows) * 1024 / burst
    const { texts, count } = await received()
    const lost = sent.filter((t) => !texts.has(t)).length
    const duplicated = [...texts.values()].filter((n) => n > 1).length

    const base = samples[0]!
    const last = samples.at(-1)!
    const perK = slope(samples.map((s) => [s.messages / 1000, s.heapMb]))
    const perHour = slope(samples.map((s) => [s.atMs / 3_600_000, s.heapMb]))
    const half = samples.slice(Math.floor(samples.length / 2))
    const perKLate = slope(half.map((s) => [s.messages / 1000, s.heapMb]))
    const minutes = (last.atMs - base.atMs) / 60_000
    console.log(
      `soak  ${fmt(minutes, 1)} min, 2 writers at ${rate} msg/s each into 2 groups, ${windows} windows opened on A (${fmt(windowEvents)} events heard), C restarted ${restarts}×\n` +
        `      A received ${fmt(count)} messages (${fmt(warmMessages)} in the warm-up); lost ${lost}, duplicated ${duplicated}${drained ? `; the last arrived ${fmt(drainMs)} ms after the writers stopped` : '; NOT all arrived within 120 s'}\n` +
        `      A's JS heap after a full GC: baseline ${fmt(base.heapMb, 1)} MB (first sample, after the warm-up) → ${fmt(last.heapMb, 1)} MB at the end ` +
        `(${last.heapMb >= base.heapMb ? '+' : ''}${fmt(last.heapMb - base.heapMb, 1)} MB); ` +
        `slope ${fmt(perK * 1024, 1)} KB per 1,000 messages over the run, ${fmt(perKLate * 1024, 1)} KB over its second half, ${fmt(perHour, 1)} MB per hour; ` +
        `${burst} more windows opened and closed with no traffic: ${fmt(perWindowKb, 1)} KB each\n` +
        `      A's RSS ${fmt(base.rssMb)} → ${fmt(last.rssMb)} MB; A's CPU while the writers wrote ${fmt(cpuMs)} ms (${fmt(cpuMs / Math.max(1, writtenMessages), 2)} ms per message received); load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`
    )
    inspector.close()
  } finally {
    await Promise.all(daemons.map((d) => d.stop().catch(() => undefined)))
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  }
}
