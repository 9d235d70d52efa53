// Catch-up bench, host side: a node (its own process, like another device) that creates a group,
// sends N messages, and serves them. Prints one JSON line when ready; stops on SIGTERM.
// argv: N, then RUNS (default 1): one group of N messages per catch-up run, so each run's newcomer
// joins a group no earlier (now stopped) newcomer joined: a member that is offline makes a first
// catch-up wait a moment for that member's key (catchup-gate.ts: the settle after the first answer),
// which is not throughput.
import '../../core/polyfills'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createBertyNode } from '../../core/node'
import { Dispatcher } from '../../core/service/dispatch'
import { staticKeyProvider } from '../../core/storage'
import { startProfile } from '../profile'

const n = Number(process.argv[2] ?? 10_000)
const runs = Math.max(1, Number(process.argv[3] ?? 1))
const cpuMs = (since: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(since)
  return (c.user + c.system) / 1000
}
const dir = mkdtempSync(join(tmpdir(), 'berty-host-'))
const node = await createBertyNode({
  dataDir: dir,
  encryptionKey: staticKeyProvider(new Uint8Array(randomBytes(32))),
  listen: ['/ip4/127.0.0.1/tcp/0'],
  webrtc: false,
  antiEntropyMs: 0
})
const d = new Dispatcher(node.handlers)
const call = (m: string, p: unknown) => d.invoke(m, p, { carrier: 'internal' }) as Promise<Record<string, string>>
await call('account:create', { displayName: 'Host' })
const { groupPk } = await call('group:create', { name: 'bench' })
const { url } = await call('group:invite', { groupPk })
const gpk = new Uint8Array(Buffer.from(groupPk!, 'base64url'))
const c0 = process.cpuUsage()
const t0 = performance.now()
for (let i = 0; i < n; i++) await node.groups.send(gpk, `message ${i} ${'x'.repeat(40)}`)
const sendMs = performance.now() - t0
const sendCpuMs = cpuMs(c0)
// The same sends issued BURST at a time (an API client that does not wait for each answer), in
// another group so the catch-up log stays N entries: they share commits (send-batcher.ts).
const burst = Number(process.env.BENCH_SEND_BURST ?? 32)
const { groupPk: other } = await call('group:create', { name: 'bench-burst' })
const gpk2 = new Uint8Array(Buffer.from(other!, 'base64url'))
const c1 = process.cpuUsage()
const t1 = performance.now()
for (let i = 0; i < n; i += burst) {
  await Promise.all(Array.from({ length: Math.min(burst, n - i) }, (_, k) => node.groups.send(gpk2, `message ${i + k} ${'x'.repeat(40)}`)))
}
const burstMs = performance.now() - t1
const burstCpuMs = cpuMs(c1)
// Groups for the catch-up runs: the first two above, then more filled the same way, untimed.
const groups = [groupPk!, other!]
for (let g = 2; g < runs; g++) {
  const { groupPk: more } = await call('group:create', { name: `bench-${g}` })
  const gpk3 = new Uint8Array(Buffer.from(more!, 'base64url'))
  for (let i = 0; i < n; i += burst) {
    await Promise.all(Array.from({ length: Math.min(burst, n - i) }, (_, k) => node.groups.send(gpk3, `message ${i + k} ${'x'.repeat(40)}`)))
  }
  groups.push(more!)
}
const catchup = await Promise.all(groups.slice(0, runs).map(async (pk) => ({ groupPk: pk, url: (await call('group:invite', { groupPk: pk })).url! })))
// BENCH_HOST_PROFILE: a CPU profile of the serving phase only (from here to SIGTERM).
let stopProfile: (() => Promise<void>) | undefined
if (process.env.BENCH_HOST_PROFILE) stopProfile = await startProfile(process.env.BENCH_HOST_PROFILE)
const addr = node.addrs().find((a) => a.startsWith('/ip4/127.0.0.1/tcp/') && !a.includes('/ws'))
process.stdout.write(`${JSON.stringify({ ready: true, url, groupPk, catchup, addr, sendMs, sendCpuMs, burst, burstMs, burstCpuMs })}\n`)
process.on('SIGTERM', () => {
  void (stopProfile?.() ?? Promise.resolve()).then(() => node.stop()).then(() => {
    rmSync(dir, { recursive: true, force: true })
    process.exit(0)
  })
})
