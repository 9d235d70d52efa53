/**
 * Builds a {@link BleDriver} from the daemon's `--ble SPEC`:
 * - `sim:PATH[#LABEL]` — attach to the radio simulator listening on Unix socket PATH (`npm run ble-sim`),
 *   as the device named LABEL in its range file (default: a random name);
 * - `hw` — the machine's Bluetooth adapter (noble central + OS peripheral), loaded lazily; an absent
 *   adapter or permission is reported by the driver's status, not thrown.
 */
import { toHex } from '../../bytes'
import { randomBytes } from '../../crypto'
import type { Logger } from '../../log'
import type { BleDriver } from './driver'
import { GattDriver } from './gatt-driver'
import type { BleSpec } from './spec'

export { parseBleSpec, type BleSpec } from './spec'

export async function createBleDriver(spec: BleSpec, options: { log?: Logger } = {}): Promise<BleDriver> {
  if (spec.kind === 'sim') {
    const { SimSocketBackend } = await import('./sim-client')
    const backend = await SimSocketBackend.connect(spec.socket, spec.label ?? `dev-${toHex(randomBytes(4))}`)
    return new GattDriver(backend, options.log != null ? { log: options.log } : {})
  }
  const { createHardwareDriver } = await import('./hardware')
  return await createHardwareDriver(options)
}
