import { useEffect, useState } from 'react'
import { useActions, useApp } from '../store/context'

/** Shown while the WebSocket carrier is not open (never for the desktop app's IPC). */
export function ConnectionBanner({ hasToken }: { hasToken: boolean }) {
  const carrier = useApp((s) => s.carrier)
  const connection = useApp((s) => s.connection)
  const actions = useActions()
  const [now, setNow] = useState(() => Date.now())

  const waiting = connection.state === 'closed' && connection.retryAt !== undefined
  useEffect(() => {
    if (!waiting) return
    const t = setInterval(() => setNow(Date.now()), 500)
    return () => clearInterval(t)
  }, [waiting])

  if (carrier !== 'ws' || connection.state === 'open') return null

  let text: string
  if (connection.state === 'connecting') {
    text = connection.attempt === 0 ? 'Connecting to the Berty node…' : `Reconnecting to the Berty node (attempt ${connection.attempt})…`
  } else if (waiting) {
    const secs = Math.max(0, Math.ceil(((connection.retryAt ?? now) - now) / 1000))
    text = `Disconnected from the Berty node. Retrying in ${secs} s.`
  } else {
    text = 'Disconnected from the Berty node.'
  }

  return (
    <div className="connection-banner" role="status" aria-live="polite" data-testid="connection-banner" data-state={connection.state}>
      <span className={connection.state === 'connecting' ? 'spinner light' : 'dot'} aria-hidden="true" />
      <span>{text}</span>
      {!hasToken && <span className="banner-note">No access token: open the link the daemon printed (it ends with #token=…).</span>}
      {connection.state === 'closed' && (
        <button type="button" className="btn small" data-testid="reconnect-now" onClick={() => actions.reconnectNow()}>
          Retry now
        </button>
      )}
    </div>
  )
}
