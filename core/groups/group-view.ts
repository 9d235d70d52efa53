/**
 * What the API shows of an open group: its summary for the conversation list and its members. Read
 * from the group's state in memory and, for the summary, its last message and unread count.
 */
import { fromHex } from '../bytes'
import { keyId } from '../protocol/group'
import type { GroupStore, MessageStore, StorageHealth, MessageRow } from '../storage'
import type { GroupInfoView, MemberView, OpenGroup, StoredMessage } from './types'

export interface SummaryDeps {
  messages: Pick<MessageStore, 'last' | 'unreadCount'>
  rows: Pick<GroupStore, 'readMarker'>
  health: StorageHealth
  toMessage(row: MessageRow, g: OpenGroup): StoredMessage
}

export function groupSummary(g: OpenGroup, d: SummaryDeps): GroupInfoView {
  // A damaged page under the group's messages (storage/health.ts) leaves its summary without a
  // last message and unread count instead of failing the whole conversation list: the node has
  // noted the damage, the window says so, and every other conversation still shows.
  let damaged = false
  const readable = <T>(read: () => T, fallback: T): T => {
    try {
      return read()
    } catch (err) {
      if (!d.health.note(err)) throw err
      damaged = true
      return fallback
    }
  }
  const last = readable(() => d.messages.last(g.pk), undefined)
  const unread = readable(() => d.messages.unreadCount(g.pk, d.rows.readMarker(g.pk)), 0)
  return {
    groupPk: g.pk,
    kind: g.kind,
    role: g.role,
    name: g.state.name ?? g.localName ?? (g.kind === 'account' ? 'Account' : 'New group'),
    memberCount: g.state.members.size,
    unread,
    ...(last ? { lastMessage: d.toMessage(last, g) } : {}),
    createdAt: g.createdAt,
    ...(damaged ? { damaged: true as const } : {})
  }
}

export function memberViews(g: OpenGroup): MemberView[] {
  const mine = g.me ? keyId(g.me.memberPk) : undefined
  return [...g.state.members.entries()].map(([id, m]) => ({
    memberPk: fromHex(id),
    devices: [...m.devices].map((dev) => fromHex(dev)),
    me: id === mine,
    ...(m.displayName ? { displayName: m.displayName } : {}),
    ...(m.aliasResolver ? { aliasResolver: m.aliasResolver } : {}),
    ...(m.aliasProof ? { aliasProof: m.aliasProof } : {})
  }))
}
