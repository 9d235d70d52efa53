import QRCode from 'qrcode'
import { useEffect, useRef, useState } from 'react'
import { describeError } from '../api/errors'
import { useActions } from '../store/context'
import { Modal } from './Modal'

/**
 * The QR code as an <img> data URL: no markup from a library goes into the DOM. It encodes the
 * `BERTY://PB/…` form, whose alphabet is QR alphanumeric mode (denser than the web link's bytes).
 */
async function qrDataUrl(qrText: string): Promise<string> {
  const svg = await QRCode.toString(qrText, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`
}

export function InviteDialog({ groupPk, groupName, onClose }: { groupPk: string; groupName: string; onClose: () => void }) {
  const actions = useActions()
  const [url, setUrl] = useState<string | null>(null)
  const [qr, setQr] = useState<string | null>(null)
  const [qrError, setQrError] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [copied, setCopied] = useState<'copied' | 'select' | null>(null)
  const [attempt, setAttempt] = useState(0)
  const fieldRef = useRef<HTMLTextAreaElement>(null)

  useEffect(() => {
    let live = true
    setError(null)
    actions.invite(groupPk).then(
      async (link) => {
        if (!live) return
        setUrl(link.url)
        try {
          const data = await qrDataUrl(link.qr)
          if (live) setQr(data)
        } catch {
          if (live) setQrError('This link is too long for a QR code; share the link instead.')
        }
      },
      (err) => {
        if (live) setError(describeError(err))
      }
    )
    return () => {
      live = false
    }
  }, [actions, groupPk, attempt])

  const copy = async () => {
    if (!url) return
    try {
      await navigator.clipboard.writeText(url)
      setCopied('copied')
    } catch {
      // No clipboard permission (e.g. plain http): select the text for Ctrl+C.
      fieldRef.current?.focus()
      fieldRef.current?.select()
      setCopied('select')
    }
  }

  return (
    <Modal title={`Invite to ${groupName}`} testId="invite-dialog" onClose={onClose}>
      {!url && !error && (
        <p className="progress" role="status" data-testid="invite-loading">
          <span className="spinner" aria-hidden="true" /> Creating an invitation…
        </p>
      )}
      {error && (
        <div className="form-error" role="alert" data-testid="invite-error">
          {error}{' '}
          <button type="button" className="btn small" onClick={() => setAttempt((a) => a + 1)}>
            Try again
          </button>
        </div>
      )}
      {url && (
        <div className="invite">
          <div className="invite-qr-box">
            {qr ? (
              <img className="invite-qr" data-testid="invite-qr" src={qr} alt="QR code of the invitation link" width={220} height={220} />
            ) : qrError ? (
              <p className="muted" data-testid="invite-qr-error">
                {qrError}
              </p>
            ) : (
              <span className="spinner" aria-label="Drawing the QR code" />
            )}
          </div>
          <label className="field">
            <span className="field-label">Invitation link</span>
            <textarea
              ref={fieldRef}
              className="mono"
              data-testid="invite-url"
              value={url}
              readOnly
              rows={3}
              onFocus={(e) => e.currentTarget.select()}
            />
          </label>
          <p className="hint">
            Anyone with this link can join the group and read what is sent from then on (earlier messages stay unreadable to them). Share it only with the people you invite.
          </p>
          <p className="sr-only" role="status">
            {copied === 'copied' ? 'Link copied' : ''}
          </p>
        </div>
      )}
      <div className="modal-actions">
        {url && (
          <button type="button" className="btn" data-testid="invite-copy" onClick={() => void copy()}>
            {copied === 'copied' ? 'Copied ✓' : copied === 'select' ? 'Press Ctrl+C to copy' : 'Copy link'}
          </button>
        )}
        <button type="button" className="btn primary" data-testid="invite-close" onClick={onClose}>
          Done
        </button>
      </div>
    </Modal>
  )
}
