/**
 * The repair as a person asks for it from the window (`node:repair`), through the real headless
 * daemon's WebSocket API: the node found its database damaged; the window asks for the repair; the
 * daemon starts its node again in the same process, on the same port, with the same token; the
 * start repairs the file before opening it; the window reconnects and hears what was done. Before,
 * the repair was a command for the node stopped, which a person at the window could not run.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createBertyNode } from '../../core/node'
import { REPAIR_MARKER, requestRepair } from '../../core/service/repair-request'
import { describeStartFailure } from '../../core/service/start-failure'
import { staticKeyProvider } from '../../core/storage'
import { damageTable } from '../support/damage'
import { connectDaemonApi, startDaemonProcess, type DaemonApi, type DaemonProcess } from '../support/daemon-process'
import { poll } from './helpers'

const root = mkdtempSync(join(tmpdir(), 'berty-repair-window-'))
const daemons: DaemonProcess[] = []
afterAll(async () => {
  await Promise.all(daemons.map((d) => d.stop().catch(() => null)))
  rmSync(root, { recursive: true, force: true })
})

/** Connects again until the node answers (the daemon is restarting its node meanwhile). */
async function reconnect(d: DaemonProcess, timeoutMs = 60_000): Promise<DaemonApi> {
  const until = Date.now() + timeoutMs
  for (;;) {
    try {
      const api = await connectDaemonApi(d.ready)
      await api.call('node:info', {})
      return api
    } catch (err) {
      if (Date.now() > until) throw err
      await new Promise((r) => setTimeout(r, 200))
    }
  }
}

/** A daemon's data directory where `name` wrote `count` notes in a group 'notes', the daemon stopped. */
async function stoppedWithNotes(name: string, count: number): Promise<{ dir: string; tokenFile: string; groupPk: string }> {
  const dir = join(root, name)
  const tokenFile = join(root, `${name}.token`)
  const d = await startDaemonProcess(dir, { tokenFile })
  daemons.push(d)
  await d.call('account:create', { displayName: name })
  const { groupPk } = await d.call('group:create', { name: 'notes' })
  for (let i = 0; i < count; i++) await d.call('message:send', { groupPk, text: `note ${i} ${'x'.repeat(200)}` })
  expect(await d.stop()).toBe(0)
  return { dir, tokenFile, groupPk }
}

