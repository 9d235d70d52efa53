/**
 * Central role over `@stoprocent/noble` (D-Bus/BlueZ bindings on Linux: no root, no raw HCI; CoreBluetooth
 * on macOS; WinRT on Windows): scanning for the Berty service, connecting, MTU, the two characteristics.
 *
 * Written against the small {@link NobleLike} surface so the scripted fake in the tests drives exactly
 * this code. Disconnect reasons 0x13 (remote user terminated) and 0x16 (local host terminated) are clean
 * closes; anything else (0x08 supervision timeout…) is a link loss.
 */
import { BERTY_SERVICE_UUID, BERTY_SERVICE_UUID16, PEER_ID_CHAR_UUID, WRITER_CHAR_UUID, ATT_DEFAULT_MTU } from './constants'
import { BleError, type BleState, type BleStatus } from './driver'
import type { Advertisement, GattCentralBackend, GattClient } from './gatt'

export type NobleAdapterState = 'poweredOn' | 'poweredOff' | 'unauthorized' | 'unsupported' | 'unknown' | 'resetting'

export interface NobleCharacteristicLike {
  readonly uuid: string
  writeAsync(data: Buffer, withoutResponse: boolean): Promise<void>
  readAsync(): Promise<Buffer>
  subscribeAsync(): Promise<void>
  on(event: 'data', listener: (data: Buffer, isNotification: boolean) => void): unknown
}

export interface NoblePeripheralLike {
  readonly id: string
  readonly mtu: number | null
  readonly advertisement: { localName?: string; serviceData?: Array<{ uuid: string; data: Buffer }> }
  discoverSomeServicesAndCharacteristicsAsync(services: string[], characteristics: string[]): Promise<{ characteristics: NobleCharacteristicLike[] }>
  disconnectAsync(): Promise<void>
  once(event: 'disconnect', listener: (reason: number | string) => void): unknown
}

export interface NobleLike {
  readonly state: NobleAdapterState
  on(event: 'stateChange', listener: (state: NobleAdapterState) => void): unknown
  on(event: 'discover', listener: (peripheral: NoblePeripheralLike) => void): unknown
  removeAllListeners(event: 'discover'): unknown
  startScanningAsync(serviceUUIDs?: string[], allowDuplicates?: boolean): Promise<void>
  stopScanningAsync(): Promise<void>
  connectAsync(idOrAddress: string): Promise<NoblePeripheralLike>
}

/** noble reports SIG-base UUIDs in 16-bit form and others as 32 hex digits without dashes. */
export function sameUuid(noble: string, full: string): boolean {
  const n = noble.toLowerCase().replace(/-/g, '')
  const f = full.toLowerCase().replace(/-/g, '')
  return n === f || (n.length === 4 && f === `0000${n}00001000800000805f9b34fb`)
}

export function stateOf(state: NobleAdapterState): BleStatus {
  const map: Record<NobleAdapterState, BleState> = {
    poweredOn: 'ready',
    poweredOff: 'powered-off',
    unauthorized: 'unauthorized',
    unsupported: 'unsupported',
    unknown: 'unsupported',
    resetting: 'powered-off'
  }
  const st = map[state]
  return st === 'ready' ? { state: st } : { state: st, reason: `adapter state ${state}` }
}

const CLEAN_DISCONNECT = new Set<number | string>([0x13, 0x16, 'remote user terminated', 'local host terminated'])

class NobleClient implements GattClient {
  onDisconnect: ((error?: Error) => void) | undefined
  readonly attMtu: number

  constructor(private readonly peripheral: NoblePeripheralLike, private readonly chars: Map<string, NobleCharacteristicLike>) {
    this.attMtu = peripheral.mtu ?? ATT_DEFAULT_MTU
    peripheral.once('disconnect', (reason) => {
      this.onDisconnect?.(CLEAN_DISCONNECT.has(reason) ? undefined : new BleError('ERR_BLE_LINK_CLOSED', `disconnected (reason ${String(reason)})`))
    })
  }

  #char(uuid: string): NobleCharacteristicLike {
    const c = this.chars.get(uuid)
    if (c == null) throw new BleError('ERR_BLE_PROTOCOL', `characteristic ${uuid} not found`)
    return c
  }

  async write(charUuid: string, data: Uint8Array): Promise<void> {
    await this.#char(charUuid).writeAsync(Buffer.from(data), false)
  }

  async read(charUuid: string): Promise<Uint8Array> {
    return new Uint8Array(await this.#char(charUuid).readAsync())
  }

  async subscribe(charUuid: string, onNotify: (data: Uint8Array) => void): Promise<void> {
    const c = this.#char(charUuid)
    c.on('data', (data) => onNotify(new Uint8Array(data)))
    await c.subscribeAsync()
  }

  disconnect(): void {
    this.peripheral.disconnectAsync().catch(() => {})
  }
}

export class NobleCentral implements GattCentralBackend {
  constructor(private readonly noble: NobleLike) {}

  async startScanning(onAdvertisement: (ad: Advertisement) => void): Promise<void> {
    this.noble.on('discover', (p) => {
      const data = p.advertisement.serviceData?.find((d) => sameUuid(d.uuid, BERTY_SERVICE_UUID))?.data
      onAdvertisement({
        address: p.id,
        ...(p.advertisement.localName != null ? { localName: p.advertisement.localName } : {}),
        ...(data != null ? { serviceData: new Uint8Array(data) } : {})
      })
    })
    // Duplicates on: a still-present device keeps refreshing its last-seen time (GattDriver's lost sweep).
    await this.noble.startScanningAsync([BERTY_SERVICE_UUID16], true)
  }

  async stopScanning(): Promise<void> {
    this.noble.removeAllListeners('discover')
    await this.noble.stopScanningAsync()
  }

  async connect(address: string, options: { signal?: AbortSignal } = {}): Promise<GattClient> {
    options.signal?.throwIfAborted()
    const peripheral = await this.noble.connectAsync(address)
    try {
      options.signal?.throwIfAborted()
      const { characteristics } = await peripheral.discoverSomeServicesAndCharacteristicsAsync([BERTY_SERVICE_UUID16], ['4241', '4242'])
      const chars = new Map<string, NobleCharacteristicLike>()
      for (const c of characteristics) {
        if (sameUuid(c.uuid, PEER_ID_CHAR_UUID)) chars.set(PEER_ID_CHAR_UUID, c)
        if (sameUuid(c.uuid, WRITER_CHAR_UUID)) chars.set(WRITER_CHAR_UUID, c)
      }
      if (chars.size !== 2) throw new BleError('ERR_BLE_PROTOCOL', 'device lacks the Berty characteristics')
      return new NobleClient(peripheral, chars)
    } catch (err) {
      await peripheral.disconnectAsync().catch(() => {})
      throw err
    }
  }
}
