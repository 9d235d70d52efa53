import type { BertyClient } from '../../../core/api'

/**
 * `open`: calls go out now. `connecting`: a socket is being opened. `closed`: no socket;
 * when `retryAt` is set a new attempt is scheduled for then.
 */
export type ConnectionState = 'connecting' | 'open' | 'closed'

export interface ConnectionInfo {
  state: ConnectionState
  /** Consecutive failed attempts since the last open socket. */
  attempt: number
  /** Epoch ms of the next attempt, while one is scheduled. */
  retryAt?: number
  /** Close code and reason of the last socket, for the banner's details. */
  lastClose?: { code: number; reason: string }
}

/** A BertyClient plus what the UI needs to show about the carrier under it. */
export interface AppClient extends BertyClient {
  readonly carrier: 'ipc' | 'ws'
  connection(): ConnectionInfo
  onConnection(listener: (info: ConnectionInfo) => void): () => void
  /** Skips the backoff wait and tries now (a "Retry now" button). */
  reconnectNow(): void
  /** Stops for good: pending calls fail, no more reconnects. */
  close(): void
}
