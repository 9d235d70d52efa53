// GroupLog's one-transaction append (SQLite storages) writes what OrbitDB's own append writes:
// OrbitDB's reader walks it, a replica verifies and joins the blocks, and the heads record and
// Lamport clocks are the ones OrbitDB would produce.
import { randomBytes } from 'node:crypto'
import { MemoryStorage } from '@orbitdb/core'
import { describe, expect, it } from 'vitest'
import { ed25519PublicFromSeed } from '../../../core/crypto'
import { GroupLog } from '../../../core/groups/group-log'
import { openDatabase, SqliteOrbitStorage } from '../../../core/storage'

const LOG_ID = '/berty/1/append-test/meta'

function keys() {
  const signSeed = new Uint8Array(randomBytes(32))
  return { signSeed, signPub: ed25519PublicFromSeed(signSeed), linkKey: new Uint8Array(randomBytes(32)) }
}

describe('GroupLog atomic append', () => {
  it('produces blocks OrbitDB reads back and a replica verifies and joins', async () => {
    const k = keys()
    const db = openDatabase(':memory:')
    const storage = (ns: string) => new SqliteOrbitStorage(db, `t:${ns}`)
    const writer = await GroupLog.open({
      logId: LOG_ID,
      signPub: k.signPub,
      signSeed: k.signSeed,
      linkKey: k.linkKey,
      writerSeed: new Uint8Array(randomBytes(32)),
      storage: { entries: storage('entries'), heads: storage('heads'), index: storage('index'), links: storage('links') }
    })
    const appended = []
    for (let i = 0; i < 3; i++) appended.push(await writer.append(new Uint8Array([i + 1, 2, 3])))
    expect(appended.map((a) => a.entry.clock.time)).toEqual([1, 2, 3])
    expect(appended[1]!.entry.next).toEqual([appended[0]!.entry.hash])
    expect(appended[0]!.entry.refs).toEqual([])
    expect(await writer.headHashes()).toEqual([appended[2]!.entry.hash])

    // OrbitDB's own reader (oplog heads + traverse decode the stored blocks).
    expect((await writer.heads()).map((e) => e.hash)).toEqual([appended[2]!.entry.hash])
    const walked = []
    for await (const e of writer.traverse()) walked.push(e)
    expect(walked.map((e) => e.hash)).toEqual(appended.map((a) => a.entry.hash).reverse())
    expect(walked[0]!.payload.s).toEqual(new Uint8Array([3, 2, 3]))

    // A replica (OrbitDB's storages, no writer key) decodes, verifies and joins the same bytes.
    const replica = await GroupLog.open({
      logId: LOG_ID,
      signPub: k.signPub,
      linkKey: k.linkKey,
      storage: { entries: await MemoryStorage(), heads: await MemoryStorage(), index: await MemoryStorage() }
    })
    const blocks = new Map()
    for (const { bytes } of appended) {
      const entry = await replica.decode(bytes)
      expect(await replica.verifyReceived(entry)).toBeNull()
      blocks.set(entry.hash, { entry, bytes })
    }
    expect((await replica.joinVerified(blocks)).length).toBe(3)
    expect((await replica.heads()).map((e) => e.hash)).toEqual([appended[2]!.entry.hash])

    // After a join of a concurrent branch, the next append points at both heads, newest first.
    const other = await GroupLog.open({
      logId: LOG_ID,
      signPub: k.signPub,
      signSeed: k.signSeed,
      linkKey: k.linkKey,
      writerSeed: new Uint8Array(randomBytes(32)),
      storage: { entries: await MemoryStorage(), heads: await MemoryStorage(), index: await MemoryStorage() }
    })
    const branch = [await other.append(new Uint8Array([9])), await other.append(new Uint8Array([10]))]
    const staged = new Map()
    for (const { bytes } of branch) {
      const entry = await writer.decode(bytes)
      expect(await writer.verifyReceived(entry)).toBeNull()
      staged.set(entry.hash, { entry, bytes })
    }
    await writer.joinVerified(staged)
    const merged = await writer.append(new Uint8Array([11]))
    expect(merged.entry.clock.time).toBe(4)
    expect(merged.entry.next).toEqual([appended[2]!.entry.hash, branch[1]!.entry.hash])
    await writer.close()
    await replica.close()
    await other.close()
    db.close()
  })
})
