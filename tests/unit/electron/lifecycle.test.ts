import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { inflateSync } from 'node:zlib'
import BetterSqlite3 from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { Dispatcher } from '../../../core/service/dispatch'
import { createQuitGuard, deferredDispatcher } from '../../../electron/main/lifecycle-logic'
import { CONTENT_SECURITY_POLICY, permissionAllowed, withCspHeader } from '../../../electron/main/security-logic'
import type { CallOnly } from '../../../electron/main/settings-logic'
import { createFixtureService } from '../daemon/fixture-service'

const ctx = { carrier: 'ipc' as const }

describe('deferredDispatcher', () => {
  it('holds calls until the node is up, then forwards them', async () => {
    const service = createFixtureService()
    let resolve!: (d: CallOnly) => void
    const deferred = deferredDispatcher(new Promise<CallOnly>((r) => (resolve = r)))
    const pending = deferred.call('settings:get', {}, ctx)
    let settled = false
    void pending.then(() => (settled = true))
    // Every pending microtask and timer-free continuation runs before this turn ends.
    await new Promise((r) => setImmediate(r))
    expect(settled).toBe(false)
    resolve(new Dispatcher(service.handlers))
    expect(await pending).toMatchObject({ ok: true, value: { notifications: true } })
  })

  it('answers START_FAILED with why when the node failed to start (no unhandled rejection)', async () => {
    const deferred = deferredDispatcher(Promise.reject(new Error('keychain locked')))
    expect(await deferred.call('node:info', {}, ctx)).toEqual({ ok: false, error: { code: 'START_FAILED', message: 'the node failed to start (see the log)' } })
    const described = deferredDispatcher(Promise.reject(new Error('keychain locked')), (err) => `why: ${(err as Error).message}`)
    expect(await described.call('node:info', {}, ctx)).toEqual({ ok: false, error: { code: 'START_FAILED', message: 'why: keychain locked' } })
  })

  it('a start that failed on a damaged database answers DATA_DAMAGED, and node:repair asks for the repair and restarts', async () => {
    // SQLite's own error for a file that is not a database, as the node's start meets it.
    const dir = mkdtempSync(join(tmpdir(), 'lifecycle-'))
    const file = join(dir, 'berty.sqlite')
    writeFileSync(file, randomBytes(8192))
    let damage: unknown
    try {
      new BetterSqlite3(file).pragma('schema_version')
    } catch (err) {
      damage = err
    }
    rmSync(dir, { recursive: true })
    expect(damage).toMatchObject({ code: 'SQLITE_NOTADB' })
    const calls: string[] = []
    const repair = { request: () => void calls.push('request'), restart: () => void calls.push('restart') }
    const failed = deferredDispatcher(Promise.reject(damage), () => 'damaged, repair it', repair)
    expect(await failed.call('group:list', {}, ctx)).toEqual({ ok: false, error: { code: 'DATA_DAMAGED', message: 'damaged, repair it' } })
    expect(await failed.call('node:repair', { extra: 1 }, ctx)).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS' } })
    expect(calls).toEqual([])
    expect(await failed.call('node:repair', {}, ctx)).toEqual({ ok: true, value: { restarting: true } })
    // The answer goes out before the restart.
    expect(calls).toEqual(['request'])
    await new Promise((r) => setTimeout(r, 100))
    expect(calls).toEqual(['request', 'restart'])

    // Any other failure is not the repair's: node:repair is answered like every call.
    const other = deferredDispatcher(Promise.reject(new Error('keychain locked')), () => 'why', repair)
    expect(await other.call('node:repair', {}, ctx)).toEqual({ ok: false, error: { code: 'START_FAILED', message: 'why' } })
    expect(calls).toEqual(['request', 'restart'])
  })
})

describe('createQuitGuard', () => {
  const flush = () => new Promise((r) => setTimeout(r, 0))

  it('cancels the first quit, stops the node once, then lets the quit through', async () => {
    let stops = 0
    let release!: () => void
    const done: number[] = []
    const guard = createQuitGuard({
      stop: () => {
        stops++
        return new Promise<void>((r) => (release = r))
      },
      done: (code) => done.push(code)
    })
    expect(guard.quitting).toBe(false)
    expect(guard.beforeQuit()).toBe(false)
    expect(guard.quitting).toBe(true)
    // Quit pressed again while stopping: still cancelled, no second stop.
    expect(guard.beforeQuit()).toBe(false)
    expect(stops).toBe(1)
    expect(done).toEqual([])
    release()
    await flush()
    expect(done).toEqual([0])
    expect(guard.stopped).toBe(true)
    // The app.quit() from done() fires before-quit again: now it proceeds.
    expect(guard.beforeQuit()).toBe(true)
    expect(stops).toBe(1)
  })

  it('a failed stop still quits, with code 1', async () => {
    const done: number[] = []
    const logs: string[] = []
    const guard = createQuitGuard({
      stop: async () => {
        throw new Error('flush failed')
      },
      done: (code) => done.push(code),
      log: (_l, msg) => logs.push(msg)
    })
    guard.beforeQuit()
    await flush()
    expect(done).toEqual([1])
    expect(logs).toContain('stopping the node failed')
  })

  it('a hung stop is cut short by the timeout', async () => {
    const done: number[] = []
    let fire: (() => void) | undefined
    const guard = createQuitGuard({
      stop: () => new Promise<void>(() => {}),
      done: (code) => done.push(code),
      timeoutMs: 1234,
      setTimer: (fn, ms) => {
        expect(ms).toBe(1234)
        fire = fn
        return undefined
      }
    })
    guard.beforeQuit()
    await flush()
    expect(done).toEqual([])
    fire?.()
    expect(done).toEqual([1])
    expect(guard.beforeQuit()).toBe(true)
  })
})

