/**
 * The chat part of the app store: windows of messages (latest page, older pages, live events merged
 * by id), pending sends with retry, drafts and read marks. Built by store/app-store.ts with the
 * store's `set`/`get`; no DOM access.
 */
import type { StoreApi } from 'zustand/vanilla'
import type { MessageT } from '../../../core/api'
import { describeError, errorCode, toApiCallError } from '../api/errors'
import type { AppClient } from '../api/types'
import { EMPTY_CHAT, type AppActions, type AppState, type ChatState, type StoreOptions, type Toast } from './app-types'
import { newClientId } from '../lib/client-id'
import { withLastMessage } from './groups'
import { MAX_TEXT_BYTES, applyLatestPage, applyOlderPage, mergeMessages, utf8Length } from './messages'

export type ChatActions = Pick<AppActions, 'loadLatest' | 'loadOlder' | 'markRead' | 'sendMessage' | 'retryMessage' | 'discardMessage' | 'setDraft'>

export interface ChatDeps {
  client: AppClient
  set: StoreApi<AppState>['setState']
  get: () => AppState
  pageSize: number
  now: () => number
  isVisible: () => boolean
  activeGroup: () => string | undefined
  /** Loads a group the store does not list yet (a message arrived for it). */
  fetchGroup: (groupPk: string) => Promise<void>
  /** Background failures become toasts (app-store.ts `report`). */
  report: (err: unknown, context: string) => void
  pushToast: (toast: Omit<Toast, 'id'>) => void
  onIncoming?: StoreOptions['onIncoming']
}

/** Messages per chat whose unreadable members are remembered (the node bounds its own list alike). */
const MAX_UNREADABLE_KEPT = 2048

/** Pending entries whose message is now listed are done. */
function dropConfirmed(chat: ChatState): ChatState {
  if (chat.pending.length === 0) return chat
  const ids = new Set(chat.messages.map((m) => m.id))
  const pending = chat.pending.filter((p) => !(p.id && ids.has(p.id)))
  return pending.length === chat.pending.length ? chat : { ...chat, pending }
}

