/**
 * The member's side of replication servers (weshnet `ReplicationServiceRegisterGroup`): ask a server
 * to replicate one of our groups with its filtered keys and a token, remember where it is, and tell
 * the other members with a `GroupReplicating` event (weshnet EventType 403, payload
 * `{device_pk, authentication_url, replication_server}`) in the group's metadata log, so every
 * member knows where to fetch while the others are offline. Every server this device recorded or
 * read in a 403 event is kept dialled in the background (core/net/peer-keeper.ts): at start, and
 * again whenever it is not connected, after a growing wait while dials fail. A device back from
 * offline reaches its groups' replicas even when no member is online, also when the server (or the
 * network) was not up yet at its start, or restarted since: dialled once at start only, such a
 * device stayed without its groups until its next start.
 * Disclaims: `replica:remove` forgets a server here only; weshnet has no event that withdraws a
 * 403, so other members still list it (and the server serves until its token lapses).
 */
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { equalBytes } from '../crypto'
import type { Groups } from '../groups/groups'
import type { Logger } from '../log'
import type { ReplicationService } from '../net/replication'
import { GroupReplicating } from '../protocol/proto/wesh'
import type { ReplicationStore } from '../storage'
import { isReplicationErrorCode, ReplicationError } from './errors'
import { MAX_TOKEN_CHARS } from './tokens'
import { PeerKeeper, type KeptPeer } from '../net/peer-keeper'

export interface ReplicaClientOptions {
  groups: Pick<Groups, 'get' | 'replicaKeys' | 'keys' | 'appendWeshEvent' | 'weshEvents' | 'myDevicePk'>
  store: ReplicationStore
  service: Pick<ReplicationService, 'request'>
  dial: (addr: Multiaddr, signal: AbortSignal) => Promise<unknown>
  /** Whether this node holds a connection to the peer now. */
  connected: (peerId: string) => boolean
  log?: Logger
  now?: () => number
}

/** weshnet EventType GroupReplicating. */
export const EVENT_GROUP_REPLICATING = 403

export interface AddedReplica {
  peerId: string
  server: string
  addedAt: number
}

export interface KnownReplica extends AddedReplica {
  /** 'local': this device asked it; 'event': a member announced it (GroupReplicating). */
  source: 'local' | 'event'
}

function peerOf(addr: Multiaddr): string | undefined {
  return addr.getComponents().find((c) => c.name === 'p2p')?.value
}

export class ReplicaClient {
  private readonly log: Logger
  private readonly now: () => number
  private readonly keeper: PeerKeeper

  constructor(private readonly o: ReplicaClientOptions) {
    this.log = o.log ?? (() => {})
    this.now = o.now ?? Date.now
    this.keeper = new PeerKeeper({
      targets: () => this.known(),
      dial: o.dial,
      connected: o.connected,
      what: 'a replication server',
      log: this.log,
      now: this.now
    })
  }

