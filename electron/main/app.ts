/**
 * The desktop app's lifecycle: one instance per user-data directory, the node hosted in this
 * process (data in `<userData>/node`), the IPC carrier, the window, the tray, deep links,
 * notifications and the login item. Each concern lives in its own file with its Electron-free
 * rules beside it (`*-logic.ts`); this file only wires them.
 *
 * Closing the window keeps the node online when `keepRunningInBackground` is on (the tray stays);
 * Quit (tray, menu, Cmd+Q, SIGTERM) stops the node (flushing the database and the logs) before
 * the process exits. Main reacts to settings through a dispatcher wrapper: every successful
 * `settings:set` or `settings:get`, from the renderer or the tray, is applied here.
 */
import { chmodSync, mkdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { app, BrowserWindow, dialog, type WebContents } from 'electron'
import type { SettingsT } from '../../core/api/contract'
import { Dispatcher } from '../../core/service/dispatch'
import { describeStartFailure } from '../../core/service/start-failure'
import type { Logger } from '../../core/log'
import type { BertyService } from '../../core/service/service'
import { createDeepLinkHandler, listenForOpenUrl, pushDeepLinkFromArgv, registerProtocolClient } from './deep-link'
import { forwardEvents, registerIpcCarrier } from './ipc'
import { createQuitGuard, deferredDispatcher } from './lifecycle-logic'
import { applyLoginItem, loginItemSupported, openedAtLogin } from './login-item'
import { startMessageNotifications } from './notifications'
import { electronKeyProvider } from './safe-storage-key'
import { hardenSession } from './security'
import {
  afterLastWindowClosed,
  closeAction,
  parseLaunchOptions,
  withSettingsHook,
  type CallOnly,
  type TrayAction,
  type TrayState
} from './settings-logic'
import { createAppTray, type AppTray } from './tray'
import { createMainWindow, isTrusted, revealWindow } from './window'
import { jsonLineLogger } from '../../core/service/log'

const log: Logger = jsonLineLogger

function preparePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  if (process.platform !== 'win32' && (statSync(dir).mode & 0o077) !== 0) {
    chmodSync(dir, 0o700)
    log('warn', 'the node data directory was accessible by group or others; changed its mode to 0700', { dataDir: dir })
  }
}

/** The node's data directory (after `--user-data-dir` is applied). */
const nodeDataDir = (): string => join(app.getPath('userData'), 'node')

async function startNode(): Promise<BertyService> {
  const dataDir = nodeDataDir()
  preparePrivateDir(dataDir)
  const key = await electronKeyProvider(dataDir, log)
  log('info', 'starting the node', { dataDir, keyProtection: key.source === 'sealed' ? 'system keychain' : 'file permissions' })
  // Loaded here, not at the top: the window appears while libp2p, Helia and OrbitDB load.
  const { createBertyService } = await import('../../core/node')
  // Discovery on by default (LAN and the private DHT): an invitation link is enough to meet.
  return createBertyService({
    dataDir,
    encryptionKey: key.provider,
    reachSettings: {},
    // Bluetooth LE when the user turns it on (Network panel; applied at start): loaded only then.
    bleFactory: async () => (await import('../../core/net/ble/from-spec')).createBleDriver({ kind: 'hw' }, { log }),
    // A repair asked from the window runs at the next start: the app relaunches (the quit stops the node first).
    restart: relaunch,
    log
  })
}

let relaunching = false
/** Once: each `app.relaunch()` starts one more instance when this one exits. */
function relaunch(): void {
  if (relaunching) return
  relaunching = true
  log('info', 'relaunching the app')
  app.relaunch()
  app.quit()
}

