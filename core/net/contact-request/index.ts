/**
 * weshnet's contact-request stream protocol (`/wesh/contact_req/1.0.0`) as a js-libp2p-style service:
 * an interface, narrow components, and a factory `contactRequestService(init) => (components) => service`
 * (STYLE.md, after js-libp2p's fetch service). The responder side answers inbound streams; `request()`
 * dials a peer and runs the requester side, ending with the sixth frame (`ShareableContact`) a Go
 * responder needs (berty/weshnet contact_request_manager.go).
 *
 * Claims: every frame is capped at 2048 bytes before it is buffered; each exchange has a deadline and
 * honours the caller's AbortSignal; on any failure the stream is reset; the account seed handed out by
 * `init.account()` is wiped after each run; an incoming request reaches `onIncomingRequest` only after
 * the requester proved its account key and its contact frame matched it.
 * Disclaims: it does not decide whether a request is wanted (the caller's job), does not rate-limit
 * beyond libp2p's per-connection stream cap, and hides neither the peers' addresses nor that they talk.
 */
import { serviceCapabilities, type AbortOptions, type Connection, type PeerId, type Startable, type Stream, type StreamHandler, type StreamHandlerOptions } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { wipe } from '../../crypto'
import { silentLogger, type Logger } from '../../log'
import type { ShareableContactData } from '../../protocol/contact-request-contact'
import { NetError } from '../errors'
import { deadline, linkSignals } from '../deadline'
import { toNetError } from '../lp-stream'
import { CONTACT_REQUEST_PROTOCOL, DEFAULT_CONTACT_REQUEST_TIMEOUT_MS, DEFAULT_MAX_INBOUND_STREAMS } from './constants'
import { runRequester, runResponder } from './exchange'

export { CONTACT_REQUEST_PROTOCOL, DEFAULT_CONTACT_REQUEST_TIMEOUT_MS, DEFAULT_MAX_INBOUND_STREAMS } from './constants'

export interface ContactRequestAccount {
  /** A fresh copy of the account's Ed25519 seed; the service wipes it after the run. */
  accountSeed: Uint8Array
  accountPk: Uint8Array
  /** Our public rendezvous seed (32 bytes), sent in the sixth frame. */
  publicRendezvousSeed: Uint8Array
}

export interface IncomingContactRequest extends ShareableContactData {
  /** The libp2p peer the stream came from (not authenticated as the account: that is `accountPk`). */
  remotePeer: PeerId
}

export interface ContactRequestServiceInit {
  /** Our account, or undefined when incoming requests are disabled (inbound streams are then reset). */
  account(): ContactRequestAccount | undefined
  /** Called once per verified incoming request. Errors are logged, never sent back. */
  onIncomingRequest(request: IncomingContactRequest): void | Promise<void>
  /** Deadline for one exchange, in ms. Default {@link DEFAULT_CONTACT_REQUEST_TIMEOUT_MS}. */
  timeoutMs?: number
  maxInboundStreams?: number
  log?: Logger
  /**
   * Known-answer tests only: the ephemeral X25519 secret for the next run (ownership passes to the
   * state machine, which wipes it). Production leaves it unset: fresh random keys.
   */
  ephemeralSecret?: () => Uint8Array
}

/** What the service uses of libp2p's components (structural: libp2p's registrar and connection manager fit). */
export interface ContactRequestComponents {
  registrar: {
    handle(protocol: string, handler: StreamHandler, options?: StreamHandlerOptions): Promise<void>
    unhandle(protocol: string): Promise<void>
  }
  connectionManager: {
    openConnection(peer: PeerId | Multiaddr | Multiaddr[], options?: AbortOptions): Promise<Connection>
  }
}

export interface ContactRequestOptions extends AbortOptions {
  /** App metadata for this contact (Berty Messenger: our display name). Default empty. */
  metadata?: Uint8Array
}

export interface ContactRequestService extends Startable {
  /** True while the inbound handler is mounted (start() mounts it, stop() removes it). */
  isStarted(): boolean
  /** Sends a contact request to the account `peerAccountPk` reachable at `peer`. */
  request(peer: PeerId | Multiaddr | Multiaddr[], peerAccountPk: Uint8Array, options?: ContactRequestOptions): Promise<void>
}

class DefaultContactRequestService implements ContactRequestService, Startable {
  readonly [Symbol.toStringTag] = '@berty/contact-request'
  readonly [serviceCapabilities]: string[] = ['@berty/contact-request']
  private readonly timeoutMs: number
  private readonly log: Logger
  private started = false

