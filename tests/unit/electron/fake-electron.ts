/**
 * TEST DOUBLE of the `electron` module for wiring tests of `electron/main/app.ts` in plain Node
 * (the Electron binary is absent here). Only what main uses, recording calls; no behaviour of
 * Electron is claimed beyond the event order main relies on (`close` → `closed` →
 * `window-all-closed`; `before-quit` cancellable; `will-quit` last).
 */
import { EventEmitter } from 'node:events'

export interface FakeEvent {
  defaultPrevented: boolean
  preventDefault(): void
}
const event = (): FakeEvent => ({
  defaultPrevented: false,
  preventDefault() {
    this.defaultPrevented = true
  }
})

let nextId = 1

class FakeWebContents extends EventEmitter {
  destroyed = false
  readonly sent: unknown[][] = []
  openHandler: ((d: { url: string }) => { action: string }) | undefined
  constructor(readonly id: number) {
    super()
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push([channel, ...args])
  }
  isDestroyed(): boolean {
    return this.destroyed
  }
  isLoading(): boolean {
    return false
  }
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }): void {
    this.openHandler = h
  }
}

export class BrowserWindow extends EventEmitter {
  static all: BrowserWindow[] = []
  static focused: BrowserWindow | null = null
  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.all.filter((w) => !w.destroyed)
  }
  static getFocusedWindow(): BrowserWindow | null {
    return BrowserWindow.focused
  }

  readonly webContents: FakeWebContents
  visible = false
  destroyed = false
  loaded: string | undefined
  constructor(readonly options: Record<string, unknown>) {
    super()
    this.webContents = new FakeWebContents(nextId++)
    BrowserWindow.all.push(this)
    app.emit('web-contents-created', event(), this.webContents)
  }
  show(): void {
    this.visible = true
  }
  hide(): void {
    this.visible = false
    if (BrowserWindow.focused === this) BrowserWindow.focused = null
  }
  isVisible(): boolean {
    return this.visible
  }
  isMinimized(): boolean {
    return false
  }
  restore(): void {}
  focus(): void {
    BrowserWindow.focused = this
  }
  isDestroyed(): boolean {
    return this.destroyed
  }
  async loadFile(path: string): Promise<void> {
    this.loaded = path
    setImmediate(() => this.emit('ready-to-show'))
  }
  async loadURL(url: string): Promise<void> {
    this.loaded = url
    setImmediate(() => this.emit('ready-to-show'))
  }
  close(): void {
    const e = event()
    this.emit('close', e)
    if (e.defaultPrevented) return
    this.destroyed = true
    this.visible = false
    if (BrowserWindow.focused === this) BrowserWindow.focused = null
    this.webContents.destroyed = true
    this.webContents.emit('destroyed')
    this.emit('closed')
    if (BrowserWindow.getAllWindows().length === 0) app.emit('window-all-closed', event())
  }
}

let markReady!: () => void
const readyPromise = new Promise<void>((r) => (markReady = r))

class FakeApp extends EventEmitter {
  readonly paths = new Map<string, string>()
  isPackaged = true
  ready = false
  quitCalls = 0
  relaunchCalls = 0
  exitCode: number | undefined
  readonly loginItems: unknown[] = []
  protocolRegistered = false
  setPath(name: string, path: string): void {
    this.paths.set(name, path)
  }
  getPath(name: string): string {
    const p = this.paths.get(name)
    if (!p) throw new Error(`no path ${name}`)
    return p
  }
  requestSingleInstanceLock(): boolean {
    return true
  }
  whenReady(): Promise<void> {
    return readyPromise
  }
  isReady(): boolean {
    return this.ready
  }
  /** Test control: Electron emitted 'ready'. */
  becomeReady(): void {
    this.ready = true
    markReady()
  }
  quit(): void {
    this.quitCalls++
    const e = event()
    this.emit('before-quit', e)
    if (e.defaultPrevented) return
    this.emit('will-quit', event())
    this.exitCode = 0
  }
  relaunch(): void {
    this.relaunchCalls++
  }
  exit(code: number): void {
    this.exitCode = code
  }
  setLoginItemSettings(s: unknown): void {
    this.loginItems.push(s)
  }
  getLoginItemSettings(): { wasOpenedAtLogin: boolean } {
    return { wasOpenedAtLogin: false }
  }
  isDefaultProtocolClient(): boolean {
    return this.protocolRegistered
  }
  setAsDefaultProtocolClient(scheme: string): boolean {
    this.protocolRegistered = scheme === 'berty'
    return true
  }
}
export const app = new FakeApp()

