/**
 * Why the node could not start, in one line for the person at the screen: the headless daemon prints
 * it as the `failed to start` line's hint, the desktop app shows it in place of "Starting Berty…"
 * (every call answers START_FAILED with it). Nothing here retries: each cause needs the person (free
 * space, stop the other process, update the app, restore the data), then a new start.
 *
 * Messages name files and codes, never key material or stored values (the storage errors they quote
 * are written that way).
 */
import { isDiskFull, isDatabaseDamaged, StorageError } from '../storage'
import type { RepairOutcome } from './repair-request'

/** `dataDir`: the node's data directory, named in the line. */
export function describeStartFailure(err: unknown, dataDir: string): string {
  // A repair asked for at this start (repair-request.ts) that could not be done: said after.
  const outcome = (err as { repairOutcome?: RepairOutcome } | null)?.repairOutcome
  const line = describe(err, dataDir)
  return outcome && !outcome.ok ? `${line}. ${outcome.message.replace(/\.$/, '')}` : line
}

function describe(err: unknown, dataDir: string): string {
  if (isDiskFull(err)) return `the disk holding ${dataDir} is full: free some space, then start again`
  if (isDatabaseDamaged(err)) {
    return (
      `the database in ${dataDir} is damaged or is not a Berty database; it was left as it is. ` +
      `Repair it (the Repair button in the window, or with the node stopped: npm run headless -- --data ${dataDir} --repair; every row that still reads is kept), ` +
      'restore the directory from a backup, or move it aside to start with a new account'
    )
  }
  const code = codeOf(err)
  const message = err instanceof Error ? err.message : String(err)
  if (err instanceof StorageError) {
    switch (err.code) {
      case 'ERR_LOCKED':
        return `${dataDir} is in use by another Berty process (a headless node or another copy of the app): stop it, then start again`
      case 'ERR_SCHEMA_TOO_NEW':
        return `the data in ${dataDir} was written by a newer version of Berty Desktop: ${message}`
      case 'ERR_KEYSTORE_LOCKED':
      case 'ERR_KEYSTORE_CORRUPT':
      case 'ERR_KEY_FILE_PERMISSIONS':
      case 'ERR_KEY_FILE_INVALID':
        return `the key that unlocks ${dataDir} cannot be used: ${message}`
      default:
        return `the data in ${dataDir} could not be opened: ${message}`
    }
  }
  // The Electron key provider's errors (safe-storage-key-logic.ts): the sealed key file or the keychain.
  if (typeof code === 'string' && code.startsWith('ERR_SEALED_KEY')) return `the key that unlocks ${dataDir} cannot be used: ${message}`
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN') {
    return `${dataDir} cannot be opened for writing (${code}): check its owner, its permissions and the disk`
  }
  if (code === 'EADDRINUSE') {
    const { address, port } = err as { address?: unknown; port?: unknown }
    const where = typeof port === 'number' ? `${typeof address === 'string' ? address : ''}:${port}` : 'a port it listens on'
    return `${where} is already in use by another program (another Berty node?): stop it, or choose another port (the headless node's API: --api-port or BERTY_API_PORT)`
  }
  return `the node could not start: ${err instanceof Error ? `${err.name}: ${message}` : message}`
}

function codeOf(err: unknown): unknown {
  return err !== null && typeof err === 'object' ? (err as { code?: unknown }).code : undefined
}
