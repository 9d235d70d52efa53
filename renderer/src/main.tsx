import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { createBrowserClient } from './api/client'
import { App } from './components/App'
import { createAppStore } from './store/app-store'
import { StoreProvider } from './store/context'
import { ReplicationProvider } from './store/replication-context'
import { createReplicationStore } from './store/replication-store'
import { ContactsProvider } from './store/contacts-context'
import { createContactsStore } from './store/contacts-store'
import { groupTitle } from './store/groups'
import './styles.css'

const { client, hasToken } = createBrowserClient()

const store = createAppStore(client, {
  visible: document.visibilityState === 'visible',
  onIncoming(groupPk, _message, state) {
    // The desktop app's main process notifies; in a browser the page does, without content.
    if (state.carrier !== 'ws' || !state.settings?.notifications) return
    if (document.visibilityState === 'visible' && document.hasFocus()) return
    if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return
    const group = state.groups.find((g) => g.groupPk === groupPk)
    const n = new Notification('Berty', { body: `New message in ${group ? groupTitle(group) : 'a conversation'}`, tag: groupPk })
    n.onclick = () => {
      window.focus()
      store.getState().actions.openGroup(groupPk)
      n.close()
    }
  }
})
store.getState().actions.start()
const replication = createReplicationStore(client)
const contacts = createContactsStore(client, window.localStorage)
contacts.getState().actions.start()

const root = document.getElementById('root')
if (!root) throw new Error('missing #root')
createRoot(root).render(
  <StrictMode>
    <StoreProvider store={store}>
      <ReplicationProvider store={replication}>
        <ContactsProvider store={contacts}>
          <App hasToken={hasToken} />
        </ContactsProvider>
      </ReplicationProvider>
    </StoreProvider>
  </StrictMode>
)
