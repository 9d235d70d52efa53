import { NetError } from '../../net/errors'

export type SyncErrorCode = 'ERR_PROTOCOL' | 'ERR_UNKNOWN_LOG' | 'ERR_TIMEOUT' | 'ERR_TOO_LARGE' | 'ERR_NOT_CONNECTED'

export class SyncError extends Error {
  override readonly name = 'SyncError'
  constructor(
    readonly code: SyncErrorCode,
    message: string
  ) {
    super(message)
  }
}

/**
 * Failures of the network rather than of the data: the peer closed or reset the stream, went
 * away, or did not answer in time.
 */
export function isTransient(err: unknown): boolean {
  if (err instanceof SyncError) return err.code === 'ERR_TIMEOUT' || err.code === 'ERR_NOT_CONNECTED'
  if (err instanceof NetError) return err.code === 'ERR_TIMEOUT' || err.code === 'ERR_UNEXPECTED_EOF'
  if (!(err instanceof Error)) return false
  return /^(UnexpectedEOFError|StreamResetError|StreamStateError|StreamClosedError|StreamAbortedError|AbortError|TimeoutError|ConnectionClosedError|MuxerClosedError)$/.test(err.name)
}
