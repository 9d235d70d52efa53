/** `replica:status`: what this node stores for groups it replicates without reading them. */
import { toHex } from '../bytes'
import type { ReplicationStore, ServedState } from '../storage'

export interface ReplicaGroupStatus {
  groupPk: Uint8Array
  /** 'active' | 'left' | 'full' on a replication server; 'active' for a group replicated by hand. */
  state: ServedState
  entries: number
  bytes: number
  /** When its logs last grew here (Unix ms), if ever. */
  lastSyncAt?: number
  addedAt: number
}

export interface ReplicaStatus {
  server: boolean
  /** A replication device: the account it serves (hex public key) and since when. */
  replicaOf?: { accountPk: string; linkedAt: number }
  groups: ReplicaGroupStatus[]
  totals: { groups: number; entries: number; bytes: number }
  limits?: { maxGroups: number; maxTotalBytes: number; maxGroupBytes: number }
  /** Warnings raised before anything is dropped (quota near or over), newest last. */
  warnings: string[]
}

/** The groups the engine replicates (role 'replica'), with the server's records where it has them. */
export function replicaGroupsStatus(
  replicaGroups: ReadonlyArray<{ groupPk: Uint8Array; createdAt: number }>,
  store: ReplicationStore,
  lastSync: (groupHex: string) => number | undefined
): ReplicaGroupStatus[] {
  return replicaGroups.map((g) => {
    const row = store.served(g.groupPk)
    const hex = toHex(g.groupPk)
    const usage = store.measure(hex)
    const last = row?.last_sync_at ?? lastSync(hex)
    return {
      groupPk: g.groupPk,
      state: row?.state ?? 'active',
      entries: usage.entries,
      bytes: usage.bytes,
      ...(last !== undefined && last !== null ? { lastSyncAt: last } : {}),
      addedAt: row?.added_at ?? g.createdAt
    }
  })
}
