/** Network panel paths: classification by address and ordering by preference. */
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { describe, expect, it } from 'vitest'
import { pathOf, peerPaths } from '../../../core/net/paths'

describe('connection paths', () => {
  it('classifies relayed, WebRTC, LAN and direct connections and sorts each peer best first', async () => {
    const relay = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    const p = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    const circuit = multiaddr(`/ip4/11.213.0.1/tcp/4001/p2p/${relay}/p2p-circuit`)
    expect(pathOf({ remoteAddr: circuit })).toBe('relayed')
    expect(pathOf({ remoteAddr: circuit.encapsulate('/webrtc') })).toBe('webrtc')
    expect(pathOf({ remoteAddr: multiaddr('/ip4/192.168.1.4/tcp/1') })).toBe('lan')
    expect(pathOf({ remoteAddr: multiaddr('/ip4/11.213.0.5/tcp/1') })).toBe('direct')
    const rows = peerPaths([
      { remotePeer: p, remoteAddr: circuit, direction: 'inbound', limits: { bytes: 1n }, rtt: undefined },
      { remotePeer: p, remoteAddr: multiaddr('/ip4/11.213.0.5/tcp/1'), direction: 'outbound', limits: undefined, rtt: 12 }
    ])
    expect(rows.map((r) => [r.path, r.limited, r.rttMs])).toEqual([['direct', false, 12], ['relayed', true, undefined]])
  })
})
