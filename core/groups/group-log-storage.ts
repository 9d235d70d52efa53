/**
 * The storage contract of a GroupLog and its options (split from group-log.ts): OrbitDB storages,
 * the synchronous form SQLite storages offer for one-transaction appends and joins, and the heads
 * record as OrbitDB 4.0.0 writes it.
 */
import type { OrbitStorage } from '@orbitdb/core'

export interface GroupLogStorage {
  entries: OrbitStorage
  heads: OrbitStorage
  index: OrbitStorage
  /**
   * Each entry's links, Lamport time and writer ({ n: next, r: refs, t: time, w: writer }), so serving a log to a
   * peer walks the DAG, and sends it parents first, without
   * opening and decoding every block. Optional: without it links come from decoding.
   * May be the `index` storage itself (the app's logs, group-opener.ts): an entry's index value is
   * then its links, truthy as OrbitDB's index wants (oplog-store.js has), so an append writes one
   * row instead of two; an index value `true` (written by OrbitDB itself) reads as "no links kept".
   */
  links?: OrbitStorage
}

export interface EntryLinks {
  next: string[]
  refs: string[]
  /** Lamport time: a parent's is always lower than its children's. */
  time: number
  /** The writer's key (hex); absent in links stored before the writer clock. */
  writer?: string
}

/** Storages that can be written synchronously inside one database transaction. */
export interface SyncStorage {
  putSync(hash: string, data: unknown): void
  getSync(hash: string): unknown
  /** Writes only when the key holds no row; whether it wrote (SqliteOrbitStorage). */
  putIfAbsentSync?(hash: string, data: unknown): boolean
  database: { transaction<T>(fn: () => T): T }
}

export function isSyncStorage(s: unknown): s is SyncStorage {
  return typeof s === 'object' && s !== null && 'putSync' in s && 'getSync' in s && 'database' in s
}

/** OrbitDB 4.0.0 src/oplog/heads.js stores the heads as UTF-8 JSON `[{ hash, next }]` under 'heads'. */
export const HEADS_KEY = 'heads'
export type HeadRecord = { hash: string; next: string[] }

export interface GroupLogOptions {
  /** Deterministic log id, e.g. `/berty/1/<groupPk>/meta`. */
  logId: string
  signPub: Uint8Array
  /** Group signing seed: members only. Replicas open the log without it and cannot append. */
  signSeed?: Uint8Array
  linkKey: Uint8Array
  /** The writing device's per-group Ed25519 seed (members only). */
  writerSeed?: Uint8Array
  storage: GroupLogStorage
}
