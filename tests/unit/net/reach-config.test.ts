/** Daemon reach flags and settings → libp2p reach options. */
import { describe, expect, it } from 'vitest'
import { parseCliArgs } from '../../../core/daemon/cli-args'
import { reachOptions } from '../../../core/net/reach-config'
import { reachServices } from '../../../core/net/reach'

const RDV = '/ip4/10.213.3.1/tcp/4001/p2p/12D3KooWKRyzVWW6ChFjQjK4miCty85Niy49tpPV95XdKu1BcvMA'

describe('reach configuration', () => {
  it('parses --serve-rendezvous, --relay and --rendezvous; absent flags leave options unchanged', () => {
    const r = parseCliArgs(['--data', 'd', '--serve-rendezvous', '--relay', '--rendezvous', RDV])
    expect(r).toMatchObject({ kind: 'run', options: { reach: { serveRendezvous: true, relay: true, rendezvous: [RDV] } } })
    const plain = parseCliArgs(['--data', 'd'])
    expect(plain.kind === 'run' && 'reach' in plain.options).toBe(false)
    expect(parseCliArgs(['--data', 'd', '--rendezvous', '/ip4/1.2.3.4/tcp/1'])).toMatchObject({ kind: 'error' })
  })

  it('maps settings to drivers and server roles', () => {
    const all = reachOptions({ rendezvousServers: [RDV], serveRendezvous: true, relay: true })
    expect(Object.keys(reachServices(all)).sort()).toEqual(['autonat', 'dcutr', 'discovery', 'reachableListenAddrs', 'relay', 'rendezvousServer', 'stun'])
    expect(all.discovery?.drivers.length).toBe(4)
    const none = reachOptions({ lan: false, dht: false, holePunching: false })
    expect(Object.keys(reachServices(none))).toEqual(['discovery'])
    expect(none.discovery?.drivers.length).toBe(0)
    expect(() => reachServices({ relayServer: { maxReservations: 0 } })).toThrow(RangeError)
  })
})
