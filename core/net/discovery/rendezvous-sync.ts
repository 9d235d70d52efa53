/**
 * DISCOVER_SUBSCRIBE, server side: berty/go-libp2p-rendezvous's "inmem" sync provider
 * (sync_inmem_provider.go at 24528bcc6f8d7472df6a780f8ea155fedb10c2dd). A client that lists "inmem" in
 * `supported_subscription_types` gets `subscription_details = {"PeerID": <server>, "ChannelName": <ns>}`
 * (JSON), opens `/rendezvous/sync/inmem/1.0.0`, sends one DISCOVER_SUBSCRIBE per namespace on that
 * stream, and receives a delimited `RegistrationRecord{id: peer id string, addrs, ns, ttl}` for the last
 * registration at once and for every later one. Note Go's quirk, kept for compatibility: `ttl` carries the
 * expiry time in Unix milliseconds, not a duration.
 *
 * Claims: bounded — namespaces per stream, subscribers per namespace, namespaces tracked (one last
 * announcement each, dropped when it expires), 8 KiB inbound frames; a subscriber whose write fails is dropped.
 */
import type { PeerId, Stream } from '@libp2p/interface'
import { lpStream, type LengthPrefixedStream } from '@libp2p/utils'
import type { Logger } from '../../log'
import { errorText, type ProtocolRegistrar } from './driver'
import { rendezvous } from './proto/rendezvous'

export const SYNC_INMEM_PROTOCOL = '/rendezvous/sync/inmem/1.0.0'
export const SYNC_INMEM_TYPE = 'inmem'

const MAX_NS_PER_STREAM = 64
const MAX_SUBSCRIBERS_PER_NS = 256

interface Topic {
  subscribers: Map<string, LengthPrefixedStream<Stream>>
  last?: rendezvous.RegistrationRecord
}

export class InmemSync {
  private readonly topics = new Map<string, Topic>()

  constructor(
    private readonly registrar: ProtocolRegistrar,
    private readonly self: PeerId,
    private readonly log: Logger,
    private readonly maxTopics: number
  ) {}

  async start(): Promise<void> {
    await this.registrar.handle(SYNC_INMEM_PROTOCOL, (stream, connection) => {
      void this.serve(stream, connection.remotePeer)
    }, { maxInboundStreams: 4 })
  }

  async stop(): Promise<void> {
    await this.registrar.unhandle(SYNC_INMEM_PROTOCOL)
    for (const t of this.topics.values()) for (const w of t.subscribers.values()) w.unwrap().abort(new Error('server stopping'))
    this.topics.clear()
  }

  /** Subscribed (namespace, peer) pairs. */
  subscriptions(): number {
    let n = 0
    for (const t of this.topics.values()) n += t.subscribers.size
    return n
  }

  /** `subscription_details` for `ns`, exactly as Go's `json.Marshal(&PubSubSubscriptionDetails{…})`. */
  details(ns: string): string {
    return JSON.stringify({ PeerID: this.self.toString(), ChannelName: ns })
  }

  /** Pushes a new registration to the namespace's subscribers (Go PubSub.Register). */
  publish(peer: PeerId, ns: string, addrs: Uint8Array[], expiresAtMs: number): void {
    const topic = this.topic(ns)
    if (topic == null) return
    topic.last = { id: peer.toString(), addrs, ns, ttl: BigInt(expiresAtMs) }
    const bytes = rendezvous.RegistrationRecord.encode(topic.last)
    for (const [key, w] of topic.subscribers) {
      w.write(bytes, { signal: AbortSignal.timeout(10_000) }).catch((err: unknown) => {
        topic.subscribers.delete(key)
        w.unwrap().abort(new Error('subscriber too slow or gone'))
        this.log('debug', 'rendezvous sync: dropped a subscriber', { peer: key, error: errorText(err) })
      })
    }
  }

  private topic(ns: string): Topic | undefined {
    let t = this.topics.get(ns)
    if (t != null) return t
    if (this.topics.size >= this.maxTopics) this.pruneTopics()
    if (this.topics.size >= this.maxTopics) return undefined
    t = { subscribers: new Map() }
    this.topics.set(ns, t)
    return t
  }

  private pruneTopics(): void {
    const nowMs = Date.now()
    for (const [ns, t] of this.topics) {
      if (t.last != null && Number(t.last.ttl) <= nowMs) delete t.last
      if (t.subscribers.size === 0 && t.last == null) this.topics.delete(ns)
    }
  }

  private async serve(stream: Stream, peer: PeerId): Promise<void> {
    const key = peer.toString()
    const lp = lpStream(stream, { maxDataLength: 8 * 1024 })
    const mine = new Set<string>()
    try {
      for (;;) {
        const req = rendezvous.Message.decode(await lp.read(), { limits: { discoverSubscribe: { supportedSubscriptionTypes: 16 } } })
        // Go ignores other message types on this protocol.
        if (req.type !== rendezvous.Message.MessageType.DISCOVER_SUBSCRIBE) continue
        const ns = req.discoverSubscribe?.ns ?? ''
        if (ns === '' || Buffer.byteLength(ns) > 256 || mine.has(ns)) continue
        if (mine.size >= MAX_NS_PER_STREAM) throw new Error('too many subscriptions on one stream')
        const topic = this.topic(ns)
        if (topic == null || topic.subscribers.size >= MAX_SUBSCRIBERS_PER_NS) continue
        topic.subscribers.set(key, lp)
        mine.add(ns)
        if (topic.last != null && Number(topic.last.ttl) > Date.now()) await lp.write(rendezvous.RegistrationRecord.encode(topic.last))
      }
    } catch (err) {
      if ((err as { name?: string }).name !== 'UnexpectedEOFError') {
        this.log('debug', 'rendezvous sync: subscriber stream ended', { peer: key, error: errorText(err) })
      }
      stream.abort(new Error('rendezvous sync: stream ended'))
    } finally {
      for (const ns of mine) {
        const t = this.topics.get(ns)
        if (t?.subscribers.get(key) === lp) t.subscribers.delete(key)
      }
    }
  }
}
