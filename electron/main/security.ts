/**
 * Session-wide hardening (rules in `./security-logic`): a CSP header on our `file://` responses,
 * every permission refused but clipboard writes from our own renderer, and for every webContents
 * ever created (including ones we did not make on purpose): no new windows, no webviews, no
 * navigation.
 */
import { app, session, type WebContents } from 'electron'
import { permissionAllowed, withCspHeader } from './security-logic'
import type { SenderInfo } from './sender-check'

export function hardenSession(isTrusted: (sender: SenderInfo) => boolean): void {
  const ours = (contents: WebContents | null, url: string | undefined, isMainFrame: boolean): boolean =>
    contents !== null && isTrusted({ frameUrl: url, isMainFrame, webContentsId: contents.id })
  const ses = session.defaultSession
  if (!process.env.ELECTRON_RENDERER_URL) {
    ses.webRequest.onHeadersReceived((details, callback) => {
      const responseHeaders = withCspHeader(details.url, details.responseHeaders)
      callback(responseHeaders ? { responseHeaders } : {})
    })
  }
  ses.setPermissionRequestHandler((contents, permission, callback, details) =>
    callback(permissionAllowed(permission, ours(contents, details.requestingUrl, details.isMainFrame)))
  )
  ses.setPermissionCheckHandler((contents, permission, _origin, details) =>
    permissionAllowed(permission, ours(contents, details.requestingUrl, details.isMainFrame))
  )
  ses.setDevicePermissionHandler(() => false)

  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }))
    contents.on('will-attach-webview', (event) => event.preventDefault())
    contents.on('will-navigate', (event) => event.preventDefault())
  })
}
