/**
 * Errors raised by core/net. One class, a stable `name`, and a `code` callers switch on
 * (STYLE.md "one error class per failure with a stable name"). Aborts stay `AbortError`.
 */
export type NetErrorCode =
  | 'ERR_BAD_SEED'
  | 'ERR_BAD_OPTION'
  | 'ERR_MESSAGE_TOO_LARGE'
  | 'ERR_TIMEOUT'
  | 'ERR_UNEXPECTED_EOF'

export class NetError extends Error {
  static readonly NAME = 'NetError'
  override readonly name = NetError.NAME
  readonly code: NetErrorCode

  constructor(code: NetErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
  }
}
