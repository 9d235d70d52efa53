/**
 * Pure message-list logic. The order is the node's: Lamport time, then id (PROTOCOL.md
 * "Ordering"); wall-clock `sentAt` is display only and never orders anything.
 */
import type { MessageT } from '../../../core/api'

export type MessageKey = Pick<MessageT, 'lamport' | 'id'>

export function compareMessages(a: MessageKey, b: MessageKey): number {
  if (a.lamport !== b.lamport) return a.lamport < b.lamport ? -1 : 1
  if (a.id === b.id) return 0
  return a.id < b.id ? -1 : 1
}

const STATE_RANK: Record<MessageT['state'], number> = {
  failed: 0,
  sending: 0,
  sent: 1,
  delivered: 2,
  received: 2
}

/**
 * The version to keep when the same message arrives twice. A page fetched before an event
 * may carry an older delivery state than the event: never step a state back.
 */
export function pickVersion(current: MessageT, incoming: MessageT): MessageT {
  return STATE_RANK[incoming.state] < STATE_RANK[current.state] ? { ...incoming, state: current.state } : incoming
}

function sameOrderKey(a: MessageT, b: MessageT): boolean {
  return a.lamport === b.lamport && a.id === b.id
}

/**
 * `existing` (sorted, unique) merged with `incoming` (any order, may repeat ids): sorted by
 * (lamport, id), one entry per id. Returns `existing` itself when nothing changed, so
 * selectors stay stable.
 */
export function mergeMessages(existing: readonly MessageT[], incoming: readonly MessageT[]): MessageT[] {
  if (incoming.length === 0) return existing as MessageT[]
  const index = new Map<string, number>()
  existing.forEach((m, i) => index.set(m.id, i))

  let out: MessageT[] | null = null
  const fresh = new Map<string, MessageT>()
  for (const m of incoming) {
    const at = index.get(m.id)
    if (at !== undefined) {
      const cur = (out ?? existing)[at] as MessageT
      const next = pickVersion(cur, m)
      if (next !== cur && !shallowEqualMessage(cur, next)) {
        out ??= existing.slice()
        out[at] = next
      }
      continue
    }
    const prev = fresh.get(m.id)
    fresh.set(m.id, prev ? pickVersion(prev, m) : m)
  }

  if (fresh.size === 0) {
    if (!out) return existing as MessageT[]
    // An update that moved an entry (should not happen: the key is the entry's) re-sorts.
    const moved = out.some((m, i) => !sameOrderKey(m, existing[i] as MessageT))
    return moved ? out.sort(compareMessages) : out
  }

  const base = out ?? (existing as MessageT[])
  const added = [...fresh.values()].sort(compareMessages)
  const first = base[0]
  const last = base[base.length - 1]
  const firstAdded = added[0] as MessageT
  const lastAdded = added[added.length - 1] as MessageT
  // The common cases: a live message at the end, an older page at the start.
  if (!last || compareMessages(firstAdded, last) > 0) return base.concat(added)
  if (first && compareMessages(lastAdded, first) < 0) return added.concat(base)

  const merged: MessageT[] = new Array(base.length + added.length)
  let i = 0
  let j = 0
  let k = 0
  while (i < base.length && j < added.length) {
    const a = base[i] as MessageT
    const b = added[j] as MessageT
    if (compareMessages(a, b) <= 0) {
      merged[k++] = a
      i++
    } else {
      merged[k++] = b
      j++
    }
  }
  while (i < base.length) merged[k++] = base[i++] as MessageT
  while (j < added.length) merged[k++] = added[j++] as MessageT
  return merged
}

function shallowEqualMessage(a: MessageT, b: MessageT): boolean {
  return (
    a.id === b.id &&
    a.text === b.text &&
    a.sender === b.sender &&
    a.senderName === b.senderName &&
    a.mine === b.mine &&
    a.sentAt === b.sentAt &&
    a.lamport === b.lamport &&
    a.state === b.state
  )
}

export interface MessageWindow {
  /** Sorted by (lamport, id), unique ids, contiguous except where `gapAfter` says. */
  messages: MessageT[]
  /** Whether the node has messages ordered before `messages[0]`. */
  hasMore: boolean
  /**
   * Set while a carrier was down: messages ordered after this key may be missing (events
   * sent meanwhile were lost). Cleared by the next latest page that reaches back to it.
   */
  gapAfter?: MessageKey
}

/**
 * Applies the newest page (`message:list` without `before`). Pages are contiguous, so:
 * - no gap, or the page reaches back to the gap: merge everything;
 * - the page starts after the gap: what we held before the page cannot be joined to it
 *   without a hole, so it is dropped (scroll-back will fetch it again).
 * Messages newer than the page (live events that raced the fetch) are always kept.
 */
export function applyLatestPage(win: MessageWindow, page: readonly MessageT[], pageHasMore: boolean): MessageWindow {
  if (page.length === 0) {
    // The node holds nothing older than what a live event may have brought.
    return { messages: win.messages, hasMore: win.messages.length > 0 ? win.hasMore : false }
  }
  const sortedPage = mergeMessages([], page)
  const oldest = sortedPage[0] as MessageT
  const gap = win.gapAfter
  if (gap && compareMessages(oldest, gap) > 0) {
    const kept = win.messages.filter((m) => compareMessages(m, oldest) >= 0)
    return { messages: mergeMessages(kept, sortedPage), hasMore: pageHasMore }
  }
  const messages = mergeMessages(win.messages, sortedPage)
  // Anything we held older than the page keeps its own `hasMore`; else the page's applies.
  const heldOlder = win.messages.length > 0 && compareMessages(win.messages[0] as MessageT, oldest) < 0
  return { messages, hasMore: heldOlder ? win.hasMore : pageHasMore }
}

/** Applies an older page (`message:list` with `before` = messages[0].id). */
export function applyOlderPage(win: MessageWindow, page: readonly MessageT[], pageHasMore: boolean): MessageWindow {
  return { ...win, messages: mergeMessages(win.messages, page), hasMore: pageHasMore }
}

/** The byte length the node checks (MAX_TEXT_BYTES is over UTF-8). */
export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length
}

export { MAX_TEXT_BYTES } from '../../../core/api/constants'
