/**
 * Bare libp2p nodes on loopback TCP for the net tests (`createLibp2pNode` with a fresh key, no WebRTC,
 * started): `node()` makes one, `stopNodes()` (for `afterEach`) stops every node made so far; and the
 * numbered-frames service the lp-stream and yamux tests ask.
 */
import { randomBytes } from 'node:crypto'
import { createLibp2pNode, peerKeyFromSeed, type BertyLibp2p } from '../../core/net/libp2p'
import { serveFrames } from '../../core/net/lp-stream'

const nodes: BertyLibp2p[] = []

export async function node(): Promise<BertyLibp2p> {
  const n = await createLibp2pNode({ privateKey: await peerKeyFromSeed(randomBytes(32)), listen: ['/ip4/127.0.0.1/tcp/0'], webrtc: false, start: true })
  nodes.push(n)
  return n
}

export async function stopNodes(): Promise<void> {
  await Promise.all(nodes.splice(0).map((n) => n.stop()))
}

/** A request naming a count: 4 bytes, little-endian. */
export const u32 = (n: number): Uint8Array => new Uint8Array(new Uint32Array([n]).buffer)

/** `server` answers `protocol` requests of `u32(n)` with n frames of `frameBytes`, frame i filled with i % 251. */
export async function serveNumberedFrames(server: BertyLibp2p, protocol: string, frameBytes: number): Promise<void> {
  await serveFrames(server, protocol, function* (request) {
    const n = new DataView(request.buffer, request.byteOffset, 4).getUint32(0, true)
    for (let i = 0; i < n; i++) yield new Uint8Array(frameBytes).fill(i % 251)
  })
}
