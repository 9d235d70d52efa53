import { useVirtualizer } from '@tanstack/react-virtual'
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react'
import type { MemberT, MessageT } from '../../../core/api'
import { fullTime, messageTime } from '../lib/format'
import { EMPTY_CHAT, type PendingMessage } from '../store/app-store'
import { useActions, useApp } from '../store/context'
import { shortKey } from '../store/groups'

type Row =
  | { kind: 'start'; key: string }
  | { kind: 'message'; key: string; message: MessageT; showSender: boolean }
  | { kind: 'pending'; key: string; pending: PendingMessage }

const EMPTY_MEMBERS: MemberT[] = []
/** How close to the top (px) scrolling starts fetching the previous page. */
const LOAD_OLDER_PX = 400

export const STATE_LABEL: Record<MessageT['state'], string> = {
  sending: 'Sending',
  sent: 'Sent',
  delivered: 'Delivered',
  received: 'Received',
  failed: 'Not sent'
}

const STATE_ICON: Record<MessageT['state'], string> = {
  sending: '…',
  sent: '✓',
  delivered: '✓✓',
  received: '✓✓',
  failed: '!'
}

export function MessageList({ groupPk }: { groupPk: string }) {
  const chat = useApp((s) => s.chats[groupPk] ?? EMPTY_CHAT)
  const members = useApp((s) => s.members[groupPk] ?? EMPTY_MEMBERS)
  const actions = useActions()
  const scrollerRef = useRef<HTMLDivElement>(null)

  const names = useMemo(() => {
    const map = new Map<string, string>()
    for (const m of members) for (const d of m.devices) if (m.alias) map.set(d, m.alias)
    return map
  }, [members])

  const rows = useMemo<Row[]>(() => {
    const out: Row[] = []
    if (chat.loaded && !chat.hasMore) out.push({ kind: 'start', key: 'start' })
    let prevSender: string | null = null
    for (const m of chat.messages) {
      out.push({ kind: 'message', key: m.id, message: m, showSender: !m.mine && m.sender !== prevSender })
      prevSender = m.sender
    }
    for (const p of chat.pending) out.push({ kind: 'pending', key: p.localId, pending: p })
    return out
  }, [chat.messages, chat.pending, chat.loaded, chat.hasMore])

  const getItemKey = useCallback((i: number) => rows[i]?.key ?? i, [rows])

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollerRef.current,
    estimateSize: () => 64,
    getItemKey,
    overscan: 10,
    paddingStart: 12,
    paddingEnd: 12,
    // Chat behaviour: prepending older pages keeps what is on screen in place, and new
    // messages keep the view at the bottom if it was there.
    anchorTo: 'end',
    followOnAppend: true,
    scrollEndThreshold: 48
  })

  // Open at the newest message.
  const initialScrollDone = useRef(false)
  useLayoutEffect(() => {
    if (initialScrollDone.current || rows.length === 0) return
    initialScrollDone.current = true
    virtualizer.scrollToEnd()
  }, [rows.length, virtualizer])

  // Our own new message always brings the view down.
  const lastRow = rows[rows.length - 1]
  const lastPendingKey = lastRow?.kind === 'pending' ? lastRow.key : null
  useEffect(() => {
    if (lastPendingKey) virtualizer.scrollToEnd()
  }, [lastPendingKey, virtualizer])

  const maybeLoadOlder = useCallback(() => {
    const el = scrollerRef.current
    if (!el || !chat.loaded || !chat.hasMore || chat.loadingOlder) return
    if (el.scrollTop < LOAD_OLDER_PX) void actions.loadOlder(groupPk)
  }, [actions, groupPk, chat.loaded, chat.hasMore, chat.loadingOlder])

  // Also when the content is too short to scroll at all.
  useEffect(() => {
    maybeLoadOlder()
  }, [maybeLoadOlder, rows.length])

  const items = virtualizer.getVirtualItems()

  return (
    <div className="message-area">
      {chat.loadingOlder && (
        <div className="older-loading" role="status" data-testid="older-loading">
          <span className="spinner" aria-hidden="true" /> Loading earlier messages…
        </div>
      )}
      <div
        ref={scrollerRef}
        className="message-scroller"
        data-testid="message-list"
        data-loaded={chat.loaded ? 'true' : 'false'}
        data-count={chat.messages.length}
        role="list"
        aria-label="Messages"
        tabIndex={0}
        onScroll={maybeLoadOlder}
      >
        {!chat.loaded && chat.loadError && chat.messages.length === 0 && chat.pending.length === 0 ? (
          <p className="message-empty" role="alert" data-testid="message-load-error">
            The messages could not be loaded: {chat.loadError}
          </p>
        ) : !chat.loaded && chat.messages.length === 0 && chat.pending.length === 0 ? (
          <p className="message-empty" role="status">
            <span className="spinner" aria-hidden="true" /> Loading messages…
          </p>
        ) : chat.loaded && chat.messages.length === 0 && chat.pending.length === 0 ? (
          <p className="message-empty" data-testid="message-empty">
            No messages yet. Say hello!
          </p>
        ) : null}
        <div className="message-canvas" style={{ height: virtualizer.getTotalSize() }} role="presentation">
          {items.map((vi) => {
            const row = rows[vi.index]
            if (!row) return null
            return (
              <div
                key={vi.key}
                data-index={vi.index}
                ref={virtualizer.measureElement}
                className="message-row-wrap"
                style={{ transform: `translateY(${vi.start}px)` }}
                role={row.kind === 'start' ? 'presentation' : 'listitem'}
              >
                {row.kind === 'start' ? (
                  <div className="conversation-start" data-testid="conversation-start">
                    Beginning of the conversation
                  </div>
                ) : row.kind === 'message' ? (
                  <MessageRow
                    message={row.message}
                    showSender={row.showSender}
                    alias={names.get(row.message.sender)}
                    unreadableBy={row.message.mine ? (chat.unreadableBy?.[row.message.id]?.length ?? 0) : 0}
                  />
                ) : (
                  <PendingRow
                    pending={row.pending}
                    onRetry={() => actions.retryMessage(groupPk, row.pending.localId)}
                    onDiscard={() => actions.discardMessage(groupPk, row.pending.localId)}
                  />
                )}
              </div>
            )
          })}
        </div>
      </div>
      <LiveAnnouncer messages={chat.messages} names={names} />
    </div>
  )
}

