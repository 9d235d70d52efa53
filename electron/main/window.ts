/**
 * The main window and who may call the node from it. Sandboxed, context-isolated, no Node in the
 * page; navigation, new windows and webviews are refused (`security.ts` also refuses them for
 * every webContents). The sender check admits only the top frame of our windows showing our
 * renderer: `out/renderer/index.html`, or the dev server's exact origin under `electron-vite dev`.
 */
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { BrowserWindow, shell } from 'electron'
import iconPath from '../../resources/icon.png?asset'
import { isTrustedSender, type SenderInfo, type TrustPolicy } from './sender-check'

const here = fileURLToPath(new URL('.', import.meta.url))
const rendererFile = join(here, '../renderer/index.html')
const devUrl = process.env.ELECTRON_RENDERER_URL

/** webContents ids of our windows; the sender check reads it at call time. */
const trustedIds = new Set<number>()

function devOrigins(): string[] {
  if (!devUrl) return []
  try {
    return [new URL(devUrl).origin]
  } catch {
    return []
  }
}

const policy: TrustPolicy = {
  ...(devUrl ? {} : { rendererFileUrl: pathToFileURL(rendererFile).href }),
  allowedOrigins: devOrigins(),
  trustedWebContentsIds: trustedIds
}

export function isTrusted(sender: SenderInfo): boolean {
  return isTrustedSender(sender, policy)
}

export interface WindowOptions {
  /** Created hidden (started at login into the tray). */
  hidden: boolean
}

export function createMainWindow(options: WindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1100,
    height: 760,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Berty',
    icon: iconPath,
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: true
    }
  })
  const id = win.webContents.id
  trustedIds.add(id)
  win.webContents.once('destroyed', () => trustedIds.delete(id))

  if (!options.hidden) win.once('ready-to-show', () => win.show())
  // Links in messages open in the browser; nothing opens inside the app.
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//i.test(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
  win.webContents.on('will-navigate', (event) => event.preventDefault())
  win.webContents.on('will-redirect', (event) => event.preventDefault())

  if (devUrl) void win.loadURL(devUrl)
  else void win.loadFile(rendererFile)
  return win
}

/** Brings the window to the front (from the tray, a second instance, a notification, a deep link). */
export function revealWindow(win: BrowserWindow | undefined): void {
  if (!win || win.isDestroyed()) return
  if (win.isMinimized()) win.restore()
  if (!win.isVisible()) win.show()
  win.focus()
}
