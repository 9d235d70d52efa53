/**
 * The UI state and every action that talks to the node. A vanilla zustand store over an
 * AppClient, with no DOM access, so tests drive it with a fake client.
 *
 * Sources of truth: the node's answers and events. Live events are merged by id into what
 * pages brought (store/messages.ts); unread counts come only from the node. When the
 * carrier reconnects, everything is fetched again, because events sent meanwhile are lost.
 */
import { createStore, type StoreApi } from 'zustand/vanilla'
import type {
  AccountT,
  ErrorCode,
  EventPayload,
  GroupSummaryT,
  MemberT,
  MessageT,
  PeerInfoT,
  Result,
  SettingsT
} from '../../../core/api'
import { describeError, errorCode } from '../api/errors'
import type { AppClient, ConnectionInfo } from '../api/types'
import { sortGroups, upsertGroup, withLastMessage } from './groups'
import {
  MAX_TEXT_BYTES,
  applyLatestPage,
  applyOlderPage,
  mergeMessages,
  utf8Length,
  type MessageKey
} from './messages'

export type View = { kind: 'home' } | { kind: 'chat'; groupPk: string } | { kind: 'network' } | { kind: 'settings' }

/** starting: waiting for `account:get`; unauthorized: the daemon refused our token. */
export type Phase = 'starting' | 'unauthorized' | 'onboarding' | 'ready'

export interface PendingMessage {
  localId: string
  text: string
  createdAt: number
  state: 'sending' | 'failed'
  /** Known once `message:send` answered; the pending entry goes when that id is listed. */
  id?: string
  error?: string
}

export interface ChatState {
  messages: MessageT[]
  /** The node has messages ordered before messages[0]. */
  hasMore: boolean
  /** The newest page was fetched since the last (re)connect. */
  loaded: boolean
  loadingLatest: boolean
  loadingOlder: boolean
  gapAfter?: MessageKey
  pending: PendingMessage[]
}

export interface SyncLogState {
  received: number
  total?: number
  done: boolean
}

export type SyncState = Partial<Record<'metadata' | 'messages', SyncLogState>>

export interface Toast {
  id: number
  kind: 'error' | 'info'
  message: string
  code?: ErrorCode
}

export interface PendingOp {
  label: string
  startedAt: number
}

export type NodeInfo = Result<'node:info'>

export interface AppActions {
  /** Subscribes to the client and boots; returns the teardown. */
  start(): () => void
  boot(): Promise<void>
  refreshAll(): Promise<void>
  createAccount(displayName: string): Promise<AccountT>
  showView(view: View): void
  openGroup(groupPk: string): void
  loadLatest(groupPk: string): Promise<void>
  loadOlder(groupPk: string): Promise<void>
  loadMembers(groupPk: string): Promise<void>
  markRead(groupPk: string): Promise<void>
  /** Queues a message; false when there is nothing to send or it is too large. */
  sendMessage(groupPk: string, text: string): boolean
  retryMessage(groupPk: string, localId: string): void
  discardMessage(groupPk: string, localId: string): void
  setDraft(groupPk: string, text: string): void
  createGroup(name: string): Promise<string>
  joinGroup(url: string): Promise<string>
  /** The group's share link (`url`, to copy) and its QR-friendly form (`qr`, for the QR code). */
  invite(groupPk: string): Promise<{ url: string; qr: string }>
  refreshNode(): Promise<void>
  refreshPeers(): Promise<void>
  connectPeer(multiaddr: string): Promise<string>
  updateSettings(patch: Partial<SettingsT>): Promise<void>
  pushToast(toast: Omit<Toast, 'id'>): void
  dismissToast(id: number): void
  setVisible(visible: boolean): void
  reconnectNow(): void
  /** A plain API call for panels that keep their own state (Network drivers, contacts, devices…). */
  call: AppClient['call']
}

export interface AppState {
  carrier: 'ipc' | 'ws'
  connection: ConnectionInfo
  phase: Phase
  /** A persistent boot failure (other than "not ready yet"), shown on the start screen. */
  bootError?: string
  account: AccountT | null
  node: NodeInfo | null
  /** Sorted by last activity, newest first. */
  groups: GroupSummaryT[]
  chats: Record<string, ChatState>
  members: Record<string, MemberT[]>
  peers: PeerInfoT[]
  settings: SettingsT | null
  sync: Record<string, SyncState>
  pending: Record<string, PendingOp>
  toasts: Toast[]
  view: View
  drafts: Record<string, string>
  actions: AppActions
}

