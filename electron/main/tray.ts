/**
 * The tray icon: status, "Open Berty", the two background settings and "Quit Berty" (the menu's
 * model is `trayMenuModel` in `./settings-logic`). It exists for as long as the app runs, so a
 * replica kept online in the background can always be reopened or stopped.
 */
import { readFileSync } from 'node:fs'
import { Menu, nativeImage, Tray, type MenuItemConstructorOptions, type NativeImage } from 'electron'
import trayIconPath from '../../resources/tray.png?asset'
import trayIcon2xPath from '../../resources/tray@2x.png?asset'
import type { Logger } from '../../core/log'
import { trayMenuModel, trayStatus, type TrayAction, type TrayState } from './settings-logic'

export interface TrayDeps {
  state(): TrayState
  onAction(action: TrayAction, checked?: boolean): void
  log: Logger
}

export interface AppTray {
  /** Rebuilds the menu and tooltip from the current state. */
  refresh(): void
  destroy(): void
}

function loadIcon(log: Logger): NativeImage {
  const image = nativeImage.createFromPath(trayIconPath)
  try {
    image.addRepresentation({ scaleFactor: 2, buffer: readFileSync(trayIcon2xPath) })
  } catch (err) {
    log('warn', 'tray: no 2x icon', { error: err instanceof Error ? err.message : String(err) })
  }
  // macOS draws tray icons from their alpha channel so they follow the menu bar's appearance.
  if (process.platform === 'darwin') image.setTemplateImage(true)
  return image
}

export function createAppTray(deps: TrayDeps): AppTray {
  const tray = new Tray(loadIcon(deps.log))
  const build = (): void => {
    const state = deps.state()
    const template: MenuItemConstructorOptions[] = trayMenuModel(state).map((item) => {
      switch (item.type) {
        case 'separator':
          return { type: 'separator' }
        case 'status':
          return { label: item.label, enabled: false }
        case 'normal':
          return { label: item.label, click: () => deps.onAction(item.action) }
        case 'checkbox':
          return {
            type: 'checkbox',
            label: item.label,
            checked: item.checked,
            enabled: item.enabled,
            click: (menuItem) => deps.onAction(item.action, menuItem.checked)
          }
      }
    })
    tray.setContextMenu(Menu.buildFromTemplate(template))
    tray.setToolTip(`Berty — ${trayStatus(state)}`)
  }
  build()
  // Windows and most Linux panels: a left click opens the window; the menu is on right click.
  if (process.platform !== 'darwin') tray.on('click', () => deps.onAction('open'))
  return {
    refresh: () => {
      if (!tray.isDestroyed()) build()
    },
    destroy: () => {
      if (!tray.isDestroyed()) tray.destroy()
    }
  }
}
