/**
 * Replication servers and replicas (issue 13): a member asks a server to replicate a group
 * (`replica:add`), lists and forgets them; a replica reports what it stores (`replica:status`).
 * Spread into `methods` in contract.ts.
 */
import { z } from 'zod'

const Key32 = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'expected a 32-byte key in base64url')

export const MAX_REPLICATION_TOKEN_CHARS = 2048

export const GroupReplica = z.object({
  /** The server's libp2p peer id. */
  peerId: z.string(),
  /** Where this device reached it. */
  server: z.string(),
  /** When this device asked it (0 for one announced by another member). */
  addedAt: z.number(),
  /** 'local': this device asked it; 'event': a member announced it (weshnet GroupReplicating, 403). */
  source: z.enum(['local', 'event'])
})

export const ReplicaGroupStatus = z.object({
  groupPk: Key32,
  /** 'left': no valid token holds it any more (lapsed, or the group left): not served, data kept until eviction. */
  state: z.enum(['active', 'left', 'full']),
  entries: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  lastSyncAt: z.number().optional(),
  addedAt: z.number()
})

export const ReplicaStatus = z.object({
  /** True when this node runs in replication-server mode (a replication device is one, bound to its account). */
  server: z.boolean(),
  /** A replication device: the account it serves (hex public key) and when it was linked. */
  replicaOf: z.object({ accountPk: z.string().regex(/^[0-9a-f]{64}$/), linkedAt: z.number() }).optional(),
  groups: z.array(ReplicaGroupStatus),
  totals: z.object({ groups: z.number().int().nonnegative(), entries: z.number().int().nonnegative(), bytes: z.number().int().nonnegative() }),
  limits: z.object({ maxGroups: z.number(), maxTotalBytes: z.number(), maxGroupBytes: z.number() }).optional(),
  warnings: z.array(z.string())
})

export const replicationMethods = {
  'replica:add': {
    params: z
      .object({
        groupPk: Key32,
        server: z.string().min(2).max(1024).regex(/^\/.*\/p2p\/[1-9A-HJ-NP-Za-km-z]+$/, 'a multiaddr ending in /p2p/<peer id>'),
        token: z.string().trim().min(1, 'a replication token is required').max(MAX_REPLICATION_TOKEN_CHARS)
      })
      .strict(),
    result: GroupReplica
  },
  'replica:list': {
    params: z.object({ groupPk: Key32 }).strict(),
    result: z.array(GroupReplica)
  },
  'replica:remove': {
    params: z.object({ groupPk: Key32, peerId: z.string().min(1).max(128) }).strict(),
    result: z.object({ removed: z.boolean() })
  },
  'replica:status': {
    params: z.object({}).strict(),
    result: ReplicaStatus
  }
} as const

export type GroupReplicaT = z.output<typeof GroupReplica>
export type ReplicaStatusT = z.output<typeof ReplicaStatus>
export type ReplicaGroupStatusT = z.output<typeof ReplicaGroupStatus>
