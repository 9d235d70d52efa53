import { useEffect } from 'react'
import { fullTime, kib } from '../lib/format'
import { useReplication, useReplicationActions } from '../store/replication-context'

const STATE_LABEL = { active: 'serving', left: 'left (may be evicted)', full: 'full (stopped)' } as const

/** Settings → “This device as a replica”: the groups this node stores without reading them. */
export function ReplicaStatusCard() {
  const actions = useReplicationActions()
  const status = useReplication((s) => s.status)
  const error = useReplication((s) => s.statusError)

  useEffect(() => {
    void actions.loadStatus()
    const timer = setInterval(() => void actions.loadStatus(), 10_000)
    return () => clearInterval(timer)
  }, [actions])

  return (
    <div className="card" data-testid="replica-status">
      <h3>This device as a replica</h3>
      {error && (
        <div className="form-error" role="alert">
          {error}
        </div>
      )}
      {!status && !error && (
        <p className="muted" role="status">
          <span className="spinner" aria-hidden="true" /> Loading…
        </p>
      )}
      {status && (
        <>
          <p className="hint" data-testid="replica-status-summary">
            {status.replicaOf ? `Replication device of account ${status.replicaOf.accountPk.slice(0, 12)}… (it cannot read, send or link). ` : status.server ? 'Replication server mode. ' : ''}
            Serving {status.totals.groups === 1 ? '1 group' : `${status.totals.groups} groups`}: {status.totals.entries} entries,{' '}
            {kib(status.totals.bytes)}
            {status.limits ? ` of ${kib(status.limits.maxTotalBytes)}` : ''}. Stored sealed: this device cannot read them.
          </p>
          {status.warnings.length > 0 && (
            <ul className="notice" data-testid="replica-warnings">
              {status.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          )}
          {status.groups.length > 0 && (
            <table className="replica-table" data-testid="replica-groups">
              <thead>
                <tr>
                  <th scope="col">Group</th>
                  <th scope="col">State</th>
                  <th scope="col">Entries</th>
                  <th scope="col">Size</th>
                  <th scope="col">Last sync</th>
                </tr>
              </thead>
              <tbody>
                {status.groups.map((g) => (
                  <tr key={g.groupPk} data-testid="replica-group-row">
                    <td>
                      <code className="mono" title={g.groupPk}>
                        {g.groupPk.slice(0, 10)}…
                      </code>
                    </td>
                    <td>{STATE_LABEL[g.state]}</td>
                    <td>{g.entries}</td>
                    <td>{kib(g.bytes)}</td>
                    <td>{g.lastSyncAt ? fullTime(g.lastSyncAt) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </div>
  )
}
