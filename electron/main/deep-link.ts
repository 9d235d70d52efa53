/**
 * Group invitations and contact links opened from outside the app: `berty://pb/…`,
 * `https://berty.tech/id#group/…`, `…#contact/…` and our earlier `berty://group#…` (rules in
 * `./deep-link-logic`). A contact link becomes a `contact:request` once the user confirms.
 *
 * macOS delivers them as `open-url` (also at launch); Windows and Linux start a second instance
 * whose argv carries the URL, forwarded here by `second-instance` (and the first instance's own
 * argv at launch). Main joins through the node's own `group:join` after the user confirms in a
 * native dialog; nothing is added to the API contract and the renderer never sees the URL. The
 * new group reaches the renderer like any other through the node's events and `group:list`.
 */
import { app, dialog, Notification, type BrowserWindow, type MessageBoxOptions } from 'electron'
import type { GroupSummaryT } from '../../core/api/contract'
import type { Logger } from '../../core/log'
import { createDeepLinkQueue, deepLinkArgument, type DeepLinkQueue, type JoinOutcome } from './deep-link-logic'
import type { CallOnly } from './settings-logic'

export const PROTOCOL_SCHEME = 'berty'

/**
 * Makes this app the OS handler of `berty://`. Installed builds only: electron-builder also
 * registers the scheme at install time, and a development run must not claim it for bare Electron.
 */
export function registerProtocolClient(log: Logger): void {
  if (!app.isPackaged) return
  if (!app.isDefaultProtocolClient(PROTOCOL_SCHEME) && !app.setAsDefaultProtocolClient(PROTOCOL_SCHEME)) {
    log('warn', 'could not register as the handler of berty:// links')
  }
}

export interface DeepLinkDeps {
  dispatcher: CallOnly
  /** The window to show and attach dialogs to (created on demand). */
  window(): BrowserWindow | undefined
  reveal(): void
  log: Logger
}

const CONFIRM: MessageBoxOptions = {
  type: 'question',
  buttons: ['Join', 'Cancel'],
  defaultId: 1,
  cancelId: 1,
  noLink: true,
  title: 'Join a group?',
  message: 'Join a group from an invitation link?',
  detail:
    'A link opened Berty with a group invitation. If you join, the members of that group see your name and ' +
    'can write to you. Join only if you expected this invitation.'
}

const CONFIRM_CONTACT: MessageBoxOptions = {
  type: 'question',
  buttons: ['Send request', 'Cancel'],
  defaultId: 1,
  cancelId: 1,
  noLink: true,
  title: 'Add a contact?',
  message: 'Send a contact request from this link?',
  detail: 'A link opened Berty with someone\'s contact link. If you send the request, they see your name and can accept it.'
}

function failureText(outcome: JoinOutcome): string {
  if (outcome.code === 'NO_ACCOUNT') return 'Create your account first, then open the invitation link again.'
  return outcome.message ?? 'Joining the group failed.'
}

export function createDeepLinkHandler(deps: DeepLinkDeps): DeepLinkQueue {
  const showBox = async (options: MessageBoxOptions): Promise<number> => {
    await app.whenReady()
    deps.reveal()
    const win = deps.window()
    const { response } = win && !win.isDestroyed() ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options)
    return response
  }

  return createDeepLinkQueue({
    confirm: async (kind) => (await showBox(kind === 'contact' ? CONFIRM_CONTACT : CONFIRM)) === 0,
    async join(url, kind) {
      if (kind === 'contact') {
        const res = await deps.dispatcher.call('contact:request', { link: url }, { carrier: 'internal' })
        if (!res.ok) return { ok: false, code: res.error.code, message: res.error.message }
        return { ok: true, contactName: (res.value as { displayName: string }).displayName }
      }
      const res = await deps.dispatcher.call('group:join', { url }, { carrier: 'internal' })
      if (!res.ok) return { ok: false, code: res.error.code, message: res.error.message }
      const { groupPk } = res.value as { groupPk: string }
      const group = await deps.dispatcher.call('group:get', { groupPk }, { carrier: 'internal' })
      return { ok: true, ...(group.ok ? { groupName: (group.value as GroupSummaryT).name } : {}) }
    },
    report(outcome) {
      if (outcome.ok) {
        deps.reveal()
        if (Notification.isSupported() && outcome.contactName !== undefined) {
          new Notification({ title: 'Contact request queued', body: `Your request to “${outcome.contactName.slice(0, 64)}” is sent as soon as they are reachable.` }).show()
        } else if (Notification.isSupported()) {
          const name = outcome.groupName?.trim()
          new Notification({ title: 'Joined a group', body: name ? `You joined “${name.slice(0, 64)}”.` : 'You joined the group.' }).show()
        }
        return
      }
      void showBox({ type: 'warning', buttons: ['OK'], noLink: true, title: 'Invitation', message: 'Could not join the group', detail: failureText(outcome) })
    },
    log: deps.log
  })
}

/** macOS: links arrive as `open-url`, possibly before `ready`; register before `ready`. */
export function listenForOpenUrl(queue: DeepLinkQueue): void {
  app.on('open-url', (event, url) => {
    event.preventDefault()
    queue.push(url)
  })
}

/** Windows/Linux: the link is an argument of the (second) instance's command line. */
export function pushDeepLinkFromArgv(queue: DeepLinkQueue, argv: readonly string[]): void {
  // The queue validates (and logs a refusal without the URL).
  const arg = deepLinkArgument(argv)
  if (arg !== undefined) queue.push(arg)
}
