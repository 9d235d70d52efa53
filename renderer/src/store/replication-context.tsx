import { createContext, useContext, type ReactNode } from 'react'
import { useStore } from 'zustand'
import type { ReplicationActions, ReplicationState, ReplicationStore } from './replication-store'

const ReplicationContext = createContext<ReplicationStore | null>(null)

export function ReplicationProvider({ store, children }: { store: ReplicationStore; children: ReactNode }) {
  return <ReplicationContext.Provider value={store}>{children}</ReplicationContext.Provider>
}

function useReplicationStore(): ReplicationStore {
  const store = useContext(ReplicationContext)
  if (!store) throw new Error('ReplicationProvider is missing')
  return store
}

/** Subscribes to a slice; the selector must return state (or primitives), not new objects. */
export function useReplication<T>(selector: (s: ReplicationState) => T): T {
  return useStore(useReplicationStore(), selector)
}

export function useReplicationActions(): ReplicationActions {
  return useStore(useReplicationStore(), (s) => s.actions)
}
