// The desktop app itself, through Playwright's `_electron`: the built main process
// (`out/main/index.js`, `npm run build` first) hosting the node, the sandboxed renderer and its
// bridge, account creation through the UI, persistence across a restart, and "keep running in
// the background". Skipped — with the reason — where no Electron executable exists: the npm
// package ships only JavaScript, and `require('electron')` would try to download the binary.
// On a Linux machine without a display, run under xvfb-run.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test'
import { METHOD_NAMES } from '../../core/api/channels'
import { findElectronBinary } from '../../electron/find-binary'

const root = resolve(import.meta.dirname, '../..')
const MAIN = join(root, 'out/main/index.js')
const SHOTS = join(root, 'test-results/electron')
const binary = findElectronBinary(root)

interface Launched {
  app: ElectronApplication
  page: Page
  logs: string[]
}

async function launch(userData: string): Promise<Launched> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first`)
  if (!binary.found) throw new Error(binary.reason)
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'ELECTRON_RUN_AS_NODE') env[k] = v
  env.BERTY_USER_DATA = userData
  const app = await electron.launch({
    executablePath: binary.path,
    // Chromium refuses to run as root with its sandbox on (containers, CI).
    args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), MAIN],
    cwd: root,
    env
  })
  const logs: string[] = []
  app.process().stderr?.on('data', (chunk: Buffer) => logs.push(chunk.toString('utf8')))
  const page = await app.firstWindow()
  await page.waitForLoadState('domcontentloaded')
  return { app, page, logs }
}

/** Quits like the tray's "Quit Berty" and waits for the process: the node stops first. */
async function quit(app: ElectronApplication): Promise<number | null> {
  const proc = app.process()
  const exited = new Promise<number | null>((res) => {
    if (proc.exitCode !== null) res(proc.exitCode)
    else proc.once('exit', (code) => res(code))
  })
  await app.evaluate(({ app: electronApp }) => electronApp.quit()).catch(() => {})
  return exited
}

type Bridge = Record<string, (params?: unknown) => Promise<{ ok: boolean; value?: unknown }>> & {
  on(event: string, listener: (payload: unknown) => void): () => void
}

// The list reporter shows skips without their reason: say it once in the run's output.
if (!binary.found) console.warn(`[electron.spec] skipped: Electron binary absent: ${binary.reason}`)

test.describe('desktop app (Electron)', () => {
  test.skip(!binary.found, binary.found ? '' : `Electron binary absent: ${binary.reason}`)

  let userData: string
  const running: Launched[] = []

  test.beforeEach(() => {
    userData = mkdtempSync(join(tmpdir(), 'berty-electron-'))
    mkdirSync(SHOTS, { recursive: true })
  })
  test.afterEach(async () => {
    const testInfo = test.info()
    const failed = testInfo.status !== testInfo.expectedStatus
    for (const [i, launched] of running.splice(0).entries()) {
      if (launched.app.process().exitCode === null) await quit(launched.app)
      // Main's JSON log lines (never message text) are kept for a failed run.
      if (failed) await testInfo.attach(`main-process-${i + 1}.log`, { body: launched.logs.join(''), contentType: 'text/plain' })
    }
    if (failed) testInfo.annotations.push({ type: 'userData', description: userData })
    else rmSync(userData, { recursive: true, force: true })
  })

  test('boots sandboxed, creates an account through the UI and keeps it across a restart', async () => {
    const first = await launch(userData)
    running.push(first)
    const { page } = first

    await test.step('renderer has the bridge and nothing of Node or Electron', async () => {
      const probe = await page.evaluate(() => {
        const g = globalThis as unknown as Record<string, unknown>
        const berty = g.berty as Bridge | undefined
        let evalBlocked = false
        try {
          ;(0, eval)('1')
        } catch {
          evalBlocked = true
        }
        // With context isolation the preload's own Array.prototype is not the page's: poisoning
        // the page's cannot make the bridge accept an unknown event name.
        const includes = Array.prototype.includes
        Array.prototype.includes = () => true
        let isolated = false
        try {
          berty?.on('not-an-event', () => {})
        } catch {
          isolated = true
        } finally {
          Array.prototype.includes = includes
        }
        return {
          berty: typeof berty,
          frozen: berty ? Object.isFrozen(berty) : false,
          methods: berty ? Object.keys(berty).filter((k) => k.includes(':')).length : 0,
          require: typeof g.require,
          process: typeof g.process,
          module: typeof g.module,
          Buffer: typeof g.Buffer,
          ipcRenderer: typeof g.ipcRenderer,
          electron: typeof g.electron,
          evalBlocked,
          isolated
        }
      })
      expect(probe).toEqual({
        berty: 'object',
        frozen: true,
        methods: METHOD_NAMES.length,
        require: 'undefined',
        process: 'undefined',
        module: 'undefined',
        Buffer: 'undefined',
        ipcRenderer: 'undefined',
        electron: 'undefined',
        evalBlocked: true,
        isolated: true
      })
    })

    await test.step('the window runs with contextIsolation and sandbox', async () => {
      const prefs = await first.app.evaluate(({ BrowserWindow }) => {
        const wc = BrowserWindow.getAllWindows()[0]?.webContents as unknown as { getLastWebPreferences?: () => Record<string, unknown> | null }
        const p = wc?.getLastWebPreferences?.() ?? null
        return p && { contextIsolation: p.contextIsolation, sandbox: p.sandbox, nodeIntegration: p.nodeIntegration, webviewTag: p.webviewTag }
      })
      if (prefs === null) test.info().annotations.push({ type: 'note', description: 'getLastWebPreferences unavailable; renderer probes only' })
      else expect(prefs).toEqual({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false })
    })

    await test.step('create an account through the UI', async () => {
      await expect(page.getByTestId('onboarding')).toBeVisible()
      await page.getByTestId('onboarding-name').fill('Alice Desktop')
      await page.getByTestId('onboarding-submit').click()
      await expect(page.getByTestId('app')).toHaveAttribute('data-phase', 'ready')
      await page.screenshot({ path: join(SHOTS, 'home.png') })
    })

    await test.step('the node keeps its data under userData, with a protected key', async () => {
      expect(existsSync(join(userData, 'node', 'berty.sqlite'))).toBe(true)
      expect(existsSync(join(userData, 'node', 'keystore.key.safe')) || existsSync(join(userData, 'node', 'key'))).toBe(true)
    })

    await test.step('Quit stops the node and exits cleanly', async () => {
      expect(await quit(first.app)).toBe(0)
    })

    const second = await launch(userData)
    running.push(second)
    await test.step('a restart opens the same account (no onboarding)', async () => {
      await expect(second.page.getByTestId('app')).toHaveAttribute('data-phase', 'ready')
      await expect(second.page.getByTestId('onboarding')).toHaveCount(0)
      await second.page.screenshot({ path: join(SHOTS, 'restart.png') })
    })
  })

  test('closing the window keeps the node online when keepRunningInBackground is on', async () => {
    const launched = await launch(userData)
    running.push(launched)
    const { app, page } = launched
    await page.getByTestId('onboarding-name').fill('Bob')
    await page.getByTestId('onboarding-submit').click()
    await expect(page.getByTestId('app')).toHaveAttribute('data-phase', 'ready')

    const set = await page.evaluate(async () => {
      const berty = (globalThis as unknown as { berty: Bridge }).berty
      return berty['settings:set']!({ keepRunningInBackground: true })
    })
    expect(set).toMatchObject({ ok: true, value: { keepRunningInBackground: true } })

    await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.close())
    await expect
      .poll(() => app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().map((w) => w.isVisible())))
      .toEqual([false])
    expect(app.process().exitCode).toBeNull()
    expect(await quit(app)).toBe(0)
  })
})
