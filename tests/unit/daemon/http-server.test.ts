import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { contentSecurityPolicy, safeSegments } from '../../../core/daemon/http-server'
import { startDaemon, type Daemon } from '../../../core/daemon/daemon'
import { createFixtureService } from './fixture-service'

interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** Raw request: the path goes on the wire exactly as written (no URL normalization). */
function get(origin: string, path: string, method = 'GET'): Promise<Reply> {
  const { hostname, port } = new URL(origin)
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, method }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }))
    })
    req.on('error', reject)
    req.end()
  })
}

const base = mkdtempSync(join(tmpdir(), 'berty-http-'))
const rendererDir = join(base, 'renderer')
writeFileSync(join(base, 'secret.txt'), 'TOP SECRET')
mkdirSync(join(rendererDir, 'assets'), { recursive: true })
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Berty</title>')
writeFileSync(join(rendererDir, 'assets', 'index-abc123.js'), 'console.log(1)')
writeFileSync(join(rendererDir, 'assets', 'index-abc123.css'), 'body{}')
writeFileSync(join(rendererDir, 'logo.svg'), '<svg/>')
symlinkSync(join(base, 'secret.txt'), join(rendererDir, 'leak.txt'))

let daemon: Daemon
let missing: Daemon
beforeAll(async () => {
  daemon = await startDaemon({ service: createFixtureService(), rendererDir })
  missing = await startDaemon({ service: createFixtureService(), rendererDir: join(base, 'not-built') })
})
afterAll(async () => {
  await daemon.close()
  await missing.close()
  rmSync(base, { recursive: true, force: true })
})

describe('daemon http: static renderer', () => {
  it('serves index.html at / with security headers', async () => {
    const res = await get(daemon.origin, '/')
    expect(res.status).toBe(200)
    expect(res.body).toContain('<title>Berty</title>')
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(res.headers['cache-control']).toBe('no-cache')
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.headers['referrer-policy']).toBe('no-referrer')
    const csp = String(res.headers['content-security-policy'])
    const port = new URL(daemon.origin).port
    expect(csp).toContain("default-src 'self'")
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${port}`)
    expect(csp).toContain("img-src 'self' data:")
    expect(csp).toContain("style-src 'self' 'unsafe-inline'")
    expect(csp).toContain("object-src 'none'")
    expect(csp).toContain("frame-ancestors 'none'")
  })

  it('serves assets with their content type; hashed assets are immutable', async () => {
    const js = await get(daemon.origin, '/assets/index-abc123.js')
    expect(js.status).toBe(200)
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(js.headers['cache-control']).toContain('immutable')
    expect((await get(daemon.origin, '/assets/index-abc123.css')).headers['content-type']).toBe('text/css; charset=utf-8')
    const svg = await get(daemon.origin, '/logo.svg?v=1')
    expect(svg.headers['content-type']).toBe('image/svg+xml')
    expect(svg.headers['cache-control']).toBe('no-cache')
  })

  it('HEAD has headers and no body; other methods are 405', async () => {
    const head = await get(daemon.origin, '/', 'HEAD')
    expect(head.status).toBe(200)
    expect(head.body).toBe('')
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0)
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) {
      const res = await get(daemon.origin, '/', method)
      expect(res.status, method).toBe(405)
      expect(res.headers.allow).toBe('GET, HEAD')
    }
  })

  it('refuses path traversal, raw or encoded, and symlinks out of the build', async () => {
    for (const path of [
      '/../secret.txt',
      '/..%2fsecret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/..%5csecret.txt',
      '/%2e%2e%5csecret.txt',
      '/index.html%00.js',
      '/%E0%A4%A',
      '/../package.json'
    ]) {
      const res = await get(daemon.origin, path)
      expect([400, 404], path).toContain(res.status)
      expect(res.body, path).not.toContain('TOP SECRET')
    }
    const link = await get(daemon.origin, '/leak.txt')
    expect(link.status).toBe(404)
    expect(link.body).not.toContain('TOP SECRET')
  })

  it('404 for unknown files and directories', async () => {
    expect((await get(daemon.origin, '/nope.js')).status).toBe(404)
    expect((await get(daemon.origin, '/assets')).status).toBe(404)
  })

  it('a missing build is a 503 page telling to run npm run build', async () => {
    const res = await get(missing.origin, '/')
    expect(res.status).toBe(503)
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(res.body).toContain('npm run build')
  })

  it('/healthz answers without auth and without secrets', async () => {
    for (const d of [daemon, missing]) {
      const res = await get(d.origin, '/healthz')
      expect(res.status).toBe(200)
      expect(JSON.parse(res.body)).toEqual({ ok: true })
      expect(res.body).not.toContain(d.token)
    }
  })

  it('plain GET /api asks for a WebSocket upgrade', async () => {
    expect((await get(daemon.origin, '/api')).status).toBe(426)
  })

  it('the UI url carries the token in the fragment only', () => {
    const ui = new URL(daemon.uiUrl)
    expect(ui.pathname).toBe('/')
    expect(ui.search).toBe('')
    expect(ui.hash).toBe(`#token=${daemon.token}`)
  })
})

describe('daemon http: helpers', () => {
  it('safeSegments', () => {
    expect(safeSegments('/a/./b//c.js?x=..')).toEqual({ ok: true, segments: ['a', 'b', 'c.js'] })
    expect(safeSegments('/a/%20b')).toEqual({ ok: true, segments: ['a', ' b'] })
    expect(safeSegments('/a/../b').ok).toBe(false)
    expect(safeSegments('a').ok).toBe(false)
  })

  it('CSP lists the ws origins of the daemon, leaving IPv6 literals to \'self\'', () => {
    const csp = contentSecurityPolicy(['http://127.0.0.1:1', 'http://[::1]:1'])
    expect(csp).toContain("connect-src 'self' ws://127.0.0.1:1;")
    expect(csp).not.toContain('[::1]')
  })
})
