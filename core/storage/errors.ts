/**
 * One error class for storage failures, with a stable `name` and a machine-readable `code`
 * (STYLE.md "one error class per failure with a stable name"). Messages name the offending field or
 * file but never include key material or stored values.
 */
export type StorageErrorCode =
  | 'ERR_BAD_INPUT'
  | 'ERR_TOO_LARGE'
  | 'ERR_NOT_FOUND'
  | 'ERR_CLOSED'
  | 'ERR_SCHEMA_TOO_NEW'
  | 'ERR_MIGRATION_FAILED'
  | 'ERR_ACCOUNT_EXISTS'
  | 'ERR_NO_ACCOUNT'
  | 'ERR_KEYSTORE_LOCKED'
  | 'ERR_KEYSTORE_CORRUPT'
  | 'ERR_KEY_FILE_PERMISSIONS'
  | 'ERR_KEY_FILE_INVALID'
  | 'ERR_LOCKED'
  | 'ERR_UNREPAIRABLE'

export class StorageError extends Error {
  override readonly name: string = 'StorageError'
  readonly code: StorageErrorCode

  constructor(code: StorageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
  }
}

/**
 * Missing key/block. The name is `NotFoundError` because Helia, libp2p and the interface-store suites
 * recognise a miss by `err.name === 'NotFoundError'`, not by class identity.
 */
export class NotFoundError extends StorageError {
  override readonly name = 'NotFoundError'

  constructor(message: string) {
    super('ERR_NOT_FOUND', message)
  }
}

/**
 * Whether `err` (or an error it wraps, through `cause`) says the disk holding the data is full:
 * SQLite's SQLITE_FULL ("database or disk is full"), or a file write's ENOSPC / EDQUOT (the
 * key files, the lock). SQLite rolls the statement's transaction back, so nothing of the failed
 * write is kept; the caller may try again once space is freed.
 */
export function isDiskFull(err: unknown): boolean {
  for (let e = err, depth = 0; e != null && depth < 8; depth++) {
    const code = (e as { code?: unknown }).code
    if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return true
    e = (e as { cause?: unknown }).cause
  }
  return false
}

/**
 * Whether `err` (or an error it wraps) says the database file is damaged or is not a database:
 * SQLite's SQLITE_CORRUPT ("database disk image is malformed", and its extended codes) or
 * SQLITE_NOTADB ("file is not a database"). Nothing repairs it in place: the file is left as it is.
 */
export function isDatabaseDamaged(err: unknown): boolean {
  for (let e = err, depth = 0; e != null && depth < 8; depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT' || code.startsWith('SQLITE_CORRUPT_'))) return true
    e = (e as { cause?: unknown }).cause
  }
  return false
}
