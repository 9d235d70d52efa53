import { useState } from 'react'
import { groupTitle } from '../store/groups'
import { useActions, useApp } from '../store/context'
import { useContacts } from '../store/contacts-context'
import type { SyncState } from '../store/app-store'
import { Avatar } from './Avatar'
import { Composer } from './Composer'
import { GroupReplicasDialog } from './GroupReplicasDialog'
import { InviteDialog } from './InviteDialog'
import { MessageList } from './MessageList'

export function ChatView({ groupPk }: { groupPk: string }) {
  const group = useApp((s) => s.groups.find((g) => g.groupPk === groupPk))
  const sync = useApp((s) => s.sync[groupPk])
  const [inviting, setInviting] = useState(false)
  const [replicas, setReplicas] = useState(false)
  const contact = useContacts((s) => s.contacts.find((c) => c.groupPk === groupPk))
  const actions = useActions()
  const title = groupTitle(group ?? { name: '', groupPk })
  const members = group?.memberCount ?? 0

  return (
    <section className="chat-view" data-testid="chat-view" data-group-pk={groupPk} aria-labelledby="chat-title">
      <header className="chat-header">
        <Avatar name={title} seed={groupPk} />
        <div className="chat-heading">
          <h2 id="chat-title" className="chat-title" data-testid="chat-title">
            {title}
          </h2>
          <div className="muted small" data-testid="member-count">
            {members === 1 ? '1 member' : `${members} members`}
          </div>
        </div>
        <SyncBadge sync={sync} />
        {group?.kind === 'multi' && (
          <button type="button" className="btn" data-testid="replicas-button" onClick={() => setReplicas(true)}>
            Replicas
          </button>
        )}
        {group?.kind === 'contact' ? (
          contact && (
            <button type="button" className="btn" data-testid="contact-info-button" onClick={() => actions.showView({ kind: 'contact', accountPk: contact.accountPk })}>
              Contact info
            </button>
          )
        ) : (
          <button type="button" className="btn" data-testid="invite-button" onClick={() => setInviting(true)}>
            Invite
          </button>
        )}
      </header>
      <MessageList groupPk={groupPk} />
      <Composer groupPk={groupPk} />
      {inviting && <InviteDialog groupPk={groupPk} groupName={title} onClose={() => setInviting(false)} />}
      {replicas && <GroupReplicasDialog groupPk={groupPk} groupName={title} onClose={() => setReplicas(false)} />}
    </section>
  )
}

function SyncBadge({ sync }: { sync: SyncState | undefined }) {
  if (!sync) return null
  const logs = [sync.metadata, sync.messages].filter((l) => l && !l.done)
  if (logs.length === 0) return null
  const received = logs.reduce((n, l) => n + (l?.received ?? 0), 0)
  const total = logs.reduce((n, l) => n + (l?.total ?? 0), 0)
  return (
    <div className="sync-badge" role="status" data-testid="sync-progress">
      <span className="spinner" aria-hidden="true" /> Syncing history
      {total > 0 ? ` ${received}/${total}` : received > 0 ? ` (${received})` : '…'}
    </div>
  )
}
