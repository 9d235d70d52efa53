/**
 * mDNS driver (`@libp2p/mdns`): hears and answers multicast DNS on the LAN, with no internet and no
 * configuration, and connects to the LAN peers it hears (up to a bound). mDNS announces the node, not
 * namespaces: which of those peers share a namespace is what the local-record driver learns once connected
 * (weshnet pairs them the same way: mdns for LAN peers, `localdisc` for topics). So this driver's
 * `advertise` only reports the announce interval it keeps anyway, and its `find` yields nothing of its own.
 *
 * Query cadence (issue 8: an always-on desktop or replica must be cheap when nothing changes): every
 * query is answered by every node on the LAN and each answer is parsed by every node, so N nodes querying
 * every 10 s cost N³ answer parses per 10 s. A node queries at once on start, then every `interval` (10 s)
 * as long as the last query brought a peer it had not heard (or a dial to a heard peer failed); each query
 * that brings nothing new doubles the wait, up to `maxInterval` (5 min). A change of our own addresses or
 * `wake()` (a network change, a resume from sleep, the last peer lost: discovery.ts) queries at once and
 * starts over at `interval`. A newcomer is still found within seconds: its own start query is answered
 * by everyone at once, whatever their cadence, and its answer to it reaches everyone. Answers to others'
 * queries are unchanged.
 *
 * Claims: at most `maxLanPeers` connections opened because of mDNS at a time (a peer gone frees its place); each announced address is checked
 * (private or loopback only: an mDNS answer pointing at a public address is ignored).
 * Disclaims: everyone on the LAN learns our peer id and addresses while mDNS runs.
 */
import { mdns, type MulticastDNSInit } from '@libp2p/mdns'
import type { Peer, PeerDiscovery, PeerId, PeerInfo, PeerUpdate, Startable } from '@libp2p/interface'
import { isPrivate } from '@libp2p/utils'
import type { Logger } from '../../log'
import type { DiscoveryComponents, DriverFactory } from './discovery'
import { StatusTracker, errorText, type DiscoveryDriver, type DriverStatus } from './driver'
import { MAX_ADDRS_PER_PEER } from './dialer'
import { deadline } from '../deadline'

export interface MdnsDriverInit extends MulticastDNSInit {
  /** Most LAN peers this driver dials. Default 32. */
  maxLanPeers?: number
  /**
   * Longest interval between our queries once nothing new is heard (see the header). Default 5 min;
   * equal to `interval` (or less) keeps @libp2p/mdns's fixed cadence (the bench's before-issue-8 baseline).
   */
  maxInterval?: number
}

/** @libp2p/mdns's defaults, which it does not export. */
const MDNS_INTERVAL_MS = 10_000
const MDNS_SERVICE_TAG = '_p2p._udp.local'
export const MDNS_MAX_INTERVAL_MS = 5 * 60_000
/** The longest delay setTimeout/setInterval take (larger ones fire at once). */
const NEVER_MS = 2 ** 31 - 1
/** Queries closer together than this (a burst of address changes) are merged into one. */
const MIN_QUERY_GAP_MS = 1_000

/** The part of @libp2p/mdns's service we drive: its socket (a public field) to send our own queries. */
interface MdnsService extends PeerDiscovery, Startable {
  mdns?: { query(q: { questions: Array<{ name: string; type: 'PTR' }> }): void }
}

class MdnsDriver implements DiscoveryDriver {
  readonly name = 'mdns'
  private readonly tracker = new StatusTracker('mdns')
  private readonly heard = new Set<string>()
  /** LAN peers dialled and still connected (or being dialled): at most maxLanPeers at a time. */
  private readonly dialled = new Set<string>()
  private service?: MdnsService
  private controller = new AbortController()
  private timer?: ReturnType<typeof setTimeout>
  /** Current wait between our queries; doubles while nothing new is heard. */
  private intervalMs = MDNS_INTERVAL_MS
  private heardNew = false
  private lastQueryAt = 0
  private queries = 0

  constructor(private readonly components: DiscoveryComponents, private readonly init: MdnsDriverInit, private readonly log: Logger) {}

  async start(): Promise<void> {
    this.controller = new AbortController()
    const { maxLanPeers: _max, maxInterval: _maxInterval, ...mdnsInit } = this.init
    // Backing off: @libp2p/mdns sends its start query and its own timer never fires again; ours does.
    this.service = mdns(this.backsOff() ? { ...mdnsInit, interval: NEVER_MS } : mdnsInit)(this.components) as MdnsService
    this.service.addEventListener('peer', this.onPeer)
    this.components.events.addEventListener('peer:disconnect', this.onDisconnect)
    try {
      await this.service.start()
      this.tracker.running = true
    } catch (err) {
      this.tracker.error(err)
      throw err
    }
    if (this.backsOff()) {
      this.lastQueryAt = Date.now()
      this.queries = 1
      this.intervalMs = this.fastMs()
      this.schedule()
      this.components.events.addEventListener('self:peer:update', this.onSelfUpdate)
    }
  }

  async stop(): Promise<void> {
    this.controller.abort()
    clearTimeout(this.timer)
    this.timer = undefined
    this.components.events.removeEventListener('self:peer:update', this.onSelfUpdate)
    this.components.events.removeEventListener('peer:disconnect', this.onDisconnect)
    this.service?.removeEventListener('peer', this.onPeer)
    await this.service?.stop()
    this.tracker.running = false
  }