describe('session hardening', () => {
  it('adds the CSP to our file:// responses only, replacing any other', () => {
    const out = withCspHeader('file:///opt/berty/out/renderer/index.html', { 'content-security-policy': ['default-src *'], 'X-A': ['1'] })
    expect(out).toEqual({ 'X-A': ['1'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] })
    const untouched = { a: ['b'] }
    expect(withCspHeader('https://example.org/', untouched)).toBe(untouched)
    expect(withCspHeader('file:///x', undefined)).toEqual({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] })
  })

  it('the policy forbids remote code, framing and plugins, and the renderer meta CSP is no looser', () => {
    for (const d of ["script-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'none'", "connect-src 'self'"]) {
      expect(CONTENT_SECURITY_POLICY).toContain(d)
    }
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|\*/)
    const html = readFileSync(fileURLToPath(new URL('../../../renderer/index.html', import.meta.url)), 'utf8')
    expect(html).toMatch(/Content-Security-Policy/)
    expect(html).toContain("script-src 'self'")
  })

  it('denies every permission but clipboard writes from our own renderer', () => {
    for (const p of ['notifications', 'media', 'geolocation', 'clipboard-read', 'openExternal', 'fullscreen', 'unknown']) {
      expect(permissionAllowed(p, true), p).toBe(false)
    }
    expect(permissionAllowed('clipboard-sanitized-write', true)).toBe(true)
    expect(permissionAllowed('clipboard-sanitized-write', false)).toBe(false)
  })
})

/** Decodes enough PNG to prove a file is a real, intact image of the expected size. */
function readPng(path: string): { width: number; height: number; colorType: number; pixels: Buffer } {
  const buf = readFileSync(path)
  expect(buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true)
  let off = 8
  let width = 0
  let height = 0
  let colorType = -1
  const idat: Buffer[] = []
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    return c >>> 0
  })
  const crc = (b: Buffer) => {
    let c = 0xffffffff
    for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8)
    return (c ^ 0xffffffff) >>> 0
  }
  for (;;) {
    const len = buf.readUInt32BE(off)
    const type = buf.subarray(off + 4, off + 8).toString('ascii')
    const data = buf.subarray(off + 8, off + 8 + len)
    expect(buf.readUInt32BE(off + 8 + len), `${type} crc`).toBe(crc(buf.subarray(off + 4, off + 8 + len)))
    if (type === 'IHDR') {
      width = data.readUInt32BE(0)
      height = data.readUInt32BE(4)
      colorType = data[9]!
    } else if (type === 'IDAT') idat.push(data)
    off += 12 + len
    if (type === 'IEND') break
  }
  return { width, height, colorType, pixels: inflateSync(Buffer.concat(idat)) }
}

describe('icons', () => {
  const resource = (name: string) => fileURLToPath(new URL(`../../../resources/${name}`, import.meta.url))
  it.each([
    ['icon.png', 512],
    ['tray.png', 32],
    ['tray@2x.png', 64]
  ])('%s is a valid %i×%i RGBA PNG with transparency and content', (name, size) => {
    const png = readPng(resource(name))
    expect([png.width, png.height, png.colorType]).toEqual([size, size, 6])
    expect(png.pixels.length).toBe(size * (size * 4 + 1))
    const alpha = (x: number, y: number) => png.pixels[y * (size * 4 + 1) + 1 + x * 4 + 3]!
    expect(alpha(0, 0)).toBe(0) // transparent corner
    let opaque = 0
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) if (alpha(x, y) === 255) opaque++
    expect(opaque / (size * size)).toBeGreaterThan(0.25)
  })

  it('electron-builder uses resources/icon.png and ships the runtime icons', () => {
    const yml = readFileSync(fileURLToPath(new URL('../../../electron-builder.yml', import.meta.url)), 'utf8')
    expect(yml.match(/icon: resources\/icon\.png/g)?.length).toBe(3)
    for (const f of ['resources/icon.png', 'resources/tray.png', 'resources/tray@2x.png']) expect(yml).toContain(`- ${f}`)
  })
})
