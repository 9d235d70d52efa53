/**
 * The peers a watched namespace has reported, with every address each was reported with, by any
 * driver. A lookup brings news only with a new peer or an address never seen for it. Comparing a
 * peer's address set with the last lookup's instead made every lookup news in steady state: drivers
 * and DHT responders report the same peer with different subsets (its listening port, the ephemeral
 * port of a connection it opened, duplicates), so the watch loop never backed off and looked up
 * every watched namespace every 2 s on every driver, for good (an idle 4-member group: 22 DHT
 * lookups a minute per member).
 */
import type { PeerInfo } from '@libp2p/interface'
import { BoundedSet } from '../../bounded-set'

/**
 * Peers remembered per watched namespace (a flood starts afresh), and addresses per peer (oldest
 * forgotten). A namespace is a group's or a contact's: tens of devices, not thousands. At 10,000 x 64
 * a flood of made-up peers could hold about 64 MB per namespace (up to 256 of them) for the node's
 * life; now about 3 MB.
 */
const MAX_SEEN_PEERS = 1_024
const MAX_SEEN_ADDRS = 32

export class SeenPeers {
  private readonly peers = new Map<string, BoundedSet<string>>()

  isNews(peer: PeerInfo): boolean {
    const key = peer.id.toString()
    let addrs = this.peers.get(key)
    let news = false
    if (addrs === undefined) {
      if (this.peers.size >= MAX_SEEN_PEERS) this.peers.clear()
      addrs = new BoundedSet(MAX_SEEN_ADDRS)
      this.peers.set(key, addrs)
      news = true
    }
    for (const a of peer.multiaddrs) {
      const text = a.toString()
      if (addrs.has(text)) continue
      addrs.add(text)
      news = true
    }
    return news
  }
}
