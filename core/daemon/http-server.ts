/**
 * The daemon's HTTP side: serves the built renderer (the same bundle Electron loads) and a
 * health probe. Read-only: GET and HEAD only, nothing under the renderer directory is
 * writable from here, and no response carries a secret (the token reaches the browser in
 * the URL fragment, which browsers never send to the server).
 *
 * Path handling works on the raw request path, not on a `URL` object: WHATWG URL parsing
 * silently folds `/../` and `%2e%2e` away, which would hide a traversal attempt instead of
 * refusing it. After decoding, any `..` segment, backslash or NUL is a 400, and the
 * resolved real path must still lie inside the real renderer directory (symlinks included).
 */
import { createReadStream } from 'node:fs'
import { realpath, stat } from 'node:fs/promises'
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http'
import { extname, join, resolve, sep } from 'node:path'
import type { Logger } from '../log'
import { API_PATH } from './ws-carrier'

export interface HttpHandlerOptions {
  /** Directory of the built renderer (`out/renderer`). */
  rendererDir: string
  /**
   * The daemon's own http origins (`http://host:port`), known once it listens; used for the
   * CSP `connect-src` so the page may open the WebSocket API and nothing else.
   */
  origins: () => readonly string[]
  log?: Logger
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.webmanifest': 'application/manifest+json'
}

export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream'
}

export function contentSecurityPolicy(origins: readonly string[]): string {
  // CSP2 browsers do not match ws: against 'self', so the API origins are listed explicitly.
  // IPv6 literals are not valid CSP host-sources (Chromium logs an error and ignores them);
  // CSP3 browsers match ws: of the page's own host against 'self', which covers [::1].
  const ws = origins.filter((o) => !o.includes('[')).map((o) => o.replace(/^http:/, 'ws:').replace(/^https:/, 'wss:'))
  return [
    "default-src 'self'",
    `connect-src 'self' ${ws.join(' ')}`.trim(),
    "img-src 'self' data:",
    "style-src 'self' 'unsafe-inline'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'"
  ].join('; ')
}

type PathResult = { ok: true; segments: string[] } | { ok: false; status: 400 }

/** Decodes and checks the request path; `..`, `\`, NUL and bad escapes are refused. */
export function safeSegments(rawUrl: string): PathResult {
  const rawPath = rawUrl.split(/[?#]/, 1)[0] ?? ''
  if (!rawPath.startsWith('/')) return { ok: false, status: 400 }
  const segments: string[] = []
  for (const raw of rawPath.split('/')) {
    let seg: string
    try {
      seg = decodeURIComponent(raw)
    } catch {
      return { ok: false, status: 400 }
    }
    // A decoded '/' means the client hid a separator in an escape (`..%2f`): refuse it too.
    if (seg === '..' || seg.includes('/') || seg.includes('\\') || seg.includes('\0')) return { ok: false, status: 400 }
    if (seg === '' || seg === '.') continue
    segments.push(seg)
  }
  return { ok: true, segments }
}

const MISSING_BUILD_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Berty: UI not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1>The Berty UI is not built</h1>
<p>The node is running and its API is up, but there is no renderer build to serve.</p>
<p>Run <code>npm run build</code> in the project directory, then reload this page.</p>
</body></html>
`

export function createHttpHandler(options: HttpHandlerOptions): RequestListener {
  const log: Logger = options.log ?? (() => {})
  const root = resolve(options.rendererDir)

  const setSecurityHeaders = (res: ServerResponse): void => {
    res.setHeader('Content-Security-Policy', contentSecurityPolicy(options.origins()))
    res.setHeader('X-Content-Type-Options', 'nosniff')
    res.setHeader('Referrer-Policy', 'no-referrer')
    res.setHeader('X-Frame-Options', 'DENY')
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin')
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin')
  }

  const sendText = (req: IncomingMessage, res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void => {
    res.statusCode = status
    res.setHeader('Content-Type', type)
    res.setHeader('Content-Length', Buffer.byteLength(body))
    res.setHeader('Cache-Control', 'no-store')
    res.end(req.method === 'HEAD' ? undefined : body)
  }

  /** Real path of `p` if it exists as a file inside the real root, else undefined. */
  const fileInside = async (realRoot: string, p: string): Promise<{ path: string; size: number } | undefined> => {
    try {
      const real = await realpath(p)
      if (real !== realRoot && !real.startsWith(realRoot + sep)) return undefined
      const st = await stat(real)
      return st.isFile() ? { path: real, size: st.size } : undefined
    } catch {
      return undefined
    }
  }

  const serveStatic = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const checked = safeSegments(req.url ?? '/')
    if (!checked.ok) return sendText(req, res, checked.status, 'Bad Request\n')

    let realRoot: string
    try {
      realRoot = await realpath(root)
    } catch {
      realRoot = ''
    }
    const index = realRoot ? await fileInside(realRoot, join(realRoot, 'index.html')) : undefined
    if (!index) {
      res.setHeader('Retry-After', '30')
      return sendText(req, res, 503, MISSING_BUILD_PAGE, 'text/html; charset=utf-8')
    }

    const file = checked.segments.length === 0 ? index : await fileInside(realRoot, join(realRoot, ...checked.segments))
    if (!file) return sendText(req, res, 404, 'Not Found\n')

    res.statusCode = 200
    res.setHeader('Content-Type', contentTypeOf(file.path))
    res.setHeader('Content-Length', file.size)
    // Vite names everything under assets/ by content hash: cache those forever, revalidate the rest.
    const immutable = checked.segments[0] === 'assets' && checked.segments.length > 1
    res.setHeader('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
    if (req.method === 'HEAD') {
      res.end()
      return
    }
    const stream = createReadStream(file.path)
    stream.on('error', (err) => {
      log('warn', 'http: read failed', { error: err.message })
      res.destroy()
    })
    stream.pipe(res)
  }

  return (req, res) => {
    setSecurityHeaders(res)
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD')
      return sendText(req, res, 405, 'Method Not Allowed\n')
    }
    const path = (req.url ?? '/').split(/[?#]/, 1)[0]
    if (path === '/healthz') return sendText(req, res, 200, '{"ok":true}\n', 'application/json; charset=utf-8')
    if (path === API_PATH) {
      res.setHeader('Upgrade', 'websocket')
      return sendText(req, res, 426, 'Upgrade Required: the API speaks JSON-RPC over WebSocket\n')
    }
    serveStatic(req, res).catch((err: unknown) => {
      log('error', 'http: request failed', { error: err instanceof Error ? err.message : String(err) })
      if (!res.headersSent) sendText(req, res, 500, 'Internal Server Error\n')
      else res.destroy()
    })
  }
}