export function startApp(): void {
  const launch = parseLaunchOptions(process.argv, process.env, (p) => resolve(p))
  // Before the single-instance lock: the lock is per user-data directory.
  if (launch.userDataDir) app.setPath('userData', launch.userDataDir)
  if (!app.requestSingleInstanceLock()) {
    // The running instance receives our argv (and any deep link) through 'second-instance'.
    app.quit()
    return
  }

  let settings: SettingsT | undefined
  let appliedLogin: string | undefined
  let node: TrayState['node'] = 'starting'
  let peers = 0
  let serving: number | undefined
  let service: BertyService | undefined
  let mainWindow: BrowserWindow | undefined
  let tray: AppTray | undefined
  let stopNotifications: () => void = () => {}
  const forwarded = new WeakSet<WebContents>()

  const reveal = (): void => {
    if (!app.isReady()) return
    if (!mainWindow || mainWindow.isDestroyed()) openWindow(false)
    revealWindow(mainWindow)
  }

  const onSettings = (next: SettingsT): void => {
    settings = next
    const loginKey = `${next.startAtLogin}/${next.keepRunningInBackground}`
    if (loginKey !== appliedLogin) {
      appliedLogin = loginKey
      applyLoginItem(next, log)
    }
    // A hidden window while no background node is wanted (started at login into the tray, or the
    // setting was just turned off from the tray) would leave a running app with no visible UI.
    if (!next.keepRunningInBackground && !guard.quitting && mainWindow && !mainWindow.isDestroyed() && !mainWindow.isVisible()) {
      mainWindow.show()
    }
    tray?.refresh()
  }

  const serviceReady = app.whenReady().then(startNode)
  const dispatcherReady: Promise<CallOnly> = serviceReady.then((s) => withSettingsHook(new Dispatcher(s.handlers, log), onSettings, log))
  // A node that could not start answers every call with why (the window shows it, not a spinner).
  const dispatcher = deferredDispatcher(dispatcherReady, (err) => describeStartFailure(err, nodeDataDir()), {
    // Loaded here: the repair module brings the storage layer, which the window does not wait for.
    request: async () => (await import('../../core/service/repair-request')).requestRepair(nodeDataDir()),
    restart: relaunch
  })
  // Registered before any window loads: an invoke on a channel without a handler fails.
  const unregisterIpc = registerIpcCarrier({ dispatcher, isTrusted, log })

  const attach = (win: BrowserWindow): void => {
    if (!service || win.isDestroyed() || forwarded.has(win.webContents)) return
    forwarded.add(win.webContents)
    forwardEvents(service, win.webContents)
  }

  const guard = createQuitGuard({
    async stop() {
      node = 'stopping'
      tray?.refresh()
      stopNotifications()
      unregisterIpc()
      const s = await serviceReady.catch(() => undefined)
      await s?.stop()
      log('info', 'node stopped')
    },
    done: (code) => (code === 0 ? app.quit() : app.exit(code)),
    log
  })

  function openWindow(hidden: boolean): BrowserWindow {
    const win = createMainWindow({ hidden })
    mainWindow = win
    win.on('close', (event) => {
      if (closeAction({ quitting: guard.quitting, keepRunningInBackground: settings?.keepRunningInBackground ?? false }) === 'hide') {
        event.preventDefault()
        win.hide()
      }
    })
    win.on('closed', () => {
      if (mainWindow === win) mainWindow = undefined
    })
    attach(win)
    return win
  }

  const onTrayAction = (action: TrayAction, checked?: boolean): void => {
    if (action === 'open') return reveal()
    if (action === 'quit') return app.quit()
    void dispatcher.call('settings:set', { [action]: checked === true }, { carrier: 'internal' }).then((res) => {
      if (!res.ok) log('warn', 'tray: changing a setting failed', { code: res.error.code })
      tray?.refresh()
    })
  }

  const deepLinks = createDeepLinkHandler({ dispatcher, window: () => mainWindow, reveal, log })
  // macOS may deliver the launch URL before 'ready'.
  listenForOpenUrl(deepLinks)

  app.on('second-instance', (_event, argv) => {
    reveal()
    pushDeepLinkFromArgv(deepLinks, argv)
  })
  app.on('activate', () => reveal())
  app.on('window-all-closed', () => {
    if (afterLastWindowClosed({ keepRunningInBackground: settings?.keepRunningInBackground ?? false }) === 'quit') app.quit()
  })
  app.on('before-quit', (event) => {
    if (!guard.beforeQuit()) event.preventDefault()
  })
  app.on('will-quit', () => tray?.destroy())
  // A second signal while the node is stopping means "now", as in the daemon.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => (guard.quitting ? app.exit(1) : app.quit()))

  void app.whenReady().then(() => {
    hardenSession(isTrusted)
    registerProtocolClient(log)
    openWindow(launch.hidden || openedAtLogin())
    try {
      tray = createAppTray({
        state: () => ({ settings, node, peers, serving, loginItemSupported: loginItemSupported() }),
        onAction: onTrayAction,
        log
      })
    } catch (err) {
      log('warn', 'no tray icon on this desktop', { error: err instanceof Error ? err.message : String(err) })
    }
    // Windows/Linux: a link that started the first instance is in its own argv.
    pushDeepLinkFromArgv(deepLinks, process.argv)
  })

  let peerRefresh: ReturnType<typeof setTimeout> | undefined
  serviceReady.then(
    async (s) => {
      service = s
      if (guard.quitting) return
      node = 'online'
      log('info', 'node ready', { peerId: s.peerId() })
      if (mainWindow) attach(mainWindow)
      const countServed = async () => {
        const res = await dispatcher.call('group:list', {}, { carrier: 'internal' })
        if (res.ok) serving = (res.value as unknown[]).length
      }
      void countServed().then(() => tray?.refresh())
      s.onEvent((event, payload) => {
        if (event === 'group:updated') {
          peerRefresh ??= setTimeout(() => {
            peerRefresh = undefined
            void countServed().then(() => tray?.refresh())
          }, 1000)
          return
        }
        if (event !== 'peer:updated') return
        peers = (payload as { peers: unknown[] }).peers.length
        // Connections churn; rebuild the tray menu at most once a second.
        peerRefresh ??= setTimeout(() => {
          peerRefresh = undefined
          tray?.refresh()
        }, 1000)
      })
      stopNotifications = startMessageNotifications({ service: s, dispatcher, settings: () => settings, reveal, log })
      // Through the wrapped dispatcher: the answer goes to onSettings like any other.
      const res = await dispatcher.call('settings:get', {}, { carrier: 'internal' })
      if (!res.ok) log('warn', 'could not read settings', { code: res.error.code })
      tray?.refresh()
    },
    (err: unknown) => {
      node = 'failed'
      tray?.refresh()
      const message = err instanceof Error ? err.message : String(err)
      log('error', 'the node failed to start', { error: message, name: err instanceof Error ? err.name : undefined })
      if (!guard.quitting) {
        const detail = describeStartFailure(err, nodeDataDir())
        void dialog.showMessageBox({ type: 'error', title: 'Berty', message: 'Berty could not start', detail, buttons: ['OK'] })
      }
    }
  )
}
