/**
 * Errors as the renderer sees them. The codes come from the contract's constants
 * (core/api/constants.ts, the one core/api file the renderer imports by value).
 */
import { ErrorCode } from '../../../core/api/constants'

export const ERROR_CODES: readonly ErrorCode[] = Object.values(ErrorCode)

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value)
}

/** A failed API call: the node's error code and message, whichever carrier brought it. */
export class ApiCallError extends Error {
  override readonly name = 'ApiCallError'
  readonly code: ErrorCode

  constructor(code: ErrorCode, message: string) {
    super(message)
    this.code = code
  }
}

export function toApiCallError(err: unknown, fallback: ErrorCode = 'INTERNAL'): ApiCallError {
  if (err instanceof ApiCallError) return err
  if (err instanceof Error) return new ApiCallError(fallback, err.message)
  return new ApiCallError(fallback, String(err))
}

export function errorCode(err: unknown): ErrorCode | undefined {
  return err instanceof ApiCallError ? err.code : undefined
}

const FRIENDLY: Partial<Record<ErrorCode, string>> = {
  UNAUTHORIZED: 'Not authorized: open the link printed by the daemon (it carries the access token)',
  INVALID_INVITATION: 'This invitation link is not valid',
  NETWORK: 'Connection to the node lost',
  TIMEOUT: 'The node did not answer in time',
  TOO_LARGE: 'Too large',
  NOT_READY: 'The node is still starting',
  NOT_FOUND: 'Not found',
  ACCOUNT_EXISTS: 'An account already exists',
  NO_ACCOUNT: 'No account yet',
  DISK_FULL: 'The disk is full',
  START_FAILED: 'Berty could not start'
}

/** One line for a person: a short explanation of the code, then the node's message. */
export function describeError(err: unknown): string {
  const e = toApiCallError(err)
  const friendly = FRIENDLY[e.code]
  if (!friendly) return e.message || 'Something went wrong'
  if (!e.message || e.message.toLowerCase() === friendly.toLowerCase()) return friendly
  // The node's message may already open with it ("the disk is full: …"): said once.
  if (e.message.toLowerCase().startsWith(`${friendly.toLowerCase()}:`)) return `${friendly}${e.message.slice(friendly.length)}`
  return `${friendly}: ${e.message}`
}
