/**
 * Contacts in the UI: the node's contact list (kept current by `contact:requested` / `contact:updated`),
 * our share link, and the "verified" marks, which are this device's own notes (localStorage), never sent.
 * A vanilla zustand store beside the app store, over the same client.
 */
import { createStore, type StoreApi } from 'zustand/vanilla'
import type { ContactDetailsT, ContactT, EventPayload } from '../../../core/api'
import type { AppClient } from '../api/types'

export interface ContactShareState {
  link: string
  qr: string
  requestsEnabled: boolean
}

export interface ContactsActions {
  start(): () => void
  refresh(): Promise<void>
  /** The contact with its shared groups (not kept in the store: the contact screen asks when shown). */
  details(accountPk: string): Promise<ContactDetailsT>
  loadShare(): Promise<void>
  request(link: string): Promise<ContactT>
  accept(accountPk: string): Promise<void>
  decline(accountPk: string): Promise<void>
  block(accountPk: string): Promise<void>
  cancel(accountPk: string): Promise<void>
  unblock(accountPk: string): Promise<void>
  setRequestsEnabled(enabled: boolean): Promise<void>
  resetLink(): Promise<void>
  setVerified(accountPk: string, verified: boolean): void
}

export interface ContactsState {
  contacts: ContactT[]
  share: ContactShareState | null
  verified: Record<string, boolean>
  actions: ContactsActions
}

export type ContactsStore = StoreApi<ContactsState>

const VERIFIED_KEY = 'berty.contacts.verified'

export interface KeyValue {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
}

function loadVerified(storage: KeyValue | undefined): Record<string, boolean> {
  try {
    const raw = storage?.getItem(VERIFIED_KEY)
    const parsed: unknown = raw ? JSON.parse(raw) : {}
    if (parsed === null || typeof parsed !== 'object') return {}
    return Object.fromEntries(Object.entries(parsed).filter(([k, v]) => /^[A-Za-z0-9_-]{43}$/.test(k) && v === true)) as Record<string, boolean>
  } catch {
    return {}
  }
}

function upsert(list: ContactT[], c: ContactT): ContactT[] {
  const at = list.findIndex((x) => x.accountPk === c.accountPk)
  if (at < 0) return [...list, c]
  const next = list.slice()
  next[at] = c
  return next
}

export function createContactsStore(client: AppClient, storage?: KeyValue): ContactsStore {
  const store = createStore<ContactsState>()((set, get) => {
    const apply = (c: ContactT): void => set((s) => ({ contacts: upsert(s.contacts, c) }))
    const actions: ContactsActions = {
      start() {
        const offs = [
          client.on('contact:requested', ({ contact }: EventPayload<'contact:requested'>) => apply(contact)),
          client.on('contact:updated', (p: EventPayload<'contact:updated'>) => {
            if (p.removed) set((s) => ({ contacts: s.contacts.filter((c) => c.accountPk !== p.accountPk) }))
            else if (p.contact) apply(p.contact)
          }),
          client.onConnection((info) => {
            if (info.state === 'open') void actions.refresh().catch(() => undefined)
          })
        ]
        if (client.connection().state === 'open') void actions.refresh().catch(() => undefined)
        return () => offs.forEach((off) => off())
      },
      async refresh() {
        set({ contacts: await client.call('contact:list', {}) })
      },
      async details(accountPk) {
        return client.call('contact:get', { accountPk })
      },
      async loadShare() {
        set({ share: await client.call('contact:share', {}) })
      },
      async request(link) {
        const c = await client.call('contact:request', { link: link.trim() })
        apply(c)
        return c
      },
      async accept(accountPk) {
        apply(await client.call('contact:accept', { accountPk }))
      },
      async decline(accountPk) {
        apply(await client.call('contact:decline', { accountPk }))
      },
      async block(accountPk) {
        apply(await client.call('contact:block', { accountPk }))
      },
      async cancel(accountPk) {
        await client.call('contact:cancel', { accountPk })
        set((s) => ({ contacts: s.contacts.filter((c) => c.accountPk !== accountPk) }))
      },
      async unblock(accountPk) {
        await client.call('contact:unblock', { accountPk })
        set((s) => ({ contacts: s.contacts.filter((c) => c.accountPk !== accountPk) }))
      },
      async setRequestsEnabled(requestsEnabled) {
        const r = await client.call('contact:settings', { requestsEnabled })
        const share = get().share
        if (share) set({ share: { ...share, requestsEnabled: r.requestsEnabled } })
      },
      async resetLink() {
        const r = await client.call('contact:reset-link', {})
        set((s) => ({ share: { ...r, requestsEnabled: s.share?.requestsEnabled ?? true } }))
      },
      setVerified(accountPk, verified) {
        const next = { ...get().verified }
        if (verified) next[accountPk] = true
        else delete next[accountPk]
        set({ verified: next })
        try {
          storage?.setItem(VERIFIED_KEY, JSON.stringify(next))
        } catch {
          // Storage full or denied: the mark lasts for this session.
        }
      }
    }
    return { contacts: [], share: null, verified: loadVerified(storage), actions }
  })
  return store
}
