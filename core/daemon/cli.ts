/**
 * `npm run headless -- --data DIR …`: the same node as the desktop app, without Electron,
 * serving its UI and the WebSocket API (the always-online replica, CI, browsers).
 *
 * stdout carries exactly one line, the JSON ready line, so a supervisor or a test can read
 * the API address and token from it; everything else goes to stderr as JSON lines, and the
 * token appears nowhere but in that ready line. A node whose database file is damaged prints
 * `{"event":"damaged",…}` instead (with the same address, token and the hint) and serves the
 * window for its Repair button; once repaired and started, the ready line follows.
 */
import '../polyfills'
import { chmodSync, mkdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Logger } from '../log'
import type { BertyService } from '../service/service'
import type { BleDriver } from '../net/ble/driver'
import { USAGE, parseCliArgs, type CliOptions } from './cli-args'
import { isLoopbackHost, startDaemon, type Daemon } from './daemon'
import { loadOrCreateToken } from './token-file'
import { jsonLineLogger } from '../service/log'
import { describeStartFailure } from '../service/start-failure'
import { isDatabaseDamaged } from '../storage/errors'

const RENDERER_DIR = fileURLToPath(new URL('../../out/renderer', import.meta.url))
/** A stop that hangs (a stuck dial, a wedged flush) must not keep the process alive forever. */
const SHUTDOWN_TIMEOUT_MS = 30_000

const log: Logger = jsonLineLogger

// Libraries may print with console.log; route it to stderr so stdout stays one parseable line.
console.log = console.error
console.info = console.error
console.debug = console.error


function prepareDataDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const st = statSync(dir)
  if (!st.isDirectory()) throw new Error(`--data ${dir} is not a directory`)
  // The key file lives here; an existing directory readable by others is tightened, not trusted.
  if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
    chmodSync(dir, 0o700)
    log('warn', 'data directory was accessible by group or others; changed its mode to 0700', { dataDir: dir })
  }
}

async function run(options: CliOptions): Promise<void> {
  const live: { service?: BertyService; daemon?: Daemon } = {}
  let stopping = false
  let starting: Promise<void> = Promise.resolve()

  const stopAll = async (): Promise<number> => {
    let code = 0
    try {
      await live.daemon?.close()
    } catch (err) {
      code = 1
      log('error', 'closing the API failed', { error: String(err) })
    }
    try {
      // Flushes the database and the logs: the reason a signal is not a plain exit.
      await live.service?.stop()
    } catch (err) {
      code = 1
      log('error', 'stopping the node failed', { error: String(err) })
    }
    return code
  }

  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) {
      log('warn', 'second signal: exiting without a clean stop', { signal })
      process.exit(1)
    }
    stopping = true
    log('info', 'stopping', { signal })
    setTimeout(() => {
      log('error', 'stop timed out; exiting', { timeoutMs: SHUTDOWN_TIMEOUT_MS })
      process.exit(1)
    }, SHUTDOWN_TIMEOUT_MS).unref()
    // A node half-way through starting is stopped once it exists, not abandoned mid-write.
    await starting.catch(() => {})
    const code = await stopAll()
    log('info', 'stopped', { code })
    process.exit(code)
  }
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void shutdown(signal))

  // The node started again in this process (a repair asked from the window runs at its start), on
  // the same port with the same token: open windows reconnect to it as after a dropped socket.
  let restarting = false
  let printedReady = false
  const restart = (): void => {
    if (stopping || restarting || !live.daemon) return
    restarting = true
    const again = { port: live.daemon.port, token: live.daemon.token }
    log('info', 'restarting the node', {})
    starting = (async () => {
      await starting.catch(() => {})
      const code = await stopAll()
      if (code !== 0) throw new Error('the node did not stop cleanly')
      live.daemon = undefined
      live.service = undefined
      if (stopping) return
      await bringUp({ ...options, apiPort: again.port }, again.token)
    })()
    starting.then(
      () => {
        restarting = false
      },
      (err: unknown) => {
        log('error', 'failed to start again', {
          error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
          hint: describeStartFailure(err, resolve(options.dataDir))
        })
        process.exit(1)
      }
    )
  }

  /**
   * Starts the node; a node whose database file is damaged is not the end of the process: the
   * window is served with that failure and its Repair button (failed-service.ts), one
   * `{"event":"damaged"}` line on stdout in place of the ready line, and a repair starts the node again.
   */
  const bringUp = async (opts: CliOptions, token?: string): Promise<void> => {
    try {
      await start(opts, live, () => stopping, { restart, ...(token !== undefined ? { token } : {}), again: printedReady })
      printedReady = true
    } catch (err) {
      if (!stopping) await stopAll()
      live.daemon = undefined
      live.service = undefined
      if (stopping || !isDatabaseDamaged(err)) throw err
      await serveDamaged(opts, err, token)
    }
  }

  const serveDamaged = async (opts: CliOptions, err: unknown, token?: string): Promise<void> => {
    const dataDir = resolve(opts.dataDir)
    const hint = describeStartFailure(err, dataDir)
    log('error', 'failed to start', { error: err instanceof Error ? `${err.name}: ${err.message}` : String(err), hint })
    const { createFailedService } = await import('../service/failed-service')
    const service = createFailedService({ dataDir, reason: hint, restart })
    live.service = service
    const daemon = await startDaemon({
      service,
      apiHost: opts.apiHost,
      apiPort: opts.apiPort,
      rendererDir: RENDERER_DIR,
      token: token ?? (opts.tokenFile ? loadOrCreateToken(resolve(opts.tokenFile)) : undefined),
      log
    })
    live.daemon = daemon
    log('info', 'serving the window to repair the database', { ui: daemon.origin })
    if (!printedReady) process.stdout.write(`${JSON.stringify({ event: 'damaged', api: daemon.url, token: daemon.token, ui: daemon.uiUrl, hint })}\n`)
  }

  starting = bringUp(options)
  try {
    await starting
  } catch (err) {
    if (!stopping) await stopAll()
    throw err
  }
}

