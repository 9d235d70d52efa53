/**
 * This device's append to a group log, for storages in one SQLite file (core/groups/group-log.ts
 * `appendMany`): what OrbitDB's append does (log.js append, entry.js create/encode, oplog-store.js
 * setHead), written in the caller's transaction, where OrbitDB writes the entry block, index, links
 * and heads in four steps and first decodes every head (for the clock) and traverses from them (for
 * `refs`, always empty with referencesCount 0). The block is the one OrbitDB would write: the same
 * fields, signed over the same bytes, sealed alike; `next` lists the heads newest first, as OrbitDB
 * orders them.
 */
import { toString as toHex } from 'uint8arrays'
import { ed25519Sign, secretboxSeal } from '../crypto'
import { encodeCborBytes, encodeOwnEntry, encodeOwnEntryBody } from './entry-cbor'
import { HEADS_KEY, type HeadRecord, type SyncStorage } from './group-log-storage'
import { GroupLogError, entryFault, isLinks, linksOf, type BertyLogEntry, type EntryPayload } from './log-entry'

export interface OwnWriter {
  logId: string
  writerKey: string
  writerSeed: Uint8Array
  linkKey: Uint8Array
  /** GroupLog.raiseClockFloor: the Lamport time the entry goes past even when the heads are older. */
  clockFloor: number
  hashOf: (bytes: Uint8Array) => string
  /** A head's Lamport time from its block, when its links are not kept. */
  timeOf: (bytes: Uint8Array, hash: string) => number
}

export function appendAtomic(
  w: OwnWriter,
  payload: EntryPayload,
  { entries, heads, index, links }: { entries: SyncStorage; heads: SyncStorage; index: SyncStorage; links: SyncStorage }
): { entry: BertyLogEntry; bytes: Uint8Array } {
  const key = w.writerKey
  const raw = heads.getSync(HEADS_KEY)
  const current: HeadRecord[] = raw instanceof Uint8Array ? (JSON.parse(new TextDecoder().decode(raw)) as HeadRecord[]) : []
  const timed = current.map(({ hash }) => {
    const stored = links.getSync(hash)
    if (isLinks(stored)) return { hash, time: stored.t }
    const bytes = entries.getSync(hash)
    if (!(bytes instanceof Uint8Array)) throw new GroupLogError('ERR_REJECTED', 'a head is missing from storage')
    return { hash, time: w.timeOf(bytes, hash) }
  })
  timed.sort((a, b) => b.time - a.time || (a.hash < b.hash ? 1 : a.hash > b.hash ? -1 : 0))
  const body = {
    id: w.logId,
    payload,
    next: timed.map((h) => h.hash),
    refs: [] as string[],
    clock: { id: key, time: Math.max(timed[0]?.time ?? 0, w.clockFloor) + 1 },
    v: 2 as const
  }
  const sig = toHex(ed25519Sign(w.writerSeed, encodeOwnEntryBody(body)), 'base16')
  const plain = { ...body, key, identity: key, sig }
  const bytes = encodeCborBytes(secretboxSeal(w.linkKey, encodeOwnEntry(plain)))
  const hash = w.hashOf(bytes)
  const entry = { ...plain, hash } as unknown as BertyLogEntry
  const fault = entryFault(entry, w.logId)
  if (fault) throw new GroupLogError('ERR_REJECTED', `could not append: ${fault}`)
  entries.putSync(hash, bytes)
  if (links !== index) index.putSync(hash, true)
  links.putSync(hash, linksOf(entry))
  heads.putSync(HEADS_KEY, new TextEncoder().encode(JSON.stringify([{ hash, next: entry.next }])))
  return { entry, bytes }
}
