// A group log remembers the entries it checked only until they join: a node left running keeps no
// per-message memory for verification (bench/soak.ts measures the heap of a long-running daemon).
import { randomBytes } from 'node:crypto'
import { MemoryStorage } from '@orbitdb/core'
import { describe, expect, it } from 'vitest'
import { ed25519PublicFromSeed } from '../../../core/crypto'
import { GroupLog, type BertyLogEntry } from '../../../core/groups/group-log'
import { VerifiedEntries } from '../../../core/groups/verified-entries'
import { openDatabase, SqliteOrbitStorage } from '../../../core/storage'

const LOG_ID = '/berty/1/verified-test/msg'

function keys() {
  const signSeed = new Uint8Array(randomBytes(32))
  return { signSeed, signPub: ed25519PublicFromSeed(signSeed), linkKey: new Uint8Array(randomBytes(32)) }
}

async function sqliteLog(k: ReturnType<typeof keys>, writer: boolean): Promise<GroupLog> {
  const db = openDatabase(':memory:')
  const storage = (ns: string) => new SqliteOrbitStorage(db, `t:${ns}`)
  return GroupLog.open({
    logId: LOG_ID,
    signPub: k.signPub,
    linkKey: k.linkKey,
    ...(writer ? { signSeed: k.signSeed, writerSeed: new Uint8Array(randomBytes(32)) } : {}),
    storage: { entries: storage('entries'), heads: storage('heads'), index: storage('index'), links: storage('links') }
  })
}

async function receive(log: GroupLog, blocks: Uint8Array[]): Promise<Map<string, { entry: BertyLogEntry; bytes: Uint8Array }>> {
  const out = new Map<string, { entry: BertyLogEntry; bytes: Uint8Array }>()
  for (const bytes of blocks) {
    const entry = await log.decode(bytes)
    expect(await log.verifyReceived(entry)).toBeNull()
    out.set(entry.hash, { entry, bytes })
  }
  return out
}

describe('GroupLog verification memory', () => {
  it('forgets checked entries once they join, on the one-transaction path and on OrbitDB’s', async () => {
    const k = keys()
    const writer = await sqliteLog(k, true)
    const sent: Uint8Array[] = []
    for (let i = 0; i < 40; i++) sent.push((await writer.append(new TextEncoder().encode(`m${i}`))).bytes)
    // Our own appends are never remembered: nothing checks them again.
    expect(writer.verifiedInFlight).toEqual({ sigs: 0, hashes: 0 })

    const atomic = await sqliteLog(k, false)
    const orbit = await GroupLog.open({
      logId: LOG_ID,
      signPub: k.signPub,
      linkKey: k.linkKey,
      storage: { entries: await MemoryStorage(), heads: await MemoryStorage(), index: await MemoryStorage() }
    })
    for (const log of [atomic, orbit]) {
      const first = await receive(log, sent.slice(0, 25))
      // Checked and waiting for their join: remembered, so the join does not check them again.
      expect(log.verifiedInFlight).toEqual({ sigs: 25, hashes: 25 })
      expect(await log.joinVerified(first)).toHaveLength(25)
      expect(log.verifiedInFlight).toEqual({ sigs: 0, hashes: 0 })
      const rest = await receive(log, sent.slice(25))
      expect(await log.joinVerified(rest)).toHaveLength(15)
      expect(log.verifiedInFlight).toEqual({ sigs: 0, hashes: 0 })
      expect(await log.headHashes()).toEqual(await writer.headHashes())
    }
  })

  it('a forged copy of an entry it holds is still refused', async () => {
    const k = keys()
    const writer = await sqliteLog(k, true)
    const { entry, bytes } = await writer.append(new TextEncoder().encode('hello'))
    const log = await sqliteLog(k, false)
    await log.joinVerified(await receive(log, [bytes]))
    // Same fields, another signature: another block, so another hash; checked in full.
    const forged = { ...(await log.decode(bytes)), sig: entry.sig.replace(/^./, (c) => (c === '0' ? '1' : '0')), hash: 'zdpuForgedHash' } as BertyLogEntry
    expect(await log.verifyReceived(forged)).toMatch(/does not verify/)
  })

  it('past its cap, the oldest checked entries are forgotten first', () => {
    const v = new VerifiedEntries(3)
    for (let i = 0; i < 5; i++) v.add({ hash: `h${i}`, sig: `s${i}` })
    expect(v.size).toEqual({ sigs: 3, hashes: 3 })
    expect(v.has({ hash: 'h0', sig: 's0' })).toBe(false)
    expect(v.has({ hash: 'h4', sig: 's4' })).toBe(true)
    v.forget([{ entry: { hash: 'h4', sig: 's4' } }])
    expect(v.has({ hash: 'h4', sig: 's4' })).toBe(false)
    expect(v.size).toEqual({ sigs: 2, hashes: 2 })
  })
})
