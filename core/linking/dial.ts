/**
 * B reaches A (spec "Linking Devices" step 3: "establish a connection with A"): the invitation's address
 * hints first (fast on a LAN), then peer routing (the DHT) by A's peer id alone. libp2p's Noise handshake
 * proves the peer id, which is A's identity in the linking protocol.
 */
import type { PeerId, Stream } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import type { BertyLibp2p } from '../net/libp2p'
import { DeviceLinkError } from '../protocol/device-link'
import { DEVICE_LINK_PROTOCOL, PROTOCOL_READ_TIMEOUT_MS } from './constants'
import { deadline } from '../net/deadline'

export async function dialInviter(libp2p: BertyLibp2p, peer: PeerId, addrs: Uint8Array[], signal?: AbortSignal): Promise<Stream> {
  const timeout = deadline(PROTOCOL_READ_TIMEOUT_MS, signal)
  const hints = addrs.flatMap((b) => {
    try {
      return [multiaddr(b).encapsulate(`/p2p/${peer.toString()}`)]
    } catch {
      return []
    }
  })
  const errors: string[] = []
  // The invitation's addresses first (fast on a LAN), then peer routing (DHT) by the peer id alone.
  for (const target of hints.length > 0 ? [hints, peer] : [peer]) {
    try {
      return await libp2p.dialProtocol(target, DEVICE_LINK_PROTOCOL, { signal: timeout, runOnLimitedConnection: true })
    } catch (err) {
      errors.push(err instanceof Error ? err.name : String(err))
      if (timeout.aborted) break
    }
  }
  throw new DeviceLinkError('ERR_LINK_UNREACHABLE', `the inviting device could not be reached (${errors.join(', ').slice(0, 200)})`)
}