  constructor(
    private readonly components: ContactRequestComponents,
    private readonly init: ContactRequestServiceInit
  ) {
    this.timeoutMs = init.timeoutMs ?? DEFAULT_CONTACT_REQUEST_TIMEOUT_MS
    if (!Number.isSafeInteger(this.timeoutMs) || this.timeoutMs <= 0) {
      throw new NetError('ERR_BAD_OPTION', 'timeoutMs must be a positive integer')
    }
    this.log = init.log ?? silentLogger
  }

  async start(): Promise<void> {
    await this.components.registrar.handle(CONTACT_REQUEST_PROTOCOL, (stream, connection) => this.onStream(stream, connection), {
      maxInboundStreams: this.init.maxInboundStreams ?? DEFAULT_MAX_INBOUND_STREAMS,
      // weshnet sends contact requests over relayed (limited) connections too.
      runOnLimitedConnection: true
    })
    this.started = true
  }

  async stop(): Promise<void> {
    await this.components.registrar.unhandle(CONTACT_REQUEST_PROTOCOL)
    this.started = false
  }

  isStarted(): boolean {
    return this.started
  }

  async request(peer: PeerId | Multiaddr | Multiaddr[], peerAccountPk: Uint8Array, options: ContactRequestOptions = {}): Promise<void> {
    const account = this.init.account()
    if (account === undefined) throw new NetError('ERR_BAD_OPTION', 'no account to send a contact request from')
    const signal = deadline(this.timeoutMs, options.signal)
    let stream: Stream | undefined
    const exchange = (async () => {
      const connection = await this.components.connectionManager.openConnection(peer, { signal })
      stream = await connection.newStream(CONTACT_REQUEST_PROTOCOL, { signal, runOnLimitedConnection: true })
      await runRequester(
        stream,
        {
          ownAccountSeed: account.accountSeed,
          peerAccountPk,
          ownContact: {
            accountPk: account.accountPk,
            publicRendezvousSeed: account.publicRendezvousSeed,
            metadata: options.metadata ?? new Uint8Array(0)
          },
          ...this.ephemeral()
        },
        signal
      )
    })()
    try {
      await untilAborted(exchange, signal)
    } catch (err) {
      const e = options.signal?.aborted === true ? err : toNetError(err, signal)
      stream?.abort(e instanceof Error ? e : new Error(String(e)))
      throw e
    } finally {
      signal.clear()
      wipe(account.accountSeed)
    }
  }

  private async onStream(stream: Stream, connection: Connection): Promise<void> {
    const account = this.init.account()
    if (account === undefined) {
      stream.abort(new Error('contact requests are disabled'))
      return
    }
    // The exchange also ends when the requester resets or drops the stream.
    const gone = new AbortController()
    stream.addEventListener('close', () => gone.abort(), { once: true })
    const timeout = deadline(this.timeoutMs)
    const signal = linkSignals(timeout, gone.signal)
    let contact: ShareableContactData
    try {
      // Guarded by the deadline only: our own close at the end of a good run also fires 'close'.
      contact = await untilAborted(runResponder(stream, { ownAccountSeed: account.accountSeed, ...this.ephemeral() }, signal), timeout)
    } catch (err) {
      const e = toNetError(err, signal)
      this.log('warn', 'contact request failed', { code: (e as { code?: string }).code ?? e.name })
      stream.abort(e)
      return
    } finally {
      signal.clear()
      timeout.clear()
      wipe(account.accountSeed)
    }
    try {
      await this.init.onIncomingRequest({ ...contact, remotePeer: connection.remotePeer })
    } catch (err) {
      this.log('error', 'contact request handler failed', { error: (err as Error).name })
    }
  }

  private ephemeral(): { ephemeralSecret?: Uint8Array } {
    return this.init.ephemeralSecret === undefined ? {} : { ephemeralSecret: this.init.ephemeralSecret() }
  }
}

/**
 * Settles with `work`, or rejects with the signal's reason as soon as it fires, even if a step inside
 * `work` overlooks the signal (a dial or stream negotiation stuck under load was seen to). The caller
 * then resets the stream, which ends `work`; its late rejection is swallowed here.
 */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  work.catch(() => {})
  if (signal.aborted) return Promise.reject(signal.reason)
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort)
        resolve(v)
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(e)
      }
    )
  })
}

export function contactRequestService(init: ContactRequestServiceInit): (components: ContactRequestComponents) => ContactRequestService {
  return (components) => new DefaultContactRequestService(components, init)
}
