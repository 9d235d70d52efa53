/**
 * The last step of a repair (repair.ts), made safe against a crash: the repaired copy is named
 * `<file>.repaired` once whole, then the damaged file goes aside and the copy takes its name. A
 * process killed between the two renames left no database under the file's name: the next open
 * created an empty one, and the app asked for a new account while the data sat beside it. Every
 * open (and every repair) first finishes such a swap.
 */
import { existsSync, renameSync, rmSync } from 'node:fs'

export const repairedCopyOf = (path: string): string => `${path}.repaired`

/** Finishes a repair's swap that a crash cut short; says whether there was one. */
export function finishRepairSwap(path: string, now: () => number = Date.now): boolean {
  const repaired = repairedCopyOf(path)
  if (!existsSync(repaired)) return false
  if (existsSync(path)) {
    // Cut before the damaged file moved: it is still in place, and the next repair builds anew.
    rmSync(repaired, { force: true })
    return false
  }
  // The damaged file's journal, if it had not moved with it: never applied to the repaired copy.
  const aside = `${path}.damaged-journal-${new Date(now()).toISOString().replace(/[:.]/g, '-')}`
  for (const suffix of ['-wal', '-shm']) if (existsSync(path + suffix)) renameSync(path + suffix, aside + suffix)
  renameSync(repaired, path)
  return true
}
