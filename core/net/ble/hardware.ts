/**
 * The machine's Bluetooth adapter as a {@link BleDriver}, loaded lazily (main process / daemon only).
 *
 * Central: `@stoprocent/noble` (noble-central.ts), D-Bus bindings on Linux. Peripheral: on Linux the
 * BlueZ D-Bus GATT server and advertiser (bluez-peripheral.ts: no root, bluetoothd keeps running);
 * on macOS and Windows `@stoprocent/bleno` (bleno-peripheral.ts). When the peripheral library does
 * not load, the capability says so and the node can dial Berty devices but not be dialled.
 * Every failure to load or power up is a status (`unsupported`, `powered-off`, `unauthorized`) with a
 * reason, never an exception out of here.
 */
import type { Logger } from '../../log'
import type { BleCapabilities, BleDriver, BleStatus } from './driver'
import { BlenoPeripheral, type BlenoLike } from './bleno-peripheral'
import { BluezPeripheral } from './bluez-peripheral'
import type { GattBackend, GattPeripheralBackend } from './gatt'
import { GattDriver } from './gatt-driver'
import { NobleCentral, stateOf, type NobleLike } from './noble-central'

const POWER_UP_WAIT_MS = 3_000

export class HardwareBackend implements GattBackend {
  readonly name: string
  readonly capabilities: BleCapabilities
  readonly central?: NobleCentral
  readonly peripheral?: GattPeripheralBackend
  onStatus: ((status: BleStatus) => void) | undefined
  #status: BleStatus

  constructor(noble: NobleLike | undefined, reason: string | undefined, peripheral?: GattPeripheralBackend) {
    this.name = noble != null ? (peripheral != null ? `noble+${peripheral instanceof BlenoPeripheral ? 'bleno' : 'bluez'}` : 'noble') : 'none'
    this.capabilities = { central: noble != null, peripheral: noble != null && peripheral != null, l2cap: false }
    if (noble != null && peripheral != null) this.peripheral = peripheral
    if (noble == null) {
      this.#status = { state: 'unsupported', reason: reason ?? 'no BLE library' }
      return
    }
    this.central = new NobleCentral(noble)
    this.#status = stateOf(noble.state)
    noble.on('stateChange', (state) => {
      this.#status = stateOf(state)
      this.onStatus?.(this.#status)
    })
  }

  status(): BleStatus {
    return this.#status
  }
}

/**
 * Linux: is there a system bus with BlueZ on it? noble's D-Bus bindings crash the process (an unhandled
 * 'error' event) when the bus is missing, so we ask first, with our own error handler and a deadline.
 */
export async function probeBluez(timeoutMs = 2_000): Promise<string | undefined> {
  let bus: { on(e: 'error', f: (err: Error) => void): unknown; getProxyObject(name: string, path: string): Promise<unknown>; disconnect(): void } | undefined
  try {
    const dbus = (await import('dbus-next')) as unknown as { systemBus: () => NonNullable<typeof bus> }
    const failed = new Promise<never>((_, reject) => {
      bus = dbus.systemBus()
      bus.on('error', reject)
      setTimeout(() => reject(new Error('no answer from the system bus')), timeoutMs).unref()
    })
    await Promise.race([bus?.getProxyObject('org.bluez', '/'), failed])
    return undefined
  } catch (err) {
    return `BlueZ not reachable over D-Bus: ${err instanceof Error ? err.message : String(err)}`
  } finally {
    try {
      bus?.disconnect()
    } catch {
      // The bus never connected.
    }
  }
}

/** Loads noble with the platform's bindings; resolves once the adapter state is known (or after 3 s). */
export async function loadNoble(): Promise<{ noble?: NobleLike; reason?: string }> {
  if (process.platform === 'linux') {
    const reason = await probeBluez()
    if (reason != null) return { reason }
  }
  let noble: NobleLike
  try {
    const mod = (await import('@stoprocent/noble')) as unknown as { withBindings: (type: string) => NobleLike }
    // D-Bus (BlueZ) on Linux: works as a normal user; the default HCI socket bindings need root or CAP_NET_RAW.
    noble = mod.withBindings(process.platform === 'linux' ? 'dbus' : 'default')
  } catch (err) {
    return { reason: `@stoprocent/noble did not load: ${err instanceof Error ? err.message : String(err)}` }
  }
  let state: string
  try {
    // Reading `state` starts the bindings; the D-Bus ones throw without a system bus or BlueZ.
    state = noble.state
  } catch (err) {
    return { reason: `no Bluetooth stack: ${err instanceof Error ? err.message : String(err)}` }
  }
  if (state === 'unknown' || state === 'resetting') {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, POWER_UP_WAIT_MS)
      timer.unref?.()
      noble.on('stateChange', () => {
        clearTimeout(timer)
        resolve()
      })
    })
  }
  return { noble }
}

/**
 * macOS and Windows: bleno with CoreBluetooth (macOS) or its HCI bindings (Windows: a USB dongle
 * bound to WinUSB; bleno has no WinRT backend). Not on Linux, where its HCI bindings would need
 * bluetoothd stopped.
 */
export async function loadBleno(log?: Logger): Promise<BlenoPeripheral | undefined> {
  if (process.platform !== 'darwin' && process.platform !== 'win32') return undefined
  try {
    const mod = (await import('@stoprocent/bleno')) as unknown as { withBindings: (type: string) => BlenoLike; default?: { withBindings?: unknown } }
    const withBindings = typeof mod.withBindings === 'function' ? mod.withBindings : (mod.default as { withBindings: (type: string) => BlenoLike }).withBindings
    const mac = process.platform === 'darwin'
    return new BlenoPeripheral(withBindings(mac ? 'mac' : 'hci'), { bindingsSliceReads: !mac })
  } catch (err) {
    log?.('warn', 'ble: peripheral role unavailable', { reason: `@stoprocent/bleno did not load: ${err instanceof Error ? err.message : String(err)}` })
    return undefined
  }
}

export async function createHardwareDriver(options: { log?: Logger } = {}): Promise<BleDriver> {
  const { noble, reason } = await loadNoble()
  // Linux: BlueZ answered on the system bus (loadNoble probed it), so its GATT server can host ours.
  const peripheral = noble == null ? undefined : process.platform === 'linux' ? new BluezPeripheral() : await loadBleno(options.log)
  const backend = new HardwareBackend(noble, reason, peripheral)
  options.log?.(backend.status().state === 'ready' ? 'info' : 'warn', 'ble: hardware radio', { ...backend.status(), ...backend.capabilities })
  return new GattDriver(backend, options.log != null ? { log: options.log } : {})
}
