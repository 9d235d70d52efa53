/**
 * A database page damaged under a running node (bit rot, a disk fault): the node starts, says once
 * that its database is damaged (the `node:damaged` event, `node:info`, one error line in its log),
 * answers the calls that meet the damage DATA_DAMAGED with a line naming the directory and what to
 * do, and keeps serving what still reads (the conversation list lists the group without its last
 * message). Before, those calls answered INTERNAL ("see the node log"), the whole conversation list
 * failed, and the timer that builds the window's conversation summaries threw out of the event
 * loop: an uncaught exception, which ends a daemon and breaks the desktop app's main process.
 */
import { closeSync, openSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { SUMMARY_INTERVAL_MS } from '../../core/service/events'
import { startNode, stopAll } from './helpers'

afterAll(stopAll)

/** Overwrites every page of `table`'s B-tree in the (checkpointed) database file with junk. */
function damageTable(dir: string, table: string): number {
  const file = join(dir, 'berty.sqlite')
  const db = new Database(file)
  db.pragma('wal_checkpoint(TRUNCATE)')
  const pageSize = db.pragma('page_size', { simple: true }) as number
  const pages = db.prepare<[string], { pageno: number }>('SELECT pageno FROM dbstat WHERE name = ?').all(table)
  db.close()
  const fd = openSync(file, 'r+')
  try {
    for (const { pageno } of pages) writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, (pageno - 1) * pageSize)
  } finally {
    closeSync(fd)
  }
  return pages.length
}

describe('a database damaged while the node runs', () => {
  it('is named once, answered DATA_DAMAGED where met, and never ends the process', async () => {
    const ann = await startNode('damaged')
    await ann.call('account:create', { displayName: 'Ann' })
    const { groupPk } = await ann.call('group:create', { name: 'notes' })
    for (let i = 0; i < 300; i++) await ann.call('message:send', { groupPk, text: `note ${i} ${'x'.repeat(200)}` })
    await ann.stop()
    expect(damageTable(ann.dir, 'messages')).toBeGreaterThan(5)

    await ann.restart()
    const line =
      `the database in ${ann.dir} is damaged (database disk image is malformed): some of your data cannot be read or saved; nothing was deleted. ` +
      'Quit Berty and restore the directory from a backup, or move it aside and link this device again from another of your devices'
    // Found at start already: the group's messages are read to open it. A window that connects
    // later hears of it too (the event on subscribing, node:info).
    expect((await ann.call('node:info', {})).damaged).toBe(line)
    // What does not touch the damage still works.
    expect((await ann.call('account:get', {}))?.displayName).toBe('Ann')
    // The conversation is still listed, without what cannot be read (its last message, its unread
    // count); its messages answer DATA_DAMAGED with the line.
    const [listed, ...others] = await ann.call('group:list', {})
    expect(others).toEqual([])
    expect(listed).toMatchObject({ groupPk, name: 'notes', unread: 0, damaged: true })
    expect(listed!.lastMessage).toBeUndefined()
    await expect(ann.call('message:list', { groupPk, limit: 50 })).rejects.toMatchObject({ code: 'DATA_DAMAGED', message: expect.stringContaining(line) })

    // A group change makes the event bridge build its summary from a timer (it reads the damaged
    // table): logged, not thrown. An uncaught exception would fail this file (vitest reports it).
    await ann.call('group:markRead', { groupPk }).catch(() => undefined)
    await ann.call('message:send', { groupPk, text: 'after' }).catch(() => undefined)
    await new Promise((r) => setTimeout(r, SUMMARY_INTERVAL_MS * 4))

    expect((await ann.call('node:info', {})).damaged).toBe(line)
    expect(ann.events.filter((e) => e.event === 'node:damaged')).toEqual([{ event: 'node:damaged', payload: { message: line } }])
    expect(ann.warnings.filter((w) => w.startsWith('error storage: the database is damaged'))).toHaveLength(1)
    expect(ann.warnings.join('\n')).not.toMatch(/note \d+/)
  }, 120_000)
})
