/**
 * The repair as the person asks for it from the window (`node:repair`, or the Repair button of a
 * start that failed on a damaged file): the database cannot be rebuilt under a running node, so the
 * ask is a marker file in the data directory, and the host restarts the node (the desktop app
 * relaunches, the headless daemon starts its node again in the same process). The next start runs
 * the repair (core/storage/repair.ts) before it opens the file, removes the marker, and says what
 * happened in `node:info` (`repair`) for the rest of that run.
 *
 * A repair that cannot be done (the keys do not read, the file is not a database) changes nothing
 * and is said once: the marker goes, so a file that cannot be repaired is not tried at every
 * start. Only a file held by another process keeps the marker (the start fails on it anyway).
 * The lines name tables, counts and paths, never stored values.
 */
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Logger } from '../log'
import { repairDatabase, StorageError, type RepairReport } from '../storage'

/** In the data directory: present = repair at the next start. */
export const REPAIR_MARKER = 'repair-requested'

/** What the start's repair did, as `node:info` carries it. */
export interface RepairOutcome {
  ok: boolean
  /** One line for the person at the screen. */
  message: string
}

/** Asks the next start to repair the database. Written whole or not at all. */
export function requestRepair(dataDir: string, now: () => number = Date.now): void {
  const path = join(dataDir, REPAIR_MARKER)
  const tmp = `${path}.tmp`
  writeFileSync(tmp, `${JSON.stringify({ requestedAt: now() })}\n`, { mode: 0o600 })
  renameSync(tmp, path)
}

export function repairRequested(dataDir: string): boolean {
  return existsSync(join(dataDir, REPAIR_MARKER))
}

/** Runs the repair if one was asked for; null when none was. Call before the database is opened. */
export function repairIfRequested(dataDir: string, databaseFile: string, log: Logger): RepairOutcome | null {
  const marker = join(dataDir, REPAIR_MARKER)
  if (!existsSync(marker)) return null
  let report: RepairReport
  try {
    report = repairDatabase(join(dataDir, databaseFile))
  } catch (err) {
    const code = err instanceof StorageError ? err.code : undefined
    // Another process holds the file: the start fails on the same lock, the ask stays for the next.
    if (code !== 'ERR_LOCKED') rmSync(marker, { force: true })
    const reason = err instanceof Error ? err.message : String(err)
    log('error', 'storage: the repair asked for could not be done', { code, reason })
    return { ok: false, message: `The repair could not be done: ${reason}` }
  }
  rmSync(marker, { force: true })
  log('info', 'storage: repaired the database', {
    repaired: report.repaired,
    lost: report.tables.filter((t) => t.damaged).map((t) => t.name),
    orphans: report.orphans,
    groupsRejoined: report.groupsRejoined,
    keptAt: report.keptAt
  })
  return { ok: true, message: describeRepair(report) }
}

/** What a person calls what each table holds (tables not named here are said by their name). */
const TABLE_WORDS: Record<string, string> = {
  messages: 'messages',
  log_processed: 'conversation log entries',
  orbit_kv: 'conversation log entries',
  blocks: 'conversation log entries',
  kv: 'conversation log entries',
  group_chains: 'message keys',
  group_chain_skipped: 'message keys',
  sender_checkpoints: 'message keys',
  handover_floors: 'message keys',
  groups: 'conversations',
  group_replicas: 'replication servers',
  replica_served: 'what this node replicates',
  replica_served_tokens: 'what this node replicates',
  issued_tokens: 'API tokens',
  revoked_tokens: 'API tokens',
  settings: 'settings'
}

export function describeRepair(report: RepairReport): string {
  if (!report.repaired) return 'The database was checked at this start and found whole: nothing was changed.'
  const lostTables = report.tables.filter((t) => t.damaged).map((t) => t.name)
  const lost = [...new Set(lostTables.map((t) => TABLE_WORDS[t] ?? t))]
  const parts = [
    lost.length > 0
      ? `The database was repaired at this start: everything that still read was kept; lost with the damaged pages: some ${lost.join(', some ')}.`
      : 'The database was repaired at this start: nothing was lost (only its indexes were damaged, and they were built anew).'
  ]
  if (report.groupsRejoined > 0) {
    parts.push(
      `${report.groupsRejoined === 1 ? '1 conversation was' : `${report.groupsRejoined} conversations were`} joined again as a new device of yours, and read again from the network.`
    )
  }
  if (lostTables.includes('messages')) {
    parts.push('Lost messages are read again from the conversation logs: those whose keys are gone show as messages this device can no longer open.')
  }
  if (report.keptAt) parts.push(`The damaged file is kept at ${report.keptAt}.`)
  return parts.join(' ')
}
