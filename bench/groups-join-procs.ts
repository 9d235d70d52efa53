/** The join with every member a daemon in its own process (`BENCH_GROUPS=join-procs npm run bench -- groups`). */
import { mkdtempSync, rmSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { startDaemonProcess, type DaemonProcess } from '../tests/support/daemon-process'
import { fmt, waitFor } from './util'
import { inspectorUrlOf, processCpuMs, processPeakRssMb, remapBundle, startRemoteProfile } from './proc-stats'
import { measureVerifyMicros, verifyProviderName } from './verify-micros'

const here = dirname(fileURLToPath(import.meta.url))

/**
 * The join with every member a daemon in its own process, driven over its WebSocket API. Done when
 * every member reads every other member's first message, written the moment its join returned: a
 * readable message of member j at member i is i holding j's chain key, so every chain key is then
 * exchanged (the API exposes no chain count and no sync counters; the first-message reads are the
 * measure, and at a timeout the bench prints how far it got instead of failing).
 *
 * Daemons run the bundle built once for the run (tests/support/daemon-bundle.ts), started
 * BENCH_PROC_WAVE (5) at a time, each given BENCH_PROC_READY_MS (120,000) for its ready line.
 * CPU and peak RSS per daemon come from /proc (the whole process: main thread, verify workers, GC),
 * with the daemons' idle CPU over 5 s before the group as the same-run baseline.
 * BENCH_PROC_DISCOVERY=0 turns mDNS and the DHT off in every daemon (network:settings:set).
 * BENCH_PROC_PROFILE=file.cpuprofile profiles member BENCH_PROC_PROFILE_MEMBER (1) over the join into file-M.cpuprofile
 * and over the idle baseline into file-M-idle.cpuprofile
 * (from the first send to the end), through its inspector; file names are mapped back from the bundle.
 */
export async function benchJoinProcesses(members: number, entry: string): Promise<void> {
  const daemons: DaemonProcess[] = []
  const dirs: string[] = []
  const wave = Number(process.env.BENCH_PROC_WAVE ?? 5)
  const readyTimeoutMs = Number(process.env.BENCH_PROC_READY_MS ?? 120_000)
  // One profile per group size: BENCH_PROC_PROFILE=x.cpuprofile writes x-10.cpuprofile, x-25.cpuprofile…
  const profileFile = process.env.BENCH_PROC_PROFILE?.replace(/(\.cpuprofile)?$/, `-${members}.cpuprofile`)
  const profiled = profileFile ? Number(process.env.BENCH_PROC_PROFILE_MEMBER ?? 1) % members : -1
  let inspector: string | undefined
  const startMs: number[] = []
  let stopped = false
  try {
    const s0 = performance.now()
    for (let i = 0; i < members; i += wave) {
      const started = await Promise.all(
        Array.from({ length: Math.min(wave, members - i) }, async (_, k) => {
          const n = i + k
          const dir = mkdtempSync(join(tmpdir(), `berty-joinp-${n}-`))
          dirs[n] = dir
          const t = performance.now()
          const d = await startDaemonProcess(dir, {
            entry,
            readyTimeoutMs,
            ...(n === profiled
              ? { nodeArgs: ['--inspect=127.0.0.1:0'], onStderr: (l: string) => void (inspector ??= inspectorUrlOf(l)) }
              : {})
          })
          startMs[n] = performance.now() - t
          await d.call('account:create', { displayName: `P${n}` })
          // BENCH_PROC_DISCOVERY=0: no mDNS and no DHT, so the members meet only over the ring below,
          // as in the one-process join (by default each daemon also finds every other on the LAN).
          if (process.env.BENCH_PROC_DISCOVERY === '0') await d.call('network:settings:set', { lan: false, dht: false })
          return d
        })
      )
      daemons.push(...started)
    }
    const startAllMs = performance.now() - s0
    const addr = (d: DaemonProcess) => d.ready.addrs.find((a) => a.startsWith('/ip4/127.0.0.1/tcp/') && !a.includes('/ws'))!
    const chord = Math.max(2, Math.floor(Math.sqrt(members)))
    // A dial that still fails after the retries (a daemon too loaded to answer in time) is counted
    // and left to gossip over the other links and to discovery, not fatal to the run.
    const failedDials: string[] = []
    for (let i = 0; i < members; i++) {
      for (const j of members > 4 ? [i + 1, i + chord] : [i + 1]) {
        for (let attempt = 0; ; attempt++) {
          try {
            await daemons[i]!.call('peer:connect', { multiaddr: addr(daemons[j % members]!) })
            break
          } catch (err) {
            if (attempt >= 10) {
              failedDials.push(`${i}→${j % members}: ${(err as Error).message}`)
              break
            }
            await new Promise((r) => setTimeout(r, 1_000))
          }
        }
      }
    }
    if (failedDials.length > 0) console.log(`  ${failedDials.length} ring dials failed: ${failedDials.slice(0, 3).join('; ')}`)
    const pids = daemons.map((d) => d.child.pid)
    // Same-run baseline: what the daemons burn idle (connected, no group) over IDLE_MS.
    const IDLE_MS = 5_000
    const stopIdleProfile = profiled >= 0 && inspector ? await startRemoteProfile(inspector) : undefined
    const idle0 = pids.map(processCpuMs)
    await new Promise((r) => setTimeout(r, IDLE_MS))
    const idleCpu = pids.reduce<number>((a, p, i) => a + (processCpuMs(p) - idle0[i]!), 0)
    const idleProfileFile = profileFile?.replace(/\.cpuprofile$/, '-idle.cpuprofile')
    if (stopIdleProfile && idleProfileFile) {
      await stopIdleProfile(idleProfileFile)
      remapBundle(idleProfileFile, entry, resolve(here, '..'))
    }
    const { groupPk } = await daemons[0]!.call('group:create', { name: `join-procs-${members}` })
    const { url } = await daemons[0]!.call('group:invite', { groupPk })
    const stopProfile = profiled >= 0 && inspector ? await startRemoteProfile(inspector) : undefined
    const cpu0 = pids.map(processCpuMs)
    const self0 = process.cpuUsage()
    const t0 = performance.now()
    const timeout = Number(process.env.BENCH_JOIN_TIMEOUT_MS ?? 300_000)
    // Joins and first sends are not awaited before polling: a join or send that hangs must show
    // as such at the timeout, not hang the bench.
    let sent = 0
    const joining = Promise.allSettled(
      daemons.map(async (d, i) => {
        if (i > 0) await d.call('group:join', { url })
        await d.call('message:send', { groupPk, text: `hello from ${i}` })
        sent++
      })
    )
    const readable = new Array<number>(members).fill(0)
    const unreadable = new Array<number>(members).fill(0)
    const poll = async (d: DaemonProcess, i: number) => {
      if (readable[i]! >= members) return // complete stays complete: only the others are asked
      const page = await within(d.call('message:list', { groupPk, limit: 500 }), 30_000)
      if (!page) return
      readable[i] = page.messages.filter((m) => m.unreadable === undefined).length
      unreadable[i] = page.messages.length - readable[i]!
    }
    const complete = () => readable.filter((n) => n >= members).length
    // Members each daemon knows: the last answer (a daemon too busy to answer in 10 s keeps its previous count).
    const known = new Array<number>(members).fill(0)
    const progress = async () => {
      let unanswered = 0
      await Promise.all(
        daemons.map(async (d, i) => {
          const list = await within(d.call('group:members', { groupPk }), 10_000)
          if (list) known[i] = list.length
          else unanswered++
        })
      )
      const cpu = pids.reduce<number>((a, p, i) => a + (processCpuMs(p) - cpu0[i]!), 0)
      return (
        `members complete ${complete()}/${members}; first messages read ${fmt(readable.reduce((a, b) => a + b, 0))}/${fmt(members * members)} ` +
        `(${fmt(unreadable.reduce((a, b) => a + b, 0))} unreadable); members known ${fmt(known.reduce((a, b) => a + b, 0))}/${fmt(members * members)}; ` +
        `first sends returned ${sent}/${members}; daemon CPU so far ${fmt(cpu)} ms${unanswered > 0 ? `; ${unanswered} daemons did not answer within 10 s` : ''}`
      )
    }
    let lastTimeline = performance.now()
    let finished = true
    try {
      await waitFor(
        async () => {
          await Promise.all(daemons.map(poll))
          if (process.env.BENCH_TIMELINE && performance.now() - lastTimeline >= 5_000) {
            lastTimeline = performance.now()
            console.log(`  t=${fmt(performance.now() - t0)} ms ${await progress()}`)
          }
          return complete() === members
        },
        timeout,
        `${members}-process join`,
        250
      )
    } catch {
      finished = false
    }
    const ms = performance.now() - t0
    const cpu = pids.map((p, i) => processCpuMs(p) - cpu0[i]!)
    const selfCpu = process.cpuUsage(self0)
    const rss = pids.map(processPeakRssMb).sort((a, b) => a - b)
    const load = loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')
    const atEnd = finished ? '' : await progress()
    const peerCounts = await Promise.all(daemons.map(async (d) => (await within(d.call('peer:list', {}), 10_000))?.length))
    const peers = peerCounts.filter((n): n is number => n !== undefined).sort((a, b) => a - b)
    if (stopProfile && profileFile) {
      await stopProfile(profileFile)
      remapBundle(profileFile, entry, resolve(here, '..'))
    }
    const cpuSum = cpu.reduce((a, b) => a + b, 0)
    const cpuSorted = [...cpu].sort((a, b) => a - b)
    const starts = [...startMs].sort((a, b) => a - b)
    await Promise.allSettled(daemons.map((d) => d.stop()))
    await joining
    stopped = true
    // The metadata log's size, read from member 0's database once its daemon let go of it.
    const entries = metadataEntries(join(dirs[0]!, 'berty.sqlite'), groupPk)
    const verifies = 2 * entries * (members - 1)
    const verifyUs = measureVerifyMicros()
    const floorMs = (verifies * verifyUs) / 1000 / availableParallelism()
    console.log(
      (finished
        ? `join     ${members} members, one process each: every member read every member's first message (every chain key exchanged) in ${fmt(ms)} ms `
        : `join     ${members} members, one process each: NOT DONE at the ${fmt(timeout)} ms timeout: ${atEnd}\n         `) +
        `(${members * members} secret entries; target for 50: < 10,000 ms)\n` +
        `         daemon CPU ${fmt(cpuSum)} ms in total (${fmt(cpuSum / members)} ms per member; min ${fmt(cpuSorted[0]!)}, median ${fmt(cpuSorted[members >> 1]!)}, max ${fmt(cpuSorted[members - 1]!)}); ` +
        `this bench process (polling) ${fmt((selfCpu.user + selfCpu.system) / 1000)} ms; load average ${load}\n` +
        `         baseline: the same daemons idle (connected, before the group) ${fmt(idleCpu)} ms CPU in ${fmt(IDLE_MS)} ms → ${fmt((idleCpu * ms) / IDLE_MS)} ms over the join's ${fmt(ms)} ms\n` +
        `         connections per daemon at the end: min ${peers[0]}, median ${peers[peers.length >> 1]}, max ${peers[peers.length - 1]}` +
        `${peers.length < members ? ` (${members - peers.length} daemons did not answer within 10 s)` : ''} ` +
        `(ring with chords, ${process.env.BENCH_PROC_DISCOVERY === '0' ? 'plus what discovery found before it was turned off' : 'plus LAN/DHT discovery'})\n` +
        `         peak RSS per daemon: min ${fmt(rss[0]!)} MB, median ${fmt(rss[members >> 1]!)} MB, max ${fmt(rss[members - 1]!)} MB (sum ${fmt(rss.reduce((a, b) => a + b, 0))} MB)\n` +
        `         start: ${members} daemons (bundle, waves of ${wave}) in ${fmt(startAllMs)} ms; spawn → ready median ${fmt(starts[members >> 1]!)} ms, max ${fmt(starts[members - 1]!)} ms\n` +
        `         sync counters: not exposed by the API (see the one-process join for them)\n` +
        `         floor: ${fmt(entries)} metadata entries × ${members - 1} receivers × 2 signatures = ${fmt(verifies)} verifies × ${fmt(verifyUs, 1)} µs ` +
        `(${verifyProviderName()}, this run) / ${availableParallelism()} cores = ${fmt(floorMs)} ms of signature checks alone` +
        (profileFile && profiled >= 0 ? `\n         CPU profile of member ${profiled} over the join: ${profileFile} (idle baseline: ${idleProfileFile})` : '')
    )
  } finally {
    if (!stopped) await Promise.allSettled(daemons.map((d) => d.stop()))
    for (const dir of dirs) if (dir) rmSync(dir, { recursive: true, force: true })
  }
}

/** `p`'s value, or undefined after `ms` (a daemon too busy to answer a poll is asked again next round). */
async function within<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race([p.catch(() => undefined), new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), ms)))])
  } finally {
    clearTimeout(timer)
  }
}

/** Metadata-log entries of a group in a stopped daemon's database (NaN if it cannot be read). */
function metadataEntries(file: string, groupPk: string): number {
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true })
    try {
      const row = db
        .prepare<[string], { n: number }>('SELECT count(*) AS n FROM orbit_kv WHERE namespace = ?')
        .get(`${Buffer.from(groupPk, 'base64url').toString('hex')}:meta:entries`)
      return row?.n ?? 0
    } finally {
      db.close()
    }
  } catch {
    return Number.NaN
  }
}
