/**
 * The UI state and every action that talks to the node. A vanilla zustand store over an
 * AppClient, with no DOM access, so tests drive it with a fake client.
 *
 * Sources of truth: the node's answers and events. Live events are merged by id into what
 * pages brought (store/messages.ts); unread counts come only from the node. When the
 * carrier reconnects, everything is fetched again, because events sent meanwhile are lost.
 */
import { createStore } from 'zustand/vanilla'
import type { EventPayload, GroupSummaryT } from '../../../core/api'
import { describeError, errorCode, toApiCallError } from '../api/errors'
import type { AppClient, ConnectionInfo } from '../api/types'
import { EMPTY_CHAT, type AppActions, type AppState, type AppStore, type StoreOptions } from './app-types'
import { createChatActions } from './chat-actions'
import { createDeviceActions } from './devices'
import { sortGroups, upsertGroup } from './groups'

export * from './app-types'

const MAX_TOASTS = 5

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

function defaultRetryDelay(attempt: number): number {
  return Math.min(5000, 250 * 2 ** Math.min(attempt, 5))
}

export function createAppStore(client: AppClient, options: StoreOptions = {}): AppStore {
  const pageSize = options.pageSize ?? 50
  const retryDelay = options.retryDelay ?? defaultRetryDelay
  const now = options.now ?? Date.now
  let visible = options.visible ?? true
  let bootSeq = 0
  let toastSeq = 0
  let lastChat: string | undefined
  const groupFetches = new Map<string, Promise<void>>()

  const store = createStore<AppState>()((set, get) => {
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

    const chat = createChatActions({
      client,
      set,
      get,
      pageSize,
      now,
      isVisible: () => visible,
      activeGroup,
      fetchGroup: (groupPk) => fetchGroup(groupPk),
      report,
      pushToast: (toast) => actions.pushToast(toast),
      ...(options.onIncoming ? { onIncoming: options.onIncoming } : {})
    })
    const { onMessage, markGaps, onUnreadable, resendInterrupted } = chat

    const onConnection = (info: ConnectionInfo): void => {
      const prev = get().connection
      set({ connection: info })
      if (prev.state === 'open' && info.state !== 'open') markGaps()
      if (info.state === 'open' && prev.state !== 'open') {
        // Perhaps another run of the node (restarted for a repair): what it says now counts, not
        // what the last one said (node:info sets both again).
        set({ damaged: undefined, repair: undefined })
        void actions.boot()
        resendInterrupted()
      }
    }

    const actions: AppActions = {
      // Linked as a new device: the node holds an account now; boot reads it like after a restart.
      devices: createDeviceActions(client, () => void actions.boot()),
      ...chat.actions,
      start() {
        const offs = [
          client.onConnection(onConnection),
          client.on('message:received', (p: EventPayload<'message:received'>) => onMessage(p.groupPk, p.message, true)),
          client.on('message:updated', (p: EventPayload<'message:updated'>) => onMessage(p.groupPk, p.message, false)),
          client.on('message:unreadable', (p: EventPayload<'message:unreadable'>) => onUnreadable(p.groupPk, p.id, p.memberPk)),
          client.on('group:updated', ({ group }: EventPayload<'group:updated'>) => {
            set((s) => ({ groups: upsertGroup(s.groups, group) }))
            if (group.unread > 0 && activeGroup() === group.groupPk && visible) void actions.markRead(group.groupPk)
          }),
          client.on('peer:updated', ({ peers }: EventPayload<'peer:updated'>) => set({ peers })),
          client.on('node:damaged', ({ message }: EventPayload<'node:damaged'>) => set({ damaged: message })),
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
            set({ account, phase: account ? 'ready' : 'onboarding', bootError: undefined, bootErrorCode: undefined })
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
            // Final until the app starts again: asking again would only get the same answer (a
            // damaged account record: nothing else can work without it).
            if (code === 'START_FAILED' || code === 'DATA_DAMAGED') {
              set({ phase: 'failed', bootError: toApiCallError(err).message, bootErrorCode: code })
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
            (groups) => set({ groups: sortGroups(groups), groupsError: undefined }),
            (err) => {
              set({ groupsError: toApiCallError(err).message })
              report(err, 'Could not load conversations')
            }
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
        const open = get().chats[groupPk] ?? EMPTY_CHAT
        if (!open.loaded && !open.loadingLatest) void actions.loadLatest(groupPk)
        if (!get().members[groupPk]) void actions.loadMembers(groupPk)
        void actions.markRead(groupPk)
      },

      async loadMembers(groupPk) {
        try {
          const members = await client.call('group:members', { groupPk })
          set((s) => ({ members: { ...s.members, [groupPk]: members } }))
        } catch (err) {
          report(err, 'Could not load members')
        }
      },

      async createGroup(name, clientId) {
        return track('group:create', 'Creating group', async () => {
          const { groupPk } = await client.call('group:create', { name: name.trim(), ...(clientId ? { clientId } : {}) })
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
          const node = await client.call('node:info', {})
          set({ node, ...(node.damaged ? { damaged: node.damaged } : {}), ...(node.repair ? { repair: node.repair } : {}) })
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
