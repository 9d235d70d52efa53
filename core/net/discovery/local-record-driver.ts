/**
 * Local records (weshnet `pkg/tinder/driver_localdiscovery.go`, protocol `wesh/p2p/localrecord`, no leading
 * slash): each node pushes the namespaces it advertises, as one uvarint-delimited `tinder.Records{Record{cid,
 * expire}}` message (expire in Unix seconds), to peers connected over private addresses — on connect
 * (once identify shows they speak the protocol) and on each new advertisement. Receivers remember
 * (namespace → peer) until expiry and answer `find` from that cache.
 *
 * Claims: inbound messages capped at 2048 bytes (weshnet's reader limit) and read under a timeout; only
 * accepted over private/loopback connections; namespaces capped in length; expiries clamped to 72 h; the
 * cache is bounded (namespaces and peers per namespace); refusals are logged once per peer per minute.
 * Disclaims: every LAN peer we connect to learns which (opaque, rotating) namespaces we advertise.
 */
import type { Connection, IdentifyResult, PeerInfo, Stream } from '@libp2p/interface'
import { isPrivate, lpStream } from '@libp2p/utils'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { Logger } from '../../log'
import { MAX_NAMESPACE_BYTES, type DiscoveryComponents, type DriverFactory } from './discovery'
import { StatusTracker, errorText, type DiscoveryDriver, type DriverStatus } from './driver'
import { tinder } from './proto/records'
import { deadline } from '../deadline'

/** weshnet recProtocolID. */
export const LOCAL_RECORD_PROTOCOL = 'wesh/p2p/localrecord'
/** weshnet minTTL: a record lives at least 2 h. */
const MIN_TTL_MS = 7200_000
const MAX_EXPIRY_MS = 72 * 3600_000
/** weshnet `protoio.NewDelimitedReader(s, 2048)`. */
const MAX_MESSAGE_BYTES = 2048
const MAX_NAMESPACES = 1024
const MAX_PEERS_PER_NS = 256

export interface LocalRecordDriverInit {
  /** Deadline to read or write one records message. Default 10 s. */
  timeoutMs?: number
}

interface Seen {
  addr: Multiaddr
  expiresAt: number
}

class LocalRecordDriver implements DiscoveryDriver {
  readonly name = 'localrecord'
  private readonly tracker = new StatusTracker('localrecord')
  /** Our records: namespace → expiry (ms). */
  private readonly own = new Map<string, number>()
  /** Theirs: namespace → peer id → where we saw it and until when. */
  private readonly cache = new Map<string, Map<string, Seen>>()
  private readonly peerIds = new Map<string, PeerInfo['id']>()
  private readonly lastRefusal = new Map<string, number>()
  private controller = new AbortController()

  constructor(private readonly components: DiscoveryComponents, private readonly init: LocalRecordDriverInit, private readonly log: Logger, private readonly changed: () => void) {}

  async start(): Promise<void> {
    this.controller = new AbortController()
    await this.components.registrar.handle(LOCAL_RECORD_PROTOCOL, (stream, connection) => {
      void this.receive(stream, connection)
    }, { maxInboundStreams: 8 })
    this.components.events.addEventListener('peer:identify', this.onIdentify)
    this.tracker.running = true
  }

  async stop(): Promise<void> {
    this.controller.abort()
    this.components.events.removeEventListener('peer:identify', this.onIdentify)
    await this.components.registrar.unhandle(LOCAL_RECORD_PROTOCOL)
    this.tracker.running = false
  }

  async advertise(namespace: string, ttlMs: number, signal: AbortSignal): Promise<number> {
    const ttl = Math.max(ttlMs, MIN_TTL_MS)
    if (!this.own.has(namespace) && this.own.size >= MAX_NAMESPACES) throw new RangeError('local records: too many namespaces')
    const expiresAt = Date.now() + ttl
    this.own.set(namespace, expiresAt)
    const records = { records: [{ cid: namespace, expire: BigInt(Math.floor(expiresAt / 1000)) }] }
    await Promise.allSettled(this.privateConnections().map(async (c) => this.send(c, records, signal)))
    return ttl
  }

  async unadvertise(namespace: string): Promise<void> {
    this.own.delete(namespace)
  }

  async *find(namespace: string): AsyncIterable<PeerInfo> {
    const now = Date.now()
    const peers = this.cache.get(namespace)
    for (const [key, seen] of peers ?? []) {
      const id = this.peerIds.get(key)
      if (seen.expiresAt <= now || id == null) {
        peers?.delete(key)
        continue
      }
      const info = { id, multiaddrs: [seen.addr] }
      this.tracker.foundPeer(info)
      yield info
    }
  }

  status(): DriverStatus {
    return this.tracker.snapshot(this.own.size, { namespacesHeard: this.cache.size })
  }

  private readonly onIdentify = (evt: CustomEvent<IdentifyResult>): void => {
    const { connection, protocols } = evt.detail
    if (!protocols.includes(LOCAL_RECORD_PROTOCOL) || !isPrivateConnection(connection)) return
    const now = Date.now()
    const records = [...this.own].filter(([, exp]) => exp > now).map(([cid, exp]) => ({ cid, expire: BigInt(Math.floor(exp / 1000)) }))
    if (records.length === 0) return
    void this.send(connection, { records }, this.controller.signal).catch((err: unknown) => {
      this.log('debug', 'local records: push failed', { peer: connection.remotePeer.toString(), error: errorText(err) })
    })
  }

