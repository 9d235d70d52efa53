/**
 * Session hardening rules, without Electron (applied by `security.ts`).
 *
 * - CSP header: the renderer's `<meta>` CSP already applies to `file://`; the header adds the
 *   directives a meta tag cannot carry (`frame-ancestors`) and keeps the policy even if the meta
 *   tag is lost. Applied to our own `file://` responses only: the development server needs Vite's
 *   inline preamble, and other origins are never loaded. Under Electron the renderer talks over
 *   IPC, so `connect-src` allows no WebSocket.
 * - Permissions: none, except writing text to the clipboard (the invite dialog's Copy button) for
 *   the top frame of our own renderer. Notifications come from main (`Notification`), not the page.
 */

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
  "worker-src 'none'"
].join('; ')

export type ResponseHeaders = Record<string, string[] | string>

/** The response headers to use for `url`: ours get the CSP (replacing any other), others unchanged. */
export function withCspHeader(url: string, headers: ResponseHeaders | undefined): ResponseHeaders | undefined {
  if (!url.startsWith('file:')) return headers
  const out: ResponseHeaders = {}
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() !== 'content-security-policy') out[name] = value
  }
  out['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY]
  return out
}

const RENDERER_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write'])

/** `fromOurRenderer`: the request comes from the top frame of our window showing our renderer. */
export function permissionAllowed(permission: string, fromOurRenderer: boolean): boolean {
  return fromOurRenderer && RENDERER_PERMISSIONS.has(permission)
}
