/** Why a replication request was refused: stable codes, sent back to the member and shown to the user. */
export type ReplicationErrorCode =
  | 'ERR_TOKEN_MISSING'
  | 'ERR_TOKEN_INVALID'
  | 'ERR_TOKEN_EXPIRED'
  | 'ERR_TOKEN_REVOKED'
  | 'ERR_TOKEN_AUDIENCE'
  | 'ERR_QUOTA_EXCEEDED'
  | 'ERR_BAD_GROUP'
  | 'ERR_LINK_KEY_SIG'
  | 'ERR_NOT_SERVING'
  | 'ERR_INTERNAL'
  | 'ERR_PROTOCOL'

export const REPLICATION_ERROR_CODES: readonly ReplicationErrorCode[] = [
  'ERR_TOKEN_MISSING',
  'ERR_TOKEN_INVALID',
  'ERR_TOKEN_EXPIRED',
  'ERR_TOKEN_REVOKED',
  'ERR_TOKEN_AUDIENCE',
  'ERR_QUOTA_EXCEEDED',
  'ERR_BAD_GROUP',
  'ERR_LINK_KEY_SIG',
  'ERR_NOT_SERVING',
  'ERR_INTERNAL',
  'ERR_PROTOCOL'
]

export class ReplicationError extends Error {
  override readonly name = 'ReplicationError'
  constructor(
    readonly code: ReplicationErrorCode,
    message: string,
    options?: { cause?: unknown }
  ) {
    super(message, options)
  }
}

export function isReplicationErrorCode(v: unknown): v is ReplicationErrorCode {
  return typeof v === 'string' && (REPLICATION_ERROR_CODES as readonly string[]).includes(v)
}
