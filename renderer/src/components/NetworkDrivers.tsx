import { useCallback, useEffect, useState, type FormEvent } from 'react'
import type { Result } from '../../../core/api'
import { describeError } from '../api/errors'
import { useActions } from '../store/context'

type Status = Result<'network:status'>
type Reach = Result<'network:settings:get'>

const STATUS_POLL_MS = 5000

const DRIVER_LABEL: Record<string, string> = {
  mdns: 'LAN (mDNS)',
  localrecord: 'LAN (local records)',
  dht: 'DHT',
  rendezvous: 'Rendezvous servers'
}

function ago(ms: number): string {
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000))
  if (s < 60) return `${s} s ago`
  if (s < 3600) return `${Math.round(s / 60)} min ago`
  return `${Math.round(s / 3600)} h ago`
}

/** Discovery drivers and the BLE radio: what runs and what it last found (issue 10 / 14). */
export function DriverStatusCard() {
  const { call } = useActions()
  const [status, setStatus] = useState<Status | null>(null)
  const [error, setError] = useState<string | null>(null)

  const refresh = useCallback(async () => {
    try {
      setStatus(await call('network:status', {}))
      setError(null)
    } catch (err) {
      setError(describeError(err))
    }
  }, [call])

  useEffect(() => {
    void refresh()
    const t = setInterval(() => void refresh(), STATUS_POLL_MS)
    return () => clearInterval(t)
  }, [refresh])

  return (
    <div className="card" data-testid="driver-status">
      <h3>Discovery</h3>
      {error && <p className="form-error" role="alert">{error}</p>}
      {!status ? (
        <p className="muted">Reading discovery status…</p>
      ) : (
        <>
          {status.drivers.length === 0 ? (
            <p className="muted" data-testid="driver-none">
              No discovery driver runs: peers are reached only by address.
            </p>
          ) : (
            <ul className="peer-list" aria-label="Discovery drivers">
              {status.drivers.map((d) => (
                <li key={d.name} className="peer-item" data-testid="driver-item" data-driver={d.name}>
                  <div className="peer-top">
                    <strong>{DRIVER_LABEL[d.name] ?? d.name}</strong>
                    <span className={`chip ${d.running ? 'path-direct' : ''}`} data-testid="driver-state">
                      {d.running ? 'running' : 'stopped'}
                    </span>
                    <span className="muted small">
                      advertising {d.advertising} · found {d.found}
                    </span>
                  </div>
                  <div className="peer-bottom muted small">
                    {d.lastFoundAt != null ? (
                      <span data-testid="driver-last-found">
                        last found <code className="mono">{d.lastFoundPeer?.slice(-8)}</code> {ago(d.lastFoundAt)}
                      </span>
                    ) : (
                      <span>nothing found yet</span>
                    )}
                    {d.lastError && d.lastErrorAt != null && (
                      <span className="form-error" title={d.lastError}>
                        {' '}
                        · last error {ago(d.lastErrorAt)}: {d.lastError.slice(0, 80)}
                      </span>
                    )}
                  </div>
                </li>
              ))}
            </ul>
          )}
          <p className="muted small">
            {status.advertised} rendezvous point(s) advertised, {status.watched} watched
            {status.servesRendezvous ? ' · serving rendezvous for others' : ''}
            {status.servesRelay ? ' · relaying for others' : ''}
            {status.rendezvousServer ? ` (${status.rendezvousServer.registrations} registration(s) held)` : ''}
          </p>
          {status.relays.length > 0 && (
            <ul className="small" data-testid="relay-status">
              {status.relays.map((r) => (
                <li key={r.relay}>
                  <span className="mono">{r.relay.slice(0, 48)}…</span> — {r.reserved ? 'reserved' : `no reservation${r.failures > 0 ? ` (${r.failures} failed attempt(s)${r.lastError ? `: ${r.lastError}` : ''})` : ''}`}
                </li>
              ))}
            </ul>
          )}
          <p data-testid="ble-status">
            Bluetooth LE:{' '}
            {status.ble == null ? (
              <span className="muted">not used by this node</span>
            ) : (
              <span>
                {status.ble.driver} — {status.ble.state}
                {status.ble.reason ? ` (${status.ble.reason})` : ''}
              </span>
            )}
          </p>
        </>
      )}
    </div>
  )
}

