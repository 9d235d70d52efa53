/**
 * The logging seam every layer may import (ARCHITECTURE.md module map: `core/log.ts`). Hosts pass a
 * concrete logger (JSON lines on stderr in the daemon and Electron main); tests pass none.
 * Callers pass structured data, never message text, invitation URLs or key material.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

export type Logger = (level: LogLevel, msg: string, data?: Record<string, unknown>) => void

/** The logger used when a caller gives none. */
export const silentLogger: Logger = () => {}
