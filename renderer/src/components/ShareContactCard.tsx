import { useEffect, useRef, useState } from 'react'
import { describeError } from '../api/errors'
import { qrDataUrl } from '../lib/qr'
import { useContactActions, useContacts } from '../store/contacts-context'

/** My contact link: text, QR code (the BERTY://PB form), copy, requests on/off, reset (with a warning first). */
export function ShareContactCard() {
  const share = useContacts((s) => s.share)
  const actions = useContactActions()
  const [qr, setQr] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [copied, setCopied] = useState<'copied' | 'select' | null>(null)
  const [confirmReset, setConfirmReset] = useState(false)
  const [busy, setBusy] = useState(false)
  const fieldRef = useRef<HTMLTextAreaElement>(null)

  useEffect(() => {
    void actions.loadShare().catch((err) => setError(describeError(err)))
  }, [actions])

  useEffect(() => {
    let live = true
    setQr(null)
    if (share) void qrDataUrl(share.qr).then((d) => live && setQr(d), () => live && setQr(null))
    return () => {
      live = false
    }
  }, [share?.qr])

  const run = async (fn: () => Promise<void>) => {
    setBusy(true)
    setError(null)
    try {
      await fn()
    } catch (err) {
      setError(describeError(err))
    } finally {
      setBusy(false)
    }
  }

  const copy = async () => {
    if (!share) return
    try {
      await navigator.clipboard.writeText(share.link)
      setCopied('copied')
    } catch {
      fieldRef.current?.focus()
      fieldRef.current?.select()
      setCopied('select')
    }
  }

  return (
    <div className="card" data-testid="share-contact">
      <h3>My contact link</h3>
      {error && (
        <p className="form-error" role="alert" data-testid="share-error">
          {error}
        </p>
      )}
      {!share ? (
        <p className="muted" role="status">
          <span className="spinner" aria-hidden="true" /> Loading your link…
        </p>
      ) : (
        <div className="invite">
          <div className="invite-qr-box">
            {qr ? <img className="invite-qr" data-testid="share-qr" src={qr} alt="QR code of my contact link" width={200} height={200} /> : <span className="spinner" aria-label="Drawing the QR code" />}
          </div>
          <label className="field">
            <span className="field-label">Send this link to people who may add you</span>
            <textarea ref={fieldRef} className="mono" data-testid="share-link" value={share.link} readOnly rows={3} onFocus={(e) => e.currentTarget.select()} />
          </label>
          <div className="modal-actions">
            <button type="button" className="btn" data-testid="share-copy" onClick={() => void copy()}>
              {copied === 'copied' ? 'Copied ✓' : copied === 'select' ? 'Press Ctrl+C to copy' : 'Copy link'}
            </button>
          </div>
          <label className="setting">
            <span className="setting-text">
              <span className="setting-label">Accept contact requests</span>
              <span className="hint">When off, nobody can reach you with your link; requests they send wait on their side.</span>
            </span>
            <input
              type="checkbox"
              role="switch"
              className="switch"
              data-testid="requests-enabled"
              checked={share.requestsEnabled}
              disabled={busy}
              onChange={(e) => void run(() => actions.setRequestsEnabled(e.target.checked))}
            />
          </label>
          {!confirmReset ? (
            <button type="button" className="btn small" data-testid="reset-link" disabled={busy} onClick={() => setConfirmReset(true)}>
              Reset my link…
            </button>
          ) : (
            <div className="notice" role="alertdialog" aria-label="Reset my link" data-testid="reset-warning">
              <p>
                <strong>Links you shared before will stop working.</strong> Requests already sent to you are kept; people who
                have only your old link will need the new one.
              </p>
              <div className="modal-actions">
                <button type="button" className="btn" data-testid="reset-cancel" onClick={() => setConfirmReset(false)}>
                  Keep my link
                </button>
                <button
                  type="button"
                  className="btn primary"
                  data-testid="reset-confirm"
                  disabled={busy}
                  onClick={() => void run(async () => {
                    await actions.resetLink()
                    setConfirmReset(false)
                  })}
                >
                  Reset link
                </button>
              </div>
            </div>
          )}
        </div>
      )}
    </div>
  )
}
