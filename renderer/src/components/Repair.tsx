/**
 * Repairing a damaged database from the window (`node:repair`): the damage banner and the failed
 * start's screen offer it, with a confirmation saying what it does; the node then starts again
 * (the app relaunches, the headless daemon restarts its node and this window reconnects) and the
 * start's repair says what it did (RepairOutcome). Where the host cannot restart the node, the
 * person is told to quit and start again.
 */
import { useState } from 'react'
import { useActions, useApp } from '../store/context'
import { describeError } from '../api/errors'

type Step = { kind: 'idle' } | { kind: 'confirm' } | { kind: 'asking' } | { kind: 'restarting' } | { kind: 'quit' } | { kind: 'error'; message: string }

export function RepairButton() {
  const actions = useActions()
  const [step, setStep] = useState<Step>({ kind: 'idle' })
  const ask = async (): Promise<void> => {
    setStep({ kind: 'asking' })
    try {
      const { restarting } = await actions.call('node:repair', {})
      setStep({ kind: restarting ? 'restarting' : 'quit' })
    } catch (err) {
      setStep({ kind: 'error', message: describeError(err) })
    }
  }
  switch (step.kind) {
    case 'idle':
      return (
        <button type="button" className="btn small" data-testid="repair-open" onClick={() => setStep({ kind: 'confirm' })}>
          Repair…
        </button>
      )
    case 'confirm':
      return (
        <span className="repair-confirm" data-testid="repair-confirm">
          <span>
            Berty stops, copies everything that still reads into a new file, keeps the damaged file beside it, and starts
            again. What was on the damaged parts is lost.
          </span>{' '}
          <button type="button" className="btn small primary" data-testid="repair-now" onClick={() => void ask()}>
            Repair now
          </button>{' '}
          <button type="button" className="btn small" onClick={() => setStep({ kind: 'idle' })}>
            Cancel
          </button>
        </span>
      )
    case 'asking':
      return (
        <span role="status">
          <span className="spinner" aria-hidden="true" /> Asking for the repair…
        </span>
      )
    case 'restarting':
      return (
        <span role="status" data-testid="repair-restarting">
          <span className="spinner" aria-hidden="true" /> Repairing: Berty is starting again…
        </span>
      )
    case 'quit':
      return (
        <span role="status" data-testid="repair-quit">
          Quit Berty and start it again: the repair runs as it starts.
        </span>
      )
    case 'error':
      return (
        <span role="alert" data-testid="repair-error">
          {step.message}{' '}
          <button type="button" className="btn small" onClick={() => void ask()}>
            Try again
          </button>
        </span>
      )
  }
}

/** What the repair this start ran did (node:info `repair`), until dismissed. */
export function RepairOutcome() {
  const repair = useApp((s) => s.repair)
  const [dismissed, setDismissed] = useState<string | undefined>()
  if (!repair || dismissed === repair.message) return null
  return (
    <div
      className={`connection-banner ${repair.ok ? 'repair-banner' : 'damaged-banner'}`}
      role={repair.ok ? 'status' : 'alert'}
      data-testid="repair-outcome"
      data-ok={repair.ok ? 'true' : 'false'}
    >
      <span className="dot" aria-hidden="true" />
      <span className="banner-text">{repair.message}</span>
      <button type="button" className="btn small" onClick={() => setDismissed(repair.message)}>
        Dismiss
      </button>
    </div>
  )
}
