/**
 * Applies the `startAtLogin` setting (plan in `./settings-logic`): Electron's login items on macOS
 * and Windows, an XDG autostart entry on Linux, nothing in development builds.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { app } from 'electron'
import type { SettingsT } from '../../core/api/contract'
import type { Logger } from '../../core/log'
import { loginItemPlan, xdgAutostartPath } from './settings-logic'

export function loginItemSupported(): boolean {
  return app.isPackaged && ['darwin', 'win32', 'linux', 'freebsd', 'openbsd'].includes(process.platform)
}

/** macOS login items cannot pass `--hidden`; Electron tells us instead. */
export function openedAtLogin(): boolean {
  if (process.platform !== 'darwin') return false
  try {
    return app.getLoginItemSettings().wasOpenedAtLogin === true
  } catch {
    return false
  }
}

export function applyLoginItem(settings: Pick<SettingsT, 'startAtLogin' | 'keepRunningInBackground'>, log: Logger): void {
  const plan = loginItemPlan(settings, {
    platform: process.platform,
    packaged: app.isPackaged,
    executable: process.env.APPIMAGE ?? process.execPath
  })
  try {
    switch (plan.kind) {
      case 'electron':
        app.setLoginItemSettings(plan.settings)
        break
      case 'xdg-autostart': {
        const file = xdgAutostartPath(process.env, homedir(), join)
        if (plan.entry === undefined) {
          rmSync(file, { force: true })
        } else {
          mkdirSync(dirname(file), { recursive: true })
          const tmp = `${file}.tmp`
          writeFileSync(tmp, plan.entry, { mode: 0o644 })
          renameSync(tmp, file)
        }
        break
      }
      case 'unsupported':
        if (settings.startAtLogin) log('info', 'start at login not applied', { reason: plan.reason })
        break
    }
  } catch (err) {
    log('warn', 'could not update the login item', { error: err instanceof Error ? err.message : String(err) })
  }
}
