/**
 * SCRIPTED FAKE: the `@stoprocent/bleno` surface (BlenoLike) is played by a script standing in for a
 * weshnet central (BertyDevice_darwin.m / the Android driver: MTU exchange, peer id written in
 * chunks + EOD, PID read with offsets, subscribe to the writer, then raw bytes both ways). It drives
 * the real BlenoPeripheral + GattDriver code. No radio is involved (this machine has none); the
 * bindings' calling conventions follow bleno 0.12.4's `lib/characteristic.js`, `lib/bleno.js`,
 * `lib/hci-socket/gatt.js` (reads sliced at the offset by bleno) and `lib/mac/src/*.mm` (not sliced;
 * the central's UUID is both address and handle; `disconnect` carries no handle).
 */
import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import {
  ATT_INVALID_ATTRIBUTE_LENGTH,
  ATT_INVALID_OFFSET,
  ATT_READ_NOT_PERMITTED,
  ATT_SUCCESS,
  ATT_WRITE_NOT_PERMITTED,
  BlenoPeripheral,
  type BlenoCharacteristicOptions,
  type BlenoLike
} from '../../../core/net/ble/bleno-peripheral'
import { EOD } from '../../../core/net/ble/constants'
import type { BleLink } from '../../../core/net/ble/driver'
import type { GattBackend } from '../../../core/net/ble/gatt'
import { GattDriver } from '../../../core/net/ble/gatt-driver'
import { decodePeerIdReadValue, peerIdWrites } from '../../../core/net/ble/peer-id-exchange'

const LOCAL = '12D3KooWQYvQFXnEWKQJFZBo5gYPw1ziswMvLg3Hk7k6AptMANNa'
const REMOTE = '12D3KooWF4b1ytTEb1ywuJCGts5D2zMGYrVVci5B9qM1u9RwAoqP'

class FakeBleno extends EventEmitter implements BlenoLike {
  state = 'poweredOn'
  services: Array<{ uuid: string; characteristics: Array<{ options: BlenoCharacteristicOptions }> }> = []
  advertised: { name: string; uuids: string[] | undefined } | undefined
  disconnected: Array<number | string | undefined> = []
  log: string[] = []
  Characteristic = class {
    constructor(readonly options: BlenoCharacteristicOptions) {}
  }
  PrimaryService = class {
    constructor(readonly options: { uuid: string; characteristics: unknown[] }) {}
  }
  setServices(services: unknown[], cb?: (err?: Error | null) => void): void {
    this.services = (services as Array<{ options: { uuid: string; characteristics: Array<{ options: BlenoCharacteristicOptions }> } }>).map((s) => s.options)
    this.log.push('setServices')
    cb?.(null)
  }
  startAdvertising(name: string, uuids?: string[], cb?: (err?: Error | null) => void): void {
    this.advertised = { name, uuids }
    this.log.push('startAdvertising')
    cb?.(null)
  }
  stopAdvertising(cb?: () => void): void {
    this.log.push('stopAdvertising')
    cb?.()
  }
  disconnect(handle?: number | string): void {
    this.disconnected.push(handle)
  }
  char(uuid16: string): BlenoCharacteristicOptions {
    const c = this.services[0]!.characteristics.find((x) => x.options.uuid === `0000${uuid16}00001000800000805f9b34fb`)
    if (!c) throw new Error(`no characteristic ${uuid16}`)
    return c.options
  }
  write(uuid16: string, handle: number | string, data: Uint8Array, offset = 0): number {
    let result = -1
    this.char(uuid16).onWriteRequest!(handle, Buffer.from(data), offset, false, (r) => (result = r))
    return result
  }
  read(handle: number | string, offset: number): { result: number; data?: Buffer } {
    let out: { result: number; data?: Buffer } = { result: -1 }
    this.char('4241').onReadRequest!(handle, offset, (result, data) => (out = { result, ...(data ? { data } : {}) }))
    return out
  }
}

function driverOver(bleno: FakeBleno, slices: boolean): { driver: GattDriver; peripheral: BlenoPeripheral } {
  const peripheral = new BlenoPeripheral(bleno, { bindingsSliceReads: slices, powerOnWaitMs: 200 })
  const backend: GattBackend = {
    name: 'bleno (scripted)',
    capabilities: { central: false, peripheral: true, l2cap: false },
    status: () => ({ state: 'ready' }),
    peripheral
  }
  return { driver: new GattDriver(backend, { handshakeTimeoutMs: 2_000 }), peripheral }
}

/** The central's side of weshnet's exchange: id chunks + EOD, then the PID read (long read by offsets). */
function exchange(bleno: FakeBleno, handle: number | string, attMtu: number, slices: boolean): string {
  // peerIdWrites ends with EOD.
  for (const chunk of peerIdWrites(REMOTE, attMtu - 3)) expect(bleno.write('4241', handle, chunk)).toBe(ATT_SUCCESS)
  // A long read: ATT Read, then Read Blob from each offset until a short answer.
  const parts: Buffer[] = []
  for (let offset = 0; ; ) {
    const r = bleno.read(handle, offset)
    expect(r.result).toBe(ATT_SUCCESS)
    // HCI bindings slice at the offset themselves (we answer whole); CoreBluetooth's do not.
    const value = slices ? r.data!.subarray(offset) : r.data!
    const piece = value.subarray(0, attMtu - 1)
    parts.push(piece)
    offset += piece.length
    if (piece.length < attMtu - 1) break
  }
  return decodePeerIdReadValue(Buffer.concat(parts)).peerId
}

