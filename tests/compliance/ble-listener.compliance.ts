/**
 * The same interface-transport suite in its *listener* mode: the suite builds both nodes from our
 * configs, so the listener-side tests run (listening/close events, a rejected inbound upgrade leaving
 * no connection, closing streams while the other side writes). Its one test that needs a listener on
 * two addresses of the transport ("should listen on multiple addresses") cannot apply to BLE (one
 * `/ble/<own id>` per node) and is excluded by `--grep … --invert` in `test:compliance:ble-listener`;
 * ble-transport.test.ts runs it in dialAddrs mode.
 */
import '../../core/polyfills'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import tests from '@libp2p/interface-compliance-tests/transport'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { MultiaddrMatcher } from '@multiformats/multiaddr-matcher'
import { GattDriver } from '../../core/net/ble/gatt-driver'
import { BLE_DEFAULT_LISTEN, blePeerIdOf, registerBleProtocol } from '../../core/net/ble/multiaddr'
import { SimRadio } from '../../core/net/ble/sim-radio'
import { BLE_CONNECTION_MONITOR, BLE_YAMUX, ble } from '../../core/net/ble/transport'

declare function describe(name: string, fn: () => void): void

registerBleProtocol()

const bleMatcher: MultiaddrMatcher = {
  matchers: [],
  matches: (ma?: Multiaddr) => ma != null && blePeerIdOf(ma) != null,
  exactMatch: (ma?: Multiaddr) => ma != null && blePeerIdOf(ma) != null
}

describe('BLE transport: interface-transport compliance, listener mode (simulated radio)', () => {
  let radio: SimRadio | undefined
  const peer = (label: string) => ({
    addresses: { listen: [BLE_DEFAULT_LISTEN] },
    transports: [ble({ driver: new GattDriver((radio as SimRadio).attach(label)), autoDial: false })],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux(BLE_YAMUX)],
    connectionMonitor: BLE_CONNECTION_MONITOR
  })
  tests({
    async setup() {
      radio = new SimRadio({ mtu: 185, rate: 250_000, latencyMs: 1, advertiseIntervalMs: 20 })
      return { dialer: peer('dialer'), listener: peer('listener'), dialMultiaddrMatcher: bleMatcher, listenMultiaddrMatcher: bleMatcher }
    },
    async teardown() {
      radio?.close()
      radio = undefined
    }
  })
})
