/**
 * Wire bench (`npm run bench -- wire`): what the TCP connection costs per small message, with the
 * patched TCP transport (patches/@libp2p+tcp+11.0.28.patch: a connection's writes are corked until
 * the end of the tick, so one turn's noise messages leave in one writev) against the baseline of the
 * same run (cork turned off for the socket class: every buffer written on its own, as unpatched).
 *
 * - stream: 20,000 messages of 600 bytes (a group entry's size) on one libp2p stream, 16 per turn.
 * - gossip: 8 nodes in a ring with chords on one gossipsub topic; one publishes 1,000 messages of
 *   700 bytes, 8 per turn; timed until every other node has all of them (relayed by the mesh).
 *
 * - forward: the gossip case with messages of 8 KiB (a join's gossip batch of ~10 group entries), 250 of
 *   them, corked: each node encodes a message once for all its peers (a publish with `batchPublish`, a
 *   forward as patched: patches/@libp2p+gossipsub+17.1.1.patch) against once per peer, as unpatched (the
 *   baseline forces gossipsub's per-peer path, the one it takes for a peer with control to piggyback).
 *   Which of the two goes first alternates per round, after a pause (an even number of rounds).
 *
 * - noise: the stream case again between two bare libp2p nodes (TCP, noise, yamux), the noise library's
 *   own crypto (WebAssembly ChaCha20-Poly1305 below 1,200 bytes) against ours on libsodium
 *   (core/net/noise-crypto.ts), both corked.
 *
 * Figures per phase: wall, CPU of this process (both ends are in it), TCP segments sent (Linux:
 * /proc/net/snmp, the whole machine). Phases alternate (baseline, then ours) BENCH_WIRE_ROUNDS times
 * (default 3); medians printed.
 */
import { existsSync, readFileSync } from 'node:fs'
import { Socket } from 'node:net'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import type { Libp2p, Stream } from '@libp2p/interface'
import { tcp } from '@libp2p/tcp'
import { createLibp2p } from 'libp2p'
import { noiseCrypto } from '../core/net/noise-crypto'
import { connect, startNode, stopAll, type TestNode } from '../tests/integration/helpers'
import { fmt, waitFor } from './util'

const STREAM_MESSAGES = 20_000
const STREAM_SIZE = 600
const GOSSIP_NODES = 8
const GOSSIP_MESSAGES = 1_000
const GOSSIP_SIZE = 700
const FORWARD_MESSAGES = 250
const FORWARD_SIZE = 8 * 1024
const PER_TURN = 16
const GOSSIP_PER_TURN = 8
const PROTOCOL = '/berty-bench/wire/1.0.0'
const TOPIC = 'berty-bench-wire'

interface Figures {
  ms: number
  cpuMs: number
  segments: number | undefined
}

function tcpOutSegments(): number | undefined {
  if (!existsSync('/proc/net/snmp')) return undefined
  const lines = readFileSync('/proc/net/snmp', 'utf8').split('\n').filter((l) => l.startsWith('Tcp:'))
  const names = lines[0]?.split(' ') ?? []
  const values = lines[1]?.split(' ') ?? []
  const i = names.indexOf('OutSegs')
  return i < 0 ? undefined : Number(values[i])
}

async function measure(work: () => Promise<void>): Promise<Figures> {
  const s0 = tcpOutSegments()
  const c0 = process.cpuUsage()
  const t0 = performance.now()
  await work()
  const ms = performance.now() - t0
  const c = process.cpuUsage(c0)
  const s1 = tcpOutSegments()
  return { ms, cpuMs: (c.user + c.system) / 1000, segments: s0 === undefined || s1 === undefined ? undefined : s1 - s0 }
}

const nativeCork = Socket.prototype.cork
/** Baseline: cork does nothing (uncork on a socket never corked does nothing either). */
function setCork(on: boolean): void {
  Socket.prototype.cork = on ? nativeCork : function noCork(this: Socket): void {}
}

const turn = () => new Promise<void>((r) => setImmediate(r))

/**
 * A count the receivers' listeners raise, awaited by the sender: the phase ends on the event that
 * completes it, with no polling timer inside the measured window.
 */
class Tally {
  value = 0
  private waiter?: { target: number; resolve: () => void }

  add(n: number): void {
    this.value += n
    if (this.waiter && this.value >= this.waiter.target) {
      this.waiter.resolve()
      this.waiter = undefined
    }
  }