function senderLabel(m: MessageT, alias: string | undefined): string {
  return m.senderName?.trim() || alias?.trim() || shortKey(m.sender)
}

function unreadableText(m: MessageT): string {
  if (m.unreadable === 'before-join') return 'Sent before you joined: this device never received the key to read it.'
  return m.mine
    ? 'You sent this, but this device can no longer open it: its key is no longer here.'
    : 'This device can no longer open this message: its key is no longer here.'
}

const MessageRow = memo(function MessageRow({
  message: m,
  unreadableBy,
  showSender,
  alias
}: {
  message: MessageT
  showSender: boolean
  alias: string | undefined
  /** How many members can never read this message of mine (they joined long after it). */
  unreadableBy: number
}) {
  const who = m.mine ? 'You' : senderLabel(m, alias)
  if (m.unreadable) {
    return (
      <div
        className={`message ${m.mine ? 'mine' : 'theirs'} unreadable`}
        data-testid="message-unreadable"
        data-mine={m.mine ? 'true' : 'false'}
        data-message-id={m.id}
      >
        <div className="bubble">
          {showSender && (
            <div className="sender" data-testid="message-sender" title={m.sender}>
              {who}
            </div>
          )}
          <div className="message-text">
            {unreadableText(m)}
          </div>
        </div>
      </div>
    )
  }
  return (
    <div
      className={`message ${m.mine ? 'mine' : 'theirs'}`}
      data-testid="message"
      data-mine={m.mine ? 'true' : 'false'}
      data-state={m.state}
      data-message-id={m.id}
    >
      <div className="bubble">
        {showSender && (
          <div className="sender" data-testid="message-sender" title={m.sender}>
            {who}
          </div>
        )}
        {!showSender && <span className="sr-only">{who}: </span>}
        <div className="message-text" data-testid="message-text">
          {m.text}
        </div>
        <div className="meta">
          <time dateTime={new Date(m.sentAt).toISOString()} title={fullTime(m.sentAt)}>
            {messageTime(m.sentAt)}
          </time>
          {m.mine && <StateMark state={m.state} />}
        </div>
        {unreadableBy > 0 && (
          <div className="unreadable-by" data-testid="message-unreadable-by">
            Not readable by {unreadableBy === 1 ? '1 member' : `${unreadableBy} members`} who joined later
          </div>
        )}
      </div>
    </div>
  )
})

function StateMark({ state }: { state: MessageT['state'] }) {
  return (
    <span className={`state state-${state}`} data-testid="message-state" title={STATE_LABEL[state]}>
      <span aria-hidden="true">{STATE_ICON[state]}</span>
      <span className="sr-only">{STATE_LABEL[state]}</span>
    </span>
  )
}

function PendingRow({ pending, onRetry, onDiscard }: { pending: PendingMessage; onRetry: () => void; onDiscard: () => void }) {
  return (
    <div className="message mine pending" data-testid="message" data-mine="true" data-state={pending.state} data-local-id={pending.localId}>
      <div className="bubble">
        <span className="sr-only">You: </span>
        <div className="message-text" data-testid="message-text">
          {pending.text}
        </div>
        <div className="meta">
          <time dateTime={new Date(pending.createdAt).toISOString()} title={fullTime(pending.createdAt)}>
            {messageTime(pending.createdAt)}
          </time>
          <StateMark state={pending.state} />
        </div>
        {pending.state === 'failed' && (
          <div className="failed-actions" role="alert">
            <span className="failed-reason">{pending.error ?? 'Not sent'}</span>
            <button type="button" className="btn small" data-testid="message-retry" onClick={onRetry}>
              Retry
            </button>
            <button type="button" className="btn small ghost" data-testid="message-discard" onClick={onDiscard}>
              Discard
            </button>
          </div>
        )}
      </div>
    </div>
  )
}

/**
 * Virtualized rows come and go while scrolling, so the list itself is not a live region;
 * this announces only messages from others that arrive while the chat is open.
 */
function LiveAnnouncer({ messages, names }: { messages: MessageT[]; names: Map<string, string> }) {
  const [text, setText] = useState('')
  const last = messages[messages.length - 1]
  const prevId = useRef<string | null>(null)
  useEffect(() => {
    const id = last?.id ?? null
    if (prevId.current !== null && id !== prevId.current && last && !last.mine && !last.unreadable) {
      setText(`${senderLabel(last, names.get(last.sender))}: ${last.text}`)
    }
    prevId.current = id
  }, [last, names])
  return (
    <div className="sr-only" aria-live="polite" aria-atomic="true">
      {text}
    </div>
  )
}
