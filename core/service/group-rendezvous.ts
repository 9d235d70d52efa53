/**
 * Members find each other by the group alone (issue "Reach"): every group this node holds is
 * advertised and watched under its rendezvous point on the discovery drivers (LAN, DHT,
 * rendezvous servers), so an invitation link needs no address.
 *
 * The point follows PROTOCOL.md "Group RDV point" (weshnet: topic = the group store's address
 * string, seed = link key, never renewed): topic = this group's metadata-log topic string (our store
 * address), seed = link key, period 0; namespace = base64-std(point). Only holders of the link key
 * (members, replicas) can compute it. It meets weshnet peers only once the log container matches
 * theirs (a later step of the wire work).
 */
import { toHex } from '../bytes'
import { rendezvousPoint } from '../crypto'
import type { Groups } from '../groups/groups'
import type { Logger } from '../log'
import type { Discovery } from '../net/discovery/discovery'
import { base64Std } from '../protocol/rendezvous'

export function groupRendezvousNamespace(metaTopic: string, linkKey: Uint8Array): string {
  return base64Std(rendezvousPoint(new TextEncoder().encode(metaTopic), linkKey, 0))
}

export interface GroupRendezvous {
  /** Re-reads which groups are served (a replica's lapsed groups stop being advertised). */
  refresh(): void
  close(): Promise<void>
}

export function advertiseGroups(groups: Groups, discovery: Discovery, log: Logger, opts: { serving?: (groupPk: Uint8Array) => boolean } = {}): GroupRendezvous {
  const active = new Map<string, string>()
  const refresh = (): void => {
    const present = new Set<string>()
    // Runs on every group event (each metadata batch): only keys, never the groups' summaries.
    for (const pk of groups.keys()) {
      if (opts.serving && !opts.serving(pk)) continue
      const key = toHex(pk)
      present.add(key)
      if (active.has(key)) continue
      const ns = groupRendezvousNamespace(groups.topics(pk).meta, groups.replicaKeys(pk).linkKey)
      active.set(key, ns)
      discovery.advertise(ns)
      discovery.watch(ns)
    }
    for (const [key, ns] of active) {
      if (present.has(key)) continue
      active.delete(key)
      discovery.unwatch(ns)
      void discovery.stopAdvertising(ns).catch((err: unknown) => log('debug', 'reach: stop advertising failed', { error: String(err) }))
    }
  }
  const off = groups.on((e) => {
    if (e.type === 'group') refresh()
  })
  refresh()
  return {
    refresh,
    async close() {
      off()
      for (const ns of active.values()) {
        discovery.unwatch(ns)
        await discovery.stopAdvertising(ns).catch(() => undefined)
      }
      active.clear()
    }
  }
}
