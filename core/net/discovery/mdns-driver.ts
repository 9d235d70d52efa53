/**
 * mDNS driver (`@libp2p/mdns`): hears and answers multicast DNS on the LAN, with no internet and no
 * configuration, and connects to the LAN peers it hears (up to a bound). mDNS announces the node, not
 * namespaces: which of those peers share a namespace is what the local-record driver learns once connected
 * (weshnet pairs them the same way: mdns for LAN peers, `localdisc` for topics). So this driver's
 * `advertise` only reports the announce interval it keeps anyway, and its `find` yields nothing of its own.
 *
 * Claims: at most `maxLanPeers` connections opened because of mDNS; each announced address is checked
 * (private or loopback only: an mDNS answer pointing at a public address is ignored).
 * Disclaims: everyone on the LAN learns our peer id and addresses while mDNS runs.
 */
import { mdns, type MulticastDNSInit } from '@libp2p/mdns'
import type { PeerDiscovery, PeerInfo, Startable } from '@libp2p/interface'
import { isPrivate } from '@libp2p/utils'
import type { Logger } from '../../log'
import type { DiscoveryComponents, DriverFactory } from './discovery'
import { StatusTracker, errorText, type DiscoveryDriver, type DriverStatus } from './driver'
import { MAX_ADDRS_PER_PEER } from './dialer'

export interface MdnsDriverInit extends MulticastDNSInit {
  /** Most LAN peers this driver dials. Default 32. */
  maxLanPeers?: number
}

class MdnsDriver implements DiscoveryDriver {
  readonly name = 'mdns'
  private readonly tracker = new StatusTracker('mdns')
  private readonly heard = new Set<string>()
  private readonly dialled = new Set<string>()
  private service?: PeerDiscovery & Startable
  private controller = new AbortController()

  constructor(private readonly components: DiscoveryComponents, private readonly init: MdnsDriverInit, private readonly log: Logger) {}

  async start(): Promise<void> {
    this.controller = new AbortController()
    const { maxLanPeers: _max, ...mdnsInit } = this.init
    this.service = mdns(mdnsInit)(this.components) as PeerDiscovery & Startable
    this.service.addEventListener('peer', this.onPeer)
    try {
      await this.service.start()
      this.tracker.running = true
    } catch (err) {
      this.tracker.error(err)
      throw err
    }
  }

  async stop(): Promise<void> {
    this.controller.abort()
    this.service?.removeEventListener('peer', this.onPeer)
    await this.service?.stop()
    this.tracker.running = false
  }

  async advertise(_namespace: string, ttlMs: number): Promise<number> {
    if (!this.tracker.running) throw new Error('mdns is not running')
    return ttlMs
  }

  async *find(): AsyncIterable<PeerInfo> {
    // Namespaces are matched by the local-record driver once mDNS has connected the LAN peers.
  }

  status(): DriverStatus {
    return this.tracker.snapshot(0, { lanPeersHeard: this.heard.size, lanPeersDialled: this.dialled.size })
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
    }
    if (this.components.connectionManager.getConnections(peer.id).length > 0) return
    if (!this.dialled.has(key) && this.dialled.size >= (this.init.maxLanPeers ?? 32)) return
    this.dialled.add(key)
    void this.dial({ id: peer.id, multiaddrs: addrs })
  }

  private async dial(peer: PeerInfo): Promise<void> {
    try {
      await this.components.peerStore.merge(peer.id, { multiaddrs: peer.multiaddrs })
      await this.components.connectionManager.openConnection(peer.id, { signal: AbortSignal.any([this.controller.signal, AbortSignal.timeout(10_000)]) })
      this.log('info', 'connected to a LAN peer heard over mDNS', { peer: peer.id.toString() })
    } catch (err) {
      this.dialled.delete(peer.id.toString())
      if (!this.controller.signal.aborted) this.tracker.error(err)
      this.log('debug', 'mdns dial failed', { peer: peer.id.toString(), error: errorText(err) })
    }
  }
}

export function mdnsDriver(init: MdnsDriverInit = {}): DriverFactory {
  return (components, { log }) => new MdnsDriver(components, init, log)
}
