/**
 * The GATT surface a {@link GattDriver} needs from a radio backend, in Berty's terms: the hardware
 * drivers (noble for the central role; bleno or BlueZ over D-Bus for the peripheral role) and the
 * simulated radio both implement it, so the peer-id exchange and the link logic above are one code path.
 *
 * Characteristics are named by full 128-bit lower-case UUID (constants.ts). `attMtu` is the negotiated
 * ATT_MTU; a write or notification carries at most `attMtu − 3` bytes.
 */
import type { BleCapabilities, BleStatus } from './driver'

export interface Advertisement {
  /** Backend-specific device handle (a MAC address, a CoreBluetooth UUID, a sim address). */
  address: string
  /** iOS-to-iOS: the local name carries the peer id (BleManager_darwin.m `startAdvertising`). */
  localName?: string
  /** Android: service data under the 16-bit `4240` UUID carries the peer id (UTF-8). */
  serviceData?: Uint8Array
}

/** Central role: one GATT client connection, services and characteristics already discovered. */
export interface GattClient {
  readonly attMtu: number
  /** Write-with-response; rejects on an ATT error or a dropped link. */
  write(charUuid: string, data: Uint8Array): Promise<void>
  read(charUuid: string): Promise<Uint8Array>
  /** Enables notifications; `onNotify` then receives each value, in order. */
  subscribe(charUuid: string, onNotify: (data: Uint8Array) => void): Promise<void>
  /** Terminates the connection (the remote sees a clean "remote user terminated" disconnect). */
  disconnect(): void
  /** Called once when the connection ends; `error` unless the remote terminated it cleanly. */
  onDisconnect: ((error?: Error) => void) | undefined
}

export interface GattCentralBackend {
  startScanning(onAdvertisement: (ad: Advertisement) => void): Promise<void>
  stopScanning(): Promise<void>
  /** Connects, negotiates the MTU, discovers the Berty service and its two characteristics. */
  connect(address: string, options?: { signal?: AbortSignal }): Promise<GattClient>
}

/** What the peripheral role calls back into; `central` is the backend's handle for one connection. */
export interface GattServerHandlers {
  /** Returns false to answer with an ATT error (the backend then reports it to the writer). */
  onWrite(central: string, charUuid: string, data: Uint8Array): boolean
  /** Returns undefined to answer "read not permitted". */
  onRead(central: string, charUuid: string): Uint8Array | undefined
  onSubscribe(central: string, charUuid: string): void
  onDisconnect(central: string, error?: Error): void
}

export interface GattPeripheralBackend {
  /** Registers the Berty service (peer-id: read|write, writer: write|notify) and advertises `localName`. */
  start(localName: string, handlers: GattServerHandlers): Promise<void>
  stop(): Promise<void>
  /** Sends one notification; resolves when the radio has taken it. */
  notify(central: string, charUuid: string, data: Uint8Array): Promise<void>
  attMtu(central: string): number
  disconnect(central: string): void
}

export interface GattBackend {
  readonly name: string
  readonly capabilities: BleCapabilities
  status(): BleStatus
  /** Absent when the role is unavailable (no adapter support, no library, no permission). */
  readonly central?: GattCentralBackend
  readonly peripheral?: GattPeripheralBackend
  /** Backends that can change state (adapter powered off, permission revoked) call this. */
  onStatus?: ((status: BleStatus) => void) | undefined
}
