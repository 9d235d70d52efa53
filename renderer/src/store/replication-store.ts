/**
 * Replication in the UI (issue 13): the replication servers of each group (`replica:list`, `replica:add`,
 * `replica:remove`) and what this node stores as a replica (`replica:status`). A vanilla zustand store
 * beside the app store, over the same client; no DOM access, so tests drive it with a fake client.
 */
import { createStore, type StoreApi } from 'zustand/vanilla'
import type { GroupReplicaT, ReplicaStatusT } from '../../../core/api'
import { describeError, toApiCallError } from '../api/errors'
import type { AppClient } from '../api/types'

export interface ReplicationState {
  /** Per group: its replicas as last listed. */
  replicas: Record<string, GroupReplicaT[]>
  /** Per group: the last listing error. */
  listErrors: Record<string, string>
  /** Per group: an add in flight. */
  adding: Record<string, boolean>
  status: ReplicaStatusT | null
  statusError: string | null
  actions: ReplicationActions
}

export interface ReplicationActions {
  loadReplicas(groupPk: string): Promise<void>
  /** Resolves with an error message to show under the form, or null when the server accepted. */
  addReplica(groupPk: string, server: string, token: string): Promise<string | null>
  removeReplica(groupPk: string, peerId: string): Promise<void>
  loadStatus(): Promise<void>
}

export type ReplicationStore = StoreApi<ReplicationState>

/** A multiaddr a replication server can be reached at: it names the server's peer id. */
export function checkServerAddress(server: string): string | null {
  const s = server.trim()
  if (s.length === 0) return 'Enter the server’s address.'
  if (!s.startsWith('/')) return 'A server address is a multiaddr: it starts with “/”.'
  if (!/\/p2p\/[1-9A-HJ-NP-Za-km-z]+$/.test(s)) return 'The address must end with /p2p/ and the server’s peer id.'
  return null
}

export function createReplicationStore(client: Pick<AppClient, 'call'>): ReplicationStore {
  return createStore<ReplicationState>()((set, get) => ({
    replicas: {},
    listErrors: {},
    adding: {},
    status: null,
    statusError: null,
    actions: {
      async loadReplicas(groupPk) {
        try {
          const list = await client.call('replica:list', { groupPk })
          set((s) => ({ replicas: { ...s.replicas, [groupPk]: list }, listErrors: omit(s.listErrors, groupPk) }))
        } catch (err) {
          set((s) => ({ listErrors: { ...s.listErrors, [groupPk]: describeError(err) } }))
        }
      },
      async addReplica(groupPk, server, token) {
        const invalid = checkServerAddress(server) ?? (token.trim() === '' ? 'Paste the token the server’s owner gave you.' : null)
        if (invalid) return invalid
        if (get().adding[groupPk]) return 'Already asking a server for this group.'
        set((s) => ({ adding: { ...s.adding, [groupPk]: true } }))
        try {
          await client.call('replica:add', { groupPk, server: server.trim(), token: token.trim() })
          await get().actions.loadReplicas(groupPk)
          return null
        } catch (err) {
          return describeAddError(err)
        } finally {
          set((s) => ({ adding: omit(s.adding, groupPk) }))
        }
      },
      async removeReplica(groupPk, peerId) {
        try {
          await client.call('replica:remove', { groupPk, peerId })
        } finally {
          await get().actions.loadReplicas(groupPk)
        }
      },
      async loadStatus() {
        try {
          set({ status: await client.call('replica:status', {}), statusError: null })
        } catch (err) {
          set({ statusError: describeError(err) })
        }
      }
    }
  }))
}

/**
 * The server's own reason for a refusal (token expired, revoked, quota…): UNAUTHORIZED here is about
 * the replication token, not about this UI's access to the node, so the generic wording would mislead.
 */
export function describeAddError(err: unknown): string {
  const e = toApiCallError(err)
  switch (e.code) {
    case 'UNAUTHORIZED':
      return `The server refused the token: ${e.message}`
    case 'QUOTA_EXCEEDED':
      return `The server has no room under this token: ${e.message}`
    case 'TIMEOUT':
    case 'NETWORK':
      return `Could not reach the server: ${e.message}`
    default:
      return describeError(err)
  }
}

function omit<T>(record: Record<string, T>, key: string): Record<string, T> {
  const { [key]: _drop, ...rest } = record
  return rest
}
