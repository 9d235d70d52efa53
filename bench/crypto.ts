/**
 * Crypto micro-benchmark: @noble vs node:crypto vs libsodium providers, same run, same inputs (ARCHITECTURE.md
 * "benchmarks with a same-run baseline"). `npx tsx bench/crypto.ts` or `npm run bench -- crypto`.
 */
import {
  type CurveProvider,
  getCurveProvider,
  nobleProvider,
  nodeProvider,
  nodeProviderAvailable,
  randomBytes,
  type SalsaBackend,
  getSalsaBackend,
  nobleSalsa,
  sealMessageBody,
  secretboxOpenWithNonce,
  secretboxSealWithNonce,
  setCurveProvider,
  setSalsaBackend,
  sodiumProvider,
  sodiumSalsa
} from '../core/crypto'

interface Case {
  name: string
  /** Whether the op goes through the curve provider (else the same code runs in both columns). */
  usesProvider: boolean
  op: (p: CurveProvider, i: number) => unknown
}

const BUDGET_MS = Number(process.env.BENCH_MS ?? 700)

function measure(fn: (i: number) => unknown): number {
  // Warm-up lets the JIT settle before the timed window.
  const warmEnd = performance.now() + BUDGET_MS / 5
  let i = 0
  while (performance.now() < warmEnd) fn(i++)
  let n = 0
  const start = performance.now()
  let now = start
  while (now - start < BUDGET_MS) {
    for (let k = 0; k < 16; k++) fn(n++)
    now = performance.now()
  }
  return (n / (now - start)) * 1000
}

export async function run(): Promise<void> {
  // 16 long-lived keys (fits the node provider's signing-key cache, like a device key reused per
  // message) and a stream of fresh keys for the cold path.
  const seeds = Array.from({ length: 16 }, () => randomBytes(32))
  const freshSeeds = Array.from({ length: 4096 }, () => randomBytes(32))
  const msg = randomBytes(256)
  const pubs = seeds.map((s) => nobleProvider.ed25519PublicFromSeed(s))
  const sigs = seeds.map((s) => nobleProvider.ed25519Sign(s, msg))
  const xPubs = seeds.map((s) => nobleProvider.x25519PublicFromSecret(s))
  const body = randomBytes(1024)
  const key = randomBytes(32)
  const pick = <T>(arr: T[], i: number): T => arr[i % arr.length] as T

  const cases: Case[] = [
    { name: 'ed25519 sign (256 B)', usesProvider: true, op: (p, i) => p.ed25519Sign(pick(seeds, i), msg) },
    {
      name: 'ed25519 sign, fresh key each call',
      usesProvider: true,
      op: (p, i) => p.ed25519Sign(pick(freshSeeds, i), msg)
    },
    {
      name: 'ed25519 verify (256 B)',
      usesProvider: true,
      op: (p, i) => p.ed25519Verify(pick(pubs, i), msg, pick(sigs, i))
    },
    {
      name: 'ed25519 pubFromSeed (fresh seed)',
      usesProvider: true,
      op: (p, i) => p.ed25519PublicFromSeed(pick(freshSeeds, i))
    },
    { name: 'x25519', usesProvider: true, op: (p, i) => p.x25519(pick(seeds, i), pick(xPubs, i + 1)) },
    {
      name: 'x25519 publicFromSecret',
      usesProvider: true,
      op: (p, i) => p.x25519PublicFromSecret(pick(freshSeeds, i))
    },
    {
      name: 'sealMessageBody (1 KiB)',
      usesProvider: false,
      op: (_p, i) => sealMessageBody(key, i, body)
    }
  ]

  const previous = getCurveProvider()
  const rows: string[][] = []
  for (const c of cases) {
    setCurveProvider(nobleProvider)
    const noble = measure((i) => c.op(nobleProvider, i))
    let node = Number.NaN
    if (nodeProviderAvailable) {
      setCurveProvider(nodeProvider)
      node = c.usesProvider ? measure((i) => c.op(nodeProvider, i)) : noble
    }
    let sodium = Number.NaN
    if (sodiumProvider) {
      setCurveProvider(sodiumProvider)
      sodium = c.usesProvider ? measure((i) => c.op(sodiumProvider!, i)) : noble
    }
    const cell = (available: boolean, v: number) => (available ? (c.usesProvider ? fmt(v) : `${fmt(v)}*`) : 'n/a')
    rows.push([
      c.name,
      fmt(noble),
      cell(nodeProviderAvailable, node),
      nodeProviderAvailable && c.usesProvider ? `${(node / noble).toFixed(1)}x` : '-',
      cell(sodiumProvider !== undefined, sodium),
      sodiumProvider && c.usesProvider ? `${(sodium / noble).toFixed(1)}x` : '-'
    ])
  }
  setCurveProvider(previous)

  const header = ['operation', 'noble ops/s', 'node ops/s', 'node/noble', 'sodium ops/s', 'sodium/noble']
  const widths = header.map((h, col) => Math.max(h.length, ...rows.map((r) => (r[col] ?? '').length)))
  const line = (r: string[]): string => r.map((cell, col) => cell.padEnd(widths[col] ?? 0)).join('  ')
  console.log(`crypto bench (${BUDGET_MS} ms per cell, node ${process.versions.node})`)
  console.log(line(header))
  console.log(widths.map((w) => '-'.repeat(w)).join('  '))
  for (const r of rows) console.log(line(r))
  console.log(`* not a curve operation: both columns run the selected XSalsa20-Poly1305 backend (${getSalsaBackend().name}).`)
  salsaTable()
}

/** secretbox on @noble/ciphers and on libsodium (sodium-native), same run, same inputs, through secretbox.ts. */
function salsaTable(): void {
  const key = randomBytes(32)
  const nonce = randomBytes(24)
  const previous = getSalsaBackend()
  const rows: string[][] = []
  for (const size of [200, 16 * 1024]) {
    const pt = randomBytes(size)
    const box = secretboxSealWithNonce(key, nonce, pt)
    for (const [name, op] of [
      [`secretbox seal (${size} B)`, () => secretboxSealWithNonce(key, nonce, pt)],
      [`secretbox open (${size} B)`, () => secretboxOpenWithNonce(key, nonce, box)]
    ] as const) {
      const rate = (b: SalsaBackend): number => {
        setSalsaBackend(b)
        return measure(op)
      }
      const noble = rate(nobleSalsa)
      const sodium = sodiumSalsa ? rate(sodiumSalsa) : Number.NaN
      rows.push([name, fmt(noble), sodiumSalsa ? fmt(sodium) : 'n/a', sodiumSalsa ? `${(sodium / noble).toFixed(1)}x` : '-'])
    }
  }
  setSalsaBackend(previous)
  const header = ['operation', 'noble ops/s', 'sodium ops/s', 'speedup']
  const widths = header.map((h, col) => Math.max(h.length, ...rows.map((r) => (r[col] ?? '').length)))
  const line = (r: string[]): string => r.map((cell, col) => cell.padEnd(widths[col] ?? 0)).join('  ')
  console.log('')
  console.log(line(header))
  console.log(widths.map((w) => '-'.repeat(w)).join('  '))
  for (const r of rows) console.log(line(r))
}

function fmt(opsPerSec: number): string {
  return Math.round(opsPerSec).toLocaleString('en-US')
}

// Run when executed directly (`npx tsx bench/crypto.ts`), not when imported by bench/run.ts.
if (import.meta.url === `file://${process.argv[1]}`) {
  await run()
}
