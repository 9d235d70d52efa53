/**
 * A receiver chain's skipped keys are rows of their own (migration 0012): a message read in order
 * writes none of them, one read out of order deletes one row, and the chain's blob stays small however
 * many keys are kept. Before, every message of that sender copied and sealed them all again (at
 * 4,000 keys, 2.2 ms and a 156 KB blob per message). After a restart the keys read what they read;
 * a rollback never leaves the rows behind what the chain in memory holds.
 */
import { describe, expect, it } from 'vitest'
import type { ChainKeeper } from '../../../core/groups/chain-keeper'
import type { ContentSealer } from '../../../core/groups/content-sealer'
import type { OpenGroup } from '../../../core/groups/types'
import { toHex } from '../../../core/bytes'
import {
  keyId,
  newSenderChain,
  nextSendKey,
  receiveKey,
  receiverChainFrom,
  serializeReceiverChain,
  shareableChainKey,
  wipeReceiverChain,
  type ReceiverChain
} from '../../../core/protocol/group'
import { ChainStore, openDatabase, type SqliteDatabase } from '../../../core/storage'
import { addGroupRow, chainKeeperLab } from '../../support/chain-keeper-lab'

const gpk = new Uint8Array(32).fill(3)
const device = new Uint8Array(32).fill(9)

async function setup(): Promise<{ db: SqliteDatabase; sealer: ContentSealer; keeper: () => ChainKeeper }> {
  const db = openDatabase(':memory:')
  const { sealer, keeper } = await chainKeeperLab(db)
  addGroupRow(db, gpk)
  return { db, sealer, keeper }
}

/** The fields ChainKeeper reads of a group with no device of ours in it (as a replica holds it). */
function group(): OpenGroup {
  return { pk: gpk, pkHex: toHex(gpk), chains: new Map<string, ReceiverChain>() } as unknown as OpenGroup
}

function rows(db: SqliteDatabase): Array<{ counter: number; sealed: Uint8Array }> {
  return db.sql.prepare<[], { counter: number; sealed: Uint8Array }>('SELECT counter, sealed FROM group_chain_skipped ORDER BY counter').all()
}

function blobSize(db: SqliteDatabase): number {
  return db.sql.prepare<[], { n: number }>("SELECT length(sealed) AS n FROM group_chains WHERE role = 'recv'").get()!.n
}

/** Reads `counter` and commits the step, as the message pipeline does. */
function read(g: OpenGroup, counter: number): Uint8Array {
  const id = keyId(device)
  const chain = g.chains.get(id)!
  const step = receiveKey(chain, gpk, counter)
  wipeReceiverChain(chain, step.chain)
  g.chains.set(id, step.chain)
  return step.messageKey
}

function senderKeys(n: number): { first: ReceiverChain; keys: Uint8Array[] } {
  let s = newSenderChain()
  const first = receiverChainFrom(shareableChainKey(s))
  const keys: Uint8Array[] = []
  for (let i = 0; i < n; i++) {
    const step = nextSendKey(s, gpk)
    keys.push(step.messageKey)
    s = step.next
  }
  return { first, keys }
}

describe('ChainKeeper: skipped keys in rows of their own', () => {
  it('writes only the keys that came or went; the blob stays small; a restart reads with them', async () => {
    const { db, keeper } = await setup()
    const { first, keys } = senderKeys(400)
    const g = group()
    const k = keeper()
    k.open(g)
    g.chains.set(keyId(device), first)
    // A crash of the sender skipped 300 counters: the chain keeps their keys.
    expect(read(g, 300)).toEqual(keys[300])
    k.saveReceiver(g, device, g.chains.get(keyId(device))!)
    const kept = rows(db)
    expect(kept.map((r) => r.counter)).toEqual(Array.from({ length: 300 }, (_, i) => i))
    expect(blobSize(db)).toBeLessThan(200)

    // 20 messages in order: not one skipped-key row is written again (each seal has its own nonce).
    for (let c = 301; c <= 320; c++) {
      expect(read(g, c)).toEqual(keys[c])
      k.saveReceiver(g, device, g.chains.get(keyId(device))!)
    }
    expect(rows(db)).toEqual(kept)
    expect(blobSize(db)).toBeLessThan(200)

    // A late message at a skipped counter: its row goes, the others stay as they were.
    expect(read(g, 5)).toEqual(keys[5])
    k.saveReceiver(g, device, g.chains.get(keyId(device))!)
    expect(rows(db)).toEqual(kept.filter((r) => r.counter !== 5))

    // After a restart: the keys are back, in order, and read what they read.
    const g2 = group()
    keeper().open(g2)
    const chain = g2.chains.get(keyId(device))!
    expect(chain.counter).toBe(321)
    expect([...chain.skipped.keys()]).toEqual(Array.from({ length: 300 }, (_, i) => i).filter((c) => c !== 5))
    expect(read(g2, 7)).toEqual(keys[7])
    expect(read(g2, 321)).toEqual(keys[321])
    db.close()
  })

  it('after a rollback, the next save writes what the rolled-back one wrote', async () => {
    const { db, keeper } = await setup()
    const { first, keys } = senderKeys(100)
    const g = group()
    const k = keeper()
    k.open(g)
    g.chains.set(keyId(device), first)
    read(g, 10)
    k.saveReceiver(g, device, g.chains.get(keyId(device))!)
    expect(rows(db)).toHaveLength(10)
    // The batch that read counter 50 is rolled back; the chain in memory went ahead anyway.
    expect(() =>
      db.transaction(() => {
        read(g, 50)
        k.saveReceiver(g, device, g.chains.get(keyId(device))!)
        throw new Error('disk full')
      })
    ).toThrow('disk full')
    expect(rows(db)).toHaveLength(10)
    // The next message in order leaves the chain's keys as they are: its save still writes the 39.
    read(g, 51)
    k.saveReceiver(g, device, g.chains.get(keyId(device))!)
    expect(rows(db).map((r) => r.counter)).toEqual([...Array.from({ length: 10 }, (_, i) => i), ...Array.from({ length: 39 }, (_, i) => 11 + i)])
    const g2 = group()
    keeper().open(g2)
    expect(read(g2, 30)).toEqual(keys[30])
    db.close()
  })

  it('a chain stored with its keys in its blob (before migration 0012) moves them to rows at its next save', async () => {
    const { db, sealer, keeper } = await setup()
    const { first, keys } = senderKeys(60)
    const old = receiveKey(first, gpk, 40).chain
    const store = new ChainStore(db)
    store.save(gpk, device, 'recv', sealer.seal(serializeReceiverChain(old)))
    const g = group()
    const k = keeper()
    k.open(g)
    expect([...g.chains.get(keyId(device))!.skipped.keys()]).toHaveLength(40)
    read(g, 41)
    k.saveReceiver(g, device, g.chains.get(keyId(device))!)
    expect(rows(db)).toHaveLength(40)
    expect(blobSize(db)).toBeLessThan(200)
    const g2 = group()
    keeper().open(g2)
    expect(read(g2, 39)).toEqual(keys[39])
    // Leaving the group deletes them with it.
    db.sql.prepare('DELETE FROM groups WHERE group_pk = ?').run(gpk)
    expect(rows(db)).toHaveLength(0)
    db.close()
  })
})
