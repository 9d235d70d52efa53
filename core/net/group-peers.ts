/**
 * Peers of our groups are kept: every peer subscribed to one of our gossipsub topics (a group's log, so a
 * member's device or a replica) is tagged `keep-alive-berty-group`. The tag does two things in libp2p:
 * - the connection pruner closes the lowest-valued peers first when the connection cap is reached, so
 *   group peers outlast incidental ones (DHT traffic, relay clients, strangers);
 * - the reconnect queue redials any peer with a `keep-alive` tag after its last connection drops, with
 *   backoff (libp2p `reconnect-queue.js`); when those retries run out it drops the tag and discovery (which
 *   keeps watching our groups' rendezvous points, faster after the last disconnect) takes over.
 * The tag goes when the peer unsubscribes from all our topics (not when it merely disconnects), and comes back
 * whenever a group peer announces its subscriptions again (each connection does); it is stored in the peer store, so after a restart the
 * reconnect queue redials the group peers of the last session.
 */
import { KEEP_ALIVE, type PeerId, type PeerStore } from '@libp2p/interface'
import type { Logger } from '../log'

export const GROUP_PEER_TAG = `${KEEP_ALIVE}-berty-group`
/** Above the discovery tag (50) and the relay tag: group peers are the last to be pruned. */
export const GROUP_PEER_VALUE = 100

export interface GroupPeerComponents {
  peerStore: Pick<PeerStore, 'merge'>
  pubsub: {
    getTopics(): string[]
    getSubscribers(topic: string): PeerId[]
    addEventListener(type: 'subscription-change', listener: (evt: CustomEvent<{ peerId: PeerId; subscriptions: Array<{ topic: string; subscribe: boolean }> }>) => void): void
    removeEventListener(type: 'subscription-change', listener: (evt: CustomEvent<{ peerId: PeerId; subscriptions: Array<{ topic: string; subscribe: boolean }> }>) => void): void
  }
}

/** Starts tagging; returns the function that stops it. */
export function keepGroupPeers(components: GroupPeerComponents, log?: Logger): () => void {
  // Group peers subscribed now whose tag was written: the periodic pass writes only news. A peer that
  // went offline leaves this set (its stored tag stays, for the reconnect queue) and is tagged again
  // when it subscribes again, since libp2p drops the tag once its redials run out. Kept for the
  // node's life instead, the set blocked that re-tag for good and, past 10,000 peers, every new tag.
  const tagged = new Set<string>()
  const shares = (peer: PeerId): boolean => components.pubsub.getTopics().some((t) => components.pubsub.getSubscribers(t).some((p) => p.equals(peer)))
  /** `said`: the peer just announced its subscriptions (each connection does): its tag is written again. */
  const update = (peer: PeerId, said = false): void => {
    const key = peer.toString()
    const member = shares(peer)
    if (member === tagged.has(key) && !(said && member)) return
    if (member) tagged.add(key)
    else tagged.delete(key)
    components.peerStore
      .merge(peer, { tags: { [GROUP_PEER_TAG]: member ? { value: GROUP_PEER_VALUE } : undefined } })
      .catch((err: unknown) => log?.('debug', 'group peer tag not stored', { peer: key, error: String(err) }))
  }
  // Tags change only on what a peer says (subscribe, unsubscribe): a group peer that went offline keeps
  // its tag, so the reconnect queue redials it.
  const onChange = (evt: CustomEvent<{ peerId: PeerId }>): void => update(evt.detail.peerId, true)
  components.pubsub.addEventListener('subscription-change', onChange)
  // Our own subscriptions change too (a group joined): tag the peers already on its topic.
  const timer = setInterval(() => {
    const now = new Set<string>()
    for (const t of components.pubsub.getTopics()) {
      for (const p of components.pubsub.getSubscribers(t)) {
        now.add(p.toString())
        update(p)
      }
    }
    for (const key of tagged) if (!now.has(key)) tagged.delete(key)
  }, 10_000)
  timer.unref?.()
  return () => {
    clearInterval(timer)
    components.pubsub.removeEventListener('subscription-change', onChange)
  }
}
