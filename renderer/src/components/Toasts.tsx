import { useEffect } from 'react'
import type { Toast } from '../store/app-store'
import { useActions, useApp } from '../store/context'

const TOAST_MS = 8000

export function Toasts() {
  const toasts = useApp((s) => s.toasts)
  return (
    <div className="toasts" aria-label="Notifications">
      {toasts.map((t) => (
        <ToastItem key={t.id} toast={t} />
      ))}
    </div>
  )
}

function ToastItem({ toast }: { toast: Toast }) {
  const actions = useActions()
  useEffect(() => {
    const timer = setTimeout(() => actions.dismissToast(toast.id), TOAST_MS)
    return () => clearTimeout(timer)
  }, [actions, toast.id])
  return (
    <div
      className={`toast toast-${toast.kind}`}
      role={toast.kind === 'error' ? 'alert' : 'status'}
      data-testid="toast"
      data-code={toast.code}
      data-kind={toast.kind}
    >
      <span className="toast-message">{toast.message}</span>
      <button type="button" className="toast-close" aria-label="Dismiss" data-testid="toast-dismiss" onClick={() => actions.dismissToast(toast.id)}>
        ×
      </button>
    </div>
  )
}
