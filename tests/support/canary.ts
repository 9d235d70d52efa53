// At-rest checks shared by the integration tests: every file under a data directory (database, WAL,
// key files, anything) searched as bytes for distinctive canary strings, in UTF-8 and UTF-16LE.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'

export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    return statSync(p).isDirectory() ? filesUnder(p) : [p]
  })
}

/** "canary in file" for every canary found in any file under `dir` (empty: nothing leaked). */
export function leaks(dir: string, canaries: string[]): string[] {
  const found: string[] = []
  for (const file of filesUnder(dir)) {
    const bytes = readFileSync(file)
    for (const c of canaries) {
      for (const form of [Buffer.from(c, 'utf8'), Buffer.from(c, 'utf16le')]) if (bytes.includes(form)) found.push(`${c} in ${file}`)
    }
  }
  return found
}
