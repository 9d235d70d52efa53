/**
 * Settings → "Linked devices" (spec "Linking Devices", device A): the account's devices with names and
 * when they were last seen, renaming, and "Link a new device": a one-time link and its QR code, then the
 * challenge the new device must pass (the PIN to type there, or its fingerprint to scan or compare).
 */
import { useCallback, useEffect, useState } from 'react'
import type { DeviceT } from '../../../core/api/contract-devices'
import type { EventPayload } from '../../../core/api'
import { describeError } from '../api/errors'
import { qrImage } from '../lib/qr-image'
import { useActions } from '../store/context'
import { shortKey } from '../store/groups'

type Invite = { link: string; qr: string; expiresAt: number }

export function LinkedDevices() {
  const devices = useActions().devices
  const [list, setList] = useState<DeviceT[]>([])
  const [invite, setInvite] = useState<Invite | null>(null)
  const [qr, setQr] = useState<string | null>(null)
  const [challenge, setChallenge] = useState<EventPayload<'device:challenge'> | null>(null)
  const [scanned, setScanned] = useState('')
  const [status, setStatus] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [acknowledged, setAcknowledged] = useState(false)

  const refresh = useCallback(() => {
    devices.list().then(setList, (err) => setError(describeError(err)))
  }, [devices])

  useEffect(() => {
    refresh()
    const offs = [
      devices.on('device:challenge', (c) => {
        setChallenge(c)
        setStatus(null)
      }),
      devices.on('device:linked', (e) => {
        setInvite(null)
        setChallenge(null)
        setStatus(`${e.name ?? 'The new device'} is linked.`)
        refresh()
      }),
      devices.on('device:failed', (e) => {
        if (e.side !== 'inviter') return
        setInvite(null)
        setChallenge(null)
        setError(e.message)
      })
    ]
    return () => offs.forEach((off) => off())
  }, [devices, refresh])

  useEffect(() => {
    if (!invite) return setQr(null)
    let live = true
    void qrImage(invite.qr).then((u) => live && setQr(u))
    return () => {
      live = false
    }
  }, [invite])

  const start = async (role: 'full' | 'replica' = 'full') => {
    setError(null)
    setStatus(null)
    try {
      setInvite(await devices.invite(role === 'replica' ? { role } : {}))
    } catch (err) {
      setError(describeError(err))
    }
  }

  const confirm = async (fingerprint?: string) => {
    setError(null)
    try {
      await devices.confirm(fingerprint)
    } catch (err) {
      setError(describeError(err))
    }
  }

  const rename = async (d: DeviceT) => {
    const name = window.prompt('Name of this device', d.name ?? '')
    if (!name?.trim()) return
    try {
      await devices.rename(d.devicePk, name.trim())
      refresh()
    } catch (err) {
      setError(describeError(err))
    }
  }

  return (
    <div className="card" data-testid="linked-devices">
      <h3>Linked devices</h3>
      <ul className="settings-list" data-testid="device-list">
        {list.map((d) => (
          <li key={d.devicePk} className="setting" data-testid="device" data-current={d.current} data-role={d.role ?? 'full'}>
            <div className="setting-text">
              <span className="setting-label" data-testid="device-name">
                {d.name ?? `Device ${shortKey(d.devicePk)}`}
                {d.current && <span className="tag">This device</span>}
                {d.replacedAt !== undefined && (
                  <span className="tag" data-testid="device-replaced" title="This computer's key before a repair of its database; no longer in use">
                    Replaced by this device
                  </span>
                )}
                {d.role === 'replica' && (
                  <span className="tag" data-testid="device-replica" title="Stores and serves your groups without being able to read them">
                    Replica
                  </span>
                )}
              </span>
              <p className="hint">
                {d.current
                  ? 'Online now'
                  : d.replacedAt !== undefined
                    ? `This device's key until its database was repaired on ${new Date(d.replacedAt).toLocaleString()}; no longer in use`
                    : d.lastSeen
                      ? `Last seen ${new Date(d.lastSeen).toLocaleString()}`
                      : 'Not seen yet'}
              </p>
            </div>
            <button type="button" className="btn small" data-testid="device-rename" onClick={() => void rename(d)}>
              Rename
            </button>
          </li>
        ))}
      </ul>
      {!invite && (
        <>
          <p className="notice">
            A linked device gets every secret of this account: it can read and send in all your groups and link further devices. It cannot be unlinked or revoked later.
          </p>
          <label className="setting-label">
            <input type="checkbox" data-testid="device-link-ack" checked={acknowledged} onChange={(e) => setAcknowledged(e.target.checked)} /> I understand
          </label>
          <button type="button" className="btn primary" data-testid="device-link-new" disabled={!acknowledged} onClick={() => void start()}>
            Link a new device
          </button>
          <p className="hint">
            A replication device (e.g. <code>npm run headless -- --data DIR --replica --link URL</code>) gets no secret: it keeps your groups available
            while your devices are offline, cannot read them, send, add contacts or link devices.
          </p>
          <button type="button" className="btn" data-testid="device-link-replica" onClick={() => void start('replica')}>
            Link a replication device
          </button>
        </>
      )}
      {invite && !challenge && (
        <div className="invite">
          <div className="invite-qr-box">{qr && <img className="invite-qr" data-testid="device-invite-qr" src={qr} alt="QR code of the device link" width={220} height={220} />}</div>
          <label className="field">
            <span className="field-label">Open this link on the new device (expires {new Date(invite.expiresAt).toLocaleTimeString()})</span>
            <textarea className="mono" data-testid="device-invite-link" value={invite.link} readOnly rows={3} onFocus={(e) => e.currentTarget.select()} />
          </label>
        </div>
      )}
      {challenge?.kind === 'pin' && (
        <div data-testid="device-challenge">
          <p>Type this PIN on {challenge.deviceName || 'the new device'}:</p>
          <p className="mono pin" data-testid="device-challenge-pin">
            {challenge.pin}
          </p>
          <p className="hint">{challenge.triesLeft} {challenge.triesLeft === 1 ? 'try' : 'tries'} left.</p>
        </div>
      )}
      {challenge?.kind === 'qr' && (
        <form
          data-testid="device-challenge"
          onSubmit={(e) => {
            e.preventDefault()
            void confirm(scanned)
            setScanned('')
          }}
        >
          <p>Scan the QR code {challenge.deviceName || 'the new device'} shows, or type the fingerprint under it.</p>
          <input className="mono" data-testid="device-challenge-scan" value={scanned} onChange={(e) => setScanned(e.target.value)} />
          <p className="hint">{challenge.triesLeft} {challenge.triesLeft === 1 ? 'try' : 'tries'} left.</p>
          <button type="submit" className="btn primary" disabled={scanned.trim() === ''}>
            Check
          </button>
        </form>
      )}
      {challenge?.kind === 'fingerprint' && (
        <div data-testid="device-challenge">
          <p>Check that {challenge.deviceName || 'the new device'} shows exactly this fingerprint:</p>
          <code className="mono selectable" data-testid="device-challenge-fingerprint">
            {challenge.fingerprint}
          </code>
          <button type="button" className="btn primary" data-testid="device-challenge-confirm" onClick={() => void confirm()}>
            They match
          </button>
        </div>
      )}
      {status && (
        <p role="status" data-testid="device-link-status">
          {status}
        </p>
      )}
      {error && (
        <p className="form-error" role="alert" data-testid="device-link-error">
          {error}
        </p>
      )}
    </div>
  )
}
