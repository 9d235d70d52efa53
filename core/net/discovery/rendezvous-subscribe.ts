/**
 * DISCOVER_SUBSCRIBE, client side: berty/go-libp2p-rendezvous's "inmem" sync client
 * (sync_inmem_client.go at 24528bcc6f8d7472df6a780f8ea155fedb10c2dd). After a DISCOVER_SUBSCRIBE on
 * `/rendezvous/1.0.0` answered with type "inmem", one long-lived `/rendezvous/sync/inmem/1.0.0` stream per
 * server carries a DISCOVER_SUBSCRIBE per namespace out and `RegistrationRecord`s in (`ttl` = expiry in
 * Unix ms, Go's quirk). New registrations then arrive as pushes instead of waiting for the next poll.
 *
 * Claims: the details must name the server we asked and the namespace we asked for; records are size-capped,
 * validated and only accepted for namespaces we subscribed to on that stream; expiries are clamped to 72 h;
 * a server that does not offer "inmem" is not asked again for 5 minutes; a stream holding MAX_NS
 * namespaces is ended, and the namespace asked then and later ones are subscribed on a fresh one.
 */
import type { Connection, PeerInfo, Stream } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { lpStream, type LengthPrefixedStream } from '@libp2p/utils'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import type { Logger } from '../../log'
import { errorText } from './driver'
import { rendezvous } from './proto/rendezvous'
import { SYNC_INMEM_PROTOCOL, SYNC_INMEM_TYPE } from './rendezvous-sync'

const RETRY_MS = 5 * 60_000
const MAX_EXPIRY_MS = 72 * 3600_000
const MAX_NS = 256

export type Exchange = (req: rendezvous.Message, signal: AbortSignal) => Promise<rendezvous.Message | undefined>

interface ServerState {
  lp?: LengthPrefixedStream<Stream>
  namespaces: Set<string>
  refusedUntil: Map<string, number>
}

export class InmemSubscriber {
  private readonly state: ServerState = { namespaces: new Set(), refusedUntil: new Map() }
  private opening?: Promise<LengthPrefixedStream<Stream>>

  constructor(
    private readonly serverId: string,
    private readonly exchange: Exchange,
    private readonly connect: (signal: AbortSignal) => Promise<Connection>,
    private readonly onRecord: (ns: string, peer: PeerInfo, expiresAt: number) => void,
    private readonly log: Logger,
    private readonly stopped: AbortSignal
  ) {}

  /** Subscribes to `ns` once (idempotent); failures are remembered, never thrown. */
  async ensure(ns: string, signal: AbortSignal): Promise<void> {
    const s = this.state
    if (s.namespaces.has(ns) || (s.refusedUntil.get(ns) ?? 0) > Date.now()) return
    if (s.namespaces.size >= MAX_NS) {
      // The protocol has no unsubscribe, and rotating namespaces (contact rendezvous points) pile up
      // on a stream that lasts for months: past MAX_NS, every new one went unsubscribed (polling
      // only) for good. (Our own server ends a stream past 64 namespaces itself, rendezvous-sync.ts;
      // a server without such a cap never did.) The stream is ended instead, its namespaces forgotten with it: this one and
      // the next lookups subscribe on a fresh one (those still looked up come back).
      this.log('debug', 'rendezvous: subscription stream full, starting a fresh one', { server: this.serverId })
      const full = s.lp
      s.lp = undefined
      s.namespaces.clear()
      full?.unwrap().abort(new Error('rendezvous: subscription stream full'))
    }
    try {
      const res = await this.exchange({ type: rendezvous.Message.MessageType.DISCOVER_SUBSCRIBE, discoverSubscribe: { supportedSubscriptionTypes: [SYNC_INMEM_TYPE], ns } }, signal)
      const r = res?.discoverSubscribeResponse
      if (r?.status !== rendezvous.Message.ResponseStatus.OK || r.subscriptionType !== SYNC_INMEM_TYPE) throw new Error(`not offered: ${r?.statusText.slice(0, 100) ?? 'no answer'}`)
      const details = r.subscriptionDetails.length <= 1024 ? (JSON.parse(r.subscriptionDetails) as { PeerID?: unknown; ChannelName?: unknown }) : {}
      if (details.PeerID !== this.serverId || details.ChannelName !== ns) throw new Error('subscription details name another server or namespace')
      const lp = await this.stream(signal)
      s.namespaces.add(ns)
      await lp.write(rendezvous.Message.encode({ type: rendezvous.Message.MessageType.DISCOVER_SUBSCRIBE, discoverSubscribe: { supportedSubscriptionTypes: [], ns } }), { signal })
    } catch (err) {
      s.namespaces.delete(ns)
      if (s.refusedUntil.size >= MAX_NS) s.refusedUntil.clear()
      s.refusedUntil.set(ns, Date.now() + RETRY_MS)
      if (!signal.aborted) this.log('debug', 'rendezvous: subscribe failed, polling only', { server: this.serverId, error: errorText(err) })
    }
  }

  close(): void {
    this.state.lp?.unwrap().abort(new Error('discovery stopping'))
  }

  private async stream(signal: AbortSignal): Promise<LengthPrefixedStream<Stream>> {
    if (this.state.lp != null) return this.state.lp
    this.opening ??= (async () => {
      const conn = await this.connect(signal)
      const stream = await conn.newStream(SYNC_INMEM_PROTOCOL, { signal })
      const lp = lpStream(stream, { maxDataLength: 8 * 1024 })
      this.state.lp = lp
      void this.listen(lp)
      return lp
    })().finally(() => { this.opening = undefined })
    return this.opening
  }

  private async listen(lp: LengthPrefixedStream<Stream>): Promise<void> {
    try {
      while (!this.stopped.aborted) {
        const record = rendezvous.RegistrationRecord.decode(await lp.read({ signal: this.stopped }), { limits: { addrs: 64 } })
        if (!this.state.namespaces.has(record.ns)) continue
        const info = toPeerInfo(record)
        const expiresAt = Math.min(Number(record.ttl), Date.now() + MAX_EXPIRY_MS)
        if (info == null || !(expiresAt > Date.now())) continue
        this.onRecord(record.ns, info, expiresAt)
      }
    } catch (err) {
      if (!this.stopped.aborted) this.log('debug', 'rendezvous: subscription stream ended', { server: this.serverId, error: errorText(err) })
      lp.unwrap().abort(new Error('rendezvous: subscription ended'))
    } finally {
      // Next find subscribes again on a fresh stream.
      if (this.state.lp === lp) {
        this.state.lp = undefined
        this.state.namespaces.clear()
      }
    }
  }
}

function toPeerInfo(record: rendezvous.RegistrationRecord): PeerInfo | undefined {
  if (record.id.length === 0 || record.id.length > 128) return undefined
  try {
    const id = peerIdFromString(record.id)
    const multiaddrs: Multiaddr[] = []
    for (const bytes of record.addrs.slice(0, 16)) {
      try {
        multiaddrs.push(multiaddr(bytes))
      } catch {
        // Skipped, as sync_inmem_client.go does.
      }
    }
    return { id, multiaddrs }
  } catch {
    return undefined
  }
}
