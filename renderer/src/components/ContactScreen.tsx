import { useEffect, useState } from 'react'
import type { ContactDetailsT } from '../../../core/api'
import { useActions, useApp } from '../store/context'
import { useContactActions, useContacts } from '../store/contacts-context'
import { Avatar } from './Avatar'

const STATE_TEXT = {
  outgoing: 'Request sent',
  incoming: 'Wants to add you',
  accepted: 'Contact',
  declined: 'Request declined',
  blocked: 'Blocked'
} as const

/** One contact: name, fingerprint to compare out of band, a local "verified" mark, conversations shared. */
export function ContactScreen({ accountPk }: { accountPk: string }) {
  const contact = useContacts((s) => s.contacts.find((c) => c.accountPk === accountPk))
  const verified = useContacts((s) => s.verified[accountPk] === true)
  const groups = useApp((s) => s.groups)
  const actions = useContactActions()
  const app = useActions()
  const [details, setDetails] = useState<ContactDetailsT | null>(null)
  const [unblockError, setUnblockError] = useState<string | null>(null)
  // Asked again whenever a group or this contact changes (an alias disclosed in a group shows up here).
  useEffect(() => {
    let live = true
    if (!contact) return
    actions.details(accountPk).then(
      (d) => live && setDetails(d),
      () => live && setDetails(null)
    )
    return () => {
      live = false
    }
  }, [actions, accountPk, contact, groups])
  if (!contact) {
    return (
      <section className="panel" data-testid="contact-screen">
        <p className="muted">This contact is no longer in your list.</p>
      </section>
    )
  }
  const shared = details?.accountPk === accountPk ? details.sharedGroups : []
  return (
    <section className="panel" data-testid="contact-screen" data-account-pk={accountPk} aria-labelledby="contact-title">
      <header className="panel-header">
        <Avatar name={contact.displayName} seed={contact.accountPk} />
        <h2 id="contact-title" data-testid="contact-title">
          {contact.displayName}
        </h2>
        <span className="tag" data-testid="contact-state">
          {STATE_TEXT[contact.state]}
        </span>
        {contact.state === 'blocked' && (
          <button
            type="button"
            className="btn small"
            data-testid="contact-screen-unblock"
            title="Their requests reach you again; they leave your list"
            onClick={() => {
              setUnblockError(null)
              actions.unblock(accountPk).catch((err: unknown) => setUnblockError(err instanceof Error ? err.message : String(err)))
            }}
          >
            Unblock
          </button>
        )}
      </header>
      {unblockError && (
        <p className="form-error small" role="alert">
          {unblockError}
        </p>
      )}
      <div className="card">
        <h3>Fingerprint</h3>
        <p className="mono fingerprint" data-testid="contact-screen-fingerprint">
          {contact.fingerprint}
        </p>
        <p className="hint">
          {contact.displayName} sees the same 30 digits for you. Compare them in person or on a call you trust: if they
          match, nobody stood between you when you exchanged links.
        </p>
        <label className="setting">
          <span className="setting-label">Verified</span>
          <input
            type="checkbox"
            role="switch"
            className="switch"
            data-testid="contact-verified"
            checked={verified}
            onChange={(e) => actions.setVerified(accountPk, e.target.checked)}
          />
        </label>
        <p className="hint">Kept on this device only.</p>
      </div>
      <div className="card">
        <h3>Shared groups</h3>
        {shared.length === 0 ? (
          <p className="muted">{contact.state === 'accepted' ? 'Opening your conversation…' : 'None until the request is accepted.'}</p>
        ) : (
          <ul className="contact-list" data-testid="contact-shared-groups">
            {shared.map((g) => (
              <li key={g.groupPk} data-kind={g.kind} data-testid="contact-shared-group">
                <button
                  type="button"
                  className="link-btn"
                  data-testid={g.kind === 'contact' ? 'contact-open-chat' : 'contact-open-group'}
                  onClick={() => app.openGroup(g.groupPk)}
                >
                  {g.kind === 'contact' ? `Conversation with ${contact.displayName}` : g.name}
                </button>
              </li>
            ))}
          </ul>
        )}
        <p className="hint" data-testid="contact-shared-hint">
          {details?.aliasKnown
            ? `Other groups appear here when ${contact.displayName} shares their identity in them; members who do not are anonymous to everyone.`
            : `Other groups can only be listed once ${contact.displayName}'s alias key has arrived in your conversation.`}
        </p>
      </div>
    </section>
  )
}
