/**
 * What a host (Electron main, headless daemon) gets from the node: API handlers, an event
 * stream, identity for the ready line, and a clean stop. `core/node.ts` builds one with
 * `createBertyService(options)`.
 */
import type { EventName } from '../api/channels'
import type { EventPayload } from '../api/contract'
import type { ReachOptions } from '../net/reach'
import type { ReachSettings } from '../net/reach-config'
import type { EncryptionKeyProvider } from '../storage/keystore'
import type { ApiHandlers } from './dispatch'
import type { Logger } from '../log'

export type { EncryptionKeyProvider }

export type EventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void

export interface BertyService {
  readonly handlers: ApiHandlers
  /** Subscribe to every API event; returns the unsubscribe function. */
  onEvent(listener: EventListener): () => void
  peerId(): string
  addrs(): string[]
  /** Flushes and stops everything; idempotent. */
  stop(): Promise<void>
}


export interface CreateServiceOptions {
  /** Directory holding the account database (one SQLite file) and, for the daemon, the key file. */
  dataDir: string
  encryptionKey: EncryptionKeyProvider
  /** libp2p listen multiaddrs. */
  listen?: string[]
  /** Peers to dial at start (no public bootstrap list is ever used). */
  bootstrap?: string[]
  relays?: string[]
  /** Discovery drivers and server roles (core/net/reach.ts); absent: no discovery, addresses only. */
  reach?: ReachOptions
  /**
   * Reach as the host's flags ask (daemon flags, Electron defaults): merged with the user's stored
   * reach settings (`network:settings:set`) into `reach` at start. Ignored when `reach` is given.
   */
  reachSettings?: ReachSettings
  /**
   * How the host restarts the node when the person asks for a repair (`node:repair`: it runs at the
   * next start): the app relaunches, the headless daemon starts its node again. Absent: the answer
   * says to quit and start again.
   */
  restart?: () => void
  log?: Logger
}
