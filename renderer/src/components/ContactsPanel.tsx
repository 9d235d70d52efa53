import { useState, type FormEvent } from 'react'
import type { ContactT } from '../../../core/api'
import { describeError, errorCode } from '../api/errors'
import { CONTACT_ERROR_TEXT, validateContactLink } from '../lib/contact-link'
import { useActions } from '../store/context'
import { useContactActions, useContacts } from '../store/contacts-context'
import { Avatar } from './Avatar'
import { ShareContactCard } from './ShareContactCard'

export function ContactsPanel() {
  const contacts = useContacts((s) => s.contacts)
  const by = (state: ContactT['state']) => contacts.filter((c) => c.state === state)
  return (
    <section className="panel" data-testid="contacts-panel" aria-labelledby="contacts-title">
      <header className="panel-header">
        <h2 id="contacts-title">Contacts</h2>
      </header>
      <AddContactCard />
      <ContactSection title="Requests for you" testId="incoming-requests" contacts={by('incoming')} empty="No pending requests." />
      <ContactSection title="Requests you sent" testId="outgoing-requests" contacts={by('outgoing')} empty="No requests waiting." />
      <ContactSection title="Contacts" testId="accepted-contacts" contacts={by('accepted')} empty="No contacts yet: share your link or paste someone's." />
      {(by('declined').length > 0 || by('blocked').length > 0) && (
        <ContactSection title="Declined and blocked" testId="refused-contacts" contacts={[...by('declined'), ...by('blocked')]} empty="" />
      )}
      <ShareContactCard />
    </section>
  )
}

/** Paste (or open) someone's contact link: the request is queued at once and sent when they are reachable. */
export function AddContactCard({ initialLink = '' }: { initialLink?: string }) {
  const actions = useContactActions()
  const [link, setLink] = useState(initialLink)
  const [touched, setTouched] = useState(false)
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null)
  const problem = validateContactLink(link)

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setTouched(true)
    if (problem || busy) return
    setBusy(true)
    setResult(null)
    try {
      const c = await actions.request(link)
      setResult({ ok: true, text: `Request to ${c.displayName} queued: it is sent as soon as they are reachable.` })
      setLink('')
      setTouched(false)
    } catch (err) {
      const code = errorCode(err)
      setResult({ ok: false, text: (code && CONTACT_ERROR_TEXT[code]) ?? describeError(err) })
    } finally {
      setBusy(false)
    }
  }
  const showProblem = touched && problem !== null && link.trim().length > 0
  return (
    <form className="card" data-testid="add-contact" onSubmit={submit} noValidate>
      <h3>Add a contact</h3>
      <label className="field">
        <span className="field-label">Their contact link</span>
        <textarea
          data-testid="add-contact-link"
          className="mono"
          rows={2}
          value={link}
          spellCheck={false}
          placeholder="https://berty.tech/id#contact/…"
          onChange={(e) => {
            setLink(e.target.value)
            setResult(null)
          }}
          onBlur={() => setTouched(true)}
          aria-invalid={showProblem ? true : undefined}
        />
      </label>
      {showProblem && (
        <p className="form-error" data-testid="add-contact-problem">
          {problem}
        </p>
      )}
      {result && (
        <p className={result.ok ? 'hint' : 'form-error'} role={result.ok ? 'status' : 'alert'} data-testid={result.ok ? 'add-contact-done' : 'add-contact-error'}>
          {result.text}
        </p>
      )}
      <div className="modal-actions">
        <button type="submit" className="btn primary" data-testid="add-contact-submit" disabled={busy || link.trim().length === 0}>
          Send request
        </button>
      </div>
    </form>
  )
}

function ContactSection({ title, testId, contacts, empty }: { title: string; testId: string; contacts: ContactT[]; empty: string }) {
  return (
    <div className="card" data-testid={testId}>
      <h3>{title}</h3>
      {contacts.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul className="contact-list">
          {contacts.map((c) => (
            <ContactRow key={c.accountPk} contact={c} />
          ))}
        </ul>
      )}
    </div>
  )
}

function ContactRow({ contact: c }: { contact: ContactT }) {
  const contacts = useContactActions()
  const app = useActions()
  const [error, setError] = useState<string | null>(null)
  const act = (fn: () => Promise<void>) => () => {
    setError(null)
    void fn().catch((err) => setError(describeError(err)))
  }
  return (
    <li className="contact-row" data-testid="contact-row" data-account-pk={c.accountPk} data-state={c.state}>
      <Avatar name={c.displayName} seed={c.accountPk} />
      <div className="contact-main">
        <button type="button" className="link-btn contact-name" data-testid="contact-name" onClick={() => app.showView({ kind: 'contact', accountPk: c.accountPk })}>
          {c.displayName}
        </button>
        <div className="mono small muted" data-testid="contact-fingerprint" title="Compare with what they see">
          {c.fingerprint}
        </div>
        {c.state === 'outgoing' && (
          <div className="small muted" data-testid="contact-status">
            {c.sent ? 'Delivered: waiting for them to accept' : c.error ? `Not delivered yet: ${c.error}` : 'Queued: looking for them…'}
          </div>
        )}
        {error && (
          <div className="form-error small" role="alert">
            {error}
          </div>
        )}
      </div>
      <div className="contact-actions">
        {c.state === 'incoming' && (
          <>
            <button type="button" className="btn primary small" data-testid="contact-accept" onClick={act(() => contacts.accept(c.accountPk))}>
              Accept
            </button>
            <button type="button" className="btn small" data-testid="contact-decline" onClick={act(() => contacts.decline(c.accountPk))}>
              Decline
            </button>
          </>
        )}
        {c.state === 'outgoing' && (
          <button type="button" className="btn small" data-testid="contact-cancel" onClick={act(() => contacts.cancel(c.accountPk))}>
            Cancel
          </button>
        )}
        {c.state === 'accepted' && c.groupPk && (
          <button type="button" className="btn small" data-testid="contact-chat" onClick={() => app.openGroup(c.groupPk!)}>
            Chat
          </button>
        )}
        {c.state !== 'blocked' && (
          <button type="button" className="btn small danger" data-testid="contact-block" onClick={act(() => contacts.block(c.accountPk))}>
            Block
          </button>
        )}
        {c.state === 'blocked' && (
          <button
            type="button"
            className="btn small"
            data-testid="contact-unblock"
            title="Their requests reach you again; they leave this list"
            onClick={act(() => contacts.unblock(c.accountPk))}
          >
            Unblock
          </button>
        )}
        {(c.state === 'declined' || c.state === 'blocked') && <span className="tag">{c.state}</span>}
      </div>
    </li>
  )
}