describe('bleno peripheral (scripted bleno)', () => {
  for (const slices of [true, false]) {
    it(`registers Berty's service, runs the peer-id exchange and carries bytes both ways (${slices ? 'HCI' : 'macOS'} read slicing)`, async () => {
      const bleno = new FakeBleno()
      const { driver } = driverOver(bleno, slices)
      const links: BleLink[] = []
      driver.addEventListener('link', (e) => links.push((e as CustomEvent<BleLink>).detail))
      await driver.start(LOCAL)
      expect(bleno.log).toEqual(['setServices', 'startAdvertising'])
      expect(bleno.services[0]!.uuid).toBe('0000424000001000800000805f9b34fb')
      expect(bleno.services[0]!.characteristics.map((c) => [c.options.uuid.slice(4, 8), c.options.properties])).toEqual([
        ['4241', ['read', 'write']],
        ['4242', ['write', 'notify']]
      ])
      expect(bleno.advertised).toEqual({ name: LOCAL, uuids: ['0000424000001000800000805f9b34fb'] })

      const handle = slices ? 64 : '6F1A2B3C-0000-4000-8000-00805F9B34FB'
      bleno.emit('accept', 'aa:bb:cc:dd:ee:ff', handle)
      // Read refused until the central wrote its id (weshnet answers ReadNotPermitted).
      expect(bleno.read(handle, 0).result).toBe(ATT_READ_NOT_PERMITTED)
      bleno.emit('mtuChange', 23)
      expect(exchange(bleno, handle, 23, slices)).toBe(LOCAL)

      const notified: Buffer[] = []
      bleno.char('4242').onSubscribe!(handle, 182, (data) => notified.push(Buffer.from(data)))
      expect(links).toHaveLength(1)
      const link = links[0]!
      expect(link.remotePeerId).toBe(REMOTE)
      expect(link.mtu).toBe(182)
      const received: Uint8Array[] = []
      link.onData = (c) => received.push(c)
      expect(bleno.write('4242', handle, new Uint8Array([1, 2, 3]))).toBe(ATT_SUCCESS)
      expect(received.map((c) => [...c])).toEqual([[1, 2, 3]])
      await link.send(new Uint8Array(182).fill(7))
      expect(notified.map((b) => b.length)).toEqual([182])
      await expect(link.send(new Uint8Array(183))).rejects.toThrow()

      const closed = new Promise<{ error?: Error }>((resolve) => (link.onClose = resolve))
      // macOS reports a disconnect by the central's UUID alone.
      bleno.emit('disconnect', slices ? 'aa:bb:cc:dd:ee:ff' : handle, slices ? handle : undefined)
      expect((await closed).error).toBeUndefined()
      await driver.stop()
      expect(bleno.log.at(-1)).toBe('stopAdvertising')
    })
  }

  it('refuses hostile writes with ATT errors and drops a central that skips the exchange', async () => {
    const bleno = new FakeBleno()
    const { driver } = driverOver(bleno, true)
    await driver.start(LOCAL)
    bleno.emit('accept', 'aa:bb:cc:dd:ee:01', 1)
    expect(bleno.write('4241', 1, new Uint8Array(10), 5)).toBe(ATT_INVALID_OFFSET)
    expect(bleno.write('4241', 1, new Uint8Array(600))).toBe(ATT_INVALID_ATTRIBUTE_LENGTH)
    // Data on the writer before any peer id: the driver drops this central.
    expect(bleno.write('4242', 1, new Uint8Array([9]))).toBe(ATT_WRITE_NOT_PERMITTED)
    expect(bleno.disconnected).toEqual([1])
    // A garbage peer id ends the same way.
    bleno.emit('accept', 'aa:bb:cc:dd:ee:02', 2)
    bleno.write('4241', 2, new TextEncoder().encode('not a peer id'))
    expect(bleno.write('4241', 2, EOD)).toBe(ATT_WRITE_NOT_PERMITTED)
    expect(bleno.disconnected).toEqual([1, 2])
    // A read past the value's end is refused, not answered with garbage.
    bleno.emit('accept', 'aa:bb:cc:dd:ee:03', 3)
    exchange(bleno, 3, 185, true)
    expect(bleno.read(3, 10_000).result).toBe(ATT_INVALID_OFFSET)
    await driver.stop()
  })

  it('serves two centrals at once, each with its own MTU', async () => {
    const bleno = new FakeBleno()
    const { driver, peripheral } = driverOver(bleno, true)
    const links: BleLink[] = []
    driver.addEventListener('link', (e) => links.push((e as CustomEvent<BleLink>).detail))
    await driver.start(LOCAL)
    for (const [handle, max] of [[10, 20], [11, 509]] as const) {
      bleno.emit('accept', `aa:bb:cc:dd:ee:${handle}`, handle)
      exchange(bleno, handle, max + 3, true)
      bleno.char('4242').onSubscribe!(handle, max, () => {})
    }
    expect(links.map((l) => l.mtu)).toEqual([20, 509])
    expect([peripheral.attMtu('10'), peripheral.attMtu('11')]).toEqual([23, 512])
    await driver.stop()
    expect(bleno.disconnected.sort()).toEqual([10, 11])
  })

  it('fails to start with the adapter state when bleno never powers on', async () => {
    const bleno = new FakeBleno()
    bleno.state = 'unauthorized'
    const { peripheral } = driverOver(bleno, false)
    await expect(
      peripheral.start(LOCAL, { onWrite: () => false, onRead: () => undefined, onSubscribe: () => {}, onDisconnect: () => {} })
    ).rejects.toThrow(/unauthorized/)
    expect(bleno.log).toEqual([])
  })
})