const ADDR_RE = /^\/.+\/p2p\/[1-9A-HJ-NP-Za-km-z]{40,60}$/

function parseList(text: string): { list: string[]; bad?: string } {
  const list = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
  const bad = list.find((l) => !ADDR_RE.test(l))
  return bad ? { list, bad } : { list }
}

/** Which drivers run, and which rendezvous servers and relays to use; applied at once (Bluetooth at the next start). */
export function ReachSettingsCard() {
  const { call } = useActions()
  const [reach, setReach] = useState<Reach | null>(null)
  const [servers, setServers] = useState('')
  const [relays, setRelays] = useState('')
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null)

  const apply = (r: Reach) => {
    setReach(r)
    setServers(r.rendezvousServers.join('\n'))
    setRelays(r.relays.join('\n'))
  }

  useEffect(() => {
    call('network:settings:get', {})
      .then(apply)
      .catch((err: unknown) => setMessage({ ok: false, text: describeError(err) }))
  }, [call])

  const save = async (patch: Parameters<typeof call<'network:settings:set'>>[1]) => {
    try {
      const r = await call('network:settings:set', patch)
      apply(r)
      setMessage({ ok: true, text: r.restartRequired ? `Applied; the rest takes effect when the app restarts (${r.restartReason ?? 'restart needed'}).` : 'Saved and applied.' })
    } catch (err) {
      setMessage({ ok: false, text: describeError(err) })
    }
  }

  const s = parseList(servers)
  const r = parseList(relays)
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (s.bad || r.bad) return
    void save({ rendezvousServers: s.list, relays: r.list })
  }

  if (!reach) return <div className="card muted">Reading reach settings…</div>
  return (
    <form className="card" onSubmit={submit} data-testid="reach-settings">
      <h3>Reach settings</h3>
      <label className="toggle">
        <input type="checkbox" data-testid="reach-lan" checked={reach.lan} onChange={(e) => void save({ lan: e.target.checked })} />
        Find peers on the local network (mDNS, local records)
      </label>
      <label className="toggle">
        <input type="checkbox" data-testid="reach-dht" checked={reach.dht} onChange={(e) => void save({ dht: e.target.checked })} />
        Use the DHT (internet; turn off for LAN-only use)
      </label>
      <label className="toggle">
        <input type="checkbox" data-testid="reach-ble" checked={reach.ble} onChange={(e) => void save({ ble: e.target.checked })} />
        Bluetooth LE (chat with nearby devices without any network; the desktop app only)
      </label>
      <label className="field">
        <span className="field-label">Rendezvous servers (one multiaddr per line, ending in /p2p/…)</span>
        <textarea className="mono" data-testid="reach-servers" rows={2} value={servers} onChange={(e) => setServers(e.target.value)} spellCheck={false} />
      </label>
      {s.bad && <p className="form-error">Not a server address: {s.bad}</p>}
      <label className="field">
        <span className="field-label">Relays (one multiaddr per line, ending in /p2p/…)</span>
        <textarea className="mono" data-testid="reach-relays" rows={2} value={relays} onChange={(e) => setRelays(e.target.value)} spellCheck={false} />
      </label>
      {r.bad && <p className="form-error">Not a relay address: {r.bad}</p>}
      <button type="submit" className="btn" data-testid="reach-save" disabled={!!s.bad || !!r.bad}>
        Save servers and relays
      </button>
      <p className="hint">No third-party server is used unless you add it here. Changes apply at the next start.</p>
      {message && (
        <p className={message.ok ? 'form-ok' : 'form-error'} role={message.ok ? 'status' : 'alert'} data-testid="reach-message">
          {message.text}
        </p>
      )}
    </form>
  )
}
