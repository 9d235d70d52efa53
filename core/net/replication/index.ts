/**
 * The replication request stream protocol (`/berty/replication/1.0.0`) as a js-libp2p-style service
 * (STYLE.md, after js-libp2p's fetch service): a member asks a replication server to serve a group
 * (weshnet `ReplicationService.ReplicateGroup`, proto/replication.proto). One request frame, one
 * reply frame, over the project's one framing (lp-stream.ts).
 *
 * Claims: every frame is capped (4 KiB) before it is buffered, every read times out, each exchange
 * has a deadline and honours the caller's AbortSignal; on any failure the stream is reset. The
 * server's decision (`init.onRequest`) sees the request only once it decoded within the caps.
 * Disclaims: it does not decide whether to serve (the caller checks token, signature, quota), and
 * hides neither the member's address nor which server it uses.
 */
import { serviceCapabilities, type AbortOptions, type Connection, type PeerId, type Startable, type Stream, type StreamHandler, type StreamHandlerOptions } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { silentLogger, type Logger } from '../../log'
import { NetError } from '../errors'
import { deadline } from '../deadline'
import { FramedStream, toNetError } from '../lp-stream'
import { ReplicateGroupReply, ReplicateGroupRequest } from './proto/replication'

export const REPLICATION_PROTOCOL = '/berty/replication/1.0.0'
/** A request is a filtered group (four keys and a signature) and a token: well under this. */
export const MAX_REPLICATION_FRAME_BYTES = 4096
export const DEFAULT_REPLICATION_TIMEOUT_MS = 20_000
const MAX_TEXT = 512

/** The filtered group (weshnet `Group`, FilterForReplication) and the bearer token. */
export interface ReplicateRequest {
  groupPk: Uint8Array
  signPub: Uint8Array
  linkKey: Uint8Array
  linkKeySig?: Uint8Array
  token: string
}

export type ReplicateReply = { ok: true } | { ok: false; code: string; message: string }

export interface ReplicationServiceInit {
  /** The server's decision; undefined when this node serves no one (inbound streams get a refusal). */
  onRequest?: (request: ReplicateRequest, remotePeer: PeerId) => Promise<ReplicateReply>
  timeoutMs?: number
  maxInboundStreams?: number
  log?: Logger
}

export interface ReplicationComponents {
  registrar: {
    handle(protocol: string, handler: StreamHandler, options?: StreamHandlerOptions): Promise<void>
    unhandle(protocol: string): Promise<void>
  }
  connectionManager: {
    openConnection(peer: PeerId | Multiaddr | Multiaddr[], options?: AbortOptions): Promise<Connection>
  }
}

export interface ReplicationService extends Startable {
  /** Asks the server at `peer` to replicate a group; resolves with its reply (a refusal is a reply, not a throw). */
  request(peer: PeerId | Multiaddr | Multiaddr[], request: ReplicateRequest, options?: AbortOptions): Promise<ReplicateReply & { peer: PeerId }>
}

export function encodeRequest(r: ReplicateRequest): Uint8Array {
  return ReplicateGroupRequest.encode({
    group: {
      publicKey: r.groupPk,
      secret: new Uint8Array(0),
      secretSig: new Uint8Array(0),
      groupType: 0,
      signPub: r.signPub,
      linkKey: r.linkKey,
      linkKeySig: r.linkKeySig ?? new Uint8Array(0)
    },
    token: r.token
  })
}

/** Decodes a request; a secret sent by mistake is refused rather than stored or echoed. */
export function decodeRequest(bytes: Uint8Array): ReplicateRequest {
  const msg = ReplicateGroupRequest.decode(bytes)
  const g = msg.group
  if (!g) throw new NetError('ERR_BAD_OPTION', 'request without a group')
  if (g.secret.byteLength > 0 || g.secretSig.byteLength > 0) throw new NetError('ERR_BAD_OPTION', 'a replication request must not carry the group secret')
  return {
    groupPk: g.publicKey,
    signPub: g.signPub,
    linkKey: g.linkKey,
    ...(g.linkKeySig.byteLength > 0 ? { linkKeySig: g.linkKeySig } : {}),
    token: msg.token
  }
}

export function encodeReply(r: ReplicateReply): Uint8Array {
  return ReplicateGroupReply.encode(r.ok ? { ok: true, errorCode: '', errorMessage: '' } : { ok: false, errorCode: r.code.slice(0, MAX_TEXT), errorMessage: r.message.slice(0, MAX_TEXT) })
}

