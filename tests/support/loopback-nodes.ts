/**
 * Bare libp2p nodes on loopback TCP for the net tests (`createLibp2pNode` with a fresh key, no WebRTC,
 * started): `node()` makes one, `stopNodes()` (for `afterEach`) stops every node made so far.
 */
import { randomBytes } from 'node:crypto'
import { createLibp2pNode, peerKeyFromSeed, type BertyLibp2p } from '../../core/net/libp2p'

const nodes: BertyLibp2p[] = []

export async function node(): Promise<BertyLibp2p> {
  const n = await createLibp2pNode({ privateKey: await peerKeyFromSeed(randomBytes(32)), listen: ['/ip4/127.0.0.1/tcp/0'], webrtc: false, start: true })
  nodes.push(n)
  return n
}

export async function stopNodes(): Promise<void> {
  await Promise.all(nodes.splice(0).map((n) => n.stop()))
}
