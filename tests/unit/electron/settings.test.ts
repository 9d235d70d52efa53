import { join, posix } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { SettingsT } from '../../../core/api/contract'
import { Dispatcher } from '../../../core/service/dispatch'
import {
  HIDDEN_SWITCH,
  afterLastWindowClosed,
  closeAction,
  loginItemPlan,
  parseLaunchOptions,
  trayMenuModel,
  trayStatus,
  withSettingsHook,
  xdgAutostartEntry,
  xdgAutostartPath,
  type LoginItemEnv
} from '../../../electron/main/settings-logic'
import { KEY_A, createFixtureService } from '../daemon/fixture-service'

const defaults: SettingsT = { notifications: true, keepRunningInBackground: false, startAtLogin: false }
const ctx = { carrier: 'ipc' as const }

describe('withSettingsHook', () => {
  const setup = (onChange?: (s: SettingsT) => void) => {
    const service = createFixtureService()
    const applied: SettingsT[] = []
    const logs: unknown[] = []
    const hooked = withSettingsHook(
      new Dispatcher(service.handlers),
      onChange ?? ((s) => applied.push(s)),
      (...args) => logs.push(args)
    )
    return { hooked, applied, logs }
  }

  it('reports the settings after a successful settings:set (and settings:get)', async () => {
    const { hooked, applied } = setup()
    const res = await hooked.call('settings:set', { startAtLogin: true, keepRunningInBackground: true }, ctx)
    expect(res).toEqual({ ok: true, value: { notifications: true, keepRunningInBackground: true, startAtLogin: true } })
    expect(applied).toEqual([{ notifications: true, keepRunningInBackground: true, startAtLogin: true }])
    await hooked.call('settings:get', {}, ctx)
    expect(applied).toHaveLength(2)
  })

  it('does nothing for failed calls or other methods', async () => {
    const { hooked, applied } = setup()
    expect(await hooked.call('settings:set', { startAtLogin: 'yes' }, ctx)).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS' } })
    expect(await hooked.call('settings:set', { bogus: true }, ctx)).toMatchObject({ ok: false })
    expect(await hooked.call('group:get', { groupPk: KEY_A }, ctx)).toMatchObject({ ok: true })
    expect(applied).toEqual([])
  })

  it("returns the caller's envelope even when applying throws", async () => {
    const { hooked, logs } = setup(() => {
      throw new Error('registry locked')
    })
    expect(await hooked.call('settings:set', { notifications: false }, ctx)).toMatchObject({ ok: true, value: { notifications: false } })
    expect(logs).toMatchObject([['warn', 'applying settings failed', { error: 'registry locked' }]])
  })
})

describe('loginItemPlan', () => {
  const env = (platform: NodeJS.Platform, packaged = true): LoginItemEnv => ({ platform, packaged, executable: '/opt/Berty/berty' })

  it('macOS and Windows use Electron login items; --hidden only when staying in the background', () => {
    expect(loginItemPlan({ startAtLogin: true, keepRunningInBackground: true }, env('win32'))).toEqual({
      kind: 'electron',
      settings: { openAtLogin: true, args: [HIDDEN_SWITCH] }
    })
    expect(loginItemPlan({ startAtLogin: true, keepRunningInBackground: false }, env('darwin'))).toEqual({
      kind: 'electron',
      settings: { openAtLogin: true, args: [] }
    })
    expect(loginItemPlan({ startAtLogin: false, keepRunningInBackground: true }, env('win32'))).toMatchObject({
      settings: { openAtLogin: false }
    })
  })

  it('Linux writes or removes an XDG autostart entry', () => {
    const on = loginItemPlan({ startAtLogin: true, keepRunningInBackground: true }, env('linux'))
    expect(on.kind).toBe('xdg-autostart')
    if (on.kind === 'xdg-autostart') expect(on.entry).toContain('Exec=/opt/Berty/berty --hidden\n')
    expect(loginItemPlan({ startAtLogin: false, keepRunningInBackground: true }, env('linux'))).toEqual({ kind: 'xdg-autostart', entry: undefined })
  })

  it('development builds never register a login item', () => {
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      expect(loginItemPlan({ startAtLogin: true, keepRunningInBackground: false }, env(platform, false)).kind).toBe('unsupported')
    }
    expect(loginItemPlan({ startAtLogin: true, keepRunningInBackground: false }, env('aix')).kind).toBe('unsupported')
  })
})

