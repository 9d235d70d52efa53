/**
 * Core events → API events. Group summaries are coalesced per tick: a catch-up of thousands of
 * entries must not recompute and send a summary per entry.
 */
import type { EventName } from '../api/channels'
import type { EventPayload } from '../api/contract'
import { base64urlEncode } from '../bytes'
import type { Groups } from '../groups/groups'
import type { Logger } from '../log'
import type { StorageHealth } from '../storage'
import type { BertyLibp2p } from '../net/libp2p'
import { peersOf, toApiGroup, toApiMessage } from './mappers'
import type { EventListener } from './service'

/** Longest a conversation summary lags behind its group; also the fastest it is re-sent. */
export const SUMMARY_INTERVAL_MS = 100

export interface EventBridge {
  onEvent(listener: EventListener): () => void
  close(): void
}

/** `listed`: whether the conversation list shows a group (a pending contact group does not; see group:list). */
export function bridgeEvents(
  groups: Groups,
  libp2p: BertyLibp2p,
  log: Logger,
  listed: (groupPk: Uint8Array, kind: string) => boolean = () => true,
  health?: StorageHealth
): EventBridge {
  const listeners = new Set<EventListener>()
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>): void => {
    for (const l of listeners) {
      try {
        l(event, payload)
      } catch (err) {
        log('error', 'node: event listener failed', { event, error: String(err) })
      }
    }
  }
  const dirty = new Map<string, Uint8Array>()
  let flushScheduled = false
  let lastFlush = 0
  const flushGroups = (): void => {
    flushScheduled = false
    lastFlush = performance.now()
    // Nobody listening (a headless replica, a test): the summaries would be built for no one.
    if (listeners.size === 0) {
      dirty.clear()
      return
    }
    for (const pk of dirty.values()) {
      // Runs from a timer: a summary that cannot be built (a damaged page of the database under
      // its unread count) is logged and skipped; thrown here, it would end the process.
      try {
        if (!groups.has(pk)) continue
        const view = groups.get(pk)
        if (view.kind !== 'account' && view.role === 'member' && listed(view.groupPk, view.kind)) emit('group:updated', { group: toApiGroup(view) })
      } catch (err) {
        health?.note(err)
        log('error', 'node: a conversation summary could not be built', { error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) })
      }
    }
    dirty.clear()
  }
  const groupChanged = (pk: Uint8Array): void => {
    dirty.set(base64urlEncode(pk), pk)
    if (!flushScheduled) {
      flushScheduled = true
      // A summary costs a count over the group's unread messages: at most one per group every
      // SUMMARY_INTERVAL_MS, or a live burst (one message per turn of the loop) costs O(n²).
      const wait = SUMMARY_INTERVAL_MS - (performance.now() - lastFlush)
      if (wait > 0) setTimeout(flushGroups, wait).unref?.()
      else setImmediate(flushGroups)
    }
  }
  const offGroups = groups.on((e) => {
    // Nobody listening (a headless replica catching up): no API message built per entry.
    if (e.type === 'message' && listeners.size === 0) {
      groupChanged(e.groupPk)
      return
    }
    const groupPk = base64urlEncode(e.groupPk)
    if (e.type === 'message') {
      emit(e.fresh ? 'message:received' : 'message:updated', { groupPk, message: toApiMessage(e.message) })
      groupChanged(e.groupPk)
    } else if (e.type === 'group') {
      groupChanged(e.groupPk)
    } else if (e.type === 'unreadable') {
      emit('message:unreadable', { groupPk, id: e.messageId, memberPk: base64urlEncode(e.memberPk), reason: e.reason })
    } else if (e.type === 'progress') {
      emit('sync:progress', { groupPk, log: e.log === 'meta' ? 'metadata' : 'messages', received: e.received, done: e.done })
    }
  })
  const onPeers = (): void => emit('peer:updated', { peers: peersOf(libp2p.getConnections()) })
  libp2p.addEventListener('connection:open', onPeers)
  libp2p.addEventListener('connection:close', onPeers)
  return {
    onEvent(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    close() {
      offGroups()
      libp2p.removeEventListener('connection:open', onPeers)
      libp2p.removeEventListener('connection:close', onPeers)
      listeners.clear()
    }
  }
}
