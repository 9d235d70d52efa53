/**
 * Native notifications for new messages, without Electron: when to show one and what it says.
 * `notifications.ts` binds this to Electron's `Notification` and the window's focus.
 *
 * Rules: a `message:received` event becomes a notification only if the message is not ours, the
 * `notifications` setting is on and no window of the app has focus. Title = the group's name,
 * body = the message text with whitespace collapsed, control and bidirectional-override characters
 * removed (a message must not be able to reorder what the notification shows) and truncated to
 * {@link MAX_BODY_CHARS} user-perceived characters. Message text never goes to the log.
 */
import type { EventName } from '../../core/api/channels'
import type { EventPayload, MessageT, SettingsT } from '../../core/api/contract'

export const MAX_BODY_CHARS = 100
export const MAX_TITLE_CHARS = 64
export const FALLBACK_TITLE = 'Berty'
export const FALLBACK_BODY = 'New message'

// C0/C1 controls, bidi embeddings/overrides/isolates, line and paragraph separators, BOM.
// eslint-disable-next-line no-control-regex
const UNSAFE_RE = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g
const SPACE_RE = /[\s\u2028\u2029]+/g

const segmenter = typeof Intl.Segmenter === 'function' ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : undefined

function graphemes(text: string): string[] {
  if (segmenter) return Array.from(segmenter.segment(text), (s) => s.segment)
  return Array.from(text) // code points: never splits a surrogate pair
}

/** Collapses whitespace, strips unsafe characters and cuts to `max` graphemes, ending in `…` if cut. */
export function shapeText(text: string, max: number): string {
  const clean = text.replace(UNSAFE_RE, '').replace(SPACE_RE, ' ').trim()
  if (clean.length <= max) return clean
  const parts = graphemes(clean)
  if (parts.length <= max) return clean
  return `${parts.slice(0, Math.max(0, max - 1)).join('').trimEnd()}…`
}

export interface NotificationText {
  title: string
  body: string
}

export function notificationText(groupName: string | undefined, message: Pick<MessageT, 'text'>): NotificationText {
  return {
    title: shapeText(groupName ?? '', MAX_TITLE_CHARS) || FALLBACK_TITLE,
    body: shapeText(message.text, MAX_BODY_CHARS) || FALLBACK_BODY
  }
}

export interface NotifyContext {
  settings: Pick<SettingsT, 'notifications'> | undefined
  /** True when any window of the app has focus: the user is already looking. */
  windowFocused: boolean
}

export function shouldNotify(message: Pick<MessageT, 'mine' | 'unreadable'>, ctx: NotifyContext): boolean {
  // Until settings are loaded we do not know the user's choice: stay quiet.
  if (!ctx.settings?.notifications) return false
  if (ctx.windowFocused) return false
  // A placeholder for an entry this device cannot open is nothing to announce.
  return !message.mine && message.unreadable === undefined
}

export interface MessageNotifierDeps {
  settings(): Pick<SettingsT, 'notifications'> | undefined
  windowFocused(): boolean
  /** The group's display name (`group:get`); undefined when unknown. */
  groupName(groupPk: string): Promise<string | undefined>
  /** Shows (or replaces) the notification for this group. */
  show(groupPk: string, text: NotificationText): void
  log?: (level: 'warn', msg: string, data?: Record<string, unknown>) => void
}

/** A node event listener that turns fresh messages into notifications. */
export function createMessageNotifier(deps: MessageNotifierDeps): <E extends EventName>(event: E, payload: EventPayload<E>) => void {
  return (event, payload) => {
    if (event !== 'message:received') return
    const { groupPk, message } = payload as EventPayload<'message:received'>
    const ctx = { settings: deps.settings(), windowFocused: deps.windowFocused() }
    if (!shouldNotify(message, ctx)) return
    void deps
      .groupName(groupPk)
      .catch(() => undefined)
      .then((name) => {
        // Focus may have changed while the name was looked up.
        if (deps.windowFocused()) return
        deps.show(groupPk, notificationText(name, message))
      })
      .catch((err: unknown) => deps.log?.('warn', 'notification failed', { error: err instanceof Error ? err.name : 'unknown' }))
  }
}
