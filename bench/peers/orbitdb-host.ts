// Catch-up and send baseline, host side: plain OrbitDB `events` with N entries (their `add` timed) in its own process.
import '../../core/polyfills'
import { startTestPeer } from '../../tests/support/orbitdb-peer'

const n = Number(process.argv[2] ?? 1_000)
const peer = await startTestPeer('baseline-host')
const db = await peer.orbitdb.open('bench-baseline', { type: 'events' })
const c0 = process.cpuUsage()
const t0 = performance.now()
for (let i = 0; i < n; i++) await db.add(`message ${i} ${'x'.repeat(40)}`)
const addMs = performance.now() - t0
const c = process.cpuUsage(c0)
const addCpuMs = (c.user + c.system) / 1000
const addr = peer.libp2p.getMultiaddrs().map(String).find((a) => a.includes('/tcp/') && !a.includes('/ws'))
process.stdout.write(`${JSON.stringify({ ready: true, address: db.address, addr, addMs, addCpuMs })}\n`)
process.on('SIGTERM', () => {
  void peer.stop().then(() => process.exit(0))
})
