import { useActions, useApp } from '../store/context'
import { useContactActions, useContacts } from '../store/contacts-context'
import { groupTitle } from '../store/groups'
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
  if (!contact) {
    return (
      <section className="panel" data-testid="contact-screen">
        <p className="muted">This contact is no longer in your list.</p>
      </section>
    )
  }
  // Multi-member groups do not reveal who is who unless members share their alias (spec "Alias Identity"):
  // the conversations this device can attribute to the contact are its contact group.
  const shared = groups.filter((g) => g.groupPk === contact.groupPk)
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
      </header>
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
        <h3>Conversations</h3>
        {shared.length === 0 ? (
          <p className="muted">{contact.state === 'accepted' ? 'Opening your conversation…' : 'None until the request is accepted.'}</p>
        ) : (
          <ul className="contact-list" data-testid="contact-shared-groups">
            {shared.map((g) => (
              <li key={g.groupPk}>
                <button type="button" className="link-btn" data-testid="contact-open-chat" onClick={() => app.openGroup(g.groupPk)}>
                  {groupTitle(g)}
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  )
}
