/**
 * @libp2p/interface-compliance-tests transport suite for the BLE transport over the in-process
 * simulated radio (GattDriver + SimRadio: the production peer-id exchange and link code), with the
 * project's Noise + yamux. Runs under Mocha (`npm run test:compliance`).
 *
 * The suite's "listener" mode needs a node listening on two addresses of the transport; a BLE node has
 * exactly one (`/ble/<own id>`), so we use its `dialAddrs` mode: our own listener node (with the
 * suite's echo service) and the same address twice (the second dial uses `force`, i.e. a second link).
 * The listener-side tests this mode skips run in ble-listener.compliance.ts (test:compliance:ble-listener).
 * The radio runs at 250 kB/s (above BLE's 100 kB/s so the 10 MiB echo ends in about a minute; faster
 * and both in-process nodes' crypto becomes the bottleneck) with BLE_CONNECTION_MONITOR and BLE_YAMUX (transport.ts).
 */
import '../../core/polyfills'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { echo } from '@libp2p/echo'
import tests from '@libp2p/interface-compliance-tests/transport'
import type { Libp2p } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { MultiaddrMatcher } from '@multiformats/multiaddr-matcher'
import { createLibp2p } from 'libp2p'
import { GattDriver } from '../../core/net/ble/gatt-driver'
import { BLE_DEFAULT_LISTEN, bleAddr, blePeerIdOf, registerBleProtocol } from '../../core/net/ble/multiaddr'
import { SimRadio } from '../../core/net/ble/sim-radio'
import { BLE_CONNECTION_MONITOR, BLE_YAMUX, ble } from '../../core/net/ble/transport'

// Mocha globals, declared locally so no test-framework globals leak into the shared type program.
declare function describe(name: string, fn: () => void): void

registerBleProtocol()

/** `/ble/<id>` optionally followed by `/p2p/<id>`, both the same id. */
const bleMatcher: MultiaddrMatcher = {
  matchers: [],
  matches: (ma?: Multiaddr) => ma != null && blePeerIdOf(ma) != null,
  exactMatch: (ma?: Multiaddr) => ma != null && blePeerIdOf(ma) != null
}

describe('BLE transport: interface-transport compliance (simulated radio)', () => {
  let radio: SimRadio | undefined
  let listener: Libp2p | undefined

  tests({
    async setup() {
      radio = new SimRadio({ mtu: 185, rate: 250_000, latencyMs: 1, advertiseIntervalMs: 20 })
      listener = await createLibp2p({
        addresses: { listen: [BLE_DEFAULT_LISTEN] },
        transports: [ble({ driver: new GattDriver(radio.attach('listener')), autoDial: false })],
        connectionEncrypters: [noise()],
        streamMuxers: [yamux(BLE_YAMUX)],
        connectionMonitor: BLE_CONNECTION_MONITOR,
        services: { echo: echo({ maxInboundStreams: 5_000, timeout: 180_000 }) }
      })
      const id = listener.peerId.toString()
      const addr = bleAddr(id).encapsulate(`/p2p/${id}`)
      return {
        dialer: {
          addresses: { listen: [BLE_DEFAULT_LISTEN] },
          transports: [ble({ driver: new GattDriver(radio.attach('dialer')), autoDial: false })],
          connectionEncrypters: [noise()],
          streamMuxers: [yamux(BLE_YAMUX)],
          connectionMonitor: BLE_CONNECTION_MONITOR
        },
        dialAddrs: [addr, addr],
        dialMultiaddrMatcher: bleMatcher,
        listenMultiaddrMatcher: bleMatcher
      }
    },
    async teardown() {
      await listener?.stop()
      listener = undefined
      radio?.close()
      radio = undefined
    }
  })
})
