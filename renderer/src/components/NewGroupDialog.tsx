import { useState, type FormEvent } from 'react'
import { describeError } from '../api/errors'
import { useActions, useApp } from '../store/context'
import { Modal } from './Modal'

const MAX_NAME_CHARS = 64

export function NewGroupDialog({ onClose }: { onClose: () => void }) {
  const actions = useActions()
  const busy = useApp((s) => 'group:create' in s.pending)
  const [name, setName] = useState('')
  const [error, setError] = useState<string | null>(null)
  const trimmed = name.trim()

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (!trimmed || busy) return
    setError(null)
    try {
      await actions.createGroup(trimmed)
      onClose()
    } catch (err) {
      setError(describeError(err))
    }
  }

  return (
    <Modal title="New group" testId="new-group-dialog" onClose={onClose} busy={busy}>
      <form onSubmit={submit} aria-busy={busy}>
        <label className="field">
          <span className="field-label">Group name</span>
          <input
            data-testid="new-group-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={MAX_NAME_CHARS}
            autoFocus
            autoComplete="off"
            disabled={busy}
            placeholder="e.g. Weekend trip"
          />
        </label>
        <p className="hint">The name is shared with the members you invite.</p>
        {busy && (
          <p className="progress" role="status">
            <span className="spinner" aria-hidden="true" /> Creating the group…
          </p>
        )}
        {error && (
          <p className="form-error" role="alert" data-testid="new-group-error">
            {error}
          </p>
        )}
        <div className="modal-actions">
          <button type="button" className="btn" onClick={onClose} disabled={busy} data-testid="new-group-cancel">
            Cancel
          </button>
          <button type="submit" className="btn primary" data-testid="new-group-submit" disabled={!trimmed || busy}>
            Create
          </button>
        </div>
      </form>
    </Modal>
  )
}
