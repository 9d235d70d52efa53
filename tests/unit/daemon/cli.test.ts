import { spawn } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { parseCliArgs } from '../../../core/daemon/cli-args'
import { TOKEN_PATTERN, generateToken, isLoopbackHost, ownOrigins } from '../../../core/daemon/daemon'
import { loadOrCreateToken } from '../../../core/daemon/token-file'
import { freePort } from '../../support/daemon-process'

const root = resolve(fileURLToPath(new URL('../../..', import.meta.url)))
const cli = join(root, 'core/daemon/cli.ts')
const tmp = mkdtempSync(join(tmpdir(), 'berty-cli-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

function runCli(args: string[]): { child: ReturnType<typeof spawn>; exit: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const exit = new Promise<{ code: number | null; stdout: string; stderr: string }>((res) => child.on('close', (code) => res({ code, stdout, stderr })))
  return { child, exit }
}

describe('cli arguments', () => {
  it('parses a full command line', () => {
    const r = parseCliArgs(['--data', 'd', '--api-port', '4242', '--listen', '/ip4/0.0.0.0/tcp/0', '--listen', '/ip4/0.0.0.0/tcp/0/ws', '--bootstrap', '/dns4/x/tcp/1', '--token-file', 't'])
    expect(r).toEqual({
      kind: 'run',
      options: {
        dataDir: 'd',
        apiPort: 4242,
        apiHost: '127.0.0.1',
        apiHostExplicit: false,
        listen: ['/ip4/0.0.0.0/tcp/0', '/ip4/0.0.0.0/tcp/0/ws'],
        bootstrap: ['/dns4/x/tcp/1'],
        relays: [],
        tokenFile: 't'
      }
    })
    expect(parseCliArgs(['--data', 'd', '--api-host', '0.0.0.0'])).toMatchObject({ options: { apiHost: '0.0.0.0', apiHostExplicit: true } })
    expect(parseCliArgs(['-h'])).toEqual({ kind: 'help' })
  })

  it('parses --link and --accept-fingerprint (issue 12)', () => {
    const fp = 'ABCD 0123 '.repeat(5).trim()
    expect(parseCliArgs(['--data', 'd', '--link', 'BERTY://DL/X', '--accept-fingerprint', fp])).toMatchObject({
      kind: 'run',
      options: { link: { url: 'BERTY://DL/X', acceptFingerprint: fp } }
    })
    const plain = parseCliArgs(['--data', 'd'])
    expect(plain.kind === 'run' && plain.options.link).toBeUndefined()
  })

  it('rejects bad command lines', () => {
    for (const argv of [
      [],
      ['--data'],
      ['--data', 'd', '--bogus'],
      ['--data', 'd', 'positional'],
      ['--data', 'd', '--api-port', '70000'],
      ['--data', 'd', '--api-port', '-1'],
      ['--data', 'd', '--api-port', '12x'],
      ['--data', 'd', '--api-host', 'a b'],
      ['--data', 'd', '--listen', 'tcp/0'],
      ['--data', 'd', '--bootstrap', 'x'],
      ['--data', 'd', '--token-file', ''],
      ['--data', 'd', '--accept-fingerprint', 'ABCD'.repeat(10)],
      ['--data', 'd', '--link', 'x', '--accept-fingerprint', 'nothex'],
      ['--data', 'd', '--link', ' ']
    ]) {
      expect(parseCliArgs(argv).kind, argv.join(' ')).toBe('error')
    }
  })

  it('bad arguments: usage on stderr, nothing on stdout, exit 2', async () => {
    const { exit } = runCli(['--data', join(tmp, 'x'), '--nope'])
    const r = await exit
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain('usage: npm run headless')
    expect(existsSync(join(tmp, 'x'))).toBe(false)
  })
})

describe('daemon helpers', () => {
  it('tokens are 32 random bytes in base64url', () => {
    const a = generateToken()
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(TOKEN_PATTERN.test(a)).toBe(true)
    expect(generateToken()).not.toBe(a)
  })

  it('loopback detection and own origins', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) expect(isLoopbackHost(h), h).toBe(true)
    for (const h of ['0.0.0.0', '::', '192.168.1.2', 'example.com']) expect(isLoopbackHost(h), h).toBe(false)
    expect(ownOrigins('127.0.0.1', 80)).toEqual(expect.arrayContaining(['http://127.0.0.1:80', 'http://localhost:80', 'http://[::1]:80']))
    expect(ownOrigins('192.168.1.2', 80)).toEqual(['http://192.168.1.2:80'])
  })
})

