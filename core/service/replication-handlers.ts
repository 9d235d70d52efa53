/**
 * The replication methods of the API (contract-replication.ts): a member's replication servers and
 * a replica's status. Refusals from a server come back as clear API errors: token problems are
 * UNAUTHORIZED, quotas QUOTA_EXCEEDED, a bad group INVALID_PARAMS, each with the server's reason.
 */
import { ApiError, ErrorCode } from '../api/errors'
import { base64urlEncode } from '../bytes'
import type { Groups } from '../groups/groups'
import { ReplicationError, type ReplicationErrorCode } from '../replication/errors'
import type { ReplicaClient } from '../replication/member'
import type { ReplicationServer } from '../replication/server'
import { replicaGroupsStatus, type ReplicaStatus } from '../replication/status'
import type { ReplicationStore } from '../storage'
import type { ApiHandlers } from './dispatch'
import { mapError } from './errors'
import { key } from './mappers'

export interface ReplicationHandlerDeps {
  groups: Groups
  store: ReplicationStore
  client: ReplicaClient
  /** Present in replication-server mode. */
  server?: ReplicationServer
}

type ReplicationMethods = 'replica:add' | 'replica:list' | 'replica:remove' | 'replica:status'

const API_CODE: Record<ReplicationErrorCode, ErrorCode> = {
  ERR_TOKEN_MISSING: ErrorCode.UNAUTHORIZED,
  ERR_TOKEN_INVALID: ErrorCode.UNAUTHORIZED,
  ERR_TOKEN_EXPIRED: ErrorCode.UNAUTHORIZED,
  ERR_TOKEN_REVOKED: ErrorCode.UNAUTHORIZED,
  ERR_TOKEN_AUDIENCE: ErrorCode.UNAUTHORIZED,
  ERR_QUOTA_EXCEEDED: ErrorCode.QUOTA_EXCEEDED,
  ERR_BAD_GROUP: ErrorCode.INVALID_PARAMS,
  ERR_LINK_KEY_SIG: ErrorCode.INVALID_PARAMS,
  ERR_NOT_SERVING: ErrorCode.NOT_FOUND,
  ERR_INTERNAL: ErrorCode.INTERNAL,
  ERR_PROTOCOL: ErrorCode.NETWORK
}

function toApiError(err: unknown): unknown {
  if (err instanceof ReplicationError) return new ApiError(API_CODE[err.code], `${err.message} (${err.code})`)
  const name = err instanceof Error ? err.name : ''
  if (name === 'AbortError' || name === 'TimeoutError' || (err as { code?: string })?.code === 'ERR_TIMEOUT') {
    return new ApiError(ErrorCode.TIMEOUT, 'the replication server did not answer in time')
  }
  const mapped = mapError(err)
  if (mapped instanceof ApiError) return mapped
  if (err instanceof Error && /dial|connect|ECONNREFUSED|NoValidAddresses|protocol/i.test(`${err.name} ${err.message}`)) {
    return new ApiError(ErrorCode.NETWORK, `could not reach the replication server: ${err.message}`.slice(0, 300))
  }
  return mapped
}

export function createReplicationHandlers(deps: ReplicationHandlerDeps): Pick<ApiHandlers, ReplicationMethods> {
  const wrap = <A extends unknown[], R>(fn: (...a: A) => Promise<R> | R) =>
    async (...a: A): Promise<R> => {
      try {
        return await fn(...a)
      } catch (err) {
        throw toApiError(err)
      }
    }
  const status = (): ReplicaStatus => {
    if (deps.server) return deps.server.status()
    const groups = replicaGroupsStatus(
      deps.groups.list().filter((g) => g.role === 'replica'),
      deps.store,
      () => undefined
    )
    return {
      server: false,
      groups,
      totals: { groups: groups.length, entries: groups.reduce((n, g) => n + g.entries, 0), bytes: groups.reduce((n, g) => n + g.bytes, 0) },
      warnings: []
    }
  }
  return {
    'replica:add': wrap(async ({ groupPk, server, token }) => {
      const added = await deps.client.add(key(groupPk), server, token.trim(), AbortSignal.timeout(30_000))
      return { ...added, source: 'local' as const }
    }),
    'replica:list': wrap(async ({ groupPk }) => deps.client.list(key(groupPk))),
    'replica:remove': wrap(async ({ groupPk, peerId }) => ({ removed: deps.client.remove(key(groupPk), peerId) })),
    'replica:status': wrap(async () => {
      const s = status()
      return {
        ...s,
        groups: s.groups.map((g) => ({
          groupPk: base64urlEncode(g.groupPk),
          state: g.state,
          entries: g.entries,
          bytes: g.bytes,
          ...(g.lastSyncAt !== undefined ? { lastSyncAt: g.lastSyncAt } : {}),
          addedAt: g.addedAt
        }))
      }
    })
  }
}
