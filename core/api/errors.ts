import { ErrorCode } from './constants'

export { ErrorCode }

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
