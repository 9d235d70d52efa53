import { useEffect, useId, useRef, type ReactNode } from 'react'

interface ModalProps {
  title: string
  testId: string
  onClose: () => void
  children: ReactNode
  /** Blocks Escape/backdrop closing while an operation runs. */
  busy?: boolean
}

/**
 * A native modal <dialog>: the browser traps focus, makes the page behind inert and maps
 * Escape to `cancel`. Focus returns to whatever opened it.
 */
export function Modal({ title, testId, onClose, children, busy = false }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()

  useEffect(() => {
    const dialog = ref.current
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null
    if (dialog && !dialog.open) dialog.showModal()
    return () => {
      if (dialog?.open) dialog.close()
      opener?.focus()
    }
  }, [])

  return (
    <dialog
      ref={ref}
      className="modal"
      aria-labelledby={titleId}
      data-testid={testId}
      onCancel={(e) => {
        e.preventDefault()
        if (!busy) onClose()
      }}
      onMouseDown={(e) => {
        // A press on the backdrop (the dialog box itself, outside its content) closes.
        if (e.target === e.currentTarget && !busy) onClose()
      }}
    >
      <div className="modal-body">
        <h2 id={titleId} className="modal-title">
          {title}
        </h2>
        {children}
      </div>
    </dialog>
  )
}
