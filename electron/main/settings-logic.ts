/**
 * How the node's settings (`settings:get` / `settings:set`) drive the desktop shell, without
 * Electron: the dispatcher wrapper that lets main react to a successful `settings:set` from any
 * caller (renderer, tray), the login-item plan per platform, what closing the window does, and
 * the tray menu. `app.ts` and `tray.ts` apply the results.
 */
import type { SettingsT } from '../../core/api/contract'
import type { Envelope } from '../../core/api/errors'
import type { CallContext, Dispatcher } from '../../core/service/dispatch'
import type { Logger } from '../../core/log'

export type CallOnly = Pick<Dispatcher, 'call'>

/** Added to the login item's command line when the app should start in the tray only. */
export const HIDDEN_SWITCH = '--hidden'

/**
 * Wraps a dispatcher so that every successful `settings:set` (whoever called it) reports the new
 * settings to `onChange`. The caller's envelope is returned unchanged, even if `onChange` throws.
 */
export function withSettingsHook(inner: CallOnly, onChange: (settings: SettingsT) => void, log?: Logger): CallOnly {
  return {
    async call(method: unknown, params: unknown, ctx: CallContext): Promise<Envelope<unknown>> {
      const result = await inner.call(method, params, ctx)
      if (result.ok && (method === 'settings:set' || method === 'settings:get')) {
        try {
          onChange(result.value as SettingsT)
        } catch (err) {
          log?.('warn', 'applying settings failed', { error: err instanceof Error ? err.message : String(err) })
        }
      }
      return result
    }
  }
}

export interface LoginItemEnv {
  platform: NodeJS.Platform
  /** `app.isPackaged`: a development build must not register bare Electron at login. */
  packaged: boolean
  /** The executable to start: `process.env.APPIMAGE` for an AppImage, else `process.execPath`. */
  executable: string
}

export type LoginItemPlan =
  | { kind: 'electron'; settings: { openAtLogin: boolean; args: string[] } }
  | { kind: 'xdg-autostart'; entry: string | undefined }
  | { kind: 'unsupported'; reason: string }

/**
 * What "start at login" means here. macOS and Windows: `app.setLoginItemSettings` (with `--hidden`
 * when the app should come up in the tray only; Windows passes args, macOS ignores them).
 * Linux has no Electron API: an XDG autostart entry (`entry` undefined = remove it).
 */
export function loginItemPlan(settings: Pick<SettingsT, 'startAtLogin' | 'keepRunningInBackground'>, env: LoginItemEnv): LoginItemPlan {
  if (!env.packaged) return { kind: 'unsupported', reason: 'start at login applies to installed builds only' }
  const args = settings.keepRunningInBackground ? [HIDDEN_SWITCH] : []
  if (env.platform === 'darwin' || env.platform === 'win32') {
    return { kind: 'electron', settings: { openAtLogin: settings.startAtLogin, args } }
  }
  if (env.platform === 'linux' || env.platform === 'freebsd' || env.platform === 'openbsd') {
    return { kind: 'xdg-autostart', entry: settings.startAtLogin ? xdgAutostartEntry(env.executable, args) : undefined }
  }
  return { kind: 'unsupported', reason: `start at login is not supported on ${env.platform}` }
}

