/**
 * Relayed → direct. While our only connection to a peer is relayed (limited), we try, with growing waits:
 * - the peer's own addresses (not through a relay): the backstop for DCUtR, whose attempts all happen in
 *   the first seconds and are not retried later (a loaded machine or a slow identify left pairs relayed);
 * - when we dialled the relayed connection, the peer's `…/p2p-circuit/webrtc/p2p/<id>` address: SDP goes
 *   over the relayed connection, then ICE finds a direct UDP path (host candidates on a LAN,
 *   server-reflexive ones from our relays' STUN across NATs, core/net/stun.ts).
 * If a direct connection results, the relayed ones to that peer are closed.
 *
 * This complements DCUtR (core/net/reach.ts): js-libp2p's DCUtR dials TCP/QUIC from ephemeral sockets, so
 * it upgrades only when one side is reachable; between two NATs only ICE can punch through, and only where
 * the NATs keep one mapping per local socket ("endpoint-independent", Linux MASQUERADE without `--random`).
 * Behind a symmetric NAT every attempt fails and the connection stays relayed: that is reported, not hidden.
 *
 * Claims: only the side that dialled the relayed connection tries WebRTC (no crossing WebRTC dials); at most
 * `attempts` tries per relayed connection with growing waits; everything ends on stop.
 */
import type { Connection, Libp2pEvents, PeerId, PeerStore, Startable, TypedEventTarget } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { silentLogger, type Logger } from '../log'
import { errorText } from './discovery/driver'
import { abortableSleep } from './discovery/wait'
import { deadline } from './deadline'

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
  /** Try WebRTC (needs the relayed WebRTC transport). Default true. */
  webrtc?: boolean
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
    if (conn.limits == null) return
    const key = conn.remotePeer.toString()
    if (this.busy.has(key)) return
    this.busy.add(key)
    void this.upgrade(conn.remotePeer, conn.direction === 'outbound' && this.init.webrtc !== false).finally(() => this.busy.delete(key))
  }

  private direct(peer: PeerId): Connection | undefined {
    return this.components.connectionManager.getConnections(peer).find((c) => c.limits == null && c.status === 'open')
  }

  private async upgrade(peer: PeerId, webrtc: boolean): Promise<void> {
    const signal = this.ctl.signal
    let wait = this.init.firstDelayMs ?? 1_500
    for (let i = 0; i < (this.init.attempts ?? 4) && !signal.aborted; i++) {
      await abortableSleep(wait, signal)
      wait *= 2
      if (signal.aborted) return
      const relayed = this.components.connectionManager.getConnections(peer).filter((c) => c.limits != null)
      if (relayed.length === 0) return // gone, or DCUtR already replaced it
      if (this.direct(peer) == null) {
        const { own, viaWebrtc } = await this.candidates(peer)
        // Own addresses first (cheap when they work), then WebRTC; one dial each per attempt.
        const tries = [own, webrtc ? viaWebrtc : []].filter((x) => x.length > 0)
        if (tries.length === 0) continue
        try {
          let conn: Connection | undefined
          let lastErr: unknown
          for (const addrs of tries) {
            try {
              conn = await this.components.connectionManager.openConnection(addrs, { force: true, signal: deadline(this.init.dialTimeoutMs ?? 30_000, signal) })
              if (conn.limits == null) break
              conn = undefined
            } catch (err) {
              lastErr = err
            }
          }
          if (conn == null) throw lastErr ?? new Error('only limited connections')
          this.upgraded++
          this.log('info', 'relayed connection upgraded to a direct path', { peer: peer.toString(), attempt: i + 1, addr: conn.remoteAddr.toString() })
        } catch (err) {
          if (signal.aborted) return
          this.failed++
          this.log(i === 0 ? 'info' : 'debug', 'direct path not found; staying relayed', { peer: peer.toString(), attempt: i + 1, error: errorText(err) })
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

  /** The peer's own addresses (no relay, no WebRTC) and its WebRTC-over-relay ones, `/p2p/<id>`-terminated. */
  private async candidates(peer: PeerId): Promise<{ own: Multiaddr[]; viaWebrtc: Multiaddr[] }> {
    let addrs: Multiaddr[] = []
    try {
      addrs = (await this.components.peerStore.get(peer)).addresses.map((a) => a.multiaddr)
    } catch {
      return { own: [], viaWebrtc: [] }
    }
    const id = peer.toString()
    const full = (a: Multiaddr): Multiaddr => (a.getComponents().findLast((c) => c.name === 'p2p')?.value === id ? a : a.encapsulate(`/p2p/${id}`))
    const names = (a: Multiaddr): string[] => a.getComponents().map((c) => c.name)
    return {
      own: addrs.filter((a) => !names(a).includes('p2p-circuit') && !names(a).includes('webrtc')).map(full).slice(0, 8),
      viaWebrtc: addrs.filter((a) => names(a).includes('p2p-circuit') && names(a).includes('webrtc')).map(full).slice(0, 8)
    }
  }
}

export function pathUpgrade(init: PathUpgradeInit = {}): (components: PathUpgradeComponents) => PathUpgrade {
  return (components) => new Upgrader(components, init)
}
