/**
 * BLE transport on the simulated radio at BLE-like limits (185-byte ATT MTU, 100 kB/s per direction,
 * 5 ms one-way latency): `npm run bench -- ble`. Two libp2p nodes in one process with the production
 * stack (GattDriver peer-id exchange, Noise, yamux with BLE_YAMUX). Same-run baseline: the radio's cap.
 *
 * Figures: handshake (dial → connection open: GATT connect + id exchange + Noise + yamux), message
 * latency p50/p99 (100-byte messages, one-way, idle link and next to a bulk transfer), and bulk
 * throughput (1 MiB on one stream) as a fraction of the radio's cap (target ≥ 70 %).
 * Well under a minute.
 */
import '../core/polyfills'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import type { Libp2p, Stream } from '@libp2p/interface'
import { createLibp2p } from 'libp2p'
import { GattDriver } from '../core/net/ble/gatt-driver'
import { BLE_DEFAULT_LISTEN, bleAddr } from '../core/net/ble/multiaddr'
import { SimRadio } from '../core/net/ble/sim-radio'
import { BLE_CONNECTION_MONITOR, BLE_YAMUX, ble } from '../core/net/ble/transport'

const LIMITS = { mtu: 185, rate: 100_000, latencyMs: 5 }
const PING = '/bench/latency/1.0.0'
const BULK = '/bench/bulk/1.0.0'

async function node(radio: SimRadio, label: string): Promise<Libp2p> {
  return createLibp2p({
    addresses: { listen: [BLE_DEFAULT_LISTEN] },
    transports: [ble({ driver: new GattDriver(radio.attach(label)), autoDial: false })],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux(BLE_YAMUX)],
    connectionMonitor: BLE_CONNECTION_MONITOR
  })
}

const addrOf = (n: Libp2p) => bleAddr(n.peerId.toString()).encapsulate(`/p2p/${n.peerId.toString()}`)

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN
}

/** One-way latency of 100-byte messages carrying their send time (same process, same clock). */
async function latencies(a: Libp2p, b: Libp2p, count: number, gapMs: number): Promise<number[]> {
  const out: number[] = []
  const done = new Promise<void>((resolve) => {
    void b.handle(PING, async (stream: Stream) => {
      let buf = new Uint8Array(0)
      for await (const chunk of stream) {
        const c = chunk.subarray()
        const merged = new Uint8Array(buf.length + c.length)
        merged.set(buf)
        merged.set(c, buf.length)
        buf = merged
        while (buf.length >= 100) {
          const sent = new DataView(buf.buffer, buf.byteOffset).getFloat64(0)
          out.push(performance.now() - sent)
          buf = buf.slice(100)
        }
        if (out.length >= count) resolve()
      }
    }, { force: true })
  })
  const stream = await a.dialProtocol(addrOf(b), PING)
  for (let i = 0; i < count; i++) {
    const msg = new Uint8Array(100)
    new DataView(msg.buffer).setFloat64(0, performance.now())
    if (!stream.send(msg)) await stream.onDrain()
    await new Promise((r) => setTimeout(r, gapMs))
  }
  await done
  await stream.close()
  await b.unhandle(PING)
  return out
}

async function bulk(a: Libp2p, b: Libp2p, bytes: number): Promise<number> {
  let received = 0
  const done = new Promise<void>((resolve) => {
    void b.handle(BULK, async (stream: Stream) => {
      for await (const chunk of stream) received += chunk.byteLength
      resolve()
    }, { force: true })
  })
  const t0 = performance.now()
  const stream = await a.dialProtocol(addrOf(b), BULK)
  const block = new Uint8Array(16 * 1024).fill(1)
  for (let sent = 0; sent < bytes; sent += block.length) if (!stream.send(block)) await stream.onDrain()
  await stream.close()
  await done
  const seconds = (performance.now() - t0) / 1000
  await b.unhandle(BULK)
  if (received !== bytes) throw new Error(`bulk: received ${received} of ${bytes}`)
  return bytes / seconds
}

export async function run(): Promise<void> {
  console.log(`BLE on the simulated radio: MTU ${LIMITS.mtu}, ${LIMITS.rate / 1000} kB/s, ${LIMITS.latencyMs} ms`)

  const handshakes: number[] = []
  for (let i = 0; i < 5; i++) {
    const radio = new SimRadio(LIMITS)
    const a = await node(radio, 'a')
    const b = await node(radio, 'b')
    const t0 = performance.now()
    await a.dial(addrOf(b))
    handshakes.push(performance.now() - t0)
    await Promise.all([a.stop(), b.stop()])
    radio.close()
  }
  console.log(`handshake (GATT + id exchange + Noise + yamux): p50 ${pct(handshakes, 50).toFixed(0)} ms, max ${Math.max(...handshakes).toFixed(0)} ms (n=5; includes waiting for the first advertisement, ≤ 100 ms)`)

  const radio = new SimRadio(LIMITS)
  const a = await node(radio, 'a')
  const b = await node(radio, 'b')
  await a.dial(addrOf(b))

  const idle = await latencies(a, b, 200, 10)
  console.log(`message latency, idle link: p50 ${pct(idle, 50).toFixed(1)} ms, p99 ${pct(idle, 99).toFixed(1)} ms (n=200)`)

  const rate = await bulk(a, b, 1024 * 1024)
  console.log(`bulk 1 MiB: ${(rate / 1000).toFixed(1)} kB/s = ${((100 * rate) / LIMITS.rate).toFixed(0)} % of the radio's cap (target ≥ 70 %; Noise + yamux framing included in the cap)`)

  const busy = bulk(a, b, 512 * 1024)
  const loaded = await latencies(a, b, 100, 20)
  await busy
  console.log(`message latency beside a bulk stream: p50 ${pct(loaded, 50).toFixed(0)} ms, p99 ${pct(loaded, 99).toFixed(0)} ms (n=100; yamux window queued ahead of it)`)

  await Promise.all([a.stop(), b.stop()])
  radio.close()
}

if (import.meta.url === `file://${process.argv[1]}`) await run()