/** Quotes one Exec argument (Desktop Entry Specification, "The Exec key"). */
function quoteExecArg(arg: string): string {
  if (/[\n\r]/.test(arg)) throw new RangeError('an autostart argument cannot contain a line break')
  const escaped = arg.replace(/[\\"`$]/g, (c) => `\\${c}`).replace(/%/g, '%%')
  return /[\s"'\\`$<>~|&;*?#()%]/.test(arg) ? `"${escaped}"` : escaped
}

export function xdgAutostartEntry(executable: string, args: readonly string[]): string {
  const exec = [executable, ...args].map(quoteExecArg).join(' ')
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Berty',
    'Comment=Keeps your Berty node online',
    `Exec=${exec}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    ''
  ].join('\n')
}

/** Closing the window hides it while the node should keep running, unless the app is quitting. */
export function closeAction(state: { quitting: boolean; keepRunningInBackground: boolean }): 'hide' | 'close' {
  return !state.quitting && state.keepRunningInBackground ? 'hide' : 'close'
}

/** After the last window closed: quit (stopping the node) unless it should stay online. */
export function afterLastWindowClosed(state: { keepRunningInBackground: boolean }): 'stay' | 'quit' {
  return state.keepRunningInBackground ? 'stay' : 'quit'
}

export type TrayAction = 'open' | 'keepRunningInBackground' | 'startAtLogin' | 'quit'

export type TrayItem =
  | { type: 'normal'; action: 'open' | 'quit'; label: string }
  | { type: 'checkbox'; action: 'keepRunningInBackground' | 'startAtLogin'; label: string; checked: boolean; enabled: boolean }
  | { type: 'separator' }
  | { type: 'status'; label: string }

export interface TrayState {
  settings: SettingsT | undefined
  /** Node state for the status line. */
  node: 'starting' | 'online' | 'failed' | 'stopping'
  peers: number
  /** Groups whose logs this node holds and serves to the owner's other devices and members (0 while unknown). */
  serving?: number
  /** False in development builds (see {@link loginItemPlan}). */
  loginItemSupported: boolean
}

export function trayStatus(state: Pick<TrayState, 'node' | 'peers'> & { serving?: number; background?: boolean }): string {
  switch (state.node) {
    case 'starting':
      return 'Starting…'
    case 'failed':
      return 'Node failed to start'
    case 'stopping':
      return 'Stopping…'
    default: {
      const peers = state.peers === 1 ? '1 peer' : `${state.peers} peers`
      // Kept running in the background, the desktop is its owner's always-online replica.
      if (state.background === true && state.serving !== undefined) {
        return `Online, serving ${state.serving === 1 ? '1 group' : `${state.serving} groups`} · ${peers}`
      }
      return `Online · ${peers}`
    }
  }
}

export function trayMenuModel(state: TrayState): TrayItem[] {
  const known = state.settings !== undefined && state.node === 'online'
  return [
    { type: 'status', label: trayStatus({ ...state, background: state.settings?.keepRunningInBackground === true }) },
    { type: 'separator' },
    { type: 'normal', action: 'open', label: 'Open Berty' },
    {
      type: 'checkbox',
      action: 'keepRunningInBackground',
      label: 'Keep running in the background',
      checked: state.settings?.keepRunningInBackground ?? false,
      enabled: known
    },
    {
      type: 'checkbox',
      action: 'startAtLogin',
      label: 'Start at login',
      checked: state.settings?.startAtLogin ?? false,
      enabled: known && state.loginItemSupported
    },
    { type: 'separator' },
    { type: 'normal', action: 'quit', label: 'Quit Berty' }
  ]
}

export interface LaunchOptions {
  /** Absolute user-data directory from `BERTY_USER_DATA` or `--user-data-dir=`; undefined = Electron's. */
  userDataDir: string | undefined
  /** Started at login to sit in the tray. */
  hidden: boolean
}

/**
 * Reads the launch options main honours. `BERTY_USER_DATA` wins over `--user-data-dir=` (tests
 * and several side-by-side instances each get their own directory and single-instance lock).
 */
export function parseLaunchOptions(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, resolvePath: (p: string) => string): LaunchOptions {
  let userDataDir: string | undefined
  const fromEnv = env.BERTY_USER_DATA
  if (fromEnv && fromEnv.trim().length > 0) userDataDir = resolvePath(fromEnv)
  else {
    const flag = argv.find((a) => a.startsWith('--user-data-dir='))
    const value = flag?.slice('--user-data-dir='.length)
    if (value) userDataDir = resolvePath(value)
  }
  return { userDataDir, hidden: argv.includes(HIDDEN_SWITCH) }
}

/** `$XDG_CONFIG_HOME/autostart/berty-desktop.desktop` (XDG Autostart Specification). */
export function xdgAutostartPath(env: Readonly<Record<string, string | undefined>>, home: string, join: (...parts: string[]) => string): string {
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(home, '.config')
  return join(base, 'autostart', 'berty-desktop.desktop')
}