interface StartAs {
  restart: () => void
  /** The token of the run before a restart (the windows hold it). */
  token?: string
  /** A restart: the ready line was printed already (stdout carries exactly one). */
  again?: boolean
}

async function start(options: CliOptions, live: { service?: BertyService; daemon?: Daemon }, stopping: () => boolean, as: StartAs): Promise<void> {
  const dataDir = resolve(options.dataDir)
  prepareDataDir(dataDir)
  const token = as.token ?? (options.tokenFile ? loadOrCreateToken(resolve(options.tokenFile)) : undefined)

  if (!isLoopbackHost(options.apiHost)) {
    log('warn', 'the API and UI are reachable from the network over plain ws:// and http://; anyone who obtains the token controls this node', {
      apiHost: options.apiHost
    })
  }

  // Loaded after argument checks so `--help` and usage errors answer instantly.
  const { fileKeyProvider } = await import('../storage/keystore')
  const { createBertyNode } = await import('../node')
  // BLE (issue 14): a missing adapter or permission is a status line, never a failed start.
  let ble: BleDriver | undefined
  let bleUnavailable: BleDriver | undefined
  if (options.ble != null) {
    const { createBleDriver } = await import('../net/ble/from-spec')
    ble = await createBleDriver(options.ble, { log })
    const status = ble.status()
    if (status.state !== 'ready') {
      log('warn', 'ble: radio not available; continuing without it', { driver: ble.name, ...status })
      bleUnavailable = ble
      ble = undefined
    }
  }
  if (options.noIp && ble == null) throw new Error('--listen none: the BLE radio is not available, so this node could reach no one')
  // Discovery on by default (LAN and the private DHT): an invitation link is enough to meet. The
  // user's stored reach settings (Network panel) are merged in by the node.
  const reachSettings = {
    serveRendezvous: options.reach?.serveRendezvous === true,
    relay: options.reach?.relay === true,
    rendezvousServers: options.reach?.rendezvous ?? [],
    // Bench only (bench/idle.ts): the idle cadences as before issue 8, for a same-run baseline.
    ...(process.env.BERTY_BENCH_IDLE_BASELINE === '1' ? { legacyIdle: true } : {})
  }
  const service = await createBertyNode({
    dataDir,
    encryptionKey: fileKeyProvider(join(dataDir, 'key')),
    // No --listen means the node's defaults (all interfaces, ephemeral ports), not "none".
    ...(options.listen.length > 0 ? { listen: options.listen } : {}),
    ...(ble != null ? { ble } : {}),
    ...(bleUnavailable != null ? { bleUnavailable } : {}),
    ...(options.noIp ? { ip: false } : {}),
    bootstrap: options.bootstrap,
    ...(options.relays.length > 0 ? { relays: options.relays } : {}),
    reachSettings,
    ...(options.replicationServer ? { replicationServer: { limits: replicaLimits(options.replicationServer) } } : {}),
    ...(options.replicaDevice ? { replicaDevice: true, replicationServer: { limits: replicaLimits(options.replicaDevice) } } : {}),
    restart: as.restart,
    log
  })
  live.service = service
  if (stopping()) return

  const daemon = await startDaemon({
    service,
    apiHost: options.apiHost,
    apiPort: options.apiPort,
    rendererDir: RENDERER_DIR,
    token,
    log
  })
  live.daemon = daemon
  if (stopping()) return
  if (as.again) {
    log('info', 'started again', { api: daemon.url, ui: daemon.origin })
    return
  }
  log('info', 'ready', { api: daemon.url, ui: daemon.origin, rendererDir: RENDERER_DIR })
  const ready = {
    event: 'ready',
    ...(options.replicationServer ? { replicationServer: true } : {}),
    api: daemon.url,
    token: daemon.token,
    ui: daemon.uiUrl,
    peerId: service.peerId(),
    addrs: service.addrs(),
    ...(options.ble != null ? { ble: ble?.status() ?? { state: 'unsupported' } } : {})
  }
  process.stdout.write(`${JSON.stringify(ready)}\n`)
  if (options.link) await linkAtStart(service, { ...options.link, ...(options.replicaDevice ? { role: 'replica' as const } : {}) })
}

