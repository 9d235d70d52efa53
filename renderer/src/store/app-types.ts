/**
 * The app store's state, actions and options (store/app-store.ts builds it; store/chat-actions.ts
 * holds the chat part).
 */
import type { StoreApi } from 'zustand/vanilla'
import type { AccountT, ErrorCode, GroupSummaryT, MemberT, MessageT, PeerInfoT, Result, SettingsT } from '../../../core/api'
import type { AppClient, ConnectionInfo } from '../api/types'
import type { DeviceActions } from './devices'
import type { MessageKey } from './messages'

export type View =
  | { kind: 'home' }
  | { kind: 'chat'; groupPk: string }
  | { kind: 'network' }
  | { kind: 'settings' }
  | { kind: 'contacts' }
  | { kind: 'contact'; accountPk: string }

/** starting: waiting for `account:get`; unauthorized: the daemon refused our token. */
export type Phase = 'starting' | 'failed' | 'unauthorized' | 'onboarding' | 'ready'

export interface PendingMessage {
  localId: string
  /** This send's name for the node (`message:send` clientId): sending it again never makes a second message. */
  clientId: string
  text: string
  createdAt: number
  state: 'sending' | 'failed'
  /** Known once `message:send` answered; the pending entry goes when that id is listed. */
  id?: string
  error?: string
  /** Failed because the connection dropped before the answer: sent again by itself when it opens. */
  interrupted?: boolean
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
  /** Why the newest page could not be loaded (the last message:list failed), until one loads. */
  loadError?: string
  pending: PendingMessage[]
  /**
   * My messages some member can never read (it joined longer than the hand-over window after them):
   * message id → those members, from `message:unreadable` since this window opened (bounded).
   */
  unreadableBy?: Record<string, string[]>
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
  /** `clientId`: this creation's name for the node; asking again under it never makes a second group. */
  createGroup(name: string, clientId?: string): Promise<string>
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
  /** Device linking (store/devices.ts). */
  devices: DeviceActions
  /** A plain API call for panels that keep their own state (Network drivers, contacts, devices…). */
  call: AppClient['call']
}

export interface AppState {
  carrier: 'ipc' | 'ws'
  connection: ConnectionInfo
  phase: Phase
  /** A persistent boot failure (other than "not ready yet"), shown on the start screen; with phase
   * 'failed', why the node could not start (final: the person acts, then starts the app again). */
  bootError?: string
  /** The code of a final boot failure: DATA_DAMAGED offers the repair. */
  bootErrorCode?: string
  account: AccountT | null
  node: NodeInfo | null
  /** The node found its database damaged in this run (node:damaged, node:info): the line to show until the app is quit. */
  damaged?: string
  /** What the repair this run of the node started with did (node:info), until dismissed. */
  repair?: NonNullable<NodeInfo['repair']>
  /** Sorted by last activity, newest first. */
  groups: GroupSummaryT[]
  /** Why the conversation list could not be loaded (the last group:list failed), until one succeeds. */
  groupsError?: string
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
