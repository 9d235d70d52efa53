/**
 * Daemon start time: core/daemon/cli.ts through tsx (each process compiles the sources) against the
 * bundle built once (tests/support/daemon-bundle.ts), in the same run, alternating so machine load
 * hits both alike. Per start: spawn → ready line (wall) and the child's CPU at that moment (/proc);
 * then BENCH_START_WAVE (10) daemons started at once, each way: wall until the last is ready.
 *
 * `npm run bench -- daemon-start`; BENCH_START_ROUNDS (5) sequential starts per way.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildDaemonBundle } from '../tests/support/daemon-bundle'
import { startDaemonProcess } from '../tests/support/daemon-process'
import { processCpuMs } from './proc-stats'

const ROUNDS = Number(process.env.BENCH_START_ROUNDS ?? 5)
const WAVE = Number(process.env.BENCH_START_WAVE ?? 10)
const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 })
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!

async function startOne(entry: string | undefined): Promise<{ ms: number; cpuMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'berty-start-'))
  try {
    const t = performance.now()
    const d = await startDaemonProcess(dir, { ...(entry ? { entry } : {}), readyTimeoutMs: 300_000 })
    const ms = performance.now() - t
    const cpuMs = processCpuMs(d.child.pid)
    await d.stop()
    return { ms, cpuMs }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

async function wave(entry: string | undefined): Promise<number> {
  const dirs = Array.from({ length: WAVE }, () => mkdtempSync(join(tmpdir(), 'berty-start-')))
  const t = performance.now()
  const started = await Promise.allSettled(dirs.map((dir) => startDaemonProcess(dir, { ...(entry ? { entry } : {}), readyTimeoutMs: 300_000 })))
  const ms = performance.now() - t
  await Promise.allSettled(started.map((s) => (s.status === 'fulfilled' ? s.value.stop() : undefined)))
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  const failed = started.filter((s) => s.status === 'rejected').length
  if (failed > 0) throw new Error(`${failed} of ${WAVE} daemons did not start`)
  return ms
}

export async function run(): Promise<void> {
  const b0 = performance.now()
  const bundle = buildDaemonBundle()
  const buildMs = performance.now() - b0
  const tsx: Array<{ ms: number; cpuMs: number }> = []
  const bun: Array<{ ms: number; cpuMs: number }> = []
  for (let i = 0; i < ROUNDS; i++) {
    tsx.push(await startOne(undefined))
    bun.push(await startOne(bundle))
  }
  const line = (name: string, xs: Array<{ ms: number; cpuMs: number }>) =>
    `${name}: spawn → ready median ${fmt(median(xs.map((x) => x.ms)))} ms (min ${fmt(Math.min(...xs.map((x) => x.ms)))}, max ${fmt(Math.max(...xs.map((x) => x.ms)))}), ` +
    `CPU at ready median ${fmt(median(xs.map((x) => x.cpuMs)))} ms`
  console.log(`daemon start, ${ROUNDS} one at a time each way (alternating); bundle built in ${fmt(buildMs)} ms`)
  console.log(`  ${line('tsx   ', tsx)}`)
  console.log(`  ${line('bundle', bun)}`)
  const waveTsx = await wave(undefined)
  const waveBundle = await wave(bundle)
  console.log(`  ${WAVE} at once: tsx ${fmt(waveTsx)} ms, bundle ${fmt(waveBundle)} ms until the last is ready; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`)
}