export const ipcMain = {
  handlers: new Map<string, (event: unknown, params: unknown) => Promise<unknown>>(),
  handle(channel: string, fn: (event: unknown, params: unknown) => Promise<unknown>): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`)
    this.handlers.set(channel, fn)
  },
  removeHandler(channel: string): void {
    this.handlers.delete(channel)
  }
}

export const session = {
  defaultSession: {
    headersListener: undefined as unknown,
    permissionRequest: undefined as unknown,
    permissionCheck: undefined as unknown,
    webRequest: {
      onHeadersReceived(fn: unknown): void {
        session.defaultSession.headersListener = fn
      }
    },
    setPermissionRequestHandler(fn: unknown): void {
      this.permissionRequest = fn
    },
    setPermissionCheckHandler(fn: unknown): void {
      this.permissionCheck = fn
    },
    setDevicePermissionHandler(): void {}
  }
}

export const shell = { openExternal: async (_url: string) => {} }

export const nativeImage = {
  createFromPath: (path: string) => ({ path, addRepresentation() {}, setTemplateImage() {} })
}

export const Menu = {
  buildFromTemplate: (template: unknown[]) => ({ template })
}

export class Tray extends EventEmitter {
  static last: Tray | undefined
  menu: { template: Array<Record<string, unknown>> } | undefined
  tooltip = ''
  destroyed = false
  constructor(readonly image: unknown) {
    super()
    Tray.last = this
  }
  setContextMenu(menu: { template: Array<Record<string, unknown>> }): void {
    this.menu = menu
  }
  setToolTip(t: string): void {
    this.tooltip = t
  }
  isDestroyed(): boolean {
    return this.destroyed
  }
  destroy(): void {
    this.destroyed = true
  }
}

export class Notification extends EventEmitter {
  static shown: Notification[] = []
  static isSupported(): boolean {
    return true
  }
  closed = false
  constructor(readonly options: { title?: string; body?: string }) {
    super()
  }
  show(): void {
    Notification.shown.push(this)
  }
  close(): void {
    this.closed = true
    this.emit('close')
  }
}

export const dialog = {
  /** Button index answered by the next message boxes (0 = Join). */
  answers: [] as number[],
  boxes: [] as Array<Record<string, unknown>>,
  async showMessageBox(...args: unknown[]): Promise<{ response: number }> {
    const options = args[args.length - 1] as Record<string, unknown>
    dialog.boxes.push(options)
    return { response: dialog.answers.shift() ?? 0 }
  },
  showErrorBox(): void {}
}

/** Synchronous API only, so main's fallback branch of the adapter runs. */
export const safeStorage = {
  isEncryptionAvailable: () => true,
  encryptString: (text: string) => Buffer.from(`sealed:${Buffer.from(text).toString('hex')}`),
  decryptString: (buf: Buffer) => {
    const s = buf.toString()
    if (!s.startsWith('sealed:')) throw new Error('decrypt failed')
    return Buffer.from(s.slice(7), 'hex').toString()
  },
  getSelectedStorageBackend: () => 'gnome_libsecret'
}

export default { app, BrowserWindow, ipcMain, session, shell, nativeImage, Menu, Tray, Notification, dialog, safeStorage }
