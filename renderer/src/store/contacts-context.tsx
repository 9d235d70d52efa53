import { createContext, useContext, type ReactNode } from 'react'
import { useStore } from 'zustand'
import type { ContactsActions, ContactsState, ContactsStore } from './contacts-store'

const ContactsContext = createContext<ContactsStore | null>(null)

export function ContactsProvider({ store, children }: { store: ContactsStore; children: ReactNode }) {
  return <ContactsContext.Provider value={store}>{children}</ContactsContext.Provider>
}

function useContactsStore(): ContactsStore {
  const store = useContext(ContactsContext)
  if (!store) throw new Error('ContactsProvider is missing')
  return store
}

/** Subscribes to a slice; the selector must return state (or primitives), not new objects. */
export function useContacts<T>(selector: (s: ContactsState) => T): T {
  return useStore(useContactsStore(), selector)
}

export function useContactActions(): ContactsActions {
  return useStore(useContactsStore(), (s) => s.actions)
}
