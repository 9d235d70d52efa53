/**
 * Error codes of the UI↔node API. Stable strings: the renderer switches on them, so
 * never rename one. Carried in `{ ok: false, error: { code, message } }` over IPC and as
 * JSON-RPC error `data.code` over WebSocket.
 */
export const ErrorCode = {
  INVALID_PARAMS: 'INVALID_PARAMS',
  UNKNOWN_METHOD: 'UNKNOWN_METHOD',
  UNAUTHORIZED: 'UNAUTHORIZED',
  NO_ACCOUNT: 'NO_ACCOUNT',
  ACCOUNT_EXISTS: 'ACCOUNT_EXISTS',
  NOT_FOUND: 'NOT_FOUND',
  INVALID_INVITATION: 'INVALID_INVITATION',
  NETWORK: 'NETWORK',
  TIMEOUT: 'TIMEOUT',
  TOO_LARGE: 'TOO_LARGE',
  NOT_READY: 'NOT_READY',
  INTERNAL: 'INTERNAL'
} as const

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode]

export interface ApiErrorShape {
  code: ErrorCode
  message: string
}

/** Thrown by API handlers and by clients when the node answered with an error. */
export class ApiError extends Error {
  override readonly name = 'ApiError'
  readonly code: ErrorCode

  constructor(code: ErrorCode, message: string) {
    super(message)
    this.code = code
  }

  toJSON(): ApiErrorShape {
    return { code: this.code, message: this.message }
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.values(ErrorCode).includes(value as ErrorCode)
}

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiErrorShape }
