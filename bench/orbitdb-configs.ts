/**
 * SPIKE bench: how long do N entries appended on A take to reach a freshly connected B with plain OrbitDB 4
 * `events` + our libp2p/Helia composition, and where does the time go?
 *
 *   npx tsx core/net/spike-bench.ts [--n 1000] [--refs 16] [--debounce ms] [--micro] [--profile] [--ed25519] [--preload] [--nopin] [--memidx]
 *
 * Instrumentation wraps (on B): helia.blockstore.get (network vs local), the identity's `verify` (entry
 * signature, secp256k1 by default), identities.getIdentity / verifyIdentity (IPFSAccessController.canAppend).
 */
import '../core/polyfills'
import { Session } from 'node:inspector/promises'
import { performance } from 'node:perf_hooks'
import { generateKeyPair, publicKeyFromRaw } from '@libp2p/crypto/keys'
import * as dagCbor from '@ipld/dag-cbor'
import { base58btc } from 'multiformats/bases/base58'
import { CID } from 'multiformats/cid'
import { ComposedStorage, IPFSAccessController, IPFSBlockStorage, LRUStorage, MemoryStorage, type EventsDatabase, type OrbitStorage } from '@orbitdb/core'
import { connect, nextUpdate, startTestPeer, type TestPeer } from '../tests/support/orbitdb-peer'

const args = process.env.BENCH_ORBITDB_ARGS?.split(/\s+/) ?? process.argv.slice(2)
const arg = (name: string, dflt: string): string => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 && args[i + 1] != null ? args[i + 1]! : dflt
}
const N = Number(arg('n', '1000'))
const REFS = Number(arg('refs', '16'))
/** Bitswap batches wants and blocks for 10 ms each by default (@helia/bitswap src/index.ts BitswapOptions). */
const DEBOUNCE = args.includes('--debounce') ? Number(arg('debounce', '10')) : undefined
const identityKey = args.includes('--ed25519') ? 'Ed25519' as const : 'secp256k1' as const
const bitswap = { identityKey, ...(DEBOUNCE == null ? {} : { bitswap: { sendWantlistDebounce: DEBOUNCE, sendBlocksDebounce: DEBOUNCE } }) }

interface Meter { calls: number; ms: number; first?: number }
const meter = (): Meter => ({ calls: 0, ms: 0 })
function wrapAsync<T extends object, K extends keyof T>(obj: T, key: K, m: Meter): void {
  const orig = obj[key] as unknown as (...a: unknown[]) => Promise<unknown>
  ;(obj as Record<K, unknown>)[key] = async (...a: unknown[]) => {
    const t = performance.now()
    m.first ??= t
    try {
      return await orig.apply(obj, a)
    } finally {
      m.calls++
      m.ms += performance.now() - t
    }
  }
}

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] }

/** Samples the CPU during `fn` and prints self time by package and the hottest functions. */
async function profiled<T>(fn: () => Promise<T>): Promise<T> {
  if (!args.includes('--profile')) return fn()
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.setSamplingInterval', { interval: 200 })
  await session.post('Profiler.start')
  try {
    return await fn()
  } finally {
    const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: { nodes: ProfileNode[]; samples: number[]; startTime: number; endTime: number } }
    session.disconnect()
    const byId = new Map(profile.nodes.map((n) => [n.id, n]))
    const self = new Map<number, number>()
    for (const id of profile.samples) self.set(id, (self.get(id) ?? 0) + 1)
    const total = profile.samples.length
    const pkgOf = (url: string): string => {
      const m = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)
      if (m != null) return m[1]!
      if (url === '') return '(native/gc/idle)'
      if (url.startsWith('node:')) return url
      return url.replace(/^.*\/work\/main\//, '')
    }
    const byPkg = new Map<string, number>()
    const byFn = new Map<string, number>()
    for (const [id, hits] of self) {
      const n = byId.get(id)!
      const f = n.callFrame
      const pkg = f.functionName === '(idle)' ? '(idle)' : pkgOf(f.url)
      byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + hits)
      const fnKey = `${f.functionName || '(anon)'} ${pkg}:${f.lineNumber + 1}`
      byFn.set(fnKey, (byFn.get(fnKey) ?? 0) + hits)
    }
    const top = (m: Map<string, number>, k: number) => [...m].sort((x, y) => y[1] - x[1]).slice(0, k)
    console.log(`profile: ${total} samples over ${((profile.endTime - profile.startTime) / 1000).toFixed(0)} ms; self time by package:`)
    for (const [k, v] of top(byPkg, 14)) console.log(`  ${((v / total) * 100).toFixed(1).padStart(5)}%  ${k}`)
    console.log('hottest functions (self):')
    for (const [k, v] of top(byFn, 14)) console.log(`  ${((v / total) * 100).toFixed(1).padStart(5)}%  ${k}`)
  }
}