export function decodeReply(bytes: Uint8Array): ReplicateReply {
  const msg = ReplicateGroupReply.decode(bytes)
  if (msg.ok) return { ok: true }
  return { ok: false, code: msg.errorCode.slice(0, MAX_TEXT) || 'ERR_PROTOCOL', message: msg.errorMessage.slice(0, MAX_TEXT) || 'refused without a reason' }
}

class DefaultReplicationService implements ReplicationService {
  readonly [Symbol.toStringTag] = '@berty/replication'
  readonly [serviceCapabilities]: string[] = ['@berty/replication']
  private readonly timeoutMs: number
  private readonly log: Logger
  private started = false

  constructor(
    private readonly components: ReplicationComponents,
    private readonly init: ReplicationServiceInit
  ) {
    this.timeoutMs = init.timeoutMs ?? DEFAULT_REPLICATION_TIMEOUT_MS
    if (!Number.isSafeInteger(this.timeoutMs) || this.timeoutMs <= 0) throw new NetError('ERR_BAD_OPTION', 'timeoutMs must be a positive integer')
    this.log = init.log ?? silentLogger
  }

  async start(): Promise<void> {
    await this.components.registrar.handle(REPLICATION_PROTOCOL, (stream, connection) => void this.onStream(stream, connection), {
      maxInboundStreams: this.init.maxInboundStreams ?? 4
    })
    this.started = true
  }

  async stop(): Promise<void> {
    await this.components.registrar.unhandle(REPLICATION_PROTOCOL)
    this.started = false
  }

  isStarted(): boolean {
    return this.started
  }

  async request(peer: PeerId | Multiaddr | Multiaddr[], request: ReplicateRequest, options: AbortOptions = {}): Promise<ReplicateReply & { peer: PeerId }> {
    const signal = deadline(this.timeoutMs, options.signal)
    let stream: Stream | undefined
    try {
      const connection = await this.components.connectionManager.openConnection(peer, { signal })
      stream = await connection.newStream(REPLICATION_PROTOCOL, { signal })
      const framed = new FramedStream(stream, { maxFrameBytes: MAX_REPLICATION_FRAME_BYTES })
      await framed.write(encodeRequest(request), { signal })
      const reply = decodeReply(await framed.read({ signal }))
      await stream.close({ signal })
      return { ...reply, peer: connection.remotePeer }
    } catch (err) {
      const e = options.signal?.aborted === true ? err : toNetError(err, signal)
      stream?.abort(e instanceof Error ? e : new Error(String(e)))
      throw e
    }
  }

  private async onStream(stream: Stream, connection: Connection): Promise<void> {
    const gone = new AbortController()
    stream.addEventListener('close', () => gone.abort(), { once: true })
    const signal = deadline(this.timeoutMs, gone.signal)
    const framed = new FramedStream(stream, { maxFrameBytes: MAX_REPLICATION_FRAME_BYTES })
    try {
      let reply: ReplicateReply
      let request: ReplicateRequest | undefined
      const bytes = await framed.read({ signal })
      try {
        request = decodeRequest(bytes)
      } catch (err) {
        reply = { ok: false, code: 'ERR_PROTOCOL', message: `malformed request: ${err instanceof Error ? err.message : String(err)}` }
      }
      if (request) {
        reply = this.init.onRequest
          ? await this.init.onRequest(request, connection.remotePeer)
          : { ok: false, code: 'ERR_NOT_SERVING', message: 'this node is not a replication server' }
      }
      await framed.write(encodeReply(reply!), { signal })
      await stream.close({ signal })
    } catch (err) {
      const e = toNetError(err, signal)
      this.log('debug', 'replication: inbound stream failed', { code: (e as { code?: string }).code ?? e.name })
      stream.abort(e)
    }
  }
}

export function replicationService(init: ReplicationServiceInit): (components: ReplicationComponents) => ReplicationService {
  return (components) => new DefaultReplicationService(components, init)
}

/** The components of a running libp2p node. */
export function replicationComponentsOf(libp2p: {
  handle: ReplicationComponents['registrar']['handle']
  unhandle: ReplicationComponents['registrar']['unhandle']
  dial(peer: PeerId | Multiaddr | Multiaddr[], options?: AbortOptions): Promise<Connection>
}): ReplicationComponents {
  return {
    registrar: { handle: (p, h, o) => libp2p.handle(p, h, o), unhandle: (p) => libp2p.unhandle(p) },
    connectionManager: { openConnection: (peer, o) => libp2p.dial(peer, o) }
  }
}
