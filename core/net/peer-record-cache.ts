/**
 * Peer records kept in memory in front of the node's datastore (issue 8: the idle CPU of a daemon).
 *
 * libp2p 3 merges the negotiated protocol into the peer store on every inbound stream (`connection.js`),
 * and the peer store's `#saveIfDifferent` puts the whole record every time (it stamps `updated`), after a
 * `get` of it: one SQLite read and one SQLite write per stream opened to us — every connection monitor
 * ping, DHT request and identify push, also when nothing changes. Here the records (`/peers/…` keys)
 * are read from memory after the first read, and writes to one record are coalesced: the latest value
 * reaches the datastore at most `flushMs` later (10 s), at `flush()` (called when libp2p stops), and
 * before any query, batch or multi-key operation (which therefore see every write made before them).
 * Every other key goes straight through.
 *
 * Claims: reads see the last write (memory first); a query sees every write made before it; memory is
 * bounded (`maxRecords`: past it, pending writes are flushed and the cache is dropped).
 * Disclaims: a crash (kill -9) loses up to `flushMs` of peer-record updates (addresses, protocols,
 * tags): peer records are soft state that identify and discovery rebuild; nothing else is delayed.
 */
import { Key, type Batch, type Datastore, type KeyQuery, type Pair, type Query } from 'interface-datastore'
import type { AbortOptions } from '@libp2p/interface'

/** @libp2p/peer-store's key prefix (`peerIdToDatastoreKey`). */
const PEERS_PREFIX = '/peers/'

export interface PeerRecordCacheInit {
  /** Keys held in memory: those starting with this. Default `/peers/` (the compliance suite runs it with `/`). */
  prefix?: string
  /** Longest a record write waits in memory. Default 10 s. */
  flushMs?: number
  /** Most records held. Default 4,096. */
  maxRecords?: number
  /** Called when a flush fails (the records stay pending and are retried at the next one). */
  onError?: (err: unknown) => void
}

export interface PeerRecordCache extends Datastore {
  /** Writes every pending record now. */
  flush(): Promise<void>
  /** Writes still waiting for the next flush (for tests and the bench). */
  pending(): number
}

type AnyIterable<T> = Iterable<T> | AsyncIterable<T>

export function peerRecordCache(inner: Datastore, init: PeerRecordCacheInit = {}): PeerRecordCache {
  const flushMs = init.flushMs ?? 10_000
  const maxRecords = init.maxRecords ?? 4096
  const cache = new Map<string, Uint8Array>()
  const dirty = new Map<string, Uint8Array>()
  let timer: ReturnType<typeof setTimeout> | undefined
  let flushing: Promise<void> = Promise.resolve()

  const prefix = init.prefix ?? PEERS_PREFIX
  const isPeer = (key: Key): boolean => key.toString().startsWith(prefix)

  const flush = async (): Promise<void> => {
    clearTimeout(timer)
    timer = undefined
    const run = flushing.then(async () => {
      if (dirty.size === 0) return
      const out = [...dirty]
      dirty.clear()
      try {
        const b = inner.batch()
        for (const [k, v] of out) b.put(new Key(k), v)
        await b.commit()
      } catch (err) {
        // Kept for the next flush unless written again meanwhile.
        for (const [k, v] of out) if (!dirty.has(k)) dirty.set(k, v)
        init.onError?.(err)
        schedule()
      }
    })
    flushing = run.catch(() => {})
    return run
  }

  function schedule(): void {
    if (timer !== undefined || dirty.size === 0) return
    timer = setTimeout(() => void flush(), flushMs)
    timer.unref?.()
  }

  const remember = (k: string, value: Uint8Array): void => {
    if (!cache.has(k) && cache.size >= maxRecords) {
      // Over the bound: the pending writes go out (in the background) and the read cache is dropped.
      void flush()
      cache.clear()
    }
    cache.set(k, value)
  }

  const forget = (key: Key): void => {
    const k = key.toString()
    cache.delete(k)
    dirty.delete(k)
  }

  async function* tapKeys(source: AnyIterable<Key>): AsyncGenerator<Key> {
    for await (const key of source) {
      if (isPeer(key)) forget(key)
      yield key
    }
  }

  async function* tapPairs(source: AnyIterable<Pair>): AsyncGenerator<Pair> {
    for await (const pair of source) {
      if (isPeer(pair.key)) forget(pair.key)
      yield pair
    }
  }

  const store: PeerRecordCache = {
    async put(key: Key, value: Uint8Array, options?: AbortOptions): Promise<Key> {
      if (!isPeer(key)) return inner.put(key, value, options)
      options?.signal?.throwIfAborted()
      const k = key.toString()
      remember(k, value)
      dirty.set(k, value)
      schedule()
      return key
    },
    async get(key: Key, options?: AbortOptions): Promise<Uint8Array> {
      if (!isPeer(key)) return inner.get(key, options)
      options?.signal?.throwIfAborted()
      const hit = cache.get(key.toString())
      if (hit !== undefined) return hit
      const value = await inner.get(key, options)
      // A write that landed while we read wins.
      const k = key.toString()
      const now = cache.get(k)
      if (now !== undefined) return now
      remember(k, value)
      return value
    },
    async has(key: Key, options?: AbortOptions): Promise<boolean> {
      options?.signal?.throwIfAborted()
      if (isPeer(key) && cache.has(key.toString())) return true
      return inner.has(key, options)
    },
    async delete(key: Key, options?: AbortOptions): Promise<void> {
      if (isPeer(key)) forget(key)
      await inner.delete(key, options)
    },
    async *putMany(source: AnyIterable<Pair>, options?: AbortOptions): AsyncGenerator<Key> {
      await flush()
      yield* inner.putMany(tapPairs(source), options)
    },
    async *getMany(source: AnyIterable<Key>, options?: AbortOptions): AsyncGenerator<Pair> {
      await flush()
      yield* inner.getMany(source, options)
    },
    async *deleteMany(source: AnyIterable<Key>, options?: AbortOptions): AsyncGenerator<Key> {
      await flush()
      yield* inner.deleteMany(tapKeys(source), options)
    },
    batch(): Batch {
      const b = inner.batch()
      const touched: Key[] = []
      return {
        put(key: Key, value: Uint8Array) {
          touched.push(key)
          b.put(key, value)
        },
        delete(key: Key) {
          touched.push(key)
          b.delete(key)
        },
        async commit(options?: AbortOptions) {
          await flush()
          for (const key of touched) if (isPeer(key)) forget(key)
          await b.commit(options)
        }
      }
    },
    async *query(q: Query, options?: AbortOptions): AsyncGenerator<Pair> {
      await flush()
      yield* inner.query(q, options)
    },
    async *queryKeys(q: KeyQuery, options?: AbortOptions): AsyncGenerator<Key> {
      await flush()
      yield* inner.queryKeys(q, options)
    },
    flush,
    pending: () => dirty.size
  }
  return store
}
