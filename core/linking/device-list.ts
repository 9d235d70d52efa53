/**
 * The devices of this account as the UI lists them (spec "Linking Devices"): the account group's member
 * devices, with the local labels, link times and last-seen times of core/storage/device-store.ts. A
 * device is "seen" while its libp2p peer (recorded at linking) is connected; the last disconnection is kept.
 */
import type { Connection } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { fromHex, toHex } from '../bytes'
import type { Groups } from '../groups/groups'
import type { Logger } from '../log'
import type { BertyLibp2p } from '../net/libp2p'
import { DeviceLinkError } from '../protocol/device-link'
import type { DeviceStore } from '../storage'

export interface AccountDevicesDeps {
  libp2p: BertyLibp2p
  groups: Groups
  devices: DeviceStore
  deviceName: string
  log: Logger
  now: () => number
}

export class AccountDevices {
  constructor(private readonly d: AccountDevicesDeps) {}

  start(): void {
    this.d.libp2p.addEventListener('connection:close', this.onClose)
  }

  stop(): void {
    this.d.libp2p.removeEventListener('connection:close', this.onClose)
  }

  /** Devices of this account (the account group's member devices), with local names and last-seen times. */
  async list(): Promise<
    Array<{ devicePk: Uint8Array; name?: string; current: boolean; lastSeen?: number; linkedAt?: number; role: 'full' | 'replica'; replacedAt?: number }>
  > {
    const accountGroup = this.d.groups.accountGroupPk()
    if (!accountGroup) return []
    const mine = toHex(this.d.groups.myDevicePk(accountGroup))
    const records = await this.d.devices.all()
    const replaced = this.d.groups.replaced.all()
    const now = this.d.now()
    // Replication devices linked from here have no device in the account group: listed from their records.
    const replicas = [...records].filter(([hex, r]) => r.role === 'replica' && hex !== mine).map(([hex]) => hex)
    return [...this.d.groups.accountDevices(), ...replicas].map((hex) => {
      const r = records.get(hex)
      const current = hex === mine
      const online = r?.peerId !== undefined && this.connected(r.peerId)
      // This device under the key it had before a repair (replaced-devices.ts): named as such.
      const replacedAt = current ? undefined : replaced.get(hex)
      const name = r?.name ?? (current || replacedAt !== undefined ? this.d.deviceName : undefined)
      const lastSeen = current || online ? now : (r?.lastSeen ?? replacedAt)
      return {
        devicePk: fromHex(hex),
        current,
        role: r?.role === 'replica' ? ('replica' as const) : ('full' as const),
        ...(replacedAt !== undefined ? { replacedAt } : {}),
        ...(name !== undefined ? { name } : {}),
        ...(lastSeen !== undefined ? { lastSeen } : {}),
        ...(r?.linkedAt !== undefined ? { linkedAt: r.linkedAt } : {})
      }
    })
  }

  /** A local label for one of the account's devices. */
  async rename(devicePk: Uint8Array, name: string): Promise<void> {
    const replica = (await this.d.devices.all()).get(toHex(devicePk))?.role === 'replica'
    if (!replica && !this.d.groups.accountDevices().includes(toHex(devicePk))) throw new DeviceLinkError('ERR_NO_SESSION', 'no such device in this account')
    await this.d.devices.update(toHex(devicePk), { name })
  }

  private connected(peerId: string): boolean {
    try {
      return this.d.libp2p.getConnections(peerIdFromString(peerId)).length > 0
    } catch {
      return false
    }
  }

  /** A known device's peer disconnected: remember when it was last seen. */
  private readonly onClose = (evt: CustomEvent<Connection>): void => {
    const peer = evt.detail.remotePeer.toString()
    void this.d.devices.all().then(async (records) => {
      for (const [hex, r] of records) if (r.peerId === peer) await this.d.devices.update(hex, { lastSeen: this.d.now() })
    }).catch((err: unknown) => this.d.log('warn', 'linking: could not record last seen', { error: String(err) }))
  }
}
