/**
 * Rendezvous server (`--serve-rendezvous`): berty/go-libp2p-rendezvous's `/rendezvous/1.0.0` service
 * (svc.go handleStream), so any always-on desktop can be the meeting point for its friends, and Go
 * clients (weshnet's rdvp driver) can use it too.
 *
 * Wire: each frame is `uvarint(len) ‖ rendezvous.pb.Message`; one stream carries any number of
 * request/response pairs (UNREGISTER has no response), as Go's handleStream loop.
 *
 * Claims: every inbound frame is size-capped and read under an idle timeout; a peer gets a bounded number of
 * requests per stream and per second (token bucket); malformed frames and unexpected types reset the stream;
 * every refusal is logged once per peer and reason per minute (no payloads, no namespaces in logs).
 * DISCOVER_SUBSCRIBE: the "inmem" subscription type is offered (rendezvous-sync.ts); any other type gets
 * "subscription type not found", as a Go server answers.
 */
import type { ComponentLogger, Connection, PeerId, Startable, Stream } from '@libp2p/interface'
import { lpStream } from '@libp2p/utils'
import { silentLogger, type Logger } from '../../log'
import { errorText, type ProtocolRegistrar } from './driver'
import { rendezvous } from './proto/rendezvous'
import { DEFAULT_RENDEZVOUS_LIMITS, RegistrationStore, type RendezvousLimits } from './rendezvous-store'
import { InmemSync, SYNC_INMEM_TYPE } from './rendezvous-sync'
import { deadline, type ClearableSignal } from '../deadline'

/** go-libp2p-rendezvous proto.go RendezvousProto. */
export const RENDEZVOUS_PROTOCOL = '/rendezvous/1.0.0'

const Type = rendezvous.Message.MessageType
const Status = rendezvous.Message.ResponseStatus

export interface RendezvousServerInit extends Partial<RendezvousLimits> {
  log?: Logger
  /** Largest inbound frame. A register with 2048 address bytes and a 256-byte namespace fits in 4 KiB. Default 8 KiB. */
  maxRequestBytes?: number
  /** Most requests on one stream before it is closed. Default 64. */
  maxRequestsPerStream?: number
  /** Idle time allowed between frames on one stream. Default 30 s. */
  idleTimeoutMs?: number
  /** Requests per second a peer may sustain, and its burst. Default 5/s, burst 50. */
  ratePerSec?: number
  burst?: number
  maxInboundStreams?: number
  /** For tests: a clock. */
  now?: () => number
}

export interface RendezvousServerComponents {
  registrar: ProtocolRegistrar
  logger: ComponentLogger
  peerId: PeerId
}

export interface RendezvousServerStats {
  registrations: number
  peers: number
  refused: number
  /** Live DISCOVER_SUBSCRIBE subscriptions. */
  subscriptions: number
}

export interface RendezvousServer extends Startable {
  stats(): RendezvousServerStats
}

interface Bucket {
  tokens: number
  at: number
}

const MAX_TRACKED_PEERS = 10_000
const OVERSIZE = new Set(['InvalidDataLengthError', 'InvalidDataLengthLengthError', 'StreamBufferError'])

class RendezvousServerService implements RendezvousServer {
  readonly [Symbol.toStringTag] = '@berty/rendezvous-server'
  private readonly store: RegistrationStore
  private readonly log: Logger
  private readonly buckets = new Map<string, Bucket>()
  private readonly lastRefusalLog = new Map<string, number>()
  private readonly now: () => number
  private stopping = new AbortController()
  private pruneTimer?: ReturnType<typeof setInterval>
  private refused = 0
  private readonly sync: InmemSync

  constructor(private readonly components: RendezvousServerComponents, private readonly init: RendezvousServerInit) {
    this.now = init.now ?? Date.now
    this.store = new RegistrationStore({ ...DEFAULT_RENDEZVOUS_LIMITS, ...pickLimits(init) }, this.now)
    this.log = init.log ?? silentLogger
    this.sync = new InmemSync(components.registrar, components.peerId, this.log, this.store.limits.maxTotal)
  }

  async start(): Promise<void> {
    this.stopping = new AbortController()
    await this.components.registrar.handle(RENDEZVOUS_PROTOCOL, (stream, connection) => {
      void this.serve(stream, connection)
    }, { maxInboundStreams: this.init.maxInboundStreams ?? 32 })
    await this.sync.start()
    this.pruneTimer = setInterval(() => {
      this.store.pruneExpired()
      this.buckets.clear()
    }, 60_000)
    this.pruneTimer.unref?.()
  }

