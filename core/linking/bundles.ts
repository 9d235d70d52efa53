/**
 * What device A hands over at the end of a link (spec "Linking Devices"): a full device gets the account's
 * seeds (copies, wiped by the session once sealed); a replication device (spec "Replication device") gets
 * public keys only: the account's key and the account group's replica keys.
 */
import { toHex } from '../bytes'
import { wipe } from '../crypto'
import type { Groups } from '../groups/groups'
import { DeviceLinkError, type AccountBundleFields, type ReplicaBundleFields } from '../protocol/device-link'
import type { AccountStore, DeviceStore } from '../storage'

export interface BundleDeps {
  accounts: AccountStore
  devices: DeviceStore
  groups: Groups
  deviceName: string
}

async function inviter(d: BundleDeps): Promise<{ accountPk: Uint8Array; displayName: string; accountGroup: Uint8Array; devicePk: Uint8Array; name: string }> {
  const info = d.accounts.get()
  const accountGroup = d.groups.accountGroupPk()
  if (!info || !accountGroup) throw new DeviceLinkError('ERR_NO_SESSION', 'no account to link to')
  const devicePk = d.groups.myDevicePk(accountGroup)
  const own = (await d.devices.all()).get(toHex(devicePk))
  return { accountPk: info.accountPk, displayName: info.displayName ?? '', accountGroup, devicePk, name: own?.name ?? d.deviceName }
}

export async function fullBundle(d: BundleDeps): Promise<AccountBundleFields> {
  const me = await inviter(d)
  const seeds = await d.accounts.getRendezvousSeeds()
  wipe(seeds.previous?.seed)
  return {
    accountSeed: await d.accounts.getAccountSeed(),
    aliasSeed: await d.accounts.getAliasSeed(),
    rendezvousSeed: seeds.current,
    displayName: me.displayName,
    inviterDevicePk: me.devicePk,
    inviterDeviceName: me.name
  }
}

export async function replicaBundle(d: BundleDeps): Promise<ReplicaBundleFields> {
  const me = await inviter(d)
  const keys = d.groups.replicaKeys(me.accountGroup)
  return {
    accountPk: me.accountPk,
    accountGroup: { groupPk: keys.groupPk, signPub: keys.signPub, linkKey: keys.linkKey.slice() },
    inviterDevicePk: me.devicePk,
    inviterDeviceName: me.name
  }
}
