/**
 * The account database found damaged while the node runs (core/storage/health.ts), as the API
 * tells it: one line for the person at the screen, the DATA_DAMAGED answer of a call that met the
 * damage (instead of INTERNAL), and the `node:damaged` notice the window shows for the rest of the
 * run. The line names the data directory and what to do; it quotes SQLite's words, never stored
 * values.
 */
import { ApiError, ErrorCode } from '../api/errors'
import type { StorageDamage, StorageHealth } from '../storage'
import type { ApiHandlers } from './dispatch'

export function describeDamage(damage: StorageDamage, dataDir: string): string {
  return (
    `the database in ${dataDir} is damaged (${damage.reason}): some of your data cannot be read or saved; nothing was deleted. ` +
    'Repair it (the Repair button: the node starts again and keeps every row that still reads, and the damaged file is kept beside the new one), ' +
    'restore the directory from a backup, or move it aside and link this device again from another of your devices'
  )
}

/**
 * Wraps every handler: an error that says the file is damaged is noted in `health` (the first one
 * raises the notice) and answered DATA_DAMAGED with the line; every other outcome passes unchanged.
 */
export function guardDamage(handlers: ApiHandlers, health: StorageHealth, dataDir: string): ApiHandlers {
  const out = {} as Record<string, unknown>
  for (const [method, handler] of Object.entries(handlers) as Array<[string, (...a: unknown[]) => Promise<unknown>]>) {
    out[method] = async (...a: unknown[]): Promise<unknown> => {
      try {
        return await handler(...a)
      } catch (err) {
        if (!health.note(err)) throw err
        throw new ApiError(ErrorCode.DATA_DAMAGED, describeDamage(health.damage!, dataDir))
      }
    }
  }
  return out as ApiHandlers
}
