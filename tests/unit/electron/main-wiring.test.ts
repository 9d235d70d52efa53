/**
 * Wiring of `electron/main/app.ts` against a fake `electron` module and a fixture node: what the
 * real binary would exercise end to end (the Playwright spec), checked here at the level of the
 * calls main makes. Runs in order: one app instance for the whole file.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { IPC_EVENT_CHANNEL, METHOD_NAMES, ipcChannel } from '../../../core/api/channels'
import type { CreateServiceOptions } from '../../../core/service/service'
import * as fake from './fake-electron'
import { KEY_A, createFixtureService, sampleMessage, type FixtureService } from '../daemon/fixture-service'

const shared = vi.hoisted(() => ({ service: undefined as unknown, options: undefined as unknown }))

vi.mock('electron', () => import('./fake-electron'))
vi.mock('../../../core/node', () => ({
  async createBertyService(options: CreateServiceOptions) {
    shared.options = options
    // Like the real node: the keystore asks for the wrapping key at start.
    const key = await options.encryptionKey.getKey()
    if (key.length !== 32) throw new Error('bad key')
    return shared.service
  }
}))

const INVITE = `berty://group#${'Q'.repeat(60)}`
const userData = mkdtempSync(join(tmpdir(), 'berty-main-wiring-'))
const xdg = mkdtempSync(join(tmpdir(), 'berty-main-xdg-'))
const autostart = join(xdg, 'autostart', 'berty-desktop.desktop')
let service: FixtureService
const saved = { BERTY_USER_DATA: process.env.BERTY_USER_DATA, XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME, APPIMAGE: process.env.APPIMAGE }

function mainWindow(): fake.BrowserWindow {
  const [win] = fake.BrowserWindow.getAllWindows()
  if (!win) throw new Error('no window')
  return win
}

function ipcCall(method: (typeof METHOD_NAMES)[number], params: unknown, frameUrl?: string): Promise<unknown> {
  const win = mainWindow()
  const handler = fake.ipcMain.handlers.get(ipcChannel(method))
  if (!handler) throw new Error(`no handler for ${method}`)
  const url = frameUrl ?? pathToFileURL(win.loaded!).href
  return handler({ senderFrame: { url, parent: null }, sender: { id: win.webContents.id } }, params)
}

function trayItem(label: RegExp): Record<string, unknown> {
  const item = fake.Tray.last?.menu?.template.find((i) => typeof i.label === 'string' && label.test(i.label))
  if (!item) throw new Error(`no tray item ${label}`)
  return item
}

beforeAll(async () => {
  service = createFixtureService()
  shared.service = service
  process.env.BERTY_USER_DATA = userData
  process.env.XDG_CONFIG_HOME = xdg
  process.env.APPIMAGE = '/opt/Berty.AppImage'
  const { startApp } = await import('../../../electron/main/app')
  startApp()
})

afterAll(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k]
    else process.env[k] = v
  }
  rmSync(userData, { recursive: true, force: true })
  rmSync(xdg, { recursive: true, force: true })
})

describe('electron main wiring', () => {
  it('before ready: userData from BERTY_USER_DATA, every IPC channel registered', () => {
    expect(fake.app.paths.get('userData')).toBe(userData)
    expect([...fake.ipcMain.handlers.keys()].sort()).toEqual(METHOD_NAMES.map(ipcChannel).sort())
    expect(fake.BrowserWindow.all).toHaveLength(0)
  })

  it('on ready: hardened session, a sandboxed window, the tray, berty:// registered', async () => {
    fake.app.becomeReady()
    await vi.waitFor(() => expect(fake.BrowserWindow.all).toHaveLength(1))
    const win = mainWindow()
    expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false })
    await vi.waitFor(() => expect(win.isVisible()).toBe(true))
    expect(win.webContents.openHandler?.({ url: 'https://example.org/' })).toEqual({ action: 'deny' })
    const s = fake.session.defaultSession
    expect(typeof s.headersListener).toBe('function')
    const answers: boolean[] = []
    const request = s.permissionRequest as (wc: unknown, p: string, cb: (ok: boolean) => void, d: { requestingUrl: string; isMainFrame: boolean }) => void
    const ours = { requestingUrl: pathToFileURL(win.loaded!).href, isMainFrame: true }
    request(win.webContents, 'notifications', (ok) => answers.push(ok), ours)
    request(win.webContents, 'clipboard-sanitized-write', (ok) => answers.push(ok), ours)
    request(win.webContents, 'clipboard-sanitized-write', (ok) => answers.push(ok), { ...ours, isMainFrame: false })
    request({ id: 999 }, 'clipboard-sanitized-write', (ok) => answers.push(ok), ours)
    expect(answers).toEqual([false, true, false, false])
    expect(fake.Tray.last).toBeDefined()
    expect(fake.app.protocolRegistered).toBe(true)
  })

  it('starts the node in <userData>/node with a keychain-sealed key, then reads settings', async () => {
    await vi.waitFor(() => expect(shared.options).toBeDefined())
    const options = shared.options as CreateServiceOptions
    expect(options.dataDir).toBe(join(userData, 'node'))
    await vi.waitFor(() => expect(existsSync(join(userData, 'node', 'keystore.key.safe'))).toBe(true))
    expect(existsSync(join(userData, 'node', 'key'))).toBe(false)
    await vi.waitFor(() => expect(service.callCount('settings:get')).toBeGreaterThan(0))
    await vi.waitFor(() => expect(trayItem(/^Online/)).toBeDefined())
    expect(trayItem(/background/)).toMatchObject({ checked: false, enabled: true })
  })

  it('IPC: our frame is served, a foreign frame is refused', async () => {
    expect(await ipcCall('group:get', { groupPk: KEY_A })).toMatchObject({ ok: true, value: { name: 'friends' } })
    expect(await ipcCall('group:get', { groupPk: KEY_A }, 'https://evil.example/')).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } })
  })

  it('settings:set from the renderer is applied by main (login item, tray)', async () => {
    expect(existsSync(autostart)).toBe(false)
    const res = await ipcCall('settings:set', { startAtLogin: true, keepRunningInBackground: true })
    expect(res).toMatchObject({ ok: true, value: { startAtLogin: true, keepRunningInBackground: true } })
    expect(readFileSync(autostart, 'utf8')).toContain('Exec=/opt/Berty.AppImage --hidden\n')
    expect(trayItem(/background/)).toMatchObject({ checked: true })
    expect(trayItem(/login/)).toMatchObject({ checked: true })
  })

  it('forwards node events to the window, and notifies only when it is not focused', async () => {
    const win = mainWindow()
    win.focus()
    service.emit('message:received', { groupPk: KEY_A, message: { ...sampleMessage, text: 'while looking' } })
    expect(win.webContents.sent.at(-1)).toEqual([IPC_EVENT_CHANNEL, { event: 'message:received', payload: expect.anything() }])
    fake.BrowserWindow.focused = null
    service.emit('message:received', { groupPk: KEY_A, message: { ...sampleMessage, text: 'x'.repeat(300) } })
    await vi.waitFor(() => expect(fake.Notification.shown).toHaveLength(1))
    const n = fake.Notification.shown[0]!
    expect(n.options.title).toBe('friends')
    expect(Array.from(n.options.body!)).toHaveLength(100)
  })

  it('closing the window keeps the node running in the background', () => {
    const win = mainWindow()
    win.close()
    expect(win.destroyed).toBe(false)
    expect(win.isVisible()).toBe(false)
    expect(fake.app.quitCalls).toBe(0)
    expect(service.stopped).toBe(false)
  })

  it('a deep link in a second instance asks, joins through the node and reveals the window', async () => {
    fake.dialog.answers.push(0)
    fake.app.emit('second-instance', {}, ['/opt/Berty.AppImage', '--no-sandbox', INVITE], '/')
    await vi.waitFor(() => expect(service.callCount('group:join')).toBe(1))
    expect(fake.dialog.boxes.at(-1)).toMatchObject({ message: expect.stringMatching(/Join a group/), defaultId: 1, cancelId: 1 })
    await vi.waitFor(() => expect(fake.Notification.shown.at(-1)?.options.title).toBe('Joined a group'))
    expect(mainWindow().isVisible()).toBe(true)
  })

  it('declined or invalid links join nothing', async () => {
    fake.dialog.answers.push(1)
    const boxes = fake.dialog.boxes.length
    fake.app.emit('open-url', { preventDefault() {} }, `${INVITE}Z`)
    await vi.waitFor(() => expect(fake.dialog.boxes.length).toBe(boxes + 1))
    fake.app.emit('open-url', { preventDefault() {} }, 'https://evil.example/#group')
    fake.app.emit('second-instance', {}, ['berty', 'berty://contact#abc'], '/')
    // Invalid links are refused synchronously in push(); an accepted one would reach the (timer-
    // free, promise-based) fake dialog within a few macrotask turns. Drain them, then check.
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r))
    expect(fake.dialog.boxes.length).toBe(boxes + 1)
    expect(service.callCount('group:join')).toBe(1)
  })

  it('tray toggles go through settings:set and are applied', async () => {
    const item = trayItem(/background/) as { click: (mi: { checked: boolean }) => void }
    item.click({ checked: false })
    await vi.waitFor(() => expect(trayItem(/background/)).toMatchObject({ checked: false }))
    expect(readFileSync(autostart, 'utf8')).toContain('Exec=/opt/Berty.AppImage\n')
  })

  it('a repair asked from the window relaunches the app once; the quit stops the node first, then exits 0 and releases IPC', async () => {
    // The node calls its host's restart after answering node:repair (core/node.ts); asked twice.
    const { restart } = shared.options as CreateServiceOptions
    restart!()
    restart!()
    expect(fake.app.relaunchCalls).toBe(1)
    expect(fake.app.quitCalls).toBe(1)
    expect(fake.app.exitCode).toBeUndefined()
    await vi.waitFor(() => expect(fake.app.exitCode).toBe(0))
    expect(service.stopped).toBe(true)
    expect(fake.ipcMain.handlers.size).toBe(0)
    expect(fake.Tray.last?.destroyed).toBe(true)
  })
})