async function micro(): Promise<void> {
  const data = dagCbor.encode({ id: '/orbitdb/zdpu...', payload: { op: 'ADD', key: null, value: 'x'.repeat(100) }, next: ['zdpuA'], refs: [], clock: { id: 'ab'.repeat(33), time: 1 }, v: 2 })
  for (const type of ['secp256k1', 'Ed25519'] as const) {
    const key = await generateKeyPair(type)
    const pub = publicKeyFromRaw(key.publicKey.raw)
    const R = 2000
    let sig = await key.sign(data)
    let t = performance.now()
    for (let i = 0; i < R; i++) sig = await key.sign(data)
    const signUs = ((performance.now() - t) / R) * 1000
    t = performance.now()
    for (let i = 0; i < R; i++) await pub.verify(data, sig)
    const verifyUs = ((performance.now() - t) / R) * 1000
    console.log(`micro ${type.padEnd(9)} via @libp2p/crypto: sign ${signUs.toFixed(0)} µs, verify ${verifyUs.toFixed(0)} µs (data ${data.length} B)`)
  }
  const R = 5000
  const t = performance.now()
  for (let i = 0; i < R; i++) dagCbor.decode(dagCbor.encode({ a: i, data }))
  console.log(`micro dag-cbor encode+decode: ${(((performance.now() - t) / R) * 1000).toFixed(0)} µs`)
}

/** OrbitDB's default entry storage pins every entry (src/database.js: IPFSBlockStorage({ pin: true })). */
async function entryStorage(peer: TestPeer): Promise<{ entryStorage?: OrbitStorage; indexStorage?: OrbitStorage; headsStorage?: OrbitStorage }> {
  const out: { entryStorage?: OrbitStorage; indexStorage?: OrbitStorage; headsStorage?: OrbitStorage } = {}
  if (args.includes('--nopin')) {
    out.entryStorage = await ComposedStorage(await LRUStorage({ size: 1000 }), await IPFSBlockStorage({ ipfs: peer.helia, pin: false }))
  }
  // Index and heads default to LRU + LevelDB under the db directory; memory shows what LevelDB costs.
  if (args.includes('--memidx')) {
    out.indexStorage = await MemoryStorage()
    out.headsStorage = await MemoryStorage()
  }
  return out
}

