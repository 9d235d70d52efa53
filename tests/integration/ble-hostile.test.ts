/**
 * BLE transport under stress on the simulated radio: a peer vanishing in the middle of a 1 MiB transfer
 * (the stream errors, the next connection carries everything), and hostile devices — data before the
 * peer-id exchange, garbage instead of Noise, writes over the MTU, a flood of advertisements — all
 * bounded and logged while the node keeps serving honest peers.
 */
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import type { Libp2p } from '@libp2p/interface'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { createLibp2p } from 'libp2p'
import { afterEach, describe, expect, it } from 'vitest'
import { PEER_ID_CHAR_UUID, WRITER_CHAR_UUID } from '../../core/net/ble/constants'
import { GattDriver } from '../../core/net/ble/gatt-driver'
import type { Advertisement } from '../../core/net/ble/gatt'
import { BLE_DEFAULT_LISTEN, bleAddr } from '../../core/net/ble/multiaddr'
import { peerIdWrites } from '../../core/net/ble/peer-id-exchange'
import { SimRadio, type SimDevice } from '../../core/net/ble/sim-radio'
import { BLE_CONNECTION_MONITOR, BLE_YAMUX, ble } from '../../core/net/ble/transport'

const PROTO = '/test/bulk/1.0.0'
const MiB = 1024 * 1024

interface Node {
  libp2p: Libp2p
  driver: GattDriver
  warnings: string[]
}

async function node(radio: SimRadio, label: string): Promise<Node> {
  const warnings: string[] = []
  const driver = new GattDriver(radio.attach(label), { lostAfterMs: 1_000, maxPeers: 64, log: (level, msg) => level !== 'debug' && warnings.push(msg) })
  const libp2p = await createLibp2p({
    addresses: { listen: [BLE_DEFAULT_LISTEN] },
    transports: [ble({ driver })],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux(BLE_YAMUX)],
    connectionMonitor: BLE_CONNECTION_MONITOR
  })
  return { libp2p, driver, warnings }
}

function connected(a: Libp2p, b: Libp2p): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (a.getConnections(b.peerId).some((c) => c.status === 'open')) {
        a.removeEventListener('connection:open', check)
        resolve()
      }
    }
    a.addEventListener('connection:open', check)
    check()
  })
}

/** Serves PROTO on `b`: resolves each stream's outcome (bytes received, or the error that ended it). */
function sink(b: Libp2p, onProgress?: (bytes: number) => void): Array<Promise<{ bytes: number; error?: string }>> {
  const outcomes: Array<Promise<{ bytes: number; error?: string }>> = []
  void b.handle(PROTO, (stream) => {
    outcomes.push(
      (async () => {
        let bytes = 0
        try {
          for await (const chunk of stream) {
            bytes += chunk.byteLength
            onProgress?.(bytes)
          }
          return { bytes }
        } catch (err) {
          return { bytes, error: (err as Error).name }
        }
      })()
    )
  })
  return outcomes
}

async function sendBulk(a: Libp2p, b: Libp2p, bytes: number): Promise<void> {
  const stream = await a.dialProtocol(bleAddr(b.peerId.toString()).encapsulate(`/p2p/${b.peerId.toString()}`), PROTO)
  const block = new Uint8Array(8192).fill(7)
  for (let sent = 0; sent < bytes; sent += block.length) {
    if (!stream.send(block)) await stream.onDrain()
  }
  await stream.close()
}

async function addressOf(device: SimDevice, peerId: string): Promise<string> {
  return new Promise((resolve) => {
    void device.central.startScanning((ad: Advertisement) => {
      if (ad.localName === peerId) resolve(ad.address)
    })
  })
}

