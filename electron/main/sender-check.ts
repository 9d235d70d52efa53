/**
 * Who may call the node over IPC. Pure (no electron import) so the rule is unit-tested.
 *
 * Trusted: the top-level frame of one of our windows, showing our renderer — the bundled
 * `out/renderer/index.html` (compared as a file URL, ignoring query and fragment) or, in
 * development, a page of the dev server's exact origin. Everything else is refused: iframes
 * (even same-origin ones: a framed page is not our UI), other windows and webContents
 * (devtools, a future help window), `about:blank`, `devtools://`, `chrome-error://`, and
 * any other URL. `will-navigate` is already blocked, but this check does not rely on it.
 */

export interface SenderInfo {
  /** URL of the frame that sent the message; undefined when the frame is gone. */
  frameUrl: string | undefined
  isMainFrame: boolean
  webContentsId: number
}

export interface TrustPolicy {
  /** Production: the file:// URL of `out/renderer/index.html`. */
  rendererFileUrl?: string
  /** Development: exact origins of the renderer dev server, e.g. `http://localhost:5173`. */
  allowedOrigins?: readonly string[]
  /** The webContents of our own windows; read at call time as windows come and go. */
  trustedWebContentsIds: ReadonlySet<number> | readonly number[]
}

function parse(url: string): URL | undefined {
  try {
    return new URL(url)
  } catch {
    return undefined
  }
}

/** `file:` URL without query and fragment, normalized by the URL parser. */
function fileDocument(url: URL): string {
  return `file://${url.host}${url.pathname}`
}

export function isTrustedSender(sender: SenderInfo, policy: TrustPolicy): boolean {
  const ids = policy.trustedWebContentsIds
  const idTrusted = ids instanceof Set ? ids.has(sender.webContentsId) : (ids as readonly number[]).includes(sender.webContentsId)
  if (!idTrusted || !sender.isMainFrame || !sender.frameUrl) return false

  const url = parse(sender.frameUrl)
  if (!url) return false
  if (url.protocol === 'file:') {
    if (!policy.rendererFileUrl) return false
    const expected = parse(policy.rendererFileUrl)
    return expected !== undefined && expected.protocol === 'file:' && fileDocument(url) === fileDocument(expected)
  }
  if (url.protocol === 'http:' || url.protocol === 'https:') {
    // url.origin drops userinfo and normalizes default ports, so a look-alike cannot match.
    return (policy.allowedOrigins ?? []).includes(url.origin)
  }
  return false
}
