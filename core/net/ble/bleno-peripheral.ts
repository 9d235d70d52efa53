/**
 * The peripheral role on macOS and Windows through `@stoprocent/bleno` (CoreBluetooth's
 * CBPeripheralManager on macOS; on Windows bleno drives a USB dongle through its HCI bindings, as it
 * has no WinRT backend). On Linux the BlueZ D-Bus backend (bluez-peripheral.ts) is used instead:
 * bleno's HCI bindings there need bluetoothd stopped, which a desktop cannot ask.
 *
 * Layout (constants.ts; weshnet BleManager_darwin.m): service 4240; peer-id characteristic 4241
 * (read | write); writer characteristic 4242 (write | notify); advertised with the service UUID and
 * our peer id as local name (iOS Berty reads the name; CoreBluetooth cannot advertise service data).
 *
 * Claims: each central is bleno's connection handle (a CoreBluetooth central UUID on macOS, the HCI
 * handle elsewhere); its ATT_MTU is taken from the value size bleno grants on subscribe
 * (`maxValueSize` = ATT_MTU − 3), else bleno's last `mtuChange`, else 23; writes with an offset
 * (prepared writes) and values past 512 bytes are refused; a read is answered from `offset` on where
 * the bindings leave slicing to us (macOS), whole where bleno slices (HCI); a central that goes away
 * reaches `onDisconnect` once. Several centrals may be linked at once (bleno notifies per handle).
 * Disclaims: no L2CAP CoC (bleno exposes none); bleno must already be powered on (`start` waits a
 * short while, then fails with the adapter state, which the hardware driver reports as a status).
 * Tested against a scripted fake of the bleno surface (tests/unit/ble/bleno-peripheral.test.ts),
 * never on a Mac or a Windows machine here.
 */
import type { GattPeripheralBackend, GattServerHandlers } from './gatt'
import { ATT_DEFAULT_MTU, ATT_HEADER_BYTES, ATT_MAX_MTU, BERTY_SERVICE_UUID, PEER_ID_CHAR_UUID, WRITER_CHAR_UUID } from './constants'

/** ATT result codes bleno passes through (Bluetooth Core Vol 3 Part F 3.4.1.1). */
export const ATT_SUCCESS = 0x00
export const ATT_READ_NOT_PERMITTED = 0x02
export const ATT_WRITE_NOT_PERMITTED = 0x03
export const ATT_INVALID_OFFSET = 0x07
export const ATT_INVALID_ATTRIBUTE_LENGTH = 0x0d
/** Largest attribute value accepted in one write (ATT_MAX_MTU − 3). */
const MAX_VALUE_BYTES = ATT_MAX_MTU - ATT_HEADER_BYTES
const POWER_ON_WAIT_MS = 3_000

type Handle = number | string
type Done = (result: number, data?: Buffer) => void

/** The characteristic callbacks bleno calls (its `CharacteristicOptions`). */
export interface BlenoCharacteristicOptions {
  uuid: string
  properties: string[]
  onReadRequest?: (handle: Handle, offset: number, callback: Done) => void
  onWriteRequest?: (handle: Handle, data: Buffer, offset: number, withoutResponse: boolean, callback: (result: number) => void) => void
  onSubscribe?: (handle: Handle, maxValueSize: number, updateValueCallback: (data: Buffer) => void) => void
  onUnsubscribe?: (handle: Handle) => void
}

/** What this backend uses of `@stoprocent/bleno` (0.12): the real module or a scripted fake. */
export interface BlenoLike {
  readonly state: string
  readonly mtu?: number
  Characteristic: new (options: BlenoCharacteristicOptions) => unknown
  PrimaryService: new (options: { uuid: string; characteristics: unknown[] }) => unknown
  on(event: 'stateChange', listener: (state: string) => void): unknown
  on(event: 'accept' | 'disconnect', listener: (address: string, handle?: Handle) => void): unknown
  on(event: 'mtuChange', listener: (mtu: number) => void): unknown
  removeListener(event: 'stateChange', listener: (state: string) => void): unknown
  removeAllListeners(event?: string): unknown
  setServices(services: unknown[], callback?: (err?: Error | null) => void): void
  startAdvertising(name: string, serviceUuids?: string[], callback?: (err?: Error | null) => void): void
  stopAdvertising(callback?: () => void): void
  disconnect(handle?: Handle): void
}

