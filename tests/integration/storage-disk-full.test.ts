// A full disk, as a person meets it: the data directory's disk fills up while the app runs. Every call
// that would write fails with DISK_FULL and a message that says so (it was "INTERNAL: internal error"),
// and keeps nothing: no message that failed reaches anyone, no group half-created. What others write
// meanwhile is not lost: it arrives once space is freed, without a restart. A kill -9 on the full disk
// and a start while it is still full leave a database that opens and checks clean.
// A real daemon on a real full file system (a 64 MiB tmpfs): needs root to mount it.
import { execFileSync } from 'node:child_process'
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { ErrorCode } from '../../core/api/constants'
import { DATABASE_FILE } from '../../core/node'
import { daemonAndMember } from '../support/crash-scenarios'
import { startDaemonProcess, type DaemonProcess } from '../support/daemon-process'
import { daemonLab } from '../support/daemon-lab'
import { allMessageIds, poll, texts } from './helpers'

const lab = daemonLab()
const mounted: string[] = []
afterEach(async () => {
  // Runs before the lab's clean-up (vitest runs afterEach hooks in reverse order): the daemons are
  // killed before the unmount, the directory removed after it.
  for (const d of lab.running.splice(0)) await d.kill9().catch(() => undefined)
  for (const m of mounted.splice(0)) execFileSync('umount', ['-l', m])
})

/** Writes until the file system refuses: the disk is full. */
function fillDisk(path: string): void {
  const fd = openSync(path, 'w')
  const chunk = Buffer.alloc(64 * 1024, 1)
  try {
    for (;;) writeSync(fd, chunk)
  } catch (err) {
    expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC')
  } finally {
    closeSync(fd)
  }
}

async function failure(p: Promise<unknown>): Promise<{ code?: string; message: string }> {
  return p.then(
    () => ({ message: 'succeeded' }),
    (err: Error & { code?: string }) => ({ code: err.code, message: err.message })
  )
}

describe.skipIf(process.getuid?.() !== 0)('a full disk (root: mounts a small tmpfs)', () => {
  it('fails writes with DISK_FULL and keeps nothing of them; loses nothing received; heals without a restart', async () => {
    const base = lab.tempDir('berty-it-disk-full-')
    const disk = join(base, 'disk')
    mkdirSync(disk)
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', disk])
    mounted.push(disk)
    const dataDir = join(disk, 'a')
    const tokenFile = join(base, 'token')
    const { a: first, b, groupPk } = await daemonAndMember(dataDir, lab.running, { tokenFile })
    let a: DaemonProcess = first
    const confirmed: string[] = []
    for (let i = 0; i < 10; i++) confirmed.push((await a.call('message:send', { groupPk, text: `before ${i}` })).id)

    const filler = join(disk, 'filler')
    fillDisk(filler)
    for (let i = 0; i < 30; i++) {
      const f = await failure(a.call('message:send', { groupPk, text: `while full ${i}` }))
      expect(f.code).toBe(ErrorCode.DISK_FULL)
      expect(f.message).toMatch(/^the disk is full: nothing was saved/)
    }
    expect((await failure(a.call('group:create', { name: 'On a full disk' }))).code).toBe(ErrorCode.DISK_FULL)
    expect((await a.call('group:list', {})).map((g) => g.name)).toEqual(['Crash'])
    // Ben writes meanwhile: Ann cannot store it yet.
    const fromBen: string[] = []
    for (let i = 0; i < 20; i++) fromBen.push((await b.call('message:send', { groupPk, text: `from Ben ${i}` })).id)
    await new Promise((r) => setTimeout(r, 1_000))

    // Space freed: what Ben wrote arrives without a restart, and Ann writes again.
    rmSync(filler)
    await poll('Ann reads what Ben wrote while her disk was full', async () => {
      const held = new Set(await allMessageIds(a, groupPk, { readableOnly: true }))
      return fromBen.every((id) => held.has(id))
    })
    for (let i = 0; i < 10; i++) confirmed.push((await a.call('message:send', { groupPk, text: `after ${i}` })).id)

    // Full again: kill -9 there, and a start while it is still full.
    fillDisk(filler)
    await a.kill9()
    a = await startDaemonProcess(dataDir, { tokenFile })
    lab.running.push(a)
    expect((await failure(a.call('message:send', { groupPk, text: 'while full again' }))).code).toBe(ErrorCode.DISK_FULL)
    rmSync(filler)
    await b.call('peer:connect', { multiaddr: a.ready.addrs[0]! })
    confirmed.push((await a.call('message:send', { groupPk, text: 'last' })).id)

    const everything = [...confirmed, ...fromBen]
    const onA = new Set(await allMessageIds(a, groupPk, { readableOnly: true }))
    expect(everything.filter((id) => !onA.has(id))).toEqual([])
    await poll('Ben reads every message Ann confirmed', async () => {
      const held = new Set(await allMessageIds(b, groupPk, { readableOnly: true }))
      return confirmed.every((id) => held.has(id))
    })
    // Nothing that failed reached anyone, nothing was kept of it.
    for (const t of [await texts(b, groupPk), (await a.call('message:list', { groupPk, limit: 500 })).messages.map((m) => m.text)]) {
      expect(t.filter((x) => x.includes('while full'))).toEqual([])
      expect(t).toHaveLength(everything.length)
    }
    expect(await a.stop()).toBe(0)
    lab.running.splice(lab.running.indexOf(a), 1)
    const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true })
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    } finally {
      db.close()
    }
  }, 180_000)
})