  /** Query now and start over at the fast cadence (a network change, a resume, the last peer lost). */
  wake(): void {
    if (!this.tracker.running || !this.backsOff()) return
    this.intervalMs = this.fastMs()
    this.query()
  }

  async advertise(_namespace: string, ttlMs: number): Promise<number> {
    if (!this.tracker.running) throw new Error('mdns is not running')
    return ttlMs
  }

  async *find(): AsyncIterable<PeerInfo> {
    // Namespaces are matched by the local-record driver once mDNS has connected the LAN peers.
  }

  status(): DriverStatus {
    return this.tracker.snapshot(0, {
      lanPeersHeard: this.heard.size,
      lanPeersDialled: this.dialled.size,
      ...(this.backsOff() ? { queries: this.queries, queryIntervalMs: this.intervalMs } : {})
    })
  }

  private fastMs(): number {
    return this.init.interval ?? MDNS_INTERVAL_MS
  }

  private backsOff(): boolean {
    return (this.init.maxInterval ?? MDNS_MAX_INTERVAL_MS) > this.fastMs()
  }

  private schedule(): void {
    clearTimeout(this.timer)
    // ±10 % jitter: nodes started together must not query in lockstep.
    const delay = Math.round(this.intervalMs * (0.9 + Math.random() * 0.2))
    this.timer = setTimeout(this.tick, delay)
    this.timer.unref?.()
  }

  private readonly tick = (): void => {
    // Nothing new since the last query: wait twice as long before the next one.
    this.intervalMs = this.heardNew ? this.fastMs() : Math.min(this.intervalMs * 2, this.init.maxInterval ?? MDNS_MAX_INTERVAL_MS)
    this.query()
  }

  private query(): void {
    if (!this.tracker.running) return
    const now = Date.now()
    const wait = this.lastQueryAt + MIN_QUERY_GAP_MS - now
    if (wait > 0) {
      // Too soon after the last query (a burst of wakes): one query as soon as the gap allows, not
      // a whole interval later.
      clearTimeout(this.timer)
      this.timer = setTimeout(() => this.query(), wait)
      this.timer.unref?.()
      return
    }
    this.lastQueryAt = now
    this.heardNew = false
    this.queries++
    try {
      this.service?.mdns?.query({ questions: [{ name: this.init.serviceTag ?? MDNS_SERVICE_TAG, type: 'PTR' }] })
    } catch (err) {
      this.tracker.error(err)
    }
    this.schedule()
  }

  /** Our addresses changed: LAN peers must learn the new ones, and may be reachable where they were not. */
  private readonly onSelfUpdate = (evt: CustomEvent<PeerUpdate>): void => {
    const addrs = (peer?: Peer): string => (peer?.addresses ?? []).map((a) => a.multiaddr.toString()).sort().join(' ')
    if (addrs(evt.detail.peer) !== addrs(evt.detail.previous)) this.wake()
  }

  /**
   * A LAN peer we dialled is gone: it no longer counts against maxLanPeers. Kept until then, the set
   * only grew, and after 32 LAN peers over the node's life (an office, a café, home) mDNS never
   * dialled a new one again.
   */
  private readonly onDisconnect = (evt: CustomEvent<PeerId>): void => {
    this.dialled.delete(evt.detail.toString())
  }

  private readonly onPeer = (evt: CustomEvent<PeerInfo>): void => {
    const peer = evt.detail
    if (peer.id.equals(this.components.peerId)) return
    const addrs = peer.multiaddrs.filter((a) => isPrivate(a) === true).slice(0, MAX_ADDRS_PER_PEER)
    if (addrs.length === 0) return
    const key = peer.id.toString()
    if (!this.heard.has(key)) {
      if (this.heard.size >= 1024) this.heard.clear()
      this.heard.add(key)
      this.tracker.foundPeer(peer)
      this.heardNew = true
    }
    if (this.components.connectionManager.getConnections(peer.id).length > 0) return
    if (!this.dialled.has(key) && this.dialled.size >= (this.init.maxLanPeers ?? 32)) return
    this.dialled.add(key)
    void this.dial({ id: peer.id, multiaddrs: addrs })
  }

  private async dial(peer: PeerInfo): Promise<void> {
    const signal = deadline(10_000, this.controller.signal)
    try {
      await this.components.peerStore.merge(peer.id, { multiaddrs: peer.multiaddrs })
      await this.components.connectionManager.openConnection(peer.id, { signal })
      this.log('info', 'connected to a LAN peer heard over mDNS', { peer: peer.id.toString() })
    } catch (err) {
      this.dialled.delete(peer.id.toString())
      // A peer heard but not reached: the set of LAN peers is not settled, so keep querying at the
      // fast cadence (each query's answers bring a new dial attempt) instead of backing off.
      this.heardNew = true
      if (!this.controller.signal.aborted) this.tracker.error(err)
      this.log('debug', 'mdns dial failed', { peer: peer.id.toString(), error: errorText(err) })
    } finally {
      signal.clear()
    }
  }
}

export function mdnsDriver(init: MdnsDriverInit = {}): DriverFactory {
  return (components, { log }) => new MdnsDriver(components, init, log)
}