async function main(): Promise<void> {
  if (args.includes('--micro')) await micro()
  let a: TestPeer | undefined
  let b: TestPeer | undefined
  try {
    a = await startTestPeer('bench-a', bitswap)
    const dbA: EventsDatabase = await a.orbitdb.open('bench', { AccessController: IPFSAccessController({ write: ['*'] }), referencesCount: REFS, ...(await entryStorage(a)) })
    let t = performance.now()
    let last = ''
    await profiled(async () => {
      for (let i = 0; i < N; i++) last = await dbA.add(`entry ${i} ${'x'.repeat(64)}`)
    })
    const appendMs = performance.now() - t
    console.log(`A: ${N} appends in ${appendMs.toFixed(0)} ms (${((appendMs / N) * 1000).toFixed(0)} µs/entry), identity key ${a.orbitdb.identity.publicKey.length / 2} B (${a.orbitdb.identity.type})`)

    b = await startTestPeer('bench-b', bitswap)
    const get: Meter = meter()
    const netGet: Meter = meter()
    const verify: Meter = meter()
    const getIdentity: Meter = meter()
    const verifyIdentity: Meter = meter()
    const bs = b.helia.blockstore as unknown as { get: (...a: unknown[]) => AsyncGenerator<Uint8Array>; has: (c: unknown) => Promise<boolean> }
    const origGet = bs.get.bind(bs)
    bs.get = async function* (cid: unknown, opts: unknown) {
      const local = await bs.has(cid)
      const t0 = performance.now()
      yield* origGet(cid, opts)
      const m = local ? get : netGet
      m.calls++
      m.ms += performance.now() - t0
    } as typeof bs.get
    const pinAdd: Meter = meter()
    const isPinned: Meter = meter()
    const pins = b.helia.pins as unknown as { add: (...a: unknown[]) => AsyncGenerator<unknown>; isPinned: () => Promise<boolean> }
    const origAdd = pins.add.bind(pins)
    pins.add = async function* (...a: unknown[]) {
      const t0 = performance.now()
      yield* origAdd(...a)
      pinAdd.calls++
      pinAdd.ms += performance.now() - t0
    } as typeof pins.add
    wrapAsync(pins, 'isPinned', isPinned)
    wrapAsync(b.orbitdb.identity, 'verify', verify)
    wrapAsync(b.orbitdb.identities, 'getIdentity', getIdentity)
    wrapAsync(b.orbitdb.identities, 'verifyIdentity', verifyIdentity)

    if (args.includes('--preload')) {
      // Simulates a bulk catch-up stream: every entry block is already in B's blockstore before the join,
      // so what remains is OrbitDB's own join cost (verify, decode, index/heads writes, pins).
      const tp = performance.now()
      for await (const e of dbA.log.iterator()) {
        const bytes = (await dbA.log.storage.get(e.hash)) as Uint8Array
        await b.helia.blockstore.put(CID.parse(e.hash, base58btc) as never, bytes)
      }
      console.log(`preloaded ${N} blocks into B in ${(performance.now() - tp).toFixed(0)} ms`)
    }
    t = performance.now()
    await connect(b, a)
    const connectMs = performance.now() - t
    const dbB: EventsDatabase = await b.orbitdb.open(dbA.address, await entryStorage(b))
    const openMs = performance.now() - t - connectMs
    const cpu0 = process.cpuUsage()
    await profiled(() => nextUpdate(dbB, (e: { hash: string }) => e.hash === last, 600_000))
    const totalMs = performance.now() - t
    const cpu = process.cpuUsage(cpu0)
    const count = (await dbB.all()).length
    console.log(`B: ${count}/${N} entries ${totalMs.toFixed(0)} ms after dial (connect ${connectMs.toFixed(0)} ms, open ${openMs.toFixed(0)} ms); process CPU during sync ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms (both nodes share this process)`)
    console.log(`  first head reached B's access controller ${((getIdentity.first ?? NaN) - t).toFixed(0)} ms after dial (pubsub subscription → heads exchange)`)
    const row = (label: string, m: Meter) =>
      console.log(`  ${label.padEnd(34)} ${String(m.calls).padStart(6)} calls ${m.ms.toFixed(0).padStart(7)} ms summed  ${(m.calls ? m.ms / m.calls : 0).toFixed(2)} ms avg`)
    row('blockstore.get from network', netGet)
    row('blockstore.get local', get)
    row('identity.verify (entry sig)', verify)
    row('helia pins.isPinned (every entry)', isPinned)
    row('helia pins.add (every entry)', pinAdd)
    row('identities.getIdentity (AC)', getIdentity)
    row('identities.verifyIdentity (AC)', verifyIdentity)
    console.log('  (calls overlap: joinEntry fetches each BFS level with Promise.all, so summed ms > wall time)')
  } finally {
    await b?.stop()
    await a?.stop()
  }
}

/** `npm run bench -- orbitdb-configs` (flags via BENCH_ORBITDB_ARGS) or `npx tsx bench/orbitdb-configs.ts [flags]`. */
export async function run(): Promise<void> {
  await main()
}

if (process.argv[1]?.endsWith('orbitdb-configs.ts')) await main()