  /** Resolves once the count reaches `target`; rejects after `timeoutMs`. */
  reach(target: number, timeoutMs: number, what: string): Promise<void> {
    if (this.value >= target) return Promise.resolve()
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out: ${what} (${this.value}/${target})`)), timeoutMs)
      this.waiter = {
        target,
        resolve: () => {
          clearTimeout(timer)
          resolve()
        }
      }
    })
  }
}

async function streamPhase(a: Libp2p, b: Libp2p, received: Tally): Promise<Figures> {
  const stream: Stream = await a.dialProtocol(b.peerId, PROTOCOL)
  const msg = new Uint8Array(STREAM_SIZE).fill(7)
  const start = received.value
  const figures = await measure(async () => {
    for (let i = 0; i < STREAM_MESSAGES; i++) {
      if (!stream.send(msg)) await new Promise((r) => stream.addEventListener('drain', r, { once: true }))
      if (i % PER_TURN === PER_TURN - 1) await turn()
    }
    await received.reach(start + STREAM_MESSAGES * STREAM_SIZE, 60_000, 'stream messages')
  })
  await stream.close()
  return figures
}

/** `delivered`: messages the subscribers other than the publisher received (gossipsub hands each over once). */
async function gossipPhase(nodes: TestNode[], delivered: Tally, round: number): Promise<Figures> {
  const pubsub = nodes[0]!.node.libp2p.services.pubsub
  const start = delivered.value
  return measure(async () => {
    for (let i = 0; i < GOSSIP_MESSAGES; i++) {
      const data = new Uint8Array(GOSSIP_SIZE).fill(round)
      new DataView(data.buffer).setUint32(0, i) // distinct content: message ids are content hashes
      await pubsub.publish(TOPIC, data)
      if (i % GOSSIP_PER_TURN === GOSSIP_PER_TURN - 1) await turn()
    }
    await delivered.reach(start + GOSSIP_MESSAGES * (GOSSIP_NODES - 1), 120_000, 'gossip messages')
  })
}

/**
 * Forward and publish encodings shared across peers (`shared`), or one per peer: the baseline makes
 * every peer look as if it had control waiting to piggyback (`control.has`), which sends gossipsub
 * down its per-peer path (`sendRpc`: an encoding and a copy per peer), the only path unpatched.
 */
function shareEncodings(nodes: TestNode[], shared: boolean): void {
  for (const t of nodes) {
    const control = (t.node.libp2p.services.pubsub as unknown as { control: Map<string, unknown> & { has(id: string): boolean } }).control
    if (shared) delete (control as { has?: unknown }).has
    else control.has = () => true
  }
}

async function forwardPhase(nodes: TestNode[], delivered: Tally, round: number, shared: boolean): Promise<Figures> {
  const pubsub = nodes[0]!.node.libp2p.services.pubsub as unknown as { publish(topic: string, data: Uint8Array, opts: { batchPublish: boolean }): Promise<unknown> }
  const start = delivered.value
  shareEncodings(nodes, shared)
  try {
    return await measure(async () => {
      for (let i = 0; i < FORWARD_MESSAGES; i++) {
        const data = new Uint8Array(FORWARD_SIZE).fill(100 + round)
        new DataView(data.buffer).setUint32(0, i)
        await pubsub.publish(TOPIC, data, { batchPublish: shared })
        if (i % GOSSIP_PER_TURN === GOSSIP_PER_TURN - 1) await turn()
      }
      await delivered.reach(start + FORWARD_MESSAGES * (GOSSIP_NODES - 1), 120_000, 'forwarded messages')
    })
  } finally {
    shareEncodings(nodes, true)
  }
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!

/** A bare node (TCP, noise with the library's crypto or ours, yamux) counting what PROTOCOL receives. */
async function bareNode(ours: boolean, received: Tally): Promise<Libp2p> {
  const n = await createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [ours && noiseCrypto !== undefined ? noise({ crypto: noiseCrypto }) : noise()],
    streamMuxers: [yamux()]
  })
  await n.handle(PROTOCOL, (stream: Stream) => {
    stream.addEventListener('message', (evt) => {
      received.add(evt.data.byteLength)
    })
  })
  return n
}

function describe(name: string, per: number, base: Figures[], patched: Figures[], labels = ['baseline', 'corked']): string {
  const line = (label: string, f: Figures[]) => {
    const ms = median(f.map((x) => x.ms))
    const cpu = median(f.map((x) => x.cpuMs))
    const segs = f.every((x) => x.segments !== undefined) ? median(f.map((x) => x.segments!)) : undefined
    return (
      `  ${label.padEnd(10)} ${fmt(ms).padStart(6)} ms wall, ${fmt(cpu).padStart(6)} ms cpu (${fmt((cpu * 1000) / per, 1)} µs a message), ` +
      `${segs === undefined ? 'segments n/a' : `${fmt(segs)} TCP segments (${fmt(segs / per, 2)} a message)`}` +
      `   runs: ${f.map((x) => fmt(x.cpuMs)).join(', ')} ms cpu`
    )
  }
  return `${name}\n${line(labels[0]!, base)}\n${line(labels[1]!, patched)}`
}

export async function run(): Promise<void> {
  const rounds = Number(process.env.BENCH_WIRE_ROUNDS ?? 3)
  console.log(`wire bench — node ${process.version}, ${rounds} rounds, baseline and corked alternating`)

  const [a, b] = [await startNode('wire-a'), await startNode('wire-b')]
  const received = new Tally()
  await b.node.libp2p.handle(PROTOCOL, (stream: Stream) => {
    stream.addEventListener('message', (evt) => {
      received.add(evt.data.byteLength)
    })
  })
  await connect(a, b)

  const nodes: TestNode[] = []
  for (let i = 0; i < GOSSIP_NODES; i++) nodes.push(await startNode(`wire-g${i}`))
  const delivered = new Tally()
  nodes.forEach((t, i) => {
    const pubsub = t.node.libp2p.services.pubsub
    pubsub.subscribe(TOPIC)
    pubsub.addEventListener('message', (evt) => {
      if (evt.detail.topic === TOPIC && i > 0) delivered.add(1)
    })
  })
  for (let i = 0; i < GOSSIP_NODES; i++) {
    await connect(nodes[i]!, nodes[(i + 1) % GOSSIP_NODES]!)
    await connect(nodes[i]!, nodes[(i + 3) % GOSSIP_NODES]!)
  }
  // Every node sees the others' subscriptions and the mesh forms (a heartbeat or two).
  await waitFor(() => nodes.every((t) => t.node.libp2p.services.pubsub.getSubscribers(TOPIC).length >= 2), 30_000, 'gossip subscriptions')
  await new Promise((r) => setTimeout(r, 2_500))

  const stream = { base: [] as Figures[], corked: [] as Figures[] }
  const gossip = { base: [] as Figures[], corked: [] as Figures[] }
  try {
    for (let r = 0; r < rounds; r++) {
      for (const corked of [false, true]) {
        setCork(corked)
        ;(corked ? stream.corked : stream.base).push(await streamPhase(a.node.libp2p, b.node.libp2p, received))
        ;(corked ? gossip.corked : gossip.base).push(await gossipPhase(nodes, delivered, 2 * r + (corked ? 1 : 0)))
      }
    }
  } finally {
    setCork(true)
  }
  const forward = { base: [] as Figures[], shared: [] as Figures[] }
  // Alternating which goes first (the phase after another pays some of the garbage the one before
  // left, 8 KiB buffers by the thousand), after a pause: an even count of rounds weighs both alike.
  for (let r = 0; r < 2 * Math.ceil(rounds / 2); r++) {
    for (const shared of r % 2 === 0 ? [false, true] : [true, false]) {
      await new Promise((res) => setTimeout(res, 500))
      ;(shared ? forward.shared : forward.base).push(await forwardPhase(nodes, delivered, 2 * r + (shared ? 1 : 0), shared))
    }
  }
  const bare = { base: [] as Figures[], ours: [] as Figures[] }
  if (noiseCrypto !== undefined) {
    const got = new Tally()
    const pairs = [] as Libp2p[][]
    for (const ours of [false, true]) {
      const pair = [await bareNode(ours, got), await bareNode(ours, got)]
      await pair[0]!.dial(pair[1]!.getMultiaddrs())
      pairs.push(pair)
    }
    for (let r = 0; r < rounds; r++) {
      bare.base.push(await streamPhase(pairs[0]![0]!, pairs[0]![1]!, got))
      bare.ours.push(await streamPhase(pairs[1]![0]!, pairs[1]![1]!, got))
    }
    await Promise.all(pairs.flat().map((n) => n.stop()))
  }
  console.log(describe(`stream   ${fmt(STREAM_MESSAGES)} messages of ${STREAM_SIZE} B on one stream, ${PER_TURN} a turn`, STREAM_MESSAGES, stream.base, stream.corked))
  const deliveries = GOSSIP_MESSAGES * (GOSSIP_NODES - 1)
  console.log(
    describe(
      `gossip   ${fmt(GOSSIP_MESSAGES)} messages of ${GOSSIP_SIZE} B to ${GOSSIP_NODES - 1} subscribers (ring with chords), ${GOSSIP_PER_TURN} a turn; per delivery`,
      deliveries,
      gossip.base,
      gossip.corked
    )
  )
  console.log(
    describe(
      `forward  ${fmt(FORWARD_MESSAGES)} messages of ${fmt(FORWARD_SIZE)} B to ${GOSSIP_NODES - 1} subscribers, each node encoding a message once per peer or once for all; per delivery`,
      FORWARD_MESSAGES * (GOSSIP_NODES - 1),
      forward.base,
      forward.shared,
      ['per peer', 'shared']
    )
  )
  if (noiseCrypto === undefined) console.log('noise    skipped: libsodium is not in use here, so neither is core/net/noise-crypto.ts')
  else console.log(describe(`noise    the stream case between bare nodes, the noise library's crypto against ours on libsodium`, STREAM_MESSAGES, bare.base, bare.ours, ['library', 'libsodium']))
  await stopAll()
}
