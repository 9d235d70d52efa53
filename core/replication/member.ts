/**
 * The member's side of replication servers (weshnet `ReplicationServiceRegisterGroup`): ask a server
 * to replicate one of our groups with its filtered keys and a token, and remember where it is so
 * this device (and, through the group's metadata, the others) can fetch from it while members are
 * offline. On start, every recorded server is dialled once in the background: a device back from
 * offline reaches its groups' replicas even when no member is online.
 */
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import type { Groups } from '../groups/groups'
import type { Logger } from '../log'
import type { ReplicationService } from '../net/replication'
import type { GroupReplicaRow, ReplicationStore } from '../storage'
import { isReplicationErrorCode, ReplicationError } from './errors'
import { MAX_TOKEN_CHARS } from './tokens'

export interface ReplicaClientOptions {
  groups: Pick<Groups, 'get' | 'replicaKeys'>
  store: ReplicationStore
  service: Pick<ReplicationService, 'request'>
  dial: (addr: Multiaddr, signal: AbortSignal) => Promise<unknown>
  log?: Logger
  now?: () => number
}

export interface AddedReplica {
  peerId: string
  server: string
  addedAt: number
}

export class ReplicaClient {
  private readonly log: Logger
  private readonly now: () => number
  private readonly stopping = new AbortController()

  constructor(private readonly o: ReplicaClientOptions) {
    this.log = o.log ?? (() => {})
    this.now = o.now ?? Date.now
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
    if (addr.getComponents().find((c) => c.name === 'p2p') === undefined) throw new ReplicationError('ERR_PROTOCOL', 'the server address must end in /p2p/<peer id>')
    const keys = this.o.groups.replicaKeys(groupPk)
    const reply = await this.o.service.request(addr, { ...keys, token }, signal ? { signal } : {})
    if (!reply.ok) {
      const code = isReplicationErrorCode(reply.code) ? reply.code : 'ERR_PROTOCOL'
      throw new ReplicationError(code, `the replication server refused: ${reply.message}`)
    }
    const peerId = reply.peer.toString()
    const addedAt = this.now()
    this.o.store.addReplica(groupPk, peerId, addr.toString(), addedAt)
    // TODO(integrator): post GroupReplicating (EventType 403, weshnet payload
    // { device_pk, authentication_url: '', replication_server: addr }) into the group's metadata
    // through `Groups.appendWeshEvent` once it lands on main (see the issue 13 report).
    this.log('info', 'replication: a server now replicates a group', { peer: peerId })
    return { peerId, server: addr.toString(), addedAt }
  }

  list(groupPk: Uint8Array): GroupReplicaRow[] {
    this.o.groups.get(groupPk)
    return this.o.store.replicasOf(groupPk)
  }

  remove(groupPk: Uint8Array, peerId: string): boolean {
    this.o.groups.get(groupPk)
    return this.o.store.removeReplica(groupPk, peerId)
  }

  /** Dials every recorded server once (best effort, in the background). */
  start(): void {
    const seen = new Set<string>()
    for (const row of this.o.store.allReplicas()) {
      if (seen.has(row.peer_id)) continue
      seen.add(row.peer_id)
      let addr: Multiaddr
      try {
        addr = multiaddr(row.server)
      } catch {
        continue
      }
      const signal = AbortSignal.any([this.stopping.signal, AbortSignal.timeout(15_000)])
      void this.o.dial(addr, signal).catch((err: unknown) => {
        this.log('debug', 'replication: a recorded server is not reachable now', { peer: row.peer_id, error: String(err) })
      })
    }
  }

  stop(): void {
    this.stopping.abort()
  }
}
