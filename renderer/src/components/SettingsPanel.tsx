import type { SettingsT } from '../../../core/api'
import { shortKey } from '../store/groups'
import { useActions, useApp } from '../store/context'
import { ReplicaStatusCard } from './ReplicaStatusCard'
import { LinkedDevices } from './LinkedDevices'

interface SettingDef {
  key: keyof SettingsT
  testId: string
  label: string
  help: string
  desktopOnly: boolean
}

const SETTINGS: SettingDef[] = [
  {
    key: 'notifications',
    testId: 'setting-notifications',
    label: 'Notifications',
    help: 'Tell me when a message arrives while the window is in the background. The notification names the conversation, never the message.',
    desktopOnly: false
  },
  {
    key: 'keepRunningInBackground',
    testId: 'setting-keep-running',
    label: 'Keep running in the background',
    help: 'Closing the window keeps the node online in the tray, so your other devices and groups can sync through this computer.',
    desktopOnly: true
  },
  {
    key: 'startAtLogin',
    testId: 'setting-start-at-login',
    label: 'Start at login',
    help: 'Start Berty (in the background) when you log in to this computer.',
    desktopOnly: true
  }
]

export function SettingsPanel() {
  const settings = useApp((s) => s.settings)
  const account = useApp((s) => s.account)
  const carrier = useApp((s) => s.carrier)
  const saving = useApp((s) => 'settings:set' in s.pending)
  const actions = useActions()

  return (
    <section className="panel" data-testid="settings-panel" aria-labelledby="settings-title">
      <header className="panel-header">
        <h2 id="settings-title">Settings</h2>
        {saving && (
          <span className="muted small" role="status">
            Saving…
          </span>
        )}
      </header>

      <div className="card">
        <h3>Preferences</h3>
        {carrier === 'ws' && (
          <p className="notice" data-testid="settings-web-notice">
            You are using the web interface of a headless node. Settings marked “Desktop app only” are saved, but take
            effect only in the Berty desktop app.
          </p>
        )}
        {!settings ? (
          <p className="muted" role="status">
            <span className="spinner" aria-hidden="true" /> Loading settings…
          </p>
        ) : (
          <ul className="settings-list">
            {SETTINGS.map((def) => (
              <li key={def.key} className="setting">
                <div className="setting-text">
                  <label htmlFor={def.testId} className="setting-label">
                    {def.label}
                    {def.desktopOnly && <span className="tag">Desktop app only</span>}
                  </label>
                  <p id={`${def.testId}-help`} className="hint">
                    {def.help}
                  </p>
                </div>
                <input
                  id={def.testId}
                  type="checkbox"
                  role="switch"
                  className="switch"
                  data-testid={def.testId}
                  checked={settings[def.key]}
                  aria-describedby={`${def.testId}-help`}
                  onChange={(e) => {
                    const value = e.target.checked
                    if (def.key === 'notifications' && value) requestNotificationPermission(carrier)
                    void actions.updateSettings({ [def.key]: value })
                  }}
                />
              </li>
            ))}
          </ul>
        )}
      </div>

      {account && (
        <div className="card">
          <h3>Account</h3>
          <dl className="facts">
            <dt>Display name</dt>
            <dd data-testid="settings-display-name">{account.displayName}</dd>
            <dt>Account key</dt>
            <dd>
              <code className="mono selectable" title={account.accountPk}>
                {shortKey(account.accountPk)}
              </code>
            </dd>
            <dt>This device</dt>
            <dd>
              <code className="mono selectable" title={account.devicePk}>
                {shortKey(account.devicePk)}
              </code>
            </dd>
          </dl>
        </div>
      )}

      <ReplicaStatusCard />

      {account && <LinkedDevices />}
    </section>
  )
}

/** The web UI shows notifications itself; the desktop app's main process does it there. */
function requestNotificationPermission(carrier: 'ipc' | 'ws'): void {
  if (carrier !== 'ws' || typeof Notification === 'undefined') return
  if (Notification.permission === 'default') void Notification.requestPermission().catch(() => undefined)
}
