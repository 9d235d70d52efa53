/**
 * What the Network panel shows per peer: the path of each connection (direct, relayed, LAN, WebRTC) and
 * its latency (libp2p's connection monitor measures `rtt` with periodic pings).
 */
import type { Connection } from '@libp2p/interface'
import { isPrivate } from '@libp2p/utils'

export type PathKind = 'direct' | 'relayed' | 'lan' | 'webrtc'

export interface PeerPath {
  peer: string
  path: PathKind
  addr: string
  direction: 'inbound' | 'outbound'
  /** Round-trip time in ms, once measured. */
  rttMs?: number
  /** Relay-imposed limits (bytes / duration) apply to this connection. */
  limited: boolean
}

type ConnLike = Pick<Connection, 'remoteAddr' | 'remotePeer' | 'direction' | 'rtt' | 'limits'>

/** WebRTC first (it may ride a relay for signalling only), then relayed, then private (LAN) or public. */
export function pathOf(connection: Pick<Connection, 'remoteAddr'>): PathKind {
  const names = connection.remoteAddr.getComponents().map((c) => c.name)
  if (names.includes('webrtc') || names.includes('webrtc-direct')) return 'webrtc'
  if (names.includes('p2p-circuit')) return 'relayed'
  return isPrivate(connection.remoteAddr) === true ? 'lan' : 'direct'
}

const RANK: Record<PathKind, number> = { lan: 0, direct: 1, webrtc: 2, relayed: 3 }

/** One row per connection, each peer's best path first, peers in a stable order. */
export function peerPaths(connections: readonly ConnLike[]): PeerPath[] {
  return connections
    .map((c) => ({
      peer: c.remotePeer.toString(),
      path: pathOf(c),
      addr: c.remoteAddr.toString(),
      direction: c.direction,
      ...(c.rtt != null ? { rttMs: c.rtt } : {}),
      limited: c.limits != null
    }))
    .sort((x, y) => (x.peer === y.peer ? RANK[x.path] - RANK[y.path] : x.peer < y.peer ? -1 : 1))
}