export interface StoreOptions {
  pageSize?: number
  /** Delay before boot retry `attempt` while the node is not ready. */
  retryDelay?: (attempt: number) => number
  now?: () => number
  visible?: boolean
  /** Called for each new message from someone else (notifications hook in here). */
  onIncoming?: (groupPk: string, message: MessageT, state: AppState) => void
}

export type AppStore = StoreApi<AppState>

export const EMPTY_CHAT: ChatState = Object.freeze({
  messages: [],
  hasMore: true,
  loaded: false,
  loadingLatest: false,
  loadingOlder: false,
  pending: []
}) as ChatState

const MAX_TOASTS = 5

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

function defaultRetryDelay(attempt: number): number {
  return Math.min(5000, 250 * 2 ** Math.min(attempt, 5))
}

/** Pending entries whose message is now listed are done. */
function dropConfirmed(chat: ChatState): ChatState {
  if (chat.pending.length === 0) return chat
  const ids = new Set(chat.messages.map((m) => m.id))
  const pending = chat.pending.filter((p) => !(p.id && ids.has(p.id)))
  return pending.length === chat.pending.length ? chat : { ...chat, pending }
}

export function createAppStore(client: AppClient, options: StoreOptions = {}): AppStore {
  const pageSize = options.pageSize ?? 50
  const retryDelay = options.retryDelay ?? defaultRetryDelay
  const now = options.now ?? Date.now
  let visible = options.visible ?? true
  let bootSeq = 0
  let toastSeq = 0
  let localSeq = 0
  let lastChat: string | undefined
  const markReadBusy = new Set<string>()
  const markReadAgain = new Set<string>()
  const groupFetches = new Map<string, Promise<void>>()

  const store = createStore<AppState>()((set, get) => {
    const updateChat = (groupPk: string, fn: (chat: ChatState) => ChatState): void =>
      set((s) => {
        const cur = s.chats[groupPk] ?? EMPTY_CHAT
        const next = fn(cur)
        return next === cur ? s : { chats: { ...s.chats, [groupPk]: next } }
      })

    const activeGroup = (): string | undefined => {
      const v = get().view
      return v.kind === 'chat' ? v.groupPk : undefined
    }

    /** Background failures become toasts; a lost ws connection is the banner's job. */
    const report = (err: unknown, context: string): void => {
      const code = errorCode(err)
      if (code === 'NETWORK' && client.carrier === 'ws') return
      if (code === 'UNAUTHORIZED') {
        set({ phase: 'unauthorized' })
        return
      }
      actions.pushToast({ kind: 'error', message: `${context}: ${describeError(err)}`, code })
    }

    async function track<T>(key: string, label: string, fn: () => Promise<T>): Promise<T> {
      set((s) => ({ pending: { ...s.pending, [key]: { label, startedAt: now() } } }))
      try {
        return await fn()
      } finally {
        set((s) => {
          const { [key]: _done, ...rest } = s.pending
          return { pending: rest }
        })
      }
    }

    const fetchGroup = (groupPk: string, fallback?: GroupSummaryT): Promise<void> => {
      const inflight = groupFetches.get(groupPk)
      if (inflight) return inflight
      const p = (async () => {
        try {
          const group = await client.call('group:get', { groupPk })
          set((s) => ({ groups: upsertGroup(s.groups, group) }))
        } catch (err) {
          if (fallback && !get().groups.some((g) => g.groupPk === groupPk)) {
            set((s) => ({ groups: upsertGroup(s.groups, fallback) }))
          }
          if (errorCode(err) !== 'NOT_FOUND') report(err, 'Could not load the group')
        } finally {
          groupFetches.delete(groupPk)
        }
      })()
      groupFetches.set(groupPk, p)
      return p
    }

    const onMessage = (groupPk: string, message: MessageT, isNew: boolean): void => {
      set((s) => {
        const chat = s.chats[groupPk] ?? EMPTY_CHAT
        let pending = chat.pending
        if (pending.length > 0) {
          let at = pending.findIndex((p) => p.id === message.id)
          // Our own message may be announced before `message:send` answers with its id.
          if (at < 0 && message.mine) at = pending.findIndex((p) => !p.id && p.state === 'sending' && p.text === message.text)
          if (at >= 0) pending = pending.filter((_, i) => i !== at)
        }
        const messages = mergeMessages(chat.messages, [message])
        return {
          chats: { ...s.chats, [groupPk]: { ...chat, messages, pending } },
          groups: withLastMessage(s.groups, groupPk, message)
        }
      })
      if (!get().groups.some((g) => g.groupPk === groupPk)) void fetchGroup(groupPk)
      const incoming = isNew && !message.mine && !message.unreadable
      if (incoming && activeGroup() === groupPk && visible) void actions.markRead(groupPk)
      if (incoming && options.onIncoming) {
        try {
          options.onIncoming(groupPk, message, get())
        } catch (err) {
          console.error('berty: onIncoming failed', err)
        }
      }
    }

    const onConnection = (info: ConnectionInfo): void => {
      const prev = get().connection
      set({ connection: info })
      if (prev.state === 'open' && info.state !== 'open') markGaps()
      if (info.state === 'open' && prev.state !== 'open') void actions.boot()
    }

    /** The carrier went down: events may be lost from here on (see MessageWindow.gapAfter). */
    const markGaps = (): void =>
      set((s) => {
        const chats: Record<string, ChatState> = {}
        for (const [pk, chat] of Object.entries(s.chats)) {
          const last = chat.messages[chat.messages.length - 1]
          if (chat.loaded) {
            chats[pk] = { ...chat, loaded: false, gapAfter: chat.gapAfter ?? (last ? { lamport: last.lamport, id: last.id } : undefined) }
          } else if (chat.gapAfter) {
            chats[pk] = chat
          } else {
            // Only live events were held: a cache, safe to drop.
            chats[pk] = { ...chat, messages: [] }
          }
        }
        return { chats }
      })

    const sendNow = async (groupPk: string, localId: string): Promise<void> => {
      const entry = (get().chats[groupPk] ?? EMPTY_CHAT).pending.find((p) => p.localId === localId)
      if (!entry) return
      try {
        const { id } = await client.call('message:send', { groupPk, text: entry.text })
        updateChat(groupPk, (chat) => {
          const listed = chat.messages.some((m) => m.id === id)
          const pending = listed
            ? chat.pending.filter((p) => p.localId !== localId)
            : chat.pending.map((p) => (p.localId === localId ? { ...p, id } : p))
          return { ...chat, pending }
        })
        // The node normally announces it; if it has not yet, list it ourselves.
        if ((get().chats[groupPk] ?? EMPTY_CHAT).pending.some((p) => p.id === id)) await actions.loadLatest(groupPk)
      } catch (err) {
        updateChat(groupPk, (chat) => ({
          ...chat,
          pending: chat.pending.map((p) => (p.localId === localId ? { ...p, state: 'failed', error: describeError(err) } : p))
        }))
        report(err, 'Message not sent')
      }
    }

    const actions: AppActions = {
      start() {
        const offs = [
          client.onConnection(onConnection),
          client.on('message:received', (p: EventPayload<'message:received'>) => onMessage(p.groupPk, p.message, true)),
          client.on('message:updated', (p: EventPayload<'message:updated'>) => onMessage(p.groupPk, p.message, false)),
          client.on('group:updated', ({ group }: EventPayload<'group:updated'>) => {
            set((s) => ({ groups: upsertGroup(s.groups, group) }))
            if (group.unread > 0 && activeGroup() === group.groupPk && visible) void actions.markRead(group.groupPk)
          }),
          client.on('peer:updated', ({ peers }: EventPayload<'peer:updated'>) => set({ peers })),
          client.on('sync:progress', (p: EventPayload<'sync:progress'>) => {
            set((s) => ({
              sync: {
                ...s.sync,
                [p.groupPk]: { ...s.sync[p.groupPk], [p.log]: { received: p.received, total: p.total, done: p.done } }
              }
            }))
            if (!p.done) return
            const active = activeGroup() === p.groupPk
            if (active || get().chats[p.groupPk]?.loaded) void actions.loadLatest(p.groupPk)
            if (get().phase === 'ready') void fetchGroup(p.groupPk)
            if (active && p.log === 'metadata') void actions.loadMembers(p.groupPk)
          })
        ]
        set({ connection: client.connection() })
        if (client.connection().state === 'open') void actions.boot()
        return () => {
          bootSeq++
          for (const off of offs) off()
        }
      },

      async boot() {
        const mine = ++bootSeq
        for (let attempt = 1; mine === bootSeq; attempt++) {
          try {
            const account = await client.call('account:get', {})
            if (mine !== bootSeq) return
            set({ account, phase: account ? 'ready' : 'onboarding', bootError: undefined })
            if (account) await actions.refreshAll()
            else void actions.refreshNode()
            return
          } catch (err) {
            if (mine !== bootSeq) return
            const code = errorCode(err)
            if (code === 'UNAUTHORIZED') {
              set({ phase: 'unauthorized' })
              return
            }
            // The socket dropped: the next open boots again.
            if (client.connection().state !== 'open') return
            if (code !== 'NOT_READY' && code !== 'TIMEOUT' && code !== 'NETWORK') set({ bootError: describeError(err) })
            await sleep(retryDelay(attempt))
          }
        }
      },

      async refreshAll() {
        const tasks: Promise<unknown>[] = [
          client.call('group:list', {}).then(
            (groups) => set({ groups: sortGroups(groups) }),
            (err) => report(err, 'Could not load conversations')
          ),
          client.call('settings:get', {}).then(
            (settings) => set({ settings }),
            (err) => report(err, 'Could not load settings')
          ),
          actions.refreshNode(),
          actions.refreshPeers()
        ]
        const active = activeGroup()
        if (active) {
          tasks.push(actions.loadLatest(active), actions.loadMembers(active))
          if (visible) tasks.push(actions.markRead(active))
        }
        await Promise.all(tasks)
      },

      async createAccount(displayName) {
        return track('account:create', 'Creating your account', async () => {
          try {
            const account = await client.call('account:create', { displayName: displayName.trim() })
            set({ account, phase: 'ready' })
            void actions.refreshAll()
            return account
          } catch (err) {
            if (errorCode(err) === 'ACCOUNT_EXISTS') void actions.boot()
            throw err
          }
        })
      },

      showView(view) {
        // "Chats" goes back to the conversation that was open, if it still exists.
        if (view.kind === 'home' && lastChat && get().groups.some((g) => g.groupPk === lastChat)) {
          set({ view: { kind: 'chat', groupPk: lastChat } })
          return
        }
        set({ view })
      },

      openGroup(groupPk) {
        lastChat = groupPk
        set({ view: { kind: 'chat', groupPk } })
        const chat = get().chats[groupPk] ?? EMPTY_CHAT
        if (!chat.loaded && !chat.loadingLatest) void actions.loadLatest(groupPk)
        if (!get().members[groupPk]) void actions.loadMembers(groupPk)
        void actions.markRead(groupPk)
      },

      async loadLatest(groupPk) {
        updateChat(groupPk, (c) => ({ ...c, loadingLatest: true }))
        try {
          const page = await client.call('message:list', { groupPk, limit: pageSize })
          updateChat(groupPk, (c) => {
            const win = applyLatestPage(c, page.messages, page.hasMore)
            return dropConfirmed({ ...c, ...win, gapAfter: undefined, loaded: true, loadingLatest: false })
          })
        } catch (err) {
          updateChat(groupPk, (c) => ({ ...c, loadingLatest: false }))
          report(err, 'Could not load messages')
        }
      },

      async loadOlder(groupPk) {
        const chat = get().chats[groupPk]
        const first = chat?.messages[0]
        if (!chat || !first || !chat.loaded || !chat.hasMore || chat.loadingOlder) return
        updateChat(groupPk, (c) => ({ ...c, loadingOlder: true }))
        try {
          const page = await client.call('message:list', { groupPk, limit: pageSize, before: first.id })
          updateChat(groupPk, (c) => dropConfirmed({ ...c, ...applyOlderPage(c, page.messages, page.hasMore), loadingOlder: false }))
        } catch (err) {
          updateChat(groupPk, (c) => ({ ...c, loadingOlder: false }))
          report(err, 'Could not load older messages')
        }
      },

      async loadMembers(groupPk) {
        try {
          const members = await client.call('group:members', { groupPk })
          set((s) => ({ members: { ...s.members, [groupPk]: members } }))
        } catch (err) {
          report(err, 'Could not load members')
        }
      },

      async markRead(groupPk) {
        if (markReadBusy.has(groupPk)) {
          markReadAgain.add(groupPk)
          return
        }
        markReadBusy.add(groupPk)
        set((s) => ({ groups: s.groups.map((g) => (g.groupPk === groupPk && g.unread > 0 ? { ...g, unread: 0 } : g)) }))
        try {
          do {
            markReadAgain.delete(groupPk)
            const { unread } = await client.call('group:markRead', { groupPk })
            set((s) => ({ groups: s.groups.map((g) => (g.groupPk === groupPk && g.unread !== unread ? { ...g, unread } : g)) }))
          } while (markReadAgain.has(groupPk))
        } catch (err) {
          if (errorCode(err) !== 'NOT_FOUND') report(err, 'Could not mark as read')
        } finally {
          markReadBusy.delete(groupPk)
          markReadAgain.delete(groupPk)
        }
      },

      sendMessage(groupPk, text) {
        const body = text.trim()
        if (body.length === 0) return false
        if (utf8Length(body) > MAX_TEXT_BYTES) {
          actions.pushToast({ kind: 'error', code: 'TOO_LARGE', message: `A message is limited to ${MAX_TEXT_BYTES / 1024} KiB` })
          return false
        }
        const localId = `local-${++localSeq}`
        updateChat(groupPk, (c) => ({
          ...c,
          pending: [...c.pending, { localId, text: body, createdAt: now(), state: 'sending' }]
        }))
        void sendNow(groupPk, localId)
        return true
      },

      retryMessage(groupPk, localId) {
        updateChat(groupPk, (c) => ({
          ...c,
          pending: c.pending.map((p) => (p.localId === localId ? { ...p, state: 'sending', error: undefined } : p))
        }))
        void sendNow(groupPk, localId)
      },

      discardMessage(groupPk, localId) {
        updateChat(groupPk, (c) => ({ ...c, pending: c.pending.filter((p) => p.localId !== localId) }))
      },

      setDraft(groupPk, text) {
        set((s) => ({ drafts: { ...s.drafts, [groupPk]: text } }))
      },

      async createGroup(name) {
        return track('group:create', 'Creating group', async () => {
          const { groupPk } = await client.call('group:create', { name: name.trim() })
          await fetchGroup(groupPk, {
            groupPk,
            name: name.trim(),
            kind: 'multi',
            memberCount: 1,
            unread: 0,
            createdAt: now()
          })
          actions.openGroup(groupPk)
          return groupPk
        })
      },

      async joinGroup(url) {
        return track('group:join', 'Joining… syncing history', async () => {
          const { groupPk } = await client.call('group:join', { url: url.trim() })
          await fetchGroup(groupPk, { groupPk, name: '', kind: 'multi', memberCount: 0, unread: 0, createdAt: now() })
          actions.openGroup(groupPk)
          return groupPk
        })
      },

      async invite(groupPk) {
        return track(`group:invite:${groupPk}`, 'Creating an invitation', async () => {
          const { url, qr } = await client.call('group:invite', { groupPk })
          return { url, qr }
        })
      },

      async refreshNode() {
        try {
          set({ node: await client.call('node:info', {}) })
        } catch (err) {
          report(err, 'Could not read node info')
        }
      },

      async refreshPeers() {
        try {
          set({ peers: await client.call('peer:list', {}) })
        } catch (err) {
          report(err, 'Could not list peers')
        }
      },

      async connectPeer(multiaddr) {
        return track('peer:connect', 'Connecting', async () => {
          const { peerId } = await client.call('peer:connect', { multiaddr: multiaddr.trim() })
          void actions.refreshPeers()
          return peerId
        })
      },

      async updateSettings(patch) {
        const before = get().settings
        if (before) set({ settings: { ...before, ...patch } })
        try {
          const settings = await track('settings:set', 'Saving settings', () => client.call('settings:set', patch))
          set({ settings })
        } catch (err) {
          if (before) set({ settings: before })
          report(err, 'Could not save settings')
        }
      },

      pushToast(toast) {
        const id = ++toastSeq
        set((s) => ({ toasts: [...s.toasts, { ...toast, id }].slice(-MAX_TOASTS) }))
      },

      dismissToast(id) {
        set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }))
      },

      setVisible(v) {
        const was = visible
        visible = v
        const active = activeGroup()
        if (v && !was && active && (get().groups.find((g) => g.groupPk === active)?.unread ?? 0) > 0) {
          void actions.markRead(active)
        }
      },

      reconnectNow() {
        client.reconnectNow()
      },

      call: (method, params) => client.call(method, params)
    }

    return {
      carrier: client.carrier,
      connection: client.connection(),
      phase: 'starting',
      account: null,
      node: null,
      groups: [],
      chats: {},
      members: {},
      peers: [],
      settings: null,
      sync: {},
      pending: {},
      toasts: [],
      view: { kind: 'home' },
      drafts: {},
      actions
    }
  })
  return store
}
