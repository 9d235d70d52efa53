/**
 * Bench runner: `npx tsx bench/run.ts crypto [other ...]` (wired as `npm run bench -- <names>`).
 * Each bench is `bench/<name>.ts` exporting `run(): Promise<void> | void`.
 */
import { readdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .map((f) => f.slice(0, -3))

const names = process.argv.slice(2).filter((a) => !a.startsWith('-'))
if (names.length === 0) {
  console.error(`usage: npm run bench -- <name...>   available: ${available.join(', ')}`)
  process.exit(2)
}

for (const name of names) {
  if (!/^[a-z0-9-]+$/.test(name) || !available.includes(name)) {
    console.error(`unknown bench "${name}"; available: ${available.join(', ')}`)
    process.exit(2)
  }
  const mod = (await import(`./${name}.ts`)) as { run?: () => unknown }
  if (typeof mod.run !== 'function') {
    console.error(`bench/${name}.ts does not export run()`)
    process.exit(2)
  }
  await mod.run()
}
