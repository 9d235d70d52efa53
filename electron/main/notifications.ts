/**
 * Native notifications for new messages (rules in `./notification-logic`). One notification per
 * group at a time: a newer message replaces the older one, so a burst (a replica catching up)
 * does not stack dozens. Clicking one brings the window forward.
 */
import { BrowserWindow, Notification } from 'electron'
import iconPath from '../../resources/icon.png?asset'
import type { GroupSummaryT, SettingsT } from '../../core/api/contract'
import type { Logger } from '../../core/log'
import type { BertyService } from '../../core/service/service'
import { createMessageNotifier } from './notification-logic'
import type { CallOnly } from './settings-logic'

export interface NotificationDeps {
  service: Pick<BertyService, 'onEvent'>
  dispatcher: CallOnly
  settings(): SettingsT | undefined
  reveal(): void
  log: Logger
}

/** Subscribes to the node's events; returns the unsubscribe function. */
export function startMessageNotifications(deps: NotificationDeps): () => void {
  if (!Notification.isSupported()) {
    deps.log('info', 'native notifications are not supported here')
    return () => {}
  }
  const shown = new Map<string, Notification>()
  const listener = createMessageNotifier({
    settings: deps.settings,
    windowFocused: () => BrowserWindow.getFocusedWindow() !== null,
    async groupName(groupPk) {
      const res = await deps.dispatcher.call('group:get', { groupPk }, { carrier: 'internal' })
      return res.ok ? (res.value as GroupSummaryT).name : undefined
    },
    show(groupPk, text) {
      shown.get(groupPk)?.close()
      // macOS always shows the app's icon; elsewhere the notification needs one.
      const n = new Notification({ title: text.title, body: text.body, ...(process.platform === 'darwin' ? {} : { icon: iconPath }) })
      n.on('click', () => deps.reveal())
      n.on('close', () => {
        if (shown.get(groupPk) === n) shown.delete(groupPk)
      })
      // Keep a reference: a collected Notification loses its click handler.
      shown.set(groupPk, n)
      n.show()
    },
    log: deps.log
  })
  const unsubscribe = deps.service.onEvent(listener)
  return () => {
    unsubscribe()
    for (const n of shown.values()) n.close()
    shown.clear()
  }
}
