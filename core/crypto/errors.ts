/**
 * One error class for every crypto failure, with a stable `name` and a machine-readable `code`
 * (STYLE.md "one error class per failure with a stable name"). Messages name the offending field
 * but never include key material.
 */
export type CryptoErrorCode =
  | 'ERR_BAD_TYPE'
  | 'ERR_BAD_KEY_LENGTH'
  | 'ERR_BAD_KEY'
  | 'ERR_BAD_NONCE'
  | 'ERR_BAD_SIGNATURE_LENGTH'
  | 'ERR_BAD_LENGTH'
  | 'ERR_BAD_COUNTER'
  | 'ERR_DECRYPT'
  | 'ERR_LOW_ORDER'

export class CryptoError extends Error {
  override readonly name = 'CryptoError'
  readonly code: CryptoErrorCode

  constructor(code: CryptoErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
  }
}
