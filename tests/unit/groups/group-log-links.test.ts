// A group log whose links storage is its index storage (as group-opener.ts opens every log, see
// migration 0008): one row per entry holds both "in the log" and the entry's links; old `true`
// index values still read; a block that no join indexed never starts to count as joined.
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { ed25519PublicFromSeed } from '../../../core/crypto'
import { GroupLog } from '../../../core/groups/group-log'
import { openDatabase, SqliteOrbitStorage, type SqliteDatabase } from '../../../core/storage'

const LOG_ID = '/berty/1/links-test/msg'

function keys() {
  const signSeed = new Uint8Array(randomBytes(32))
  return { signSeed, signPub: ed25519PublicFromSeed(signSeed), linkKey: new Uint8Array(randomBytes(32)) }
}

/** `writer`: false for a replica, true for a new writer key, or the writer seed to reopen with. */
async function openLog(db: SqliteDatabase, prefix: string, k: ReturnType<typeof keys>, writer: boolean | Uint8Array = true): Promise<GroupLog> {
  const index = new SqliteOrbitStorage(db, `${prefix}:index`)
  const writerSeed = writer === true ? new Uint8Array(randomBytes(32)) : writer || undefined
  return GroupLog.open({
    logId: LOG_ID,
    signPub: k.signPub,
    linkKey: k.linkKey,
    ...(writerSeed ? { signSeed: k.signSeed, writerSeed } : {}),
    storage: { entries: new SqliteOrbitStorage(db, `${prefix}:entries`), heads: new SqliteOrbitStorage(db, `${prefix}:heads`), index, links: index }
  })
}

function namespaces(db: SqliteDatabase): string[] {
  return db.sql
    .prepare<[], { namespace: string }>('SELECT DISTINCT namespace FROM orbit_kv ORDER BY namespace')
    .all()
    .map((r) => r.namespace)
}

describe('GroupLog with links kept in the index', () => {
  it('writes one index row per entry holding its links, reads old `true` rows, and never indexes by reading', async () => {
    const k = keys()
    const db = openDatabase(':memory:')
    const log = await openLog(db, 'w', k)
    const appended = []
    for (let i = 0; i < 3; i++) appended.push(await log.append(new Uint8Array([i + 1])))
    const [h1, h2, h3] = appended.map((a) => a.entry.hash) as [string, string, string]
    const w = log.writerKey!
    expect(namespaces(db)).toEqual(['w:entries', 'w:heads', 'w:index'])
    const index = new SqliteOrbitStorage(db, 'w:index')
    expect(await index.get(h2)).toEqual({ n: [h1], r: [], t: 2, w })
    expect(await log.getLinks(h3)).toEqual({ next: [h2], refs: [], time: 3, writer: w })
    for (const h of [h1, h2, h3]) expect(await log.has(h)).toBe(true)

    // An index value written by OrbitDB itself (`true`): links come from the entry, then are kept.
    await index.put(h2, true)
    expect(await log.getLinks(h2)).toEqual({ next: [h1], refs: [], time: 2, writer: w })
    expect(await index.get(h2)).toEqual({ n: [h1], r: [], t: 2, w })
    // The next append reads the head's time from there as before.
    expect((await log.append(new Uint8Array([4]))).entry.clock.time).toBe(4)

    // A block in entry storage that no join indexed: readable, but not made part of the log.
    const other = await openLog(openDatabase(':memory:'), 'o', k)
    const foreign = await other.append(new Uint8Array([9]))
    await new SqliteOrbitStorage(db, 'w:entries').put(foreign.entry.hash, foreign.bytes)
    expect(await log.getLinks(foreign.entry.hash)).toEqual({ next: [], refs: [], time: 1, writer: other.writerKey })
    expect(await index.get(foreign.entry.hash)).toBeUndefined()
    expect(await log.has(foreign.entry.hash)).toBe(false)

    // A replica joining the blocks keeps their links in its index the same way.
    const replica = await openLog(db, 'r', k, false)
    const blocks = new Map()
    for (const { bytes } of appended) {
      const entry = await replica.decode(bytes)
      expect(await replica.verifyReceived(entry)).toBeNull()
      blocks.set(entry.hash, { entry, bytes })
    }
    expect((await replica.joinVerified(blocks)).length).toBe(3)
    expect(await new SqliteOrbitStorage(db, 'r:index').get(h3)).toEqual({ n: [h2], r: [], t: 3, w })
    expect(await replica.getLinks(h2)).toEqual({ next: [h1], refs: [], time: 2, writer: w })
    expect(namespaces(db).filter((n) => n.endsWith(':links'))).toEqual([])
    await log.close()
    await other.close()
    await replica.close()
    db.close()
  })

  it('keeps a writer clock (latest time held per writer) through appends, joins and a reopen', async () => {
    const k = keys()
    const db = openDatabase(':memory:')
    const writerSeed = new Uint8Array(randomBytes(32))
    const log = await openLog(db, 'w', k, writerSeed)
    expect([...(await log.writerClock())]).toEqual([])
    const other = await openLog(db, 'o', k)
    const mine = await log.appendMany([new Uint8Array([1]), new Uint8Array([2])])
    const theirs = await other.append(new Uint8Array([3]))
    // Another writer's entry joins: its time is kept under its key.
    const received = await log.decode(theirs.bytes)
    expect(await log.verifyReceived(received)).toBeNull()
    await log.joinVerified(new Map([[received.hash, { entry: received, bytes: theirs.bytes }]]))
    await log.append(new Uint8Array([4]))
    const expected = new Map([
      [log.writerKey!, 3],
      [other.writerKey!, 1]
    ])
    expect(new Map(await log.writerClock())).toEqual(expected)
    // Rebuilt from the index after a reopen; an index row from before the clock (no writer) only
    // leaves its entry out.
    await log.close()
    const legacy = { n: [], r: [], t: 1 }
    await new SqliteOrbitStorage(db, 'w:index').put(mine[0]!.entry.hash, legacy)
    const reopened = await openLog(db, 'w', k, writerSeed)
    expect(new Map(await reopened.writerClock())).toEqual(expected)
    await new SqliteOrbitStorage(db, 'w:index').put(received.hash, legacy)
    const again = await openLog(db, 'w', k, writerSeed)
    expect(new Map(await again.writerClock())).toEqual(new Map([[log.writerKey!, 3]]))
    await reopened.close()
    await again.close()
    await other.close()
    db.close()
  })
})
