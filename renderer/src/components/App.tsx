import { useEffect, useMemo } from 'react'
import { listedGroups } from '../store/groups'
import { useActions, useApp } from '../store/context'
import { ChatView } from './ChatView'
import { ContactScreen } from './ContactScreen'
import { ContactsPanel } from './ContactsPanel'
import { ConnectionBanner } from './ConnectionBanner'
import { NetworkPanel } from './NetworkPanel'
import { Onboarding } from './Onboarding'
import { RepairButton, RepairOutcome } from './Repair'
import { SettingsPanel } from './SettingsPanel'
import { Sidebar } from './Sidebar'
import { Toasts } from './Toasts'

export function App({ hasToken }: { hasToken: boolean }) {
  const phase = useApp((s) => s.phase)
  const actions = useActions()

  useEffect(() => {
    const update = () => actions.setVisible(document.visibilityState === 'visible' && document.hasFocus())
    update()
    document.addEventListener('visibilitychange', update)
    window.addEventListener('focus', update)
    window.addEventListener('blur', update)
    return () => {
      document.removeEventListener('visibilitychange', update)
      window.removeEventListener('focus', update)
      window.removeEventListener('blur', update)
    }
  }, [actions])

  useUnreadTitle()

  return (
    <div className="app" data-testid="app" data-phase={phase}>
      <ConnectionBanner hasToken={hasToken} />
      <DamagedBanner />
      <RepairOutcome />
      {phase === 'starting' && <Starting />}
      {phase === 'failed' && <StartFailed />}
      {phase === 'unauthorized' && <Unauthorized />}
      {phase === 'onboarding' && <Onboarding />}
      {phase === 'ready' && <Shell />}
      <Toasts />
    </div>
  )
}

function useUnreadTitle() {
  const groups = useApp((s) => s.groups)
  const unread = useMemo(() => listedGroups(groups).reduce((n, g) => n + g.unread, 0), [groups])
  useEffect(() => {
    document.title = unread > 0 ? `(${unread}) Berty` : 'Berty'
  }, [unread])
}

function Shell() {
  const view = useApp((s) => s.view)
  return (
    <div className="shell">
      <Sidebar />
      <main className="main-pane">
        {view.kind === 'chat' && <ChatView key={view.groupPk} groupPk={view.groupPk} />}
        {view.kind === 'network' && <NetworkPanel />}
        {view.kind === 'settings' && <SettingsPanel />}
        {view.kind === 'contacts' && <ContactsPanel />}
        {view.kind === 'contact' && <ContactScreen key={view.accountPk} accountPk={view.accountPk} />}
        {view.kind === 'home' && <Home />}
      </main>
    </div>
  )
}

function Home() {
  const name = useApp((s) => s.account?.displayName)
  return (
    <div className="home" data-testid="home">
      <h2>Hello{name ? `, ${name}` : ''}</h2>
      <p className="muted">Pick a conversation on the left, create a group, join one with an invitation link, or add a contact in Contacts.</p>
    </div>
  )
}

function Starting() {
  const bootError = useApp((s) => s.bootError)
  const actions = useActions()
  return (
    <main className="center-screen" data-testid="starting">
      <div className="card narrow">
        <div className="brand-mark" aria-hidden="true">
          B
        </div>
        <p role="status">
          <span className="spinner" aria-hidden="true" /> Starting Berty…
        </p>
        {bootError && (
          <div className="form-error" role="alert" data-testid="boot-error">
            {bootError}{' '}
            <button type="button" className="btn small" onClick={() => void actions.boot()}>
              Try again
            </button>
          </div>
        )}
      </div>
    </main>
  )
}

/** The node found its database damaged (node:damaged): stays until the app is quit, the line says what to do. */
function DamagedBanner() {
  const damaged = useApp((s) => s.damaged)
  if (!damaged) return null
  return (
    <div className="connection-banner damaged-banner" role="alert" data-testid="data-damaged">
      <span className="dot" aria-hidden="true" />
      <span className="banner-text">{damaged[0]!.toUpperCase() + damaged.slice(1)}.</span>
      <RepairButton />
    </div>
  )
}

function StartFailed() {
  const why = useApp((s) => s.bootError)
  const damaged = useApp((s) => s.bootErrorCode === 'DATA_DAMAGED')
  return (
    <main className="center-screen" data-testid="start-failed">
      <div className="card narrow" role="alert">
        <h1>Berty could not start</h1>
        <p data-testid="start-failed-reason">{why}</p>
        {damaged ? (
          <p>
            <RepairButton />
          </p>
        ) : (
          <p className="muted">Your data was left as it is. Once this is fixed, quit Berty and start it again.</p>
        )}
      </div>
    </main>
  )
}

function Unauthorized() {
  return (
    <main className="center-screen" data-testid="unauthorized">
      <div className="card narrow" role="alert">
        <h1>Access token missing or wrong</h1>
        <p>
          This page talks to a headless Berty node that only answers the holder of its access token. Open the exact
          address the node printed when it started (it ends with <code>#token=…</code>).
        </p>
      </div>
    </main>
  )
}