  /** Asks `server` (a multiaddr ending in /p2p/<id>) to replicate the group; throws ReplicationError on refusal. */
  async add(groupPk: Uint8Array, server: string, token: string, signal?: AbortSignal): Promise<AddedReplica> {
    const g = this.o.groups.get(groupPk)
    if (g.role !== 'member') throw new ReplicationError('ERR_BAD_GROUP', 'only a member can ask a server to replicate a group')
    if (g.kind !== 'multi') throw new ReplicationError('ERR_BAD_GROUP', 'replication servers serve multi-member groups (they need the link key signature)')
    if (token.length === 0 || token.length > MAX_TOKEN_CHARS) throw new ReplicationError('ERR_TOKEN_MISSING', 'a replication token is required')
    let addr: Multiaddr
    try {
      addr = multiaddr(server)
    } catch {
      throw new ReplicationError('ERR_PROTOCOL', 'not a valid multiaddr')
    }
    if (peerOf(addr) === undefined) throw new ReplicationError('ERR_PROTOCOL', 'the server address must end in /p2p/<peer id>')
    const keys = this.o.groups.replicaKeys(groupPk)
    const reply = await this.o.service.request(addr, { ...keys, token }, signal ? { signal } : {})
    if (!reply.ok) {
      const code = isReplicationErrorCode(reply.code) ? reply.code : 'ERR_PROTOCOL'
      throw new ReplicationError(code, `the replication server refused: ${reply.message}`)
    }
    const peerId = reply.peer.toString()
    const addedAt = this.now()
    this.o.store.addReplica(groupPk, peerId, addr.toString(), addedAt)
    // Announced once per device and server: adding it again (an answer lost, Add pressed twice) does
    // not put a second event in the log, which every member keeps; one cut short before it is posted.
    const devicePk = this.o.groups.myDevicePk(groupPk)
    if (!this.announcedBy(groupPk, devicePk, addr.toString())) {
      const payload = GroupReplicating.encode({ devicePk, authenticationUrl: '', replicationServer: addr.toString() })
      await this.o.groups.appendWeshEvent(groupPk, EVENT_GROUP_REPLICATING, payload)
    }
    this.log('info', 'replication: a server now replicates a group', { peer: peerId })
    return { peerId, server: addr.toString(), addedAt }
  }

  /** This device's records first, then servers other members announced (one row per server). */
  list(groupPk: Uint8Array): KnownReplica[] {
    this.o.groups.get(groupPk)
    const out: KnownReplica[] = this.o.store
      .replicasOf(groupPk)
      .map((r) => ({ peerId: r.peer_id, server: r.server, addedAt: r.added_at, source: 'local' as const }))
    const seen = new Set(out.map((r) => r.peerId))
    for (const a of this.announced(groupPk)) {
      if (seen.has(a.peerId)) continue
      seen.add(a.peerId)
      out.push(a)
    }
    return out
  }

  /** Whether `devicePk` already announced `server` in the group. */
  private announcedBy(groupPk: Uint8Array, devicePk: Uint8Array, server: string): boolean {
    return this.o.groups.weshEvents(groupPk, EVENT_GROUP_REPLICATING).some((e) => {
      try {
        // The device that signed the event, not the one its payload names.
        return equalBytes(e.devicePk, devicePk) && GroupReplicating.decode(e.payload).replicationServer === server
      } catch {
        return false
      }
    })
  }

  /** Servers announced in the group's GroupReplicating events (malformed addresses skipped). */
  private announced(groupPk: Uint8Array): KnownReplica[] {
    const out: KnownReplica[] = []
    for (const e of this.o.groups.weshEvents(groupPk, EVENT_GROUP_REPLICATING)) {
      try {
        const addr = multiaddr(GroupReplicating.decode(e.payload).replicationServer)
        const peerId = peerOf(addr)
        if (peerId) out.push({ peerId, server: addr.toString(), addedAt: 0, source: 'event' })
      } catch {
        // not a multiaddr: another implementation's endpoint form; nothing we can dial
      }
    }
    return out
  }

  remove(groupPk: Uint8Array, peerId: string): boolean {
    this.o.groups.get(groupPk)
    return this.o.store.removeReplica(groupPk, peerId)
  }

  /** Keeps every known server dialled (core/net/peer-keeper.ts) until `stop`. */
  start(): void {
    this.keeper.start()
  }

  /** Servers this device recorded, then those announced in its groups (malformed addresses skipped). */
  private known(): KeptPeer[] {
    const rows = [
      ...this.o.store.allReplicas().map((r) => ({ peerId: r.peer_id, server: r.server })),
      ...this.o.groups.keys().flatMap((pk) => {
        try {
          return this.announced(pk)
        } catch {
          return []
        }
      })
    ]
    const out: KeptPeer[] = []
    for (const { peerId, server } of rows) {
      try {
        out.push({ peerId, addr: multiaddr(server) })
      } catch {
        // a stored row that is not a multiaddr: nothing to dial
      }
    }
    return out
  }

  stop(): void {
    this.keeper.stop()
  }
}