  private privateConnections(): Connection[] {
    return this.components.connectionManager.getConnections().filter(isPrivateConnection)
  }

  /** One stream, one message (weshnet sendRecordsTo). Messages over the cap are split. */
  private async send(connection: Connection, records: tinder.Records, signal: AbortSignal): Promise<void> {
    for (const chunk of chunks(records.records)) {
      const opSignal = deadline(this.init.timeoutMs ?? 10_000, signal)
      try {
        const stream = await connection.newStream(LOCAL_RECORD_PROTOCOL, { signal: opSignal })
        try {
          await lpStream(stream).write(tinder.Records.encode({ records: chunk }), { signal: opSignal })
          await stream.close({ signal: opSignal })
        } catch (err) {
          stream.abort(err instanceof Error ? err : new Error(String(err)))
          throw err
        }
      } finally {
        opSignal.clear()
      }
    }
  }

  private async receive(stream: Stream, connection: Connection): Promise<void> {
    const peer = connection.remotePeer
    if (!isPrivateConnection(connection)) {
      stream.abort(new Error('local records are accepted over private addresses only'))
      return this.refused(peer.toString(), 'connection is not over a private address')
    }
    let message: tinder.Records
    try {
      const signal = deadline(this.init.timeoutMs ?? 10_000, this.controller.signal)
      const frame = await lpStream(stream, { maxDataLength: MAX_MESSAGE_BYTES }).read({ signal })
      message = tinder.Records.decode(frame, { limits: { records: 64 } })
      // Not awaited: close() waits for the sender's side too, and the records are already here.
      void stream.close({ signal }).catch(() => stream.abort(new Error('local records: close timed out')))
    } catch (err) {
      stream.abort(err instanceof Error ? err : new Error(String(err)))
      return this.refused(peer.toString(), 'malformed or oversized records message', errorText(err))
    }
    const now = Date.now()
    const key = peer.toString()
    let fresh = false
    for (const record of message.records) {
      if (record.cid.length === 0 || Buffer.byteLength(record.cid) > MAX_NAMESPACE_BYTES) {
        this.refused(key, 'bad namespace in a record')
        continue
      }
      const expiresAt = Math.min(Number(record.expire) * 1000, now + MAX_EXPIRY_MS)
      if (!(expiresAt > now)) continue
      let peers = this.cache.get(record.cid)
      if (peers == null) {
        if (this.cache.size >= MAX_NAMESPACES) {
          this.refused(key, 'local record cache full')
          continue
        }
        peers = new Map()
        this.cache.set(record.cid, peers)
      }
      if (!peers.has(key) && peers.size >= MAX_PEERS_PER_NS) continue
      peers.set(key, { addr: connection.remoteAddr, expiresAt })
      if (!this.peerIds.has(key) && this.peerIds.size >= MAX_NAMESPACES * 4) this.prunePeerIds()
      this.peerIds.set(key, peer)
      fresh = true
    }
    if (fresh) this.changed()
  }

  /** Drops expired cache entries and the ids no entry refers to any more. */
  private prunePeerIds(): void {
    const now = Date.now()
    const used = new Set<string>()
    for (const [ns, peers] of this.cache) {
      for (const [key, seen] of peers) {
        if (seen.expiresAt <= now) peers.delete(key)
        else used.add(key)
      }
      if (peers.size === 0) this.cache.delete(ns)
    }
    for (const key of [...this.peerIds.keys()]) if (!used.has(key)) this.peerIds.delete(key)
  }

  private refused(peer: string, reason: string, detail?: string): void {
    this.tracker.error(new Error(`refused from ${peer}: ${reason}`))
    const k = `${peer} ${reason}`
    const now = Date.now()
    const last = this.lastRefusal.get(k)
    if (last != null && now - last < 60_000) return
    if (this.lastRefusal.size >= 1024) this.lastRefusal.clear()
    this.lastRefusal.set(k, now)
    this.log('warn', `local records refused: ${reason}`, { peer, ...(detail != null ? { detail } : {}) })
  }
}

/** Private, loopback or link-local remote address (weshnet: manet.IsPrivateAddr). Relayed connections are not local. */
export function isPrivateConnection(connection: Connection): boolean {
  const addr = connection.remoteAddr
  if (addr.getComponents().some((c) => c.name === 'p2p-circuit')) return false
  return isPrivate(addr) === true
}

/** Splits records so each encoded message stays under the receiver's 2048-byte cap. */
function chunks(records: tinder.Record[]): tinder.Record[][] {
  const out: tinder.Record[][] = []
  let cur: tinder.Record[] = []
  let size = 0
  for (const r of records) {
    const n = Buffer.byteLength(r.cid) + 16
    if (size + n > MAX_MESSAGE_BYTES - 16 && cur.length > 0) {
      out.push(cur)
      cur = []
      size = 0
    }
    cur.push(r)
    size += n
  }
  if (cur.length > 0) out.push(cur)
  return out
}

export function localRecordDriver(init: LocalRecordDriverInit = {}): DriverFactory {
  return (components, { log, changed }) => new LocalRecordDriver(components, init, log, changed)
}