describe('token file', () => {
  it('creates a 0600 token file once and reuses it', () => {
    const f = join(tmp, 'token')
    const a = loadOrCreateToken(f)
    expect(TOKEN_PATTERN.test(a)).toBe(true)
    if (process.platform !== 'win32') expect(statSync(f).mode & 0o777).toBe(0o600)
    expect(loadOrCreateToken(f)).toBe(a)
    expect(readFileSync(f, 'utf8').trim()).toBe(a)
  })

  it.skipIf(process.platform === 'win32')('refuses a readable-by-others file, a symlink, and bad content', () => {
    const open = join(tmp, 'open-token')
    writeFileSync(open, `${generateToken()}\n`, { mode: 0o644 })
    chmodSync(open, 0o644)
    expect(() => loadOrCreateToken(open)).toThrow(/group or others/)
    const link = join(tmp, 'link-token')
    symlinkSync(join(tmp, 'token'), link)
    expect(() => loadOrCreateToken(link)).toThrow(/symbolic link/)
    const bad = join(tmp, 'bad-token')
    writeFileSync(bad, 'short secret value\n', { mode: 0o600 })
    expect(() => loadOrCreateToken(bad)).toThrow(/22 to 256/)
    expect(() => loadOrCreateToken(bad)).not.toThrow(/short secret/)
  })
})

// End to end: ready line, then a clean stop on SIGTERM.
describe('cli end to end', () => {
  it('prints one ready line, keeps the token off stderr, stops on SIGTERM with exit 0', async () => {
    const dataDir = join(tmp, 'node-data')
    const { child, exit } = runCli(['--data', dataDir, '--listen', '/ip4/127.0.0.1/tcp/0'])
    const lines = createInterface({ input: child.stdout! })
    const first = await new Promise<string>((res) => lines.once('line', res))
    const ready = JSON.parse(first) as Record<string, unknown>
    expect(ready).toMatchObject({ event: 'ready', api: expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+\/api$/), peerId: expect.any(String) })
    expect(ready.ui).toBe(`${String(ready.api).replace(/^ws/, 'http').replace(/\/api$/, '/')}#token=${String(ready.token)}`)
    if (process.platform !== 'win32') expect(statSync(dataDir).mode & 0o777).toBe(0o700)
    child.kill('SIGTERM')
    const r = await exit
    expect(r.code).toBe(0)
    expect(r.stdout.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).not.toContain(String(ready.token))
  })

  it('a second daemon on a taken API port says which port and how to choose another', async () => {
    const port = String(await freePort())
    const first = runCli(['--data', join(tmp, 'port-a'), '--api-port', port, '--listen', '/ip4/127.0.0.1/tcp/0'])
    await new Promise<string>((res) => createInterface({ input: first.child.stdout! }).once('line', res))
    const second = await runCli(['--data', join(tmp, 'port-b'), '--api-port', port, '--listen', '/ip4/127.0.0.1/tcp/0']).exit
    expect(second.code).toBe(1)
    const line = JSON.parse(second.stderr.trim().split('\n').at(-1)!) as { msg: string; hint: string }
    expect(line.msg).toBe('failed to start')
    expect(line.hint).toBe(
      `127.0.0.1:${port} is already in use by another program (another Berty node?): stop it, or choose another port (the headless node's API: --api-port or BERTY_API_PORT)`
    )
    first.child.kill('SIGTERM')
    expect((await first.exit).code).toBe(0)
  }, 60_000)

  it('refuses a second daemon on the same data directory, and starts again once the first one is gone (even after kill -9)', async () => {
    const dataDir = join(tmp, 'locked-data')
    const first = runCli(['--data', dataDir, '--listen', '/ip4/127.0.0.1/tcp/0'])
    await new Promise<string>((res) => createInterface({ input: first.child.stdout! }).once('line', res))
    const second = await runCli(['--data', dataDir, '--listen', '/ip4/127.0.0.1/tcp/0']).exit
    expect(second.code).toBe(1)
    expect(second.stdout).toBe('')
    expect(second.stderr).toMatch(/ERR_LOCKED|in use by another Berty process/)
    // The line says what to do, naming the directory (describeStartFailure).
    expect(JSON.parse(second.stderr.trim().split('\n').at(-1)!)).toMatchObject({
      msg: 'failed to start',
      hint: `${dataDir} is in use by another Berty process (a headless node or another copy of the app): stop it, then start again`
    })
    // A crash leaves no stale lock: the OS drops it with the process.
    first.child.kill('SIGKILL')
    await first.exit
    const third = runCli(['--data', dataDir, '--listen', '/ip4/127.0.0.1/tcp/0'])
    const line = await new Promise<string>((res) => createInterface({ input: third.child.stdout! }).once('line', res))
    expect(JSON.parse(line)).toMatchObject({ event: 'ready' })
    third.child.kill('SIGTERM')
    expect((await third.exit).code).toBe(0)
  }, 60_000)
})