  async stop(): Promise<void> {
    this.stopping.abort()
    clearInterval(this.pruneTimer)
    await this.components.registrar.unhandle(RENDEZVOUS_PROTOCOL)
    await this.sync.stop()
  }

  stats(): RendezvousServerStats {
    return { registrations: this.store.size, peers: this.store.peers, refused: this.refused, subscriptions: this.sync.subscriptions() }
  }

  private async serve(stream: Stream, connection: Connection): Promise<void> {
    const peer = connection.remotePeer
    const lp = lpStream(stream, { maxDataLength: this.init.maxRequestBytes ?? 8 * 1024 })
    const maxRequests = this.init.maxRequestsPerStream ?? 64
    // One deadline per request, let go of when the next starts or the stream ends.
    let signal: ClearableSignal | undefined
    try {
      for (let n = 0; ; n++) {
        signal?.clear()
        signal = deadline(this.init.idleTimeoutMs ?? 30_000, this.stopping.signal)
        let frame: Uint8Array
        try {
          frame = (await lp.read({ signal })).subarray()
        } catch (err) {
          const name = (err as { name?: string }).name ?? ''
          if (OVERSIZE.has(name)) return this.refuse(stream, peer, 'oversized frame', errorText(err))
          // A clean end (our clients half-close), a reset (go-libp2p-rendezvous clients `defer s.Reset()`),
          // an idle timeout or our own stop: all normal ways for a stream to end.
          stream.abort(new Error('rendezvous: stream ended'))
          return
        }
        if (n >= maxRequests) return this.refuse(stream, peer, 'too many requests on one stream')
        let req: rendezvous.Message
        try {
          req = rendezvous.Message.decode(frame, { limits: { register: { peer: { addrs: 64 } }, discoverSubscribe: { supportedSubscriptionTypes: 16 } } })
        } catch (err) {
          return this.refuse(stream, peer, 'malformed frame', errorText(err))
        }
        if (!this.take(peer)) {
          await lp.write(rendezvous.Message.encode(rateLimited(req.type)), { signal })
          return this.refuse(stream, peer, 'rate limited')
        }
        const res = this.answer(req, peer)
        if (res === 'close') return this.refuse(stream, peer, 'unexpected message type', String(req.type))
        if (res != null) await lp.write(rendezvous.Message.encode(res), { signal })
      }
    } catch (err) {
      if (!this.stopping.signal.aborted) this.refuse(stream, peer, 'stream failed', errorText(err))
      else stream.abort(new Error('server stopping'))
    } finally {
      signal?.clear()
    }
  }

  private answer(req: rendezvous.Message, peer: PeerId): rendezvous.Message | undefined | 'close' {
    const key = peer.toString()
    switch (req.type) {
      case Type.REGISTER: {
        const reg = req.register
        const claimed = reg?.peer?.id
        const own = peer.toMultihash().bytes
        let r: ReturnType<RegistrationStore['register']>
        if (reg?.peer == null) r = { ok: false, status: Status.E_INVALID_PEER_INFO, text: 'missing peer info' }
        else if (claimed != null && claimed.byteLength > 0 && !equal(claimed, own)) r = { ok: false, status: Status.E_INVALID_PEER_INFO, text: 'peer id mismatch' }
        else r = this.store.register(key, own, reg.ns, reg.peer.addrs, reg.ttl)
        if (!r.ok) this.noteRefusal(peer, r.text)
        else this.sync.publish(peer, reg?.ns ?? '', reg?.peer?.addrs ?? [], this.now() + r.ttlSec * 1000)
        return {
          type: Type.REGISTER_RESPONSE,
          registerResponse: r.ok ? { status: Status.OK, statusText: '', ttl: BigInt(r.ttlSec) } : { status: r.status, statusText: r.text, ttl: 0n }
        }
      }
      case Type.UNREGISTER: {
        const claimed = req.unregister?.id
        if (claimed != null && claimed.byteLength > 0 && !equal(claimed, peer.toMultihash().bytes)) {
          this.noteRefusal(peer, 'unregister of another peer')
        } else {
          this.store.unregister(key, req.unregister?.ns ?? '')
        }
        return undefined
      }
      case Type.DISCOVER: {
        const d = req.discover
        const r = this.store.discover(d?.ns ?? '', d?.limit ?? 0n, d?.cookie)
        if (!r.ok) this.noteRefusal(peer, r.text)
        return {
          type: Type.DISCOVER_RESPONSE,
          discoverResponse: r.ok
            ? { registrations: r.registrations, cookie: r.cookie ?? new Uint8Array(0), status: Status.OK, statusText: '' }
            : { registrations: [], cookie: new Uint8Array(0), status: r.status, statusText: r.text }
        }
      }
      case Type.DISCOVER_SUBSCRIBE: {
        const ns = req.discoverSubscribe?.ns ?? ''
        const ok = req.discoverSubscribe?.supportedSubscriptionTypes.includes(SYNC_INMEM_TYPE) === true && ns !== '' && Buffer.byteLength(ns) <= this.store.limits.maxNamespaceBytes
        return {
          type: Type.DISCOVER_SUBSCRIBE_RESPONSE,
          discoverSubscribeResponse: ok
            ? { subscriptionType: SYNC_INMEM_TYPE, subscriptionDetails: this.sync.details(ns), status: Status.OK, statusText: '' }
            : { subscriptionType: '', subscriptionDetails: '', status: Status.E_INTERNAL_ERROR, statusText: 'subscription type not found' }
        }
      }
      default:
        return 'close'
    }
  }

