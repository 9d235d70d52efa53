/**
 * The Electron IPC carrier: the only file in electron/main that touches `ipcMain`. One
 * `handle` per contract method, each checking the sender before the dispatcher sees the call
 * (logic in `./ipc-handler`, testable without Electron).
 */
import { ipcMain } from 'electron'
import { METHOD_NAMES, ipcChannel } from '../../core/api/channels'
import { makeIpcHandler, type IpcHandlerDeps } from './ipc-handler'

export { forwardEvents } from './ipc-handler'

/** Registers every method's channel; returns the function that removes them again. */
export function registerIpcCarrier(deps: IpcHandlerDeps): () => void {
  const channels: string[] = []
  for (const method of METHOD_NAMES) {
    const channel = ipcChannel(method)
    const handler = makeIpcHandler(method, deps)
    ipcMain.handle(channel, (event, params: unknown) => handler(event, params))
    channels.push(channel)
  }
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel)
  }
}
