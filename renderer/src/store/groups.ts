/** Pure conversation-list logic. */
import type { GroupSummaryT, MessageT } from '../../../core/api'
import { compareMessages } from './messages'

/** Last activity, for the list order only (the list is not a protocol order). */
export function activityOf(g: GroupSummaryT): number {
  return g.lastMessage ? Math.max(g.lastMessage.sentAt, g.createdAt) : g.createdAt
}

export function compareGroups(a: GroupSummaryT, b: GroupSummaryT): number {
  const d = activityOf(b) - activityOf(a)
  if (d !== 0) return d
  return a.groupPk < b.groupPk ? -1 : a.groupPk > b.groupPk ? 1 : 0
}

export function sortGroups(groups: readonly GroupSummaryT[]): GroupSummaryT[] {
  const byPk = new Map<string, GroupSummaryT>()
  for (const g of groups) byPk.set(g.groupPk, g)
  return [...byPk.values()].sort(compareGroups)
}

/** Replaces (or adds) one group and keeps the order. */
export function upsertGroup(groups: readonly GroupSummaryT[], group: GroupSummaryT): GroupSummaryT[] {
  const rest = groups.filter((g) => g.groupPk !== group.groupPk)
  rest.push(group)
  return rest.sort(compareGroups)
}

/**
 * A live message for a listed group: becomes its preview when it is the newest by
 * protocol order (or the same entry with a new state). Unread counts come from the node
 * (`group:updated`, `group:markRead`), never from counting events here.
 */
export function withLastMessage(groups: readonly GroupSummaryT[], groupPk: string, message: MessageT): GroupSummaryT[] {
  const g = groups.find((x) => x.groupPk === groupPk)
  // A placeholder (an entry this device cannot open) is never a conversation's last message.
  if (!g || message.unreadable) return groups as GroupSummaryT[]
  const last = g.lastMessage
  if (last && last.id !== message.id && compareMessages(message, last) < 0) return groups as GroupSummaryT[]
  return upsertGroup(groups, { ...g, lastMessage: message })
}

export function shortKey(key: string): string {
  return key.length > 10 ? `${key.slice(0, 8)}…` : key
}

export function groupTitle(g: Pick<GroupSummaryT, 'name' | 'groupPk'>): string {
  return g.name.trim() || `Group ${shortKey(g.groupPk)}`
}

/** The conversation list hides the account group (it syncs one's own devices). */
export function listedGroups(groups: readonly GroupSummaryT[]): GroupSummaryT[] {
  return groups.filter((g) => g.kind !== 'account')
}
