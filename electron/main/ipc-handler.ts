/**
 * The logic of the IPC carrier without Electron, so it is tested in plain Node: check the
 * sender, then hand the call to the dispatcher, and answer with an envelope (Electron carries
 * only `error.message` of a thrown error across IPC, so errors travel as values).
 * `ipc.ts` binds these to `ipcMain`.
 */
import { IPC_EVENT_CHANNEL, type MethodName } from '../../core/api/channels'
import { ErrorCode, type Envelope } from '../../core/api/errors'
import type { Dispatcher } from '../../core/service/dispatch'
import type { Logger } from '../../core/log'
import type { BertyService } from '../../core/service/service'
import type { SenderInfo } from './sender-check'

/** The part of Electron's `WebFrameMain` the check reads. */
export interface IpcFrameLike {
  readonly url: string
  readonly parent: unknown
}

/** The part of Electron's `IpcMainInvokeEvent` the check reads. */
export interface IpcInvokeEventLike {
  readonly senderFrame: IpcFrameLike | null
  readonly sender: { readonly id: number }
}

export interface IpcHandlerDeps {
  dispatcher: Pick<Dispatcher, 'call'>
  isTrusted: (sender: SenderInfo) => boolean
  log?: Logger
}

export type IpcHandler = (event: IpcInvokeEventLike, params: unknown) => Promise<Envelope<unknown>>

/** What the sender check needs, read defensively: a destroyed frame throws on access. */
export function senderInfoOf(event: IpcInvokeEventLike): SenderInfo {
  let frameUrl: string | undefined
  let isMainFrame = false
  try {
    const frame = event.senderFrame
    if (frame) {
      frameUrl = frame.url
      isMainFrame = frame.parent === null
    }
  } catch {
    frameUrl = undefined
  }
  return { frameUrl, isMainFrame, webContentsId: event.sender.id }
}

export function makeIpcHandler(method: MethodName, deps: IpcHandlerDeps): IpcHandler {
  return async (event, params) => {
    const sender = senderInfoOf(event)
    if (!deps.isTrusted(sender)) {
      deps.log?.('warn', 'ipc: refused a call from an untrusted sender', {
        method,
        webContentsId: sender.webContentsId,
        isMainFrame: sender.isMainFrame,
        frameUrl: sender.frameUrl?.slice(0, 200)
      })
      return { ok: false, error: { code: ErrorCode.UNAUTHORIZED, message: 'unauthorized: this frame may not call the node' } }
    }
    // Dispatcher.call never throws; the guard keeps that promise even if a test double does.
    try {
      return await deps.dispatcher.call(method, params, { carrier: 'ipc' })
    } catch {
      return { ok: false, error: { code: ErrorCode.INTERNAL, message: 'internal error (see the node log)' } }
    }
  }
}

/** The part of Electron's `WebContents` event forwarding uses. */
export interface WebContentsLike {
  send(channel: string, ...args: unknown[]): void
  isDestroyed(): boolean
  once(event: 'destroyed', listener: () => void): unknown
}

/**
 * Pushes every node event to one window as `{ event, payload }` on the event channel; the
 * preload hands listeners the payload only. Stops by itself when the window goes away.
 */
export function forwardEvents(service: Pick<BertyService, 'onEvent'>, webContents: WebContentsLike): () => void {
  const unsubscribe = service.onEvent((event, payload) => {
    if (webContents.isDestroyed()) return
    webContents.send(IPC_EVENT_CHANNEL, { event, payload })
  })
  webContents.once('destroyed', unsubscribe)
  return unsubscribe
}
