/**
 * Relayed → direct over WebRTC. When we dial a peer and only get a relayed (limited) connection, we try
 * the peer's `…/p2p-circuit/webrtc/p2p/<id>` address: SDP goes over the relayed connection, then ICE finds
 * a direct UDP path (host candidates on a LAN, server-reflexive ones from our relays' STUN across NATs,
 * core/net/stun.ts). If a direct connection results, the relayed ones to that peer are closed.
 *
 * This complements DCUtR (core/net/reach.ts): js-libp2p's DCUtR dials TCP/QUIC from ephemeral sockets, so
 * it upgrades only when one side is reachable; between two NATs only ICE can punch through, and only where
 * the NATs keep one mapping per local socket ("endpoint-independent", Linux MASQUERADE without `--random`).
 * Behind a symmetric NAT every attempt fails and the connection stays relayed: that is reported, not hidden.
 *
 * Claims: only the side that dialled the relayed connection tries (no crossing WebRTC dials); at most
 * `attempts` tries per relayed connection with growing waits; everything ends on stop.
 */
import type { Connection, Libp2pEvents, PeerId, PeerStore, Startable, TypedEventTarget } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { silentLogger, type Logger } from '../log'
import { errorText } from './discovery/driver'
import { abortableSleep } from './discovery/wait'

export interface PathUpgradeComponents {
  peerStore: PeerStore
  events: TypedEventTarget<Libp2pEvents>
  connectionManager: {
    openConnection(peer: Multiaddr[], options?: { signal?: AbortSignal; force?: boolean }): Promise<Connection>
    getConnections(peer?: PeerId): Connection[]
  }
}

export interface PathUpgradeInit {
  log?: Logger
  /** Tries per relayed connection. Default 4. */
  attempts?: number
  /** Wait before the first try (identify brings the peer's addresses), then doubling. Default 1.5 s. */
  firstDelayMs?: number
  /** Deadline of one WebRTC dial (signalling + ICE). Default 30 s. */
  dialTimeoutMs?: number
}

export interface PathUpgrade extends Startable {
  /** Upgrades made and attempts that failed since start. */
  stats(): { upgraded: number; failed: number }
}

class Upgrader implements PathUpgrade {
  readonly [Symbol.toStringTag] = '@berty/path-upgrade'
  private ctl = new AbortController()
  private readonly busy = new Set<string>()
  private readonly log: Logger
  private upgraded = 0
  private failed = 0

  constructor(private readonly components: PathUpgradeComponents, private readonly init: PathUpgradeInit) {
    this.log = init.log ?? silentLogger
  }

  start(): void {
    this.ctl = new AbortController()
    this.components.events.addEventListener('connection:open', this.onOpen)
  }

  stop(): void {
    this.components.events.removeEventListener('connection:open', this.onOpen)
    this.ctl.abort()
    this.busy.clear()
  }

  stats(): { upgraded: number; failed: number } {
    return { upgraded: this.upgraded, failed: this.failed }
  }

  private readonly onOpen = (evt: CustomEvent<Connection>): void => {
    const conn = evt.detail
    if (conn.limits == null || conn.direction !== 'outbound') return
    const key = conn.remotePeer.toString()
    if (this.busy.has(key)) return
    this.busy.add(key)
    void this.upgrade(conn.remotePeer).finally(() => this.busy.delete(key))
  }

  private direct(peer: PeerId): Connection | undefined {
    return this.components.connectionManager.getConnections(peer).find((c) => c.limits == null && c.status === 'open')
  }

  private async upgrade(peer: PeerId): Promise<void> {
    const signal = this.ctl.signal
    let wait = this.init.firstDelayMs ?? 1_500
    for (let i = 0; i < (this.init.attempts ?? 4) && !signal.aborted; i++) {
      await abortableSleep(wait, signal)
      wait *= 2
      if (signal.aborted) return
      const relayed = this.components.connectionManager.getConnections(peer).filter((c) => c.limits != null)
      if (relayed.length === 0) return // gone, or DCUtR already replaced it
      if (this.direct(peer) == null) {
        const addrs = await this.webrtcAddrs(peer)
        if (addrs.length === 0) continue
        try {
          const conn = await this.components.connectionManager.openConnection(addrs, { force: true, signal: AbortSignal.any([signal, AbortSignal.timeout(this.init.dialTimeoutMs ?? 30_000)]) })
          if (conn.limits != null) throw new Error('the WebRTC dial returned a limited connection')
          this.upgraded++
          this.log('info', 'relayed connection upgraded to a direct WebRTC path', { peer: peer.toString(), attempt: i + 1 })
        } catch (err) {
          if (signal.aborted) return
          this.failed++
          this.log(i === 0 ? 'info' : 'debug', 'WebRTC upgrade failed; staying relayed', { peer: peer.toString(), attempt: i + 1, error: errorText(err) })
          continue
        }
      }
      // A direct path exists: the relayed connections only cost the relay.
      for (const c of this.components.connectionManager.getConnections(peer).filter((x) => x.limits != null)) {
        await c.close({ signal: AbortSignal.timeout(5_000) }).catch(() => c.abort(new Error('replaced by a direct path')))
      }
      return
    }
  }

  private async webrtcAddrs(peer: PeerId): Promise<Multiaddr[]> {
    try {
      const info = await this.components.peerStore.get(peer)
      return info.addresses
        .map((a) => a.multiaddr)
        .filter((a) => {
          const names = a.getComponents().map((c) => c.name)
          return names.includes('p2p-circuit') && names.includes('webrtc')
        })
        .map((a) => (a.getComponents().findLast((c) => c.name === 'p2p')?.value === peer.toString() ? a : a.encapsulate(`/p2p/${peer.toString()}`)))
        .slice(0, 8)
    } catch {
      return []
    }
  }
}

export function pathUpgrade(init: PathUpgradeInit = {}): (components: PathUpgradeComponents) => PathUpgrade {
  return (components) => new Upgrader(components, init)
}