  /** Token bucket per peer: `burst` requests at once, `ratePerSec` sustained. */
  private take(peer: PeerId): boolean {
    const key = peer.toString()
    const rate = this.init.ratePerSec ?? 5
    const burst = this.init.burst ?? 50
    const now = this.now()
    const b = this.buckets.get(key) ?? { tokens: burst, at: now }
    b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * rate)
    b.at = now
    this.buckets.delete(key)
    if (this.buckets.size >= MAX_TRACKED_PEERS) {
      const oldest = this.buckets.keys().next().value
      if (oldest != null) this.buckets.delete(oldest)
    }
    this.buckets.set(key, b)
    if (b.tokens < 1) return false
    b.tokens -= 1
    return true
  }

  private refuse(stream: Stream, peer: PeerId, reason: string, detail?: string): void {
    this.noteRefusal(peer, reason, detail)
    stream.abort(new Error(`rendezvous: ${reason}`))
  }

  /** Counts every refusal; logs one line per (peer, reason) per minute so a flood cannot flood the log. */
  private noteRefusal(peer: PeerId, reason: string, detail?: string): void {
    this.refused++
    const key = `${peer.toString()} ${reason}`
    const now = this.now()
    const last = this.lastRefusalLog.get(key)
    if (last != null && now - last < 60_000) return
    if (this.lastRefusalLog.size >= MAX_TRACKED_PEERS) this.lastRefusalLog.clear()
    this.lastRefusalLog.set(key, now)
    this.log('warn', `rendezvous server refused a request: ${reason}`, { peer: peer.toString(), ...(detail != null ? { detail } : {}), refusedTotal: this.refused })
  }
}

function rateLimited(type: rendezvous.Message.MessageType): rendezvous.Message {
  if (type === Type.DISCOVER) {
    return { type: Type.DISCOVER_RESPONSE, discoverResponse: { registrations: [], cookie: new Uint8Array(0), status: Status.E_UNAVAILABLE, statusText: 'rate limited' } }
  }
  return { type: Type.REGISTER_RESPONSE, registerResponse: { status: Status.E_UNAVAILABLE, statusText: 'rate limited', ttl: 0n } }
}

function pickLimits(init: RendezvousServerInit): Partial<RendezvousLimits> {
  const out: Partial<RendezvousLimits> = {}
  for (const k of Object.keys(DEFAULT_RENDEZVOUS_LIMITS) as Array<keyof RendezvousLimits>) {
    const v = init[k]
    if (v != null) {
      if (!Number.isSafeInteger(v) || v <= 0) throw new RangeError(`rendezvous server: ${k} must be a positive integer`)
      out[k] = v
    }
  }
  return out
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((x, i) => x === b[i])
}

export function rendezvousServer(init: RendezvousServerInit = {}): (components: RendezvousServerComponents) => RendezvousServer {
  return (components) => new RendezvousServerService(components, init)
}
