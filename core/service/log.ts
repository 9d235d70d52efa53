import type { Logger } from '../log'

/**
 * The hosts' logger: one JSON object per line on stderr (stdout is the daemon's ready line).
 * Callers pass structured data, never message text, invitation URLs or keys.
 */
export const jsonLineLogger: Logger = (level, msg, data) => {
  let line: string
  try {
    line = JSON.stringify({ ...data, t: new Date().toISOString(), level, msg })
  } catch {
    // Unserialisable data (a cycle, a BigInt) must not cost the log line itself.
    line = JSON.stringify({ t: new Date().toISOString(), level, msg })
  }
  process.stderr.write(`${line}\n`)
}
