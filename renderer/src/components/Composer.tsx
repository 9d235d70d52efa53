import { useLayoutEffect, useRef, type FormEvent, type KeyboardEvent } from 'react'
import { kib } from '../lib/format'
import { useActions, useApp } from '../store/context'
import { MAX_TEXT_BYTES, utf8Length } from '../store/messages'

const MAX_HEIGHT_PX = 180

export function Composer({ groupPk }: { groupPk: string }) {
  const actions = useActions()
  const draft = useApp((s) => s.drafts[groupPk] ?? '')
  const ref = useRef<HTMLTextAreaElement>(null)
  // Cheap upper bound first: a string of n UTF-16 units is at most 3n UTF-8 bytes.
  const bytes = draft.length * 3 <= MAX_TEXT_BYTES * 0.75 ? draft.length : utf8Length(draft.trim())
  const tooLarge = bytes > MAX_TEXT_BYTES
  const nearLimit = bytes > MAX_TEXT_BYTES * 0.8
  const empty = draft.trim().length === 0
  const canSend = !empty && !tooLarge

  useLayoutEffect(() => {
    const el = ref.current
    if (!el) return
    el.style.height = 'auto'
    el.style.height = `${Math.min(el.scrollHeight, MAX_HEIGHT_PX)}px`
  }, [draft])

  const send = () => {
    if (!canSend) return
    if (actions.sendMessage(groupPk, draft)) actions.setDraft(groupPk, '')
    ref.current?.focus()
  }

  const onSubmit = (e: FormEvent) => {
    e.preventDefault()
    send()
  }

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    // Enter sends, Shift+Enter is a newline; never while an IME is composing.
    if (e.key === 'Enter' && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey && !e.nativeEvent.isComposing) {
      e.preventDefault()
      send()
    }
  }

  return (
    <form className="composer" onSubmit={onSubmit}>
      <div className="composer-field">
        <label htmlFor={`composer-${groupPk}`} className="sr-only">
          Message
        </label>
        <textarea
          id={`composer-${groupPk}`}
          ref={ref}
          data-testid="composer-input"
          value={draft}
          rows={1}
          placeholder="Write a message"
          onChange={(e) => actions.setDraft(groupPk, e.target.value)}
          onKeyDown={onKeyDown}
          aria-invalid={tooLarge ? true : undefined}
          aria-describedby={`composer-hint-${groupPk}`}
          autoFocus
        />
        <p id={`composer-hint-${groupPk}`} className={tooLarge ? 'composer-hint error' : 'composer-hint'} data-testid={tooLarge ? 'composer-error' : undefined} role={tooLarge ? 'alert' : undefined}>
          {tooLarge
            ? `Too long to send: ${kib(bytes)} of ${kib(MAX_TEXT_BYTES)} allowed. Shorten it or split it into several messages.`
            : nearLimit
              ? `${kib(bytes)} of ${kib(MAX_TEXT_BYTES)}`
              : <span className="sr-only">Enter sends, Shift+Enter adds a new line.</span>}
        </p>
      </div>
      <button type="submit" className="btn primary send" data-testid="composer-send" disabled={!canSend} aria-label="Send message">
        Send
      </button>
    </form>
  )
}
