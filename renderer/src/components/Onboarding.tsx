import { useState } from 'react'
import { useActions } from '../store/context'
import { LinkDevice } from './LinkDevice'
import { useNameForm } from './use-name-form'
import { MAX_NAME_CHARS } from '../../../core/api/constants'

export function Onboarding() {
  const actions = useActions()
  const { name, setName, error, busy, trimmed, submit } = useNameForm('account:create', (n) => actions.createAccount(n))
  const [linking, setLinking] = useState(false)

  if (linking) {
    return (
      <main className="onboarding" data-testid="onboarding">
        <LinkDevice onBack={() => setLinking(false)} />
      </main>
    )
  }

  return (
    <main className="onboarding" data-testid="onboarding">
      <form className="card onboarding-card" onSubmit={submit} aria-busy={busy}>
        <div className="brand-mark" aria-hidden="true">
          B
        </div>
        <h1>Welcome to Berty</h1>
        <p className="muted">
          A private messenger that works without servers. Your keys are created on this device and never leave it.
        </p>
        <label className="field">
          <span className="field-label">Display name</span>
          <input
            data-testid="onboarding-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={MAX_NAME_CHARS}
            autoFocus
            autoComplete="off"
            spellCheck={false}
            disabled={busy}
            aria-describedby="onboarding-hint"
            placeholder="e.g. Alex"
          />
        </label>
        <p id="onboarding-hint" className="hint">
          Any nickname will do: no personal data, phone number or e-mail is needed. Members of the groups you create or
          join see it next to your messages; nobody else does.
        </p>
        <button type="submit" className="btn primary wide" data-testid="onboarding-submit" disabled={!trimmed || busy}>
          {busy ? 'Creating…' : 'Create an account'}
        </button>
        {busy && (
          <p className="progress" role="status" data-testid="onboarding-progress">
            <span className="spinner" aria-hidden="true" /> Creating your keys and starting the node…
          </p>
        )}
        {error && (
          <p className="form-error" role="alert" data-testid="onboarding-error">
            {error}
          </p>
        )}
        <p className="hint">Already using Berty on another device?</p>
        <button type="button" className="btn wide" data-testid="onboarding-link" disabled={busy} onClick={() => setLinking(true)}>
          Link to an existing account
        </button>
      </form>
    </main>
  )
}
