/**
 * Onboarding's "Link to an existing account" (spec "Linking Devices", device B): paste the invitation
 * made on the other device, then pass its challenge — type the PIN it shows, let it scan this device's
 * QR code, or compare fingerprints. On success the node holds the account and the app boots into it.
 */
import { useEffect, useState } from 'react'
import type { ChallengeT } from '../../../core/api/contract-devices'
import { describeError } from '../api/errors'
import { qrImage } from '../lib/qr-image'
import { useActions } from '../store/context'

export function LinkDevice({ onBack }: { onBack: () => void }) {
  const actions = useActions()
  const devices = actions.devices
  const [link, setLink] = useState('')
  const [challenge, setChallenge] = useState<ChallengeT | null>(null)
  const [pin, setPin] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [qr, setQr] = useState<string | null>(null)

  useEffect(() => {
    // QR challenge: the other device decides; this one hears it through the events.
    const offLinked = devices.on('device:linked', () => void actions.boot())
    const offFailed = devices.on('device:failed', (e) => {
      if (e.side === 'joiner') {
        setError(e.message)
        setChallenge(null)
        setBusy(false)
      }
    })
    return () => {
      offLinked()
      offFailed()
    }
  }, [actions, devices])

  useEffect(() => {
    if (challenge?.kind !== 'qr') return
    let live = true
    void qrImage(challenge.fingerprint.replace(/ /g, '')).then((u) => live && setQr(u))
    return () => {
      live = false
    }
  }, [challenge])

  const start = async () => {
    setBusy(true)
    setError(null)
    try {
      setChallenge(await devices.link({ link: link.trim() }))
    } catch (err) {
      setError(describeError(err))
    } finally {
      setBusy(false)
    }
  }

  const answer = async (params: { pin: string } | { fingerprint: string }) => {
    setBusy(true)
    setError(null)
    try {
      const r = await devices.answer(params)
      if (!r.linked) {
        setError(`That is not the PIN shown on the other device. ${r.triesLeft ?? 0} ${r.triesLeft === 1 ? 'try' : 'tries'} left.`)
        setPin('')
      }
    } catch (err) {
      setError(describeError(err))
      setChallenge(null)
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="card onboarding-card" data-testid="link-device" aria-busy={busy}>
      <h1>Link to an existing account</h1>
      {!challenge && (
        <>
          <p className="muted">
            On your other device, open Settings → Linked devices → “Link a new device”, then paste its link here.
          </p>
          <p className="notice" data-testid="link-no-revoke">
            A linked device holds all the secrets of your account and cannot be unlinked or revoked later. Link only devices you own.
          </p>
          <label className="field">
            <span className="field-label">Device link</span>
            <textarea
              className="mono"
              data-testid="link-url"
              value={link}
              rows={3}
              onChange={(e) => setLink(e.target.value)}
              placeholder="https://berty.tech/id#device-link/…"
              disabled={busy}
              autoFocus
            />
          </label>
          <button type="button" className="btn primary wide" data-testid="link-submit" disabled={busy || link.trim() === ''} onClick={() => void start()}>
            {busy ? 'Reaching your other device…' : 'Link this device'}
          </button>
        </>
      )}
      {challenge?.kind === 'pin' && (
        <form
          onSubmit={(e) => {
            e.preventDefault()
            void answer({ pin })
          }}
        >
          <p>Type the PIN your other device shows.</p>
          <label className="field">
            <span className="field-label">PIN</span>
            <input
              data-testid="link-pin"
              inputMode="numeric"
              autoComplete="one-time-code"
              value={pin}
              onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
              maxLength={12}
              disabled={busy}
              autoFocus
            />
          </label>
          <button type="submit" className="btn primary wide" data-testid="link-pin-submit" disabled={busy || pin.length < 6}>
            {busy ? 'Linking…' : 'Link'}
          </button>
        </form>
      )}
      {challenge?.kind === 'qr' && (
        <div>
          <p>Scan this code with your other device, or type the fingerprint below there.</p>
          {qr && <img className="invite-qr" data-testid="link-qr" src={qr} alt="QR code of this device's fingerprint" width={220} height={220} />}
          <code className="mono selectable" data-testid="link-fingerprint">
            {challenge.fingerprint}
          </code>
          <p className="progress" role="status">
            <span className="spinner" aria-hidden="true" /> Waiting for your other device…
          </p>
        </div>
      )}
      {challenge?.kind === 'fingerprint' && (
        <div>
          <p>Check that your other device shows exactly this fingerprint, then confirm on both devices.</p>
          <code className="mono selectable" data-testid="link-fingerprint">
            {challenge.fingerprint}
          </code>
          <button type="button" className="btn primary wide" data-testid="link-fingerprint-confirm" disabled={busy} onClick={() => void answer({ fingerprint: challenge.fingerprint })}>
            They match
          </button>
        </div>
      )}
      {error && (
        <p className="form-error" role="alert" data-testid="link-error">
          {error}
        </p>
      )}
      <button
        type="button"
        className="btn ghost wide"
        data-testid="link-back"
        onClick={() => {
          if (challenge) void devices.cancel().catch(() => undefined)
          onBack()
        }}
      >
        Back
      </button>
    </div>
  )
}
