import { useMemo, useState, type KeyboardEvent } from 'react'
import type { GroupSummaryT } from '../../../core/api'
import { shortTime } from '../lib/format'
import { groupTitle, listedGroups } from '../store/groups'
import { useActions, useApp } from '../store/context'
import { useContacts } from '../store/contacts-context'
import { Avatar } from './Avatar'
import { JoinGroupDialog } from './JoinGroupDialog'
import { NewGroupDialog } from './NewGroupDialog'

export function Sidebar() {
  const account = useApp((s) => s.account)
  const view = useApp((s) => s.view)
  const actions = useActions()
  const [dialog, setDialog] = useState<'new' | 'join' | null>(null)
  const incoming = useContacts((s) => s.contacts.filter((c) => c.state === 'incoming').length)

  return (
    <aside className="sidebar" aria-label="Conversations and sections">
      <header className="sidebar-header">
        <Avatar name={account?.displayName ?? ''} seed={account?.accountPk ?? ''} />
        <div className="sidebar-identity">
          <div className="account-name" data-testid="account-name">
            {account?.displayName}
          </div>
          <div className="muted small">Berty</div>
        </div>
      </header>

      <nav className="sidebar-nav" aria-label="Sections">
        <button
          type="button"
          className="nav-btn"
          data-testid="chats-tab"
          aria-current={view.kind === 'chat' || view.kind === 'home' ? 'page' : undefined}
          onClick={() => actions.showView({ kind: 'home' })}
        >
          Chats
        </button>
        <button
          type="button"
          className="nav-btn"
          data-testid="contacts-tab"
          aria-current={view.kind === 'contacts' || view.kind === 'contact' ? 'page' : undefined}
          aria-label={incoming > 0 ? `Contacts, ${incoming} requests` : 'Contacts'}
          onClick={() => actions.showView({ kind: 'contacts' })}
        >
          Contacts
          {incoming > 0 && (
            <span className="badge" data-testid="contacts-badge" aria-hidden="true">
              {incoming}
            </span>
          )}
        </button>
        <button
          type="button"
          className="nav-btn"
          data-testid="network-tab"
          aria-current={view.kind === 'network' ? 'page' : undefined}
          onClick={() => actions.showView({ kind: 'network' })}
        >
          Network
        </button>
        <button
          type="button"
          className="nav-btn"
          data-testid="settings-tab"
          aria-current={view.kind === 'settings' ? 'page' : undefined}
          onClick={() => actions.showView({ kind: 'settings' })}
        >
          Settings
        </button>
      </nav>

      <div className="sidebar-actions">
        <button type="button" className="btn primary" data-testid="new-group" onClick={() => setDialog('new')}>
          + New group
        </button>
        <button type="button" className="btn" data-testid="join-group" onClick={() => setDialog('join')}>
          Join
        </button>
      </div>

      <ConversationList />

      {dialog === 'new' && <NewGroupDialog onClose={() => setDialog(null)} />}
      {dialog === 'join' && <JoinGroupDialog onClose={() => setDialog(null)} />}
    </aside>
  )
}

function ConversationList() {
  const groups = useApp((s) => s.groups)
  const groupsError = useApp((s) => s.groupsError)
  const view = useApp((s) => s.view)
  const actions = useActions()
  const listed = useMemo(() => listedGroups(groups), [groups])
  const activePk = view.kind === 'chat' ? view.groupPk : undefined

  // Up/Down move between conversations, Home/End jump.
  const onKeyDown = (e: KeyboardEvent<HTMLUListElement>) => {
    if (!['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(e.key)) return
    const items = [...e.currentTarget.querySelectorAll<HTMLButtonElement>('[data-testid="conversation-item"]')]
    if (items.length === 0) return
    const at = items.indexOf(document.activeElement as HTMLButtonElement)
    let next = at
    if (e.key === 'ArrowDown') next = at < 0 ? 0 : Math.min(items.length - 1, at + 1)
    else if (e.key === 'ArrowUp') next = at < 0 ? 0 : Math.max(0, at - 1)
    else if (e.key === 'Home') next = 0
    else next = items.length - 1
    e.preventDefault()
    items[next]?.focus()
  }

  if (listed.length === 0) {
    return (
      <div className="conversation-list empty" data-testid="conversation-list">
        {groupsError ? (
          <p className="muted" role="alert" data-testid="conversation-list-error">
            Your conversations could not be loaded: {groupsError}
          </p>
        ) : (
          <p className="muted">No conversations yet. Create a group or join one with an invitation link.</p>
        )}
      </div>
    )
  }

  return (
    <ul className="conversation-list" data-testid="conversation-list" aria-label="Conversations" onKeyDown={onKeyDown}>
      {listed.map((g) => (
        <li key={g.groupPk}>
          <ConversationItem group={g} active={g.groupPk === activePk} onOpen={() => actions.openGroup(g.groupPk)} />
        </li>
      ))}
    </ul>
  )
}

function ConversationItem({ group, active, onOpen }: { group: GroupSummaryT; active: boolean; onOpen: () => void }) {
  const title = groupTitle(group)
  const last = group.lastMessage
  const preview = last ? `${last.mine ? 'You: ' : last.senderName ? `${last.senderName}: ` : ''}${last.text}` : group.damaged ? 'Its messages cannot be read (damaged database)' : 'No messages yet'
  const unread = group.unread
  return (
    <button
      type="button"
      className={`conversation-item${active ? ' active' : ''}${unread > 0 ? ' has-unread' : ''}`}
      data-testid="conversation-item"
      data-group-pk={group.groupPk}
      data-kind={group.kind}
      data-unread={unread}
      aria-current={active ? 'true' : undefined}
      aria-label={`${title}${unread > 0 ? `, ${unread} unread` : ''}`}
      onClick={onOpen}
    >
      <Avatar name={title} seed={group.groupPk} />
      <span className="conversation-main">
        <span className="conversation-top">
          <span className="conversation-name" data-testid="conversation-name">
            {title}
          </span>
          <span className="conversation-time">{shortTime(last?.sentAt ?? group.createdAt)}</span>
        </span>
        <span className="conversation-bottom">
          <span className="conversation-preview" data-testid="conversation-preview">
            {preview}
          </span>
          {unread > 0 && (
            <span className="badge" data-testid="unread-badge" aria-hidden="true">
              {unread > 99 ? '99+' : unread}
            </span>
          )}
        </span>
      </span>
    </button>
  )
}
