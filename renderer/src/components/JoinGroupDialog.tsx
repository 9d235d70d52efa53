import { useMemo, useState, type FormEvent } from 'react'
import { describeError, errorCode, toApiCallError } from '../api/errors'
import { validateInvite } from '../lib/invite'
import { useActions, useApp } from '../store/context'
import type { SyncState } from '../store/app-store'
import { Modal } from './Modal'

export function JoinGroupDialog({ onClose }: { onClose: () => void }) {
  const actions = useActions()
  const busy = useApp((s) => 'group:join' in s.pending)
  const sync = useApp((s) => s.sync)
  const [url, setUrl] = useState('')
  const [touched, setTouched] = useState(false)
  const [error, setError] = useState<{ message: string; invalid: boolean } | null>(null)
  const problem = validateInvite(url)

  // The group's key is unknown until the node answers, so show whatever is syncing.
  const progress = useMemo(() => summarizeSync(Object.values(sync)), [sync])

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setTouched(true)
    if (problem || busy) return
    setError(null)
    try {
      await actions.joinGroup(url)
      onClose()
    } catch (err) {
      const invalid = errorCode(err) === 'INVALID_INVITATION'
      setError({ invalid, message: invalid ? toApiCallError(err).message : describeError(err) })
    }
  }

  const showProblem = touched && problem !== null && url.trim().length > 0

  return (
    <Modal title="Join a group" testId="join-dialog" onClose={onClose} busy={busy}>
      <form onSubmit={submit} aria-busy={busy} noValidate>
        <label className="field">
          <span className="field-label">Invitation link</span>
          <textarea
            data-testid="join-url"
            value={url}
            rows={3}
            onChange={(e) => {
              setUrl(e.target.value)
              setError(null)
            }}
            onBlur={() => setTouched(true)}
            autoFocus
            spellCheck={false}
            disabled={busy}
            placeholder="https://berty.tech/id#group/…"
            aria-invalid={showProblem || error?.invalid ? true : undefined}
            aria-describedby="join-help"
          />
        </label>
        <p id="join-help" className={showProblem ? 'form-error' : 'hint'} data-testid={showProblem ? 'join-url-problem' : undefined}>
          {showProblem ? problem : 'Paste the link someone shared with you. Its secret part never leaves this device except to the group.'}
        </p>
        {busy && (
          <div className="progress" role="status" data-testid="join-progress">
            <span className="spinner" aria-hidden="true" /> Joining… syncing history
            {progress && <span className="muted"> ({progress})</span>}
          </div>
        )}
        {error && (
          <div className="form-error" role="alert" data-testid="join-error" data-code={error.invalid ? 'INVALID_INVITATION' : undefined}>
            {error.invalid ? (
              <>
                <strong>This invitation link is not valid.</strong> It may be incomplete, damaged or revoked: ask for a
                new one. <span className="muted">({error.message})</span>
              </>
            ) : (
              error.message
            )}
          </div>
        )}
        <div className="modal-actions">
          <button type="button" className="btn" onClick={onClose} disabled={busy} data-testid="join-cancel">
            Cancel
          </button>
          <button type="submit" className="btn primary" data-testid="join-submit" disabled={busy || url.trim().length === 0}>
            Join
          </button>
        </div>
      </form>
    </Modal>
  )
}

function summarizeSync(states: SyncState[]): string | null {
  let received = 0
  let total = 0
  let active = false
  for (const s of states) {
    for (const log of [s.metadata, s.messages]) {
      if (!log || log.done) continue
      active = true
      received += log.received
      total += log.total ?? 0
    }
  }
  if (!active) return null
  return total > 0 ? `${received} of ${total} entries` : `${received} entries`
}
