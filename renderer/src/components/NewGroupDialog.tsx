import { useState } from 'react'
import { newClientId } from '../lib/client-id'
import { useActions } from '../store/context'
import { useNameForm } from './use-name-form'
import { Modal } from './Modal'
import { MAX_NAME_CHARS } from '../../../core/api/constants'

export function NewGroupDialog({ onClose }: { onClose: () => void }) {
  const actions = useActions()
  // One name per dialog and group name: Create pressed again after a failure (a dropped connection,
  // a timeout) answers the group the node may already have made instead of making a second one.
  const [ids] = useState(() => new Map<string, string>())
  const idFor = (n: string): string => {
    let id = ids.get(n)
    if (!id) ids.set(n, (id = newClientId()))
    return id
  }
  const { name, setName, error, busy, trimmed, submit } = useNameForm('group:create', (n) => actions.createGroup(n, idFor(n)), onClose)

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
