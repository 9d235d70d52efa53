/**
 * A damaged database repaired (`--repair`, core/storage/repair.ts), the node stopped: every row that
 * reads goes into a fresh file, the damaged one is kept beside it, and the node starts on the new one
 * with no damage left. A damaged index loses nothing. A damaged table loses its damaged pages' rows
 * only, and the conversation works again: before the repair, every send in it answered DATA_DAMAGED
 * until the person moved the directory aside and linked the device again. Keys that do not read
 * whole change nothing. A running node's file is refused.
 */
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, renameSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { repairDatabase, type RepairReport } from '../../core/storage'
import { damageTable } from '../support/damage'
import { tokenCli as daemonCommand } from '../support/replication-cli'
import { allMessages, connect, pairInGroup, poll, startNode, stopAll, texts, type TestNode } from './helpers'

afterAll(stopAll)

const fileOf = (dir: string): string => join(dir, 'berty.sqlite')
const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex')
/** Ann, alone in a group 'notes' she wrote `count` notes in (`pad` bytes of filler each, to fill pages). */
async function notesOf(name: string, count: number, pad: number): Promise<{ ann: TestNode; groupPk: string }> {
  const ann = await startNode(name)
  await ann.call('account:create', { displayName: 'Ann' })
  const { groupPk } = await ann.call('group:create', { name: 'notes' })
  for (let i = 0; i < count; i++) await ann.call('message:send', { groupPk, text: `note ${i} ${'x'.repeat(pad)}` })
  return { ann, groupPk }
}

function rowids(dir: string): unknown[] {
  const db = new BetterSqlite3(fileOf(dir), { readonly: true })
  try {
    return db.prepare('SELECT rowid, id FROM messages ORDER BY rowid').all()
  } finally {
    db.close()
  }
}