export interface BlenoPeripheralOptions {
  /**
   * Whether bleno's bindings slice a read's value at its offset themselves: the HCI bindings do
   * (Windows, Linux), the macOS ones hand CoreBluetooth what we return, so we slice there.
   */
  bindingsSliceReads: boolean
  powerOnWaitMs?: number
}

interface Central {
  handle: Handle
  mtu: number
  notify?: (data: Buffer) => void
}

const noDashes = (uuid: string) => uuid.replace(/-/g, '')

export class BlenoPeripheral implements GattPeripheralBackend {
  readonly #bleno: BlenoLike
  readonly #options: BlenoPeripheralOptions
  readonly #centrals = new Map<string, Central>()
  #handlers: GattServerHandlers | undefined
  /** The most recently accepted central: bleno's `mtuChange` carries no handle. */
  #last: string | undefined
  #mtu = ATT_DEFAULT_MTU

  constructor(bleno: BlenoLike, options: BlenoPeripheralOptions) {
    this.#bleno = bleno
    this.#options = options
  }

  async start(localName: string, handlers: GattServerHandlers): Promise<void> {
    const bleno = this.#bleno
    await this.#poweredOn()
    this.#handlers = handlers
    bleno.on('accept', (address, handle) => this.#adopt(handle ?? address))
    bleno.on('disconnect', (address, handle) => this.#drop(String(handle ?? address), undefined))
    bleno.on('mtuChange', (mtu) => {
      if (!Number.isInteger(mtu)) return
      this.#mtu = Math.min(Math.max(mtu, ATT_DEFAULT_MTU), ATT_MAX_MTU)
      const c = this.#last != null ? this.#centrals.get(this.#last) : undefined
      if (c != null && c.notify == null) c.mtu = this.#mtu
    })
    const pid = new bleno.Characteristic({
      uuid: noDashes(PEER_ID_CHAR_UUID),
      properties: ['read', 'write'],
      onReadRequest: (handle, offset, done) => this.#read(handle, offset, done),
      onWriteRequest: (handle, data, offset, _noResp, done) => done(this.#write(handle, PEER_ID_CHAR_UUID, data, offset))
    })
    const writer = new bleno.Characteristic({
      uuid: noDashes(WRITER_CHAR_UUID),
      properties: ['write', 'notify'],
      onWriteRequest: (handle, data, offset, _noResp, done) => done(this.#write(handle, WRITER_CHAR_UUID, data, offset)),
      onSubscribe: (handle, maxValueSize, update) => this.#subscribe(handle, maxValueSize, update),
      onUnsubscribe: (handle) => {
        const c = this.#centrals.get(String(handle))
        if (c != null) delete c.notify
      }
    })
    const service = new bleno.PrimaryService({ uuid: noDashes(BERTY_SERVICE_UUID), characteristics: [pid, writer] })
    await new Promise<void>((resolve, reject) => bleno.setServices([service], (err) => (err ? reject(err) : resolve())))
    await new Promise<void>((resolve, reject) =>
      bleno.startAdvertising(localName, [noDashes(BERTY_SERVICE_UUID)], (err) => (err ? reject(err) : resolve()))
    )
  }

  async stop(): Promise<void> {
    const bleno = this.#bleno
    for (const id of [...this.#centrals.keys()]) this.disconnect(id)
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 1_000)
      timer.unref?.()
      try {
        bleno.stopAdvertising(() => {
          clearTimeout(timer)
          resolve()
        })
      } catch {
        clearTimeout(timer)
        resolve()
      }
    })
    for (const e of ['accept', 'disconnect', 'mtuChange']) bleno.removeAllListeners(e)
    this.#handlers = undefined
  }

  async notify(central: string, charUuid: string, data: Uint8Array): Promise<void> {
    if (charUuid !== WRITER_CHAR_UUID) throw new Error(`notify: ${charUuid} does not notify`)
    const c = this.#centrals.get(central)
    if (c?.notify == null) throw new Error('notify: the central has not subscribed')
    if (data.length > c.mtu - ATT_HEADER_BYTES) throw new Error(`notify: ${data.length} bytes exceed the link's MTU`)
    c.notify(Buffer.from(data))
    // bleno queues notifications in order; yield so a long stream does not starve the event loop.
    await new Promise<void>((resolve) => setImmediate(resolve))
  }

  attMtu(central: string): number {
    return this.#centrals.get(central)?.mtu ?? ATT_DEFAULT_MTU
  }

  disconnect(central: string): void {
    const c = this.#centrals.get(central)
    if (c == null) return
    try {
      this.#bleno.disconnect(c.handle)
    } catch {
      // Already gone at the radio.
    }
    this.#drop(central, undefined)
  }

  async #poweredOn(): Promise<void> {
    const bleno = this.#bleno
    if (bleno.state === 'poweredOn') return
    let onState: ((s: string) => void) | undefined
    const state = await new Promise<string>((resolve) => {
      const timer = setTimeout(() => resolve(bleno.state), this.#options.powerOnWaitMs ?? POWER_ON_WAIT_MS)
      timer.unref?.()
      onState = (s) => {
        if (s !== 'poweredOn') return
        clearTimeout(timer)
        resolve(s)
      }
      bleno.on('stateChange', onState)
    })
    bleno.removeListener('stateChange', onState!)
    if (state !== 'poweredOn') throw new Error(`bleno: adapter is ${state}`)
  }

  /** The central behind a request; CoreBluetooth reports a central by its first request. */
  #adopt(handle: Handle | undefined): string | undefined {
    if (handle == null || (typeof handle === 'string' && !/^[A-Za-z0-9:._-]{1,64}$/.test(handle)) || (typeof handle === 'number' && !Number.isInteger(handle))) return undefined
    const id = String(handle)
    if (!this.#centrals.has(id)) {
      this.#centrals.set(id, { handle, mtu: this.#mtu })
      this.#last = id
    }
    return id
  }

  #read(handle: Handle, offset: number, done: Done): void {
    const central = this.#adopt(handle)
    const value = central != null ? this.#handlers?.onRead(central, PEER_ID_CHAR_UUID) : undefined
    if (value == null) return done(ATT_READ_NOT_PERMITTED)
    if (!Number.isInteger(offset) || offset < 0 || offset > value.length) return done(ATT_INVALID_OFFSET)
    done(ATT_SUCCESS, Buffer.from(this.#options.bindingsSliceReads ? value : value.subarray(offset)))
  }

  #write(handle: Handle, charUuid: string, data: Buffer, offset: number): number {
    if (offset !== 0) return ATT_INVALID_OFFSET
    if (!Buffer.isBuffer(data) || data.length > MAX_VALUE_BYTES) return ATT_INVALID_ATTRIBUTE_LENGTH
    const central = this.#adopt(handle)
    if (central == null) return ATT_WRITE_NOT_PERMITTED
    return this.#handlers?.onWrite(central, charUuid, Uint8Array.from(data)) === true ? ATT_SUCCESS : ATT_WRITE_NOT_PERMITTED
  }

  #subscribe(handle: Handle, maxValueSize: number, update: (data: Buffer) => void): void {
    const central = this.#adopt(handle)
    if (central == null) return
    const c = this.#centrals.get(central)!
    if (Number.isInteger(maxValueSize) && maxValueSize >= ATT_DEFAULT_MTU - ATT_HEADER_BYTES) {
      c.mtu = Math.min(maxValueSize + ATT_HEADER_BYTES, ATT_MAX_MTU)
    }
    c.notify = update
    this.#handlers?.onSubscribe(central, WRITER_CHAR_UUID)
  }

  #drop(central: string, error: Error | undefined): void {
    if (!this.#centrals.delete(central)) return
    if (this.#last === central) this.#last = undefined
    this.#handlers?.onDisconnect(central, error)
  }
}
