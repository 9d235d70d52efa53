import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** One temp dir per test file; removed in afterAll. */
export function tempDir(prefix: string): { path: (name: string) => string; cleanup: () => void; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), `berty-${prefix}-`))
  return {
    dir,
    path: (name) => join(dir, name),
    cleanup: () => rmSync(dir, { recursive: true, force: true })
  }
}

/** Expects `fn` to throw/reject with a StorageError-like `code`. */
export async function expectCode(fn: () => unknown, code: string): Promise<Error> {
  try {
    await fn()
  } catch (err) {
    if ((err as { code?: unknown }).code !== code) {
      throw new Error(`expected code ${code}, got ${String((err as { code?: unknown }).code)}: ${String(err)}`)
    }
    return err as Error
  }
  throw new Error(`expected code ${code}, but nothing was thrown`)
}

/** True if `needle` occurs anywhere in `haystack`. */
export function containsBytes(haystack: Uint8Array, needle: Uint8Array): boolean {
  return Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).indexOf(Buffer.from(needle)) !== -1
}