describe('repairing from the window', () => {
  it('the node restarts, repairs its file, and the window reconnects to a node that works', async () => {
    const { dir, tokenFile, groupPk } = await stoppedWithNotes('Ann', 150)
    expect(damageTable(dir, 'messages')).toBeGreaterThan(5)

    const logs: string[] = []
    const ann = await startDaemonProcess(dir, { tokenFile, onStderr: (l) => void logs.push(l) })
    daemons.push(ann)
    const info = await ann.call('node:info', {})
    expect(info.damaged).toMatch(/is damaged .*Repair it \(the Repair button/)
    expect(info.repair).toBeNull()
    await expect(ann.call('message:list', { groupPk, limit: 10 })).rejects.toMatchObject({ code: 'DATA_DAMAGED' })

    // As the window asks: the answer comes back before the node goes down.
    expect(await ann.call('node:repair', {})).toEqual({ restarting: true })
    // The window's socket drops as the node stops; it then connects again.
    await expect(
      (async () => {
        for (;;) {
          await ann.call('node:info', {})
          await new Promise((r) => setTimeout(r, 20))
        }
      })()
    ).rejects.toThrow('connection closed')
    const api = await reconnect(ann).catch((err: unknown) => {
      throw new Error(`${String(err)}\n${logs.slice(-15).join('\n')}`)
    })
    const after = await api.call('node:info', {})
    expect(after.damaged).toBeNull()
    expect(after.repair).toMatchObject({ ok: true })
    expect(after.repair!.message).toMatch(/^The database was repaired at this start: everything that still read was kept; lost with the damaged pages: some messages\./)
    expect(after.repair!.message).toContain(`The damaged file is kept at ${join(dir, 'berty.sqlite.damaged-')}`)
    // The same process: its one ready line, the same peer.
    expect(ann.child.exitCode).toBeNull()
    expect(after.peerId).toBe(ann.ready.peerId)
    expect(existsSync(join(dir, REPAIR_MARKER))).toBe(false)
    expect(readdirSync(dir).filter((f) => f.startsWith('berty.sqlite.damaged-'))).toHaveLength(1)

    // Every note is listed again (read again from the log: her own, with her chain's keys where
    // they are still here, else a placeholder of hers), and the conversation takes new ones.
    const page = await api.call('message:list', { groupPk, limit: 500 })
    expect(page.messages).toHaveLength(150)
    expect(page.messages.every((m) => m.mine)).toBe(true)
    await api.call('message:send', { groupPk, text: 'after the repair' })
    expect((await api.call('message:list', { groupPk, limit: 1 })).messages.map((m) => m.text)).toEqual(['after the repair'])
    console.log(
      `repair from the window: ${page.messages.filter((m) => !m.unreadable).length} of 150 notes readable after the restart, ` +
        `${page.messages.filter((m) => m.unreadable).length} placeholders; "${after.repair!.message}"`
    )
    api.close()
  }, 180_000)

  it('a daemon whose file fails at start serves the window with the failure and its repair, then starts', async () => {
    const { dir, tokenFile, groupPk } = await stoppedWithNotes('Ben', 300)
    // A copy interrupted: SQLite refuses the whole file (its header claims more pages than it holds).
    const file = join(dir, 'berty.sqlite')
    truncateSync(file, Math.floor((statSync(file).size * 0.6) / 4096) * 4096)

    const logs: string[] = []
    const ben = await startDaemonProcess(dir, { tokenFile, onStderr: (l) => void logs.push(l) })
    daemons.push(ben)
    // Not the ready line: the failure, with where the window is, and the process stays up.
    const first = JSON.parse(ben.stdout[0]!) as { event: string; hint: string; ui: string }
    expect(first.event).toBe('damaged')
    expect(first.hint).toMatch(/^the database in .* is damaged or is not a Berty database; it was left as it is\. Repair it \(the Repair button in the window/)
    expect(first.ui).toContain('#token=')
    await expect(ben.call('account:get', {})).rejects.toMatchObject({ code: 'DATA_DAMAGED', message: first.hint })
    expect(logs.filter((l) => l.includes('"msg":"failed to start"'))).toHaveLength(1)

    expect(await ben.call('node:repair', {})).toEqual({ restarting: true })
    const api = await reconnect(ben).catch((err: unknown) => {
      throw new Error(`${String(err)}\n${logs.slice(-15).join('\n')}`)
    })
    expect((await api.call('account:get', {}))?.displayName).toBe('Ben')
    const info = await api.call('node:info', {})
    expect(info.repair?.ok).toBe(true)
    expect(info.damaged).toBeNull()
    // Now the ready line, as a supervisor waits for it.
    await poll('the ready line', () => ben.stdout.length === 2)
    expect(JSON.parse(ben.stdout[1]!)).toMatchObject({ event: 'ready', peerId: expect.any(String) })
    const kept = (await api.call('message:list', { groupPk, limit: 500 })).messages.filter((m) => !m.unreadable).length
    expect(kept).toBeGreaterThan(100)
    await api.call('message:send', { groupPk, text: 'after the repair' })
    expect((await api.call('message:list', { groupPk, limit: 1 })).messages.map((m) => m.text)).toEqual(['after the repair'])
    console.log(`repair from the window, a file cut at 60 % at start: ${kept} of 300 notes readable; "${info.repair!.message}"`)
    api.close()
  }, 180_000)

  it('a repair that cannot be done is said once and not tried again at every start', async () => {
    const dir = join(root, 'unrepairable')
    const key = new Uint8Array(32).fill(7)
    const node = await createBertyNode({ dataDir: dir, encryptionKey: staticKeyProvider(key), listen: ['/ip4/127.0.0.1/tcp/0'], webrtc: false })
    await node.stop()
    const file = join(dir, 'berty.sqlite')
    const bytes = readFileSync(file)
    bytes.write('not a database at all', 0)
    writeFileSync(file, bytes)
    requestRepair(dir)
    const lines: string[] = []
    const log = (level: string, msg: string, data?: Record<string, unknown>): void => void lines.push(`${level} ${msg} ${JSON.stringify(data ?? {})}`)
    const failure = await createBertyNode({ dataDir: dir, encryptionKey: staticKeyProvider(key), listen: ['/ip4/127.0.0.1/tcp/0'], webrtc: false, log }).then(
      () => null,
      (err: unknown) => err
    )
    // The start-failure line says the repair was tried and why it could not be done.
    expect(describeStartFailure(failure, dir)).toMatch(
      /^the database in .* is damaged or is not a Berty database; it was left as it is\. .*\. The repair could not be done: .*the file header cannot be read; nothing was changed/
    )
    expect(lines.filter((l) => l.startsWith('error storage: the repair asked for could not be done'))).toHaveLength(1)
    expect(existsSync(join(dir, REPAIR_MARKER))).toBe(false)
    expect(readFileSync(file).equals(bytes)).toBe(true)
  }, 60_000)
})