describe('repairing a damaged database', () => {
  it('a damaged index: nothing lost, the node starts clean on the new file', async () => {
    const { ann, groupPk } = await notesOf('repair-index', 200, 200)
    await ann.stop()
    // Rowids with a gap, as rows deleted over time leave them: a copy that numbered rows afresh would
    // shift every later one.
    const raw = new BetterSqlite3(fileOf(ann.dir))
    raw.prepare('UPDATE messages SET rowid = rowid + 1000 WHERE rowid > 100').run()
    raw.close()
    const before = rowids(ann.dir)
    expect(damageTable(ann.dir, 'messages_order')).toBeGreaterThan(1)

    // As an operator runs it: the headless daemon's command, one JSON line.
    const report = (await daemonCommand(ann.dir, ['--repair'])) as unknown as RepairReport & { event: string }
    expect(report.event).toBe('repair')
    expect(report.repaired).toBe(true)
    expect(report.problems.length).toBeGreaterThan(0)
    expect(report.tables.filter((t) => t.damaged)).toEqual([])
    expect(report.tables.find((t) => t.name === 'messages')?.copied).toBe(200)
    expect(existsSync(report.keptAt!)).toBe(true)

    // Rowids as they were (the read mark and the window's positions are rowids).
    expect(rowids(ann.dir)).toEqual(before)
    await ann.restart()
    expect((await ann.call('node:info', {})).damaged).toBeNull()
    expect(await texts(ann, groupPk)).toHaveLength(200)
    await ann.call('message:send', { groupPk, text: 'after the repair' })
    expect((await texts(ann, groupPk)).at(-1)).toBe('after the repair')
    // Nothing to do on a whole file.
    await ann.stop()
    expect(repairDatabase(fileOf(ann.dir)).repaired).toBe(false)
  }, 120_000)

  it('a damaged table: its damaged rows are lost, the rest kept, and the conversation works both ways again', async () => {
    const { a, b, groupPk } = await pairInGroup(['A', 'B'], 'Repaired')
    for (let i = 0; i < 300; i++) await a.call('message:send', { groupPk, text: `before ${i} ${'x'.repeat(200)}` })
    await poll('B reads all 300', async () => (await texts(b, groupPk)).length === 300)
    await b.stop()
    expect(damageTable(b.dir, 'messages')).toBeGreaterThan(5)
    // Damaged, the conversation could not be written in (storage-damage.test.ts).
    const report = repairDatabase(fileOf(b.dir))
    const messages = report.tables.find((t) => t.name === 'messages')!
    expect(messages.damaged).toBe(true)
    expect(report.tables.filter((t) => t.damaged).map((t) => t.name)).toEqual(['messages'])
    expect(report.tables.find((t) => t.name === 'keystore')!.copied).toBeGreaterThan(0)

    await b.restart()
    await connect(a, b)
    expect((await b.call('node:info', {})).damaged).toBeNull()
    expect((await b.call('account:get', {}))?.displayName).toBe('B')
    const [listed] = await b.call('group:list', {})
    expect(listed).toMatchObject({ groupPk, name: 'Repaired' })
    await a.call('message:send', { groupPk, text: 'from A after the repair' })
    await b.call('message:send', { groupPk, text: 'from B after the repair' })
    await poll('B reads A', async () => (await texts(b, groupPk)).includes('from A after the repair'))
    await poll('A reads B', async () => (await texts(a, groupPk)).includes('from B after the repair'))
    // The messages whose rows were lost come back as placeholders saying why (never silence, never
    // "sent before you joined": B had read them).
    const seen = await allMessages(b, groupPk)
    const lost = seen.filter((m) => m.unreadable)
    expect(lost.length + messages.copied).toBe(300)
    expect(new Set(lost.map((m) => m.unreadable))).toEqual(new Set(['key-gone']))
    console.log(`repair: messages table ${messages.copied} rows copied of 300; after restart B lists ${seen.length - lost.length} readable, ${lost.length} placeholders ('key-gone')`)
  }, 180_000)

  it('the chains lost: each group is joined again as a new device, and its history read again from the log', async () => {
    const { a, b, groupPk } = await pairInGroup(['A', 'B'], 'Rejoined')
    for (let i = 0; i < 50; i++) await a.call('message:send', { groupPk, text: `from A ${i}` })
    for (let i = 0; i < 10; i++) await b.call('message:send', { groupPk, text: `from B ${i}` })
    await poll('B reads all 60', async () => (await texts(b, groupPk)).length === 60)
    await b.stop()
    damageTable(b.dir, 'group_chains')
    const report = repairDatabase(fileOf(b.dir))
    expect(report.tables.filter((t) => t.damaged).map((t) => t.name)).toEqual(['group_chains'])
    // Without its sender chain a membership cannot write on (a fresh chain under the same device key
    // is not read by members who hold the old one): the account group and this one go, to be joined again.
    expect(report.groupsRejoined).toBe(2)
    await b.restart()
    await connect(a, b)
    await b.call('message:send', { groupPk, text: 'from B after the repair' })
    await a.call('message:send', { groupPk, text: 'from A after the repair' })
    await poll('A reads B', async () => (await texts(a, groupPk)).includes('from B after the repair'))
    await poll('B reads A', async () => (await texts(b, groupPk)).includes('from A after the repair'))
    const seen = await allMessages(b, groupPk)
    expect(seen.filter((m) => m.unreadable)).toEqual([])
    expect(seen).toHaveLength(62)
    // B's old key in the account group stays in its log for good: listed as this device's replaced
    // key, not as a nameless device (to a person, one linked behind their back).
    const devices = await b.call('device:list', {})
    expect(devices).toHaveLength(2)
    const old = devices.find((d) => !d.current)!
    expect(old.replacedAt).toBeGreaterThan(0)
    expect(old.name).toBe(devices.find((d) => d.current)!.name)
    // Both memberships the repair dropped (the account group and this one) had their old key recorded.
    expect([...b.node.groups.replaced.all().keys()]).toContain(Buffer.from(old.devicePk, 'base64url').toString('hex'))
    expect(b.node.groups.replaced.all().size).toBe(2)
  }, 180_000)

  it('a few bad pages in a table: the scan goes on past each, and only their rows are lost', async () => {
    const { ann, groupPk } = await notesOf('repair-pages', 400, 300)
    await ann.stop()
    const bad = damageTable(ann.dir, 'messages', { leavesEvery: 4 })
    expect(bad).toBeGreaterThan(3)
    const report = repairDatabase(fileOf(ann.dir))
    const messages = report.tables.find((t) => t.name === 'messages')!
    expect(messages.damaged).toBe(true)
    // Rows after the first bad page are kept too (a scan that stopped there kept at most a quarter).
    expect(messages.copied).toBeGreaterThan(200)
    expect(messages.copied).toBeLessThan(400)
    await ann.restart()
    // Every entry is listed again: the rows kept, and for the others a placeholder saying why, or
    // the message itself where a key to it was still here (the own chain is stored every 16 sends).
    const seen = await allMessages(ann, groupPk)
    expect(seen).toHaveLength(400)
    const readable = seen.filter((m) => !m.unreadable).length
    expect(readable).toBeGreaterThanOrEqual(messages.copied)
    expect(seen.filter((m) => m.unreadable).every((m) => m.unreadable === 'key-gone')).toBe(true)
    // Ann wrote every note: a placeholder of hers is hers, drawn on her side as such.
    expect(seen.every((m) => m.mine)).toBe(true)
    // The whole-log walk was asked for once, by the repair, and is done.
    await poll('the repair marker cleared', () => ann.node.db.sql.prepare("SELECT count(*) AS n FROM settings WHERE key LIKE 'storage.fullRecover.%'").pluck().get() === 0)
    console.log(`repair: ${bad} of the messages table's leaf pages damaged; ${messages.copied} of 400 rows kept, ${readable} readable after the restart`)
  }, 120_000)

  it('a file cut short (a copy interrupted): what precedes the cut is kept, the logs are made whole, and the group takes new messages', async () => {
    const { ann, groupPk } = await notesOf('repair-cut', 300, 200)
    await ann.stop()
    const file = fileOf(ann.dir)
    truncateSync(file, Math.floor((statSync(file).size * 0.6) / 4096) * 4096)
    const report = repairDatabase(file)
    expect(report.repaired).toBe(true)
    expect(report.tables.find((t) => t.name === 'keystore')!.damaged).toBe(false)
    await ann.restart()
    // Before the logs were made whole, the group did not open ("could not open a group") and every
    // send answered INTERNAL: the log's heads named entries the cut had taken.
    const kept = (await texts(ann, groupPk)).length
    await ann.call('message:send', { groupPk, text: 'after the repair' })
    expect((await texts(ann, groupPk)).at(-1)).toBe('after the repair')
    expect(ann.warnings.filter((w) => w.includes('could not open a group'))).toEqual([])
    console.log(`repair: a file cut at 60 %: ${kept} of 300 messages kept, and the group writes again`)
  }, 120_000)

  it('a small file cut short: the tables it no longer names are lost, not the repair, and the group it created is kept for its member to make whole', async () => {
    const { a, b, groupPk } = await pairInGroup(['A', 'B'], 'Cut')
    await a.call('message:send', { groupPk, text: 'from A before' })
    await b.call('message:send', { groupPk, text: 'from B before' })
    await poll('A reads B', async () => (await texts(a, groupPk)).includes('from B before'))
    await poll('B reads A', async () => (await texts(b, groupPk)).includes('from A before'))
    await a.stop()
    // Small, so the schema's later pages (written by the last migrations) and the group's first
    // entries sit past the cut.
    const file = fileOf(a.dir)
    truncateSync(file, Math.floor((statSync(file).size * 0.6) / 4096) * 4096)
    // Before, the repair stopped at the first table the file no longer names ('no such table').
    const report = repairDatabase(file)
    expect(report.repaired).toBe(true)
    const whole = report.tables.filter((t) => t.damaged && t.copied === 0).map((t) => t.name)
    expect(whole.length).toBeGreaterThan(0)
    expect(report.tables.filter((t) => ['keystore', 'account'].includes(t.name)).every((t) => !t.damaged && t.copied > 0)).toBe(true)

    await a.restart()
    // A's own first entries in the group it created went with the cut. Before, the start took that
    // for a creation cut short and removed the group: the conversation, gone for good on A.
    expect((await a.call('group:list', {})).map((g) => g.groupPk)).toEqual([groupPk])
    await connect(a, b)
    // B holds the log: it comes back, and both write and read again.
    await a.call('message:send', { groupPk, text: 'from A after the repair' })
    await b.call('message:send', { groupPk, text: 'from B after the repair' })
    await poll('B reads A after', async () => (await texts(b, groupPk)).includes('from A after the repair'))
    await poll('A reads B after', async () => (await texts(a, groupPk)).includes('from B after the repair'))
    console.log(`repair: a small file cut at 60 %: ${whole.length} tables lost whole (${whole.join(', ')}); A's group kept, both write and read again`)
  }, 120_000)

  it('a repair killed between its two renames is finished by the next start', async () => {
    const { ann, groupPk } = await notesOf('repair-swap', 50, 100)
    await ann.stop()
    damageTable(ann.dir, 'messages_order')
    const file = fileOf(ann.dir)
    const report = repairDatabase(file)
    expect(report.repaired).toBe(true)
    // As the process left it, killed after the damaged file moved aside and before the repaired copy
    // took its name; the damaged file's journal left behind too.
    renameSync(file, `${file}.repaired`)
    writeFileSync(`${file}-wal`, randomBytes(4096))
    await ann.restart()
    // Before, an empty database took the name: no account, and the app asked for a new one.
    expect((await ann.call('account:get', {}))?.displayName).toBe('Ann')
    expect(await texts(ann, groupPk)).toHaveLength(50)
    expect(existsSync(`${file}.repaired`)).toBe(false)
    expect(readdirSync(ann.dir).filter((f) => /^berty\.sqlite\.damaged-journal-.*-wal$/.test(f))).toHaveLength(1)
  }, 60_000)

  it('refuses the file of a running node, and changes nothing when the keys do not read', async () => {
    const ann = await startNode('repair-keys')
    await ann.call('account:create', { displayName: 'Ann' })
    expect(() => repairDatabase(fileOf(ann.dir))).toThrow(expect.objectContaining({ code: 'ERR_LOCKED' }))
    await ann.stop()
    damageTable(ann.dir, 'keystore')
    const before = sha(fileOf(ann.dir))
    expect(() => repairDatabase(fileOf(ann.dir))).toThrow(expect.objectContaining({ code: 'ERR_UNREPAIRABLE', message: expect.stringContaining('keystore') }))
    expect(sha(fileOf(ann.dir))).toBe(before)
    expect(existsSync(`${fileOf(ann.dir)}.repairing`)).toBe(false)
    // Not a database at all (its header overwritten): nothing to read, nothing changed.
    const bytes = readFileSync(fileOf(ann.dir))
    bytes.write('not a database at all', 0)
    writeFileSync(fileOf(ann.dir), bytes)
    expect(() => repairDatabase(fileOf(ann.dir))).toThrow(expect.objectContaining({ code: 'ERR_UNREPAIRABLE', message: expect.stringContaining('header') }))
    expect(readFileSync(fileOf(ann.dir)).equals(bytes)).toBe(true)
  }, 60_000)
})