describe('BLE transport under stress (simulated radio)', () => {
  const radios: SimRadio[] = []
  const nodes: Node[] = []
  afterEach(async () => {
    await Promise.all(nodes.splice(0).map((n) => n.libp2p.stop()))
    for (const r of radios.splice(0)) r.close()
  })

  it('a peer vanishing mid-transfer errors the stream; the next connection carries the full 1 MiB', { timeout: 120_000 }, async () => {
    let inRange = true
    const radio = new SimRadio({ mtu: 185, rate: 100_000, latencyMs: 5, inRange: () => inRange })
    radios.push(radio)
    const a = await node(radio, 'a')
    const b = await node(radio, 'b')
    nodes.push(a, b)
    let quarter: () => void = () => {}
    const quarterCrossed = new Promise<void>((r) => (quarter = r))
    const outcomes = sink(b.libp2p, (n) => n >= MiB / 4 && quarter())
    await connected(a.libp2p, b.libp2p)

    const first = sendBulk(a.libp2p, b.libp2p, MiB).then(() => 'completed', (err: Error) => err.name)
    // Cut the radio once a quarter of the megabyte has crossed (no sleep: the receiver tells us).
    await quarterCrossed
    inRange = false
    radio.setInRange(() => inRange)
    // The sender's stream errors. The receiver's ends short: libp2p's muxer ends streams without
    // the error when its connection dies, so protocols detect truncation by framing (lp-stream END).
    expect(await first).not.toBe('completed')
    const cut = await outcomes[0]!
    expect(cut.bytes).toBeGreaterThanOrEqual(MiB / 4)
    expect(cut.bytes).toBeLessThan(MiB)
    expect(a.libp2p.getConnections(b.libp2p.peerId)).toHaveLength(0)

    inRange = true
    radio.setInRange(() => inRange)
    // No dial here: the smaller peer id redials when the device is heard again.
    await connected(a.libp2p, b.libp2p)
    await sendBulk(a.libp2p, b.libp2p, MiB)
    expect(await outcomes[1]!).toEqual({ bytes: MiB })
  })

  it('hostile devices are bounded and logged; honest peers still get through', { timeout: 60_000 }, async () => {
    const radio = new SimRadio({ mtu: 185, rate: 200_000, latencyMs: 2 })
    radios.push(radio)
    const victim = await node(radio, 'victim')
    nodes.push(victim)
    const outcomes = sink(victim.libp2p)
    const victimId = victim.libp2p.peerId.toString()
    const evil = radio.attach('evil')
    const address = await addressOf(evil, victimId)

    // 1. Data on the writer before the peer-id exchange: refused, connection dropped.
    const c1 = await evil.central.connect(address)
    const dropped1 = new Promise<void>((r) => (c1.onDisconnect = () => r()))
    await expect(c1.write(WRITER_CHAR_UUID, new Uint8Array(100))).rejects.toThrow()
    await dropped1

    // 2. An id longer than any peer id: refused.
    const c2 = await evil.central.connect(address)
    await expect((async () => {
      for (let i = 0; i < 10; i++) await c2.write(PEER_ID_CHAR_UUID, new Uint8Array(100).fill(0x51))
    })()).rejects.toThrow()

    // 3. A proper exchange, then garbage instead of Noise: the upgrade fails and the link closes.
    const fake = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
    const c3 = await evil.central.connect(address)
    for (const w of peerIdWrites(fake, 182)) await c3.write(PEER_ID_CHAR_UUID, w)
    await c3.read(PEER_ID_CHAR_UUID)
    const dropped3 = new Promise<void>((r) => (c3.onDisconnect = () => r()))
    await c3.subscribe(WRITER_CHAR_UUID, () => {})
    await c3.write(WRITER_CHAR_UUID, new Uint8Array(182).fill(0xff)).catch(() => {})
    await c3.write(WRITER_CHAR_UUID, new Uint8Array(182).fill(0xff)).catch(() => {})
    await dropped3

    // 4. A write over the MTU never reaches the node.
    const c4 = await evil.central.connect(address)
    await expect(c4.write(PEER_ID_CHAR_UUID, new Uint8Array(500))).rejects.toThrow(/length/)
    c4.disconnect()

    // 5. A flood of advertisements with fresh peer ids: the peer table stays at its cap.
    const floodIds = await Promise.all(Array.from({ length: 100 }, async () => peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()))
    let found = 0
    victim.driver.addEventListener('peer:found', () => found++)
    const floodDevices = floodIds.map((id) => {
      const d = radio.attach(`flood-${id.slice(-6)}`)
      d.advertising = id
      return d
    })
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (victim.warnings.some((w) => w.includes('peer table full'))) {
          clearInterval(check)
          resolve()
        }
      }, 20)
    })
    expect(found).toBeLessThanOrEqual(64)
    for (const d of floodDevices) d.detach()

    // The node is healthy: an honest peer connects and transfers.
    const honest = await node(radio, 'honest')
    nodes.push(honest)
    await honest.libp2p.dial(bleAddr(victimId).encapsulate(`/p2p/${victimId}`))
    await sendBulk(honest.libp2p, victim.libp2p, 64 * 1024)
    expect((await Promise.all(outcomes)).at(-1)).toEqual({ bytes: 64 * 1024 })
    expect(victim.warnings).toEqual(expect.arrayContaining(['ble: dropping central', 'ble: peer table full; ignoring new peers']))
  })
})