/**
 * `--link URL [--accept-fingerprint HEX]` (spec "Linking Devices"): reach the inviting device and run its
 * challenge. Progress goes to the log (stdout keeps its one line); a PIN is typed through the API
 * (`device:challenge:answer`), the scripted fingerprint challenge completes by itself.
 */
async function linkAtStart(service: BertyService, link: NonNullable<CliOptions['link']> & { role?: 'replica' }): Promise<void> {
  const { Dispatcher } = await import('../service/dispatch')
  const dispatcher = new Dispatcher(service.handlers, log)
  service.onEvent((event, payload) => {
    if (event === 'device:linked') log('info', 'linking: linked to the account', { devicePk: (payload as { devicePk: string }).devicePk })
    if (event === 'device:failed') log('error', 'linking: failed', { reason: (payload as { message: string }).message })
  })
  const res = await dispatcher.call('device:link', { link: link.url, ...(link.acceptFingerprint ? { acceptFingerprint: link.acceptFingerprint } : {}), ...(link.role ? { role: link.role } : {}) }, { carrier: 'internal' })
  if (!res.ok) {
    log('error', 'linking: could not link', { code: res.error.code, reason: res.error.message })
    return
  }
  const challenge = res.value as { kind: string; fingerprint: string }
  if (challenge.kind === 'pin') log('info', 'linking: type the PIN shown on the other device (API device:challenge:answer)', {})
  else if (challenge.kind === 'qr') log('info', 'linking: scan or paste this fingerprint on the other device', { fingerprint: challenge.fingerprint })
  else log('info', 'linking: confirm on the other device that it shows this fingerprint', { fingerprint: challenge.fingerprint })
}

function replicaLimits(cli: NonNullable<CliOptions['replicationServer']>): Record<string, number> {
  return {
    ...(cli.maxTotalBytes !== undefined ? { maxTotalBytes: cli.maxTotalBytes } : {}),
    ...(cli.maxGroupBytes !== undefined ? { maxGroupBytes: cli.maxGroupBytes } : {}),
    ...(cli.maxGroups !== undefined ? { maxGroups: cli.maxGroups } : {})
  }
}

/** `--issue-token` / `--revoke-token` / `--repair`: one JSON line on stdout, then exit (1 on failure). */
async function oneShot(run: () => Promise<Record<string, unknown>>): Promise<void> {
  try {
    process.stdout.write(`${JSON.stringify(await run())}\n`)
    process.exit(0)
  } catch (err) {
    log('error', 'command failed', { error: err instanceof Error ? err.message : String(err) })
    process.exit(1)
  }
}

const parsed = parseCliArgs(process.argv.slice(2))
if (parsed.kind === 'issue-token' || parsed.kind === 'revoke-token') {
  const dataDir = resolve(parsed.options.dataDir)
  prepareDataDir(dataDir)
  const { issueTokenCommand, revokeTokenCommand } = await import('./token-cli')
  await oneShot(() =>
    parsed.kind === 'issue-token' ? issueTokenCommand({ ...parsed.options, dataDir }) : revokeTokenCommand({ ...parsed.options, dataDir })
  )
} else if (parsed.kind === 'repair') {
  const dataDir = resolve(parsed.options.dataDir)
  const [{ repairDatabase }, { DATABASE_FILE }] = await Promise.all([import('../storage'), import('../node')])
  await oneShot(async () => {
    const report = repairDatabase(join(dataDir, DATABASE_FILE))
    if (report.repaired) log('info', 'repaired the database', { lost: report.tables.filter((t) => t.damaged).map((t) => t.name), keptAt: report.keptAt })
    return { event: 'repair', ...report }
  })
} else if (parsed.kind === 'help') {
  process.stderr.write(`${USAGE}\n`)
  process.exit(0)
} else if (parsed.kind === 'error') {
  process.stderr.write(`berty headless: ${parsed.message}\n\n${USAGE}\n`)
  process.exit(2)
} else {
  run(parsed.options).catch((err: unknown) => {
    log('error', 'failed to start', {
      error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
      hint: describeStartFailure(err, resolve(parsed.options.dataDir))
    })
    process.exit(1)
  })
}
