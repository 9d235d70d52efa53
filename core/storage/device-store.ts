/**
 * What this node knows about the devices of its account (spec "Linking Devices"): a local label per
 * device (user content: sealed in the keystore like the display name, never a plaintext column), the
 * libp2p peer it was linked from or to, when it was linked and last seen. Keyed by the device's key in
 * the account group (hex). One sealed record: a handful of devices (at most 32 per member).
 */
import type { Keystore } from './keystore'
import { StorageError } from './errors'

const KEY_DEVICES = 'account/devices'
const MAX_DEVICES = 64

export interface DeviceRecord {
  name?: string
  peerId?: string
  linkedAt?: number
  lastSeen?: number
  /** A replication device linked from here (it has no device in the account group). */
  role?: 'replica'
}

export class DeviceStore {
  #cache: Map<string, DeviceRecord> | undefined

  constructor(private readonly keystore: Keystore) {}

  async all(): Promise<Map<string, DeviceRecord>> {
    if (this.#cache) return new Map(this.#cache)
    const blob = await this.keystore.get(KEY_DEVICES)
    const map = new Map<string, DeviceRecord>()
    if (blob !== undefined) {
      try {
        const parsed = JSON.parse(new TextDecoder().decode(blob)) as Record<string, DeviceRecord>
        for (const [k, v] of Object.entries(parsed)) if (/^[0-9a-f]{64}$/.test(k) && typeof v === 'object' && v !== null) map.set(k, v)
      } catch {
        throw new StorageError('ERR_KEYSTORE_CORRUPT', 'device records do not parse')
      }
    }
    this.#cache = map
    return new Map(map)
  }

  /** Merges `patch` into the record of `deviceHex`. */
  async update(deviceHex: string, patch: DeviceRecord): Promise<void> {
    if (!/^[0-9a-f]{64}$/.test(deviceHex)) throw new StorageError('ERR_BAD_INPUT', 'a device key is 32 bytes')
    const map = await this.all()
    if (!map.has(deviceHex) && map.size >= MAX_DEVICES) throw new StorageError('ERR_TOO_LARGE', 'too many devices')
    map.set(deviceHex, { ...map.get(deviceHex), ...patch })
    await this.keystore.put(KEY_DEVICES, new TextEncoder().encode(JSON.stringify(Object.fromEntries(map))))
    this.#cache = map
  }
}
