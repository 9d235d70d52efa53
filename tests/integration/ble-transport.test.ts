/**
 * BLE transport over the in-process simulated radio: libp2p nodes with Noise + yamux and nothing but
 * `/ble` find each other, connect once (smaller id dials), exchange bytes at the radio's limits, and
 * survive a peer vanishing mid-stream.
 */
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import type { Libp2p } from '@libp2p/interface'
import { createLibp2p } from 'libp2p'
import { afterEach, describe, expect, it } from 'vitest'
import { GattDriver } from '../../core/net/ble/gatt-driver'
import { BLE_DEFAULT_LISTEN, bleAddr } from '../../core/net/ble/multiaddr'
import { SimRadio } from '../../core/net/ble/sim-radio'
import { ble } from '../../core/net/ble/transport'

const PROTO = '/test/bulk/1.0.0'

const drivers = new Map<Libp2p, GattDriver>()

async function node(radio: SimRadio, label: string, autoDial = true): Promise<Libp2p> {
  const driver = new GattDriver(radio.attach(label), { lostAfterMs: 2_000 })
  const n = await createLibp2p({
    start: false,
    addresses: { listen: [BLE_DEFAULT_LISTEN] },
    transports: [ble({ driver, autoDial })],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionGater: { denyDialMultiaddr: () => false }
  })
  drivers.set(n, driver)
  return n
}

function connectedOnce(a: Libp2p, b: Libp2p): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (a.getConnections(b.peerId).length > 0 && b.getConnections(a.peerId).length > 0) {
        a.removeEventListener('connection:open', check)
        b.removeEventListener('connection:open', check)
        resolve()
      }
    }
    a.addEventListener('connection:open', check)
    b.addEventListener('connection:open', check)
    check()
  })
}

/** Resolves once `driver` has heard `peer` advertise (dialling needs a found device). */
function found(driver: GattDriver, peer: Libp2p): Promise<void> {
  return new Promise((resolve) => {
    const on = (evt: CustomEvent<{ peerId: string }>): void => {
      if (evt.detail.peerId !== peer.peerId.toString()) return
      driver.removeEventListener('peer:found', on)
      resolve()
    }
    driver.addEventListener('peer:found', on)
  })
}

describe('BLE transport over the simulated radio', () => {
  const radios: SimRadio[] = []
  const nodes: Libp2p[] = []
  afterEach(async () => {
    await Promise.all(nodes.splice(0).map((n) => n.stop()))
    for (const r of radios.splice(0)) r.close()
  })

  it('listens on /ble/<own id> and two nodes in range connect by themselves, once', async () => {
    const radio = new SimRadio({ latencyMs: 2 })
    radios.push(radio)
    const a = await node(radio, 'a')
    const b = await node(radio, 'b')
    nodes.push(a, b)
    await Promise.all([a.start(), b.start()])
    expect(a.getMultiaddrs().map((ma) => ma.toString().split('/p2p/')[0])).toEqual([bleAddr(a.peerId.toString()).toString()])
    await connectedOnce(a, b)
    expect(a.getConnections(b.peerId)).toHaveLength(1)
    const dialer = a.peerId.toString() < b.peerId.toString() ? a : b
    expect(dialer.getConnections()[0]?.direction).toBe('outbound')
  })

  it('carries 256 KiB in order, chunked to the MTU, within the radio rate', async () => {
    const radio = new SimRadio({ mtu: 185, rate: 200_000, latencyMs: 2 })
    radios.push(radio)
    const a = await node(radio, 'a', false)
    const b = await node(radio, 'b', false)
    nodes.push(a, b)
    const heard = found(drivers.get(a) as GattDriver, b)
    await Promise.all([a.start(), b.start()])
    await heard
    const payload = new Uint8Array(256 * 1024).map((_, i) => (i * 31) & 0xff)
    const received = new Promise<Uint8Array>((resolve, reject) => {
      void b.handle(PROTO, async (stream) => {
        const parts: Uint8Array[] = []
        let n = 0
        try {
          for await (const chunk of stream) {
            const c = chunk.subarray()
            parts.push(c)
            n += c.length
          }
        } catch (err) {
          reject(err)
        }
        const all = new Uint8Array(n)
        let o = 0
        for (const p of parts) {
          all.set(p, o)
          o += p.length
        }
        resolve(all)
      })
    })
    const t0 = performance.now()
    const stream = await a.dialProtocol(bleAddr(b.peerId.toString()).encapsulate(`/p2p/${b.peerId.toString()}`), PROTO)
    for (let i = 0; i < payload.length; i += 8192) {
      if (!stream.send(payload.subarray(i, i + 8192))) await stream.onDrain()
    }
    await stream.close()
    const got = await received
    const seconds = (performance.now() - t0) / 1000
    expect(got).toEqual(payload)
    console.error(`ble sim: ${(payload.length / seconds / 1000).toFixed(1)} kB/s of 200 kB/s`)
    // Never faster than the radio allows (Noise and yamux add overhead on top of the payload).
    expect(payload.length / seconds).toBeLessThan(200_000)
  })
})
