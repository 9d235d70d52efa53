/**
 * Sandboxed preload (CommonJS, bundled with no dependency but 'electron').
 *
 * Exposes `window.berty`: one function per API method, generated from the contract's
 * method list, plus `on(event, listener)`. The renderer never sees `ipcRenderer`:
 * every function below forwards exactly one channel, and event listeners receive the
 * payload only (never the IPC event object, which would leak `sender`).
 */
import { contextBridge, ipcRenderer } from 'electron'
import { EVENT_NAMES, IPC_EVENT_CHANNEL, METHOD_NAMES, ipcChannel } from '../../core/api/channels'

type Listener = (payload: unknown) => void

const listeners = new Map<string, Set<Listener>>()

ipcRenderer.on(IPC_EVENT_CHANNEL, (_event, message: unknown) => {
  if (typeof message !== 'object' || message === null) return
  const { event, payload } = message as { event?: unknown; payload?: unknown }
  if (typeof event !== 'string') return
  for (const listener of listeners.get(event) ?? []) {
    try {
      listener(payload)
    } catch (err) {
      console.error('berty: event listener failed', err)
    }
  }
})

const bridge: Record<string, unknown> = {}
for (const method of METHOD_NAMES) {
  bridge[method] = (params: unknown) => ipcRenderer.invoke(ipcChannel(method), params ?? {})
}
bridge.on = (event: string, listener: Listener): (() => void) => {
  if (!(EVENT_NAMES as readonly string[]).includes(event)) throw new TypeError(`unknown event ${event}`)
  if (typeof listener !== 'function') throw new TypeError('listener must be a function')
  let set = listeners.get(event)
  if (!set) listeners.set(event, (set = new Set()))
  set.add(listener)
  return () => set.delete(listener)
}

contextBridge.exposeInMainWorld('berty', Object.freeze(bridge))