describe('xdg autostart', () => {
  it('quotes and escapes Exec arguments per the Desktop Entry spec', () => {
    expect(xdgAutostartEntry('/home/a b/Berty.AppImage', [])).toContain('Exec="/home/a b/Berty.AppImage"\n')
    expect(xdgAutostartEntry('/x/$HOME"`\\100%', [])).toContain('Exec="/x/\\$HOME\\"\\`\\\\100%%"\n')
    expect(() => xdgAutostartEntry('/x\nExec=evil', [])).toThrow(RangeError)
    const entry = xdgAutostartEntry('/opt/Berty/berty', [HIDDEN_SWITCH])
    expect(entry.startsWith('[Desktop Entry]\nType=Application\n')).toBe(true)
  })

  it('lives under XDG_CONFIG_HOME (absolute only) or ~/.config', () => {
    expect(xdgAutostartPath({ XDG_CONFIG_HOME: '/cfg' }, '/home/a', posix.join)).toBe('/cfg/autostart/berty-desktop.desktop')
    expect(xdgAutostartPath({ XDG_CONFIG_HOME: 'relative' }, '/home/a', posix.join)).toBe('/home/a/.config/autostart/berty-desktop.desktop')
    expect(xdgAutostartPath({}, '/home/a', posix.join)).toBe('/home/a/.config/autostart/berty-desktop.desktop')
  })
})

describe('window close and quit', () => {
  it('closing hides the window only while the node should stay online and the app is not quitting', () => {
    expect(closeAction({ quitting: false, keepRunningInBackground: true })).toBe('hide')
    expect(closeAction({ quitting: false, keepRunningInBackground: false })).toBe('close')
    expect(closeAction({ quitting: true, keepRunningInBackground: true })).toBe('close')
    expect(afterLastWindowClosed({ keepRunningInBackground: true })).toBe('stay')
    expect(afterLastWindowClosed({ keepRunningInBackground: false })).toBe('quit')
  })
})

describe('tray menu', () => {
  it('reflects the settings and disables toggles until the node answers', () => {
    const online = trayMenuModel({ settings: { ...defaults, keepRunningInBackground: true }, node: 'online', peers: 3, loginItemSupported: true })
    expect(online[0]).toEqual({ type: 'status', label: 'Online · 3 peers' })
    expect(online.find((i) => i.type === 'checkbox' && i.action === 'keepRunningInBackground')).toMatchObject({ checked: true, enabled: true })
    expect(online.find((i) => i.type === 'checkbox' && i.action === 'startAtLogin')).toMatchObject({ checked: false, enabled: true })
    expect(online.at(-1)).toEqual({ type: 'normal', action: 'quit', label: 'Quit Berty' })

    const starting = trayMenuModel({ settings: undefined, node: 'starting', peers: 0, loginItemSupported: true })
    for (const item of starting) if (item.type === 'checkbox') expect(item.enabled).toBe(false)
    const dev = trayMenuModel({ settings: defaults, node: 'online', peers: 0, loginItemSupported: false })
    expect(dev.find((i) => i.type === 'checkbox' && i.action === 'startAtLogin')).toMatchObject({ enabled: false })
  })

  it('status lines', () => {
    expect(trayStatus({ node: 'online', peers: 1 })).toBe('Online · 1 peer')
    expect(trayStatus({ node: 'starting', peers: 0 })).toBe('Starting…')
    expect(trayStatus({ node: 'failed', peers: 0 })).toMatch(/failed/)
    // Kept running in the background, it says how many groups it serves as its owner's replica.
    expect(trayStatus({ node: 'online', peers: 2, serving: 5, background: true })).toBe('Online, serving 5 groups · 2 peers')
    expect(trayStatus({ node: 'online', peers: 1, serving: 1, background: true })).toBe('Online, serving 1 group · 1 peer')
    expect(trayStatus({ node: 'online', peers: 2, serving: 5, background: false })).toBe('Online · 2 peers')
  })
})

describe('parseLaunchOptions', () => {
  const res = (p: string) => join('/base', p)
  it('BERTY_USER_DATA wins over --user-data-dir=; --hidden is read', () => {
    expect(parseLaunchOptions(['electron', '.', '--user-data-dir=/a'], { BERTY_USER_DATA: 'b' }, res)).toEqual({
      userDataDir: join('/base', 'b'),
      hidden: false
    })
    expect(parseLaunchOptions(['electron', '--user-data-dir=/a', HIDDEN_SWITCH], {}, res)).toEqual({ userDataDir: join('/base', '/a'), hidden: true })
    expect(parseLaunchOptions(['electron', '.'], { BERTY_USER_DATA: '  ' }, res)).toEqual({ userDataDir: undefined, hidden: false })
    expect(parseLaunchOptions(['electron', '--user-data-dir='], {}, res).userDataDir).toBeUndefined()
  })
})
