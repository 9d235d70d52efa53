import { useEffect, useState, type FormEvent } from 'react'
import { shortTime } from '../lib/format'
import { checkServerAddress } from '../store/replication-store'
import { useReplication, useReplicationActions } from '../store/replication-context'
import { Modal } from './Modal'

/**
 * Group settings → replication servers: who keeps this group available while its members are
 * offline (servers this device asked, and those other members announced), and a form to ask one.
 */
export function GroupReplicasDialog({ groupPk, groupName, onClose }: { groupPk: string; groupName: string; onClose: () => void }) {
  const actions = useReplicationActions()
  const replicas = useReplication((s) => s.replicas[groupPk])
  const listError = useReplication((s) => s.listErrors[groupPk])
  const busy = useReplication((s) => s.adding[groupPk] === true)
  const [server, setServer] = useState('')
  const [token, setToken] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [added, setAdded] = useState(false)

  useEffect(() => {
    void actions.loadReplicas(groupPk)
  }, [actions, groupPk])

  const problem = server.trim() === '' ? null : checkServerAddress(server)
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setAdded(false)
    const failure = await actions.addReplica(groupPk, server, token)
    setError(failure)
    if (failure === null) {
      setServer('')
      setToken('')
      setAdded(true)
    }
  }

  return (
    <Modal title={`Replication servers of ${groupName}`} testId="replicas-dialog" onClose={onClose} busy={busy}>
      <p className="hint">
        A replication server keeps this group’s messages available while its members are offline. It stores them sealed
        and can neither read nor write them. Its owner gives you an address and a token.
      </p>
      {listError && (
        <div className="form-error" role="alert" data-testid="replicas-list-error">
          {listError}
        </div>
      )}
      {!replicas && !listError && (
        <p className="muted" role="status">
          <span className="spinner" aria-hidden="true" /> Loading…
        </p>
      )}
      {replicas && replicas.length === 0 && (
        <p className="muted" data-testid="replicas-empty">
          No replication server yet.
        </p>
      )}
      {replicas && replicas.length > 0 && (
        <ul className="replica-list" data-testid="replicas-list">
          {replicas.map((r) => (
            <li key={r.peerId} className="replica" data-testid="replica-row" data-peer-id={r.peerId}>
              <code className="mono selectable" title={r.server}>
                {r.server}
              </code>
              <span className="muted small">
                {r.source === 'local' ? `added by this device ${shortTime(r.addedAt)}` : 'announced by a member'}
              </span>
              {r.source === 'local' && (
                <button type="button" className="btn small" data-testid="replica-remove" onClick={() => void actions.removeReplica(groupPk, r.peerId)}>
                  Forget
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={submit} aria-busy={busy} noValidate data-testid="replica-add-form">
        <h3>Add replication server</h3>
        <label className="field">
          <span className="field-label">Server address</span>
          <input
            data-testid="replica-server"
            value={server}
            onChange={(e) => {
              setServer(e.target.value)
              setError(null)
            }}
            spellCheck={false}
            disabled={busy}
            placeholder="/ip4/203.0.113.7/tcp/4001/p2p/12D3KooW…"
            aria-invalid={problem ? true : undefined}
            aria-describedby="replica-server-help"
          />
        </label>
        <p id="replica-server-help" className={problem ? 'form-error' : 'hint'}>
          {problem ?? 'A multiaddr ending with /p2p/ and the server’s peer id.'}
        </p>
        <label className="field">
          <span className="field-label">Token</span>
          <textarea
            data-testid="replica-token"
            value={token}
            rows={3}
            onChange={(e) => {
              setToken(e.target.value)
              setError(null)
            }}
            spellCheck={false}
            disabled={busy}
            placeholder="eyJhbGciOiJFZERTQSIs…"
          />
        </label>
        {busy && (
          <div className="progress" role="status" data-testid="replica-adding">
            <span className="spinner" aria-hidden="true" /> Asking the server…
          </div>
        )}
        {error && (
          <div className="form-error" role="alert" data-testid="replica-add-error">
            {error}
          </div>
        )}
        {added && (
          <p className="notice" role="status" data-testid="replica-added">
            The server now replicates this group; the other members are told where to find it.
          </p>
        )}
        <div className="modal-actions">
          <button type="button" className="btn" onClick={onClose} disabled={busy}>
            Close
          </button>
          <button type="submit" className="btn primary" data-testid="replica-submit" disabled={busy || server.trim() === '' || token.trim() === '' || problem !== null}>
            Add server
          </button>
        </div>
      </form>
    </Modal>
  )
}