export function createChatActions(d: ChatDeps): {
  actions: ChatActions
  /** A live message event (`isNew`: received, else updated). */
  onMessage(groupPk: string, message: MessageT, isNew: boolean): void
  markGaps(): void
  /** `message:unreadable`: on the sender, one of my messages a member can never read. */
  onUnreadable(groupPk: string, id: string, memberPk: string): void
  /** The connection opened again: sends it interrupted go out again. */
  resendInterrupted(): void
} {
  const { set, get } = d
  let localSeq = 0
  const markReadBusy = new Set<string>()
  const markReadAgain = new Set<string>()

  const updateChat = (groupPk: string, fn: (chat: ChatState) => ChatState): void =>
    set((s) => {
      const cur = s.chats[groupPk] ?? EMPTY_CHAT
      const next = fn(cur)
      return next === cur ? s : { chats: { ...s.chats, [groupPk]: next } }
    })

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
    if (!get().groups.some((g) => g.groupPk === groupPk)) void d.fetchGroup(groupPk)
    const incoming = isNew && !message.mine && !message.unreadable
    if (incoming && d.activeGroup() === groupPk && d.isVisible()) void actions.markRead(groupPk)
    if (incoming && d.onIncoming) {
      try {
        d.onIncoming(groupPk, message, get())
      } catch (err) {
        console.error('berty: onIncoming failed', err)
      }
    }
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
      const { id } = await d.client.call('message:send', { groupPk, text: entry.text, clientId: entry.clientId })
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
      // The connection dropped before the answer: the node may or may not have it. Sent again
      // under the same clientId when the connection opens, it is made at most once.
      const interrupted = errorCode(err) === 'NETWORK'
      updateChat(groupPk, (chat) => ({
        ...chat,
        pending: chat.pending.map((p) =>
          p.localId === localId ? { ...p, state: 'failed', error: interrupted ? 'not sent yet: the connection to the node dropped; sent again once it is back' : describeError(err), interrupted } : p
        )
      }))
      if (!interrupted) d.report(err, 'Message not sent')
    }
  }

  /** The connection is open again: what it interrupted goes out again (same clientId: at most once). */
  const resendInterrupted = (): void => {
    for (const [groupPk, chat] of Object.entries(get().chats)) {
      for (const p of chat.pending) if (p.state === 'failed' && p.interrupted) actions.retryMessage(groupPk, p.localId)
    }
  }

  const actions: ChatActions = {
    async loadLatest(groupPk) {
      updateChat(groupPk, (c) => ({ ...c, loadingLatest: true }))
      try {
        const page = await d.client.call('message:list', { groupPk, limit: d.pageSize })
        updateChat(groupPk, (c) => {
          const win = applyLatestPage(c, page.messages, page.hasMore)
          return dropConfirmed({ ...c, ...win, gapAfter: undefined, loadError: undefined, loaded: true, loadingLatest: false })
        })
      } catch (err) {
        updateChat(groupPk, (c) => ({ ...c, loadingLatest: false, loadError: toApiCallError(err).message }))
        d.report(err, 'Could not load messages')
      }
    },

    async loadOlder(groupPk) {
      const chat = get().chats[groupPk]
      const first = chat?.messages[0]
      if (!chat || !first || !chat.loaded || !chat.hasMore || chat.loadingOlder) return
      updateChat(groupPk, (c) => ({ ...c, loadingOlder: true }))
      try {
        const page = await d.client.call('message:list', { groupPk, limit: d.pageSize, before: first.id })
        updateChat(groupPk, (c) => dropConfirmed({ ...c, ...applyOlderPage(c, page.messages, page.hasMore), loadingOlder: false }))
      } catch (err) {
        updateChat(groupPk, (c) => ({ ...c, loadingOlder: false }))
        d.report(err, 'Could not load older messages')
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
          const { unread } = await d.client.call('group:markRead', { groupPk })
          set((s) => ({ groups: s.groups.map((g) => (g.groupPk === groupPk && g.unread !== unread ? { ...g, unread } : g)) }))
        } while (markReadAgain.has(groupPk))
      } catch (err) {
        if (errorCode(err) !== 'NOT_FOUND') d.report(err, 'Could not mark as read')
      } finally {
        markReadBusy.delete(groupPk)
        markReadAgain.delete(groupPk)
      }
    },

    sendMessage(groupPk, text) {
      const body = text.trim()
      if (body.length === 0) return false
      if (utf8Length(body) > MAX_TEXT_BYTES) {
        d.pushToast({ kind: 'error', code: 'TOO_LARGE', message: `A message is limited to ${MAX_TEXT_BYTES / 1024} KiB` })
        return false
      }
      const localId = `local-${++localSeq}`
      updateChat(groupPk, (c) => ({
        ...c,
        pending: [...c.pending, { localId, clientId: newClientId(), text: body, createdAt: d.now(), state: 'sending' }]
      }))
      void sendNow(groupPk, localId)
      return true
    },

    retryMessage(groupPk, localId) {
      updateChat(groupPk, (c) => ({
        ...c,
        pending: c.pending.map((p) => (p.localId === localId ? { ...p, state: 'sending', error: undefined, interrupted: undefined } : p))
      }))
      void sendNow(groupPk, localId)
    },

    discardMessage(groupPk, localId) {
      updateChat(groupPk, (c) => ({ ...c, pending: c.pending.filter((p) => p.localId !== localId) }))
    },

    setDraft(groupPk, text) {
      set((s) => ({ drafts: { ...s.drafts, [groupPk]: text } }))
    }
  }
  const onUnreadable = (groupPk: string, id: string, memberPk: string): void =>
    updateChat(groupPk, (chat) => {
      // The receiver's own copy of the event concerns a placeholder row, already shown as such.
      if (chat.messages.some((m) => m.id === id && (m.unreadable !== undefined || !m.mine))) return chat
      const by = chat.unreadableBy ?? {}
      const members = by[id] ?? []
      if (members.includes(memberPk)) return chat
      const next = { ...by, [id]: [...members, memberPk] }
      const ids = Object.keys(next)
      if (ids.length > MAX_UNREADABLE_KEPT) delete next[ids[0]!]
      return { ...chat, unreadableBy: next }
    })

  return { actions, onMessage, markGaps, onUnreadable, resendInterrupted }
}

