/**
 * One Berty group log (metadata or messages) on OrbitDB's oplog.
 *
 * What OrbitDB gives us: the hash-linked DAG, Lamport clocks, heads, traversal and join.
 * What we add (PROTOCOL.md "Groups", "Group signing key", "Link key"):
 * - Writers are member devices: the OrbitDB identity is the device's per-group Ed25519
 *   key (fast node:crypto verification instead of OrbitDB's default secp256k1).
 * - Every payload is `{ v, s, g }`: `s` is sealed with the group secret by core/protocol,
 *   `g` is the group-signing-key signature over (logId, writer, s). The access controller
 *   checks `g` with `signPub` only, so a replica verifies entries it cannot read, and an
 *   outsider (no group secret) cannot append.
 * - Whole entry blocks are sealed with the link key (OrbitDB "replication" encryption), so
 *   what travels and what is stored reveals nothing to non-members.
 *
 * Rejection rule (why one bad entry never blocks later good ones): log-level validity is
 * stateless — structure, group signature, writer signature — so every honest writer
 * applies the same rule and never links to an entry others would reject. Semantic checks
 * that depend on group state (membership, ratchet) happen above the log, where a bad event
 * is logged and skipped while the entry itself stays in the DAG. The sync layer verifies
 * entries one by one before joining (see ./sync/pull.ts) and rejects an entry only for its
 * own faults or for descending from a rejected entry.
 */
import { Log, type LogEntry, type OrbitAccessController, type OrbitIdentity, type OrbitLog } from '@orbitdb/core'
import * as dagCbor from '@ipld/dag-cbor'
import { base58btc } from 'multiformats/bases/base58'
import { toString as toHex } from 'uint8arrays'
import { ed25519PublicFromSeed, ed25519Sign, fastSha256, ed25519Verify, secretboxOpen, secretboxSeal } from '../crypto'
import { entryAuthMessage, MAX_SEALED_ENTRY_BYTES, signEntry, verifyEntry } from '../protocol/group/entry-auth'
import { fromHex } from '../bytes'
import { decodeCborBytes } from './entry-cbor'
import { decodeOpenedEntry } from './entry-decode'
import { HEADS_KEY, isSyncStorage, type EntryLinks, type GroupLogOptions, type GroupLogStorage, type HeadRecord, type SyncStorage } from './group-log-storage'
import type { VerifyItem } from './verify-pool'
import { VerifiedEntries } from './verified-entries'
import { healLog, type HealResult } from './log-heal'
import { appendAtomic } from './log-append'
import { WriterClock } from './writer-clock'
import { GroupLogError, HEX128, HEX64, MAX_ENTRY_BLOCK_BYTES, entryFault, isLinks, linksOf, writerSignedBytes, type BertyLogEntry, type EntryPayload } from './log-entry'

export { MAX_ENTRY_BLOCK_BYTES, GroupLogError, entryFault, compareEntries, type BertyLogEntry, type EntryPayload } from './log-entry'
export type { EntryLinks, GroupLogOptions, GroupLogStorage } from './group-log-storage'

const SHA2_256 = 0x12
/** CIDv1 ‖ dag-cbor ‖ sha2-256 ‖ digest length 32, each a one-byte varint. */
const CID_PREFIX = new Uint8Array([0x01, dagCbor.code, SHA2_256, 32])

export class GroupLog {
  readonly logId: string
  private readonly signPub: Uint8Array
  private readonly signSeed: Uint8Array | undefined
  private readonly linkKey: Uint8Array
  private readonly writerSeed: Uint8Array | undefined
  private readonly writerPk: Uint8Array | undefined
  /** `writerPk` in hex, as entries carry it (formatted once, not per append). */
  private readonly writerHex: string | undefined
  /** Checked entries not yet joined (./verified-entries.ts). */
  private readonly verified = new VerifiedEntries()
  private closed = false
  private readonly storage: GroupLogStorage
  private clockFloor = 0
  /** Links are kept as the index values (GroupLogStorage.links). */
  private readonly linksInIndex: boolean
  /** The payload `append` is signing right now: the access check need not verify it again. */
  private ownPayload: EntryPayload | undefined
  private readonly clock: WriterClock

  private constructor(
    opts: GroupLogOptions,
    private readonly oplog: OrbitLog
  ) {
    this.storage = opts.storage
    this.linksInIndex = opts.storage.links === opts.storage.index
    this.clock = new WriterClock(opts.storage.index, opts.storage.links)
    this.logId = opts.logId
    this.signPub = opts.signPub
    this.signSeed = opts.signSeed
    this.linkKey = opts.linkKey
    this.writerSeed = opts.writerSeed
    this.writerPk = opts.writerSeed ? ed25519PublicFromSeed(opts.writerSeed) : undefined
    this.writerHex = this.writerPk ? toHex(this.writerPk, 'base16') : undefined
  }

  static async open(opts: GroupLogOptions): Promise<GroupLog> {
    if (opts.signPub.length !== 32 || opts.linkKey.length !== 32) throw new TypeError('signPub and linkKey must be 32 bytes')
    // OrbitDB wants the identity and access controller before the log exists; they call
    // back into the GroupLog built right after.
    const ref: { self?: GroupLog } = {}
    const identity = GroupLog.identityFor(opts, (sig, key, data) => ref.self!.verifyWriterSig(sig, key, data))
    const access: OrbitAccessController = {
      type: 'berty-group-signature',
      canAppend: async (entry) => ref.self!.canAppend(entry)
    }
    const linkKey = opts.linkKey
    // Stored blocks are opened each time OrbitDB reads one (its heads() and traversals): no memo of
    // their plaintext. One of 4,096 blocks per log, filled by the metadata replay at open, held 6 MB
    // per log of 5,000 small entries for as long as the group stayed open, and made that traversal
    // slower, not faster (measured: 160-220 ms with it, 116-175 ms without, same log).
    const oplog = await Log(identity, {
      logId: opts.logId,
      access,
      entryStorage: opts.storage.entries,
      headsStorage: opts.storage.heads,
      indexStorage: opts.storage.index,
      encryption: {
        replication: {
          encrypt: async (bytes) => secretboxSeal(linkKey, bytes),
          decrypt: async (bytes) => secretboxOpen(linkKey, bytes)
        }
      }
    })
    ref.self = new GroupLog(opts, oplog)
    return ref.self
  }

  private static identityFor(
    opts: GroupLogOptions,
    verify: (sig: string, key: string, data: Uint8Array) => Promise<boolean>
  ): OrbitIdentity {
    const seed = opts.writerSeed
    const pkHex = seed ? toHex(ed25519PublicFromSeed(seed), 'base16') : '0'.repeat(64)
    return {
      id: pkHex,
      publicKey: pkHex,
      hash: pkHex,
      type: 'berty-device',
      signatures: { id: '', publicKey: '' },
      sign: async (_identity, data) => {
        if (!seed) throw new GroupLogError('ERR_READ_ONLY', 'this replica holds no writer key')
        return toHex(ed25519Sign(seed, data), 'base16')
      },
      verify
    }
  }

  get canWrite(): boolean {
    return this.signSeed !== undefined && this.writerSeed !== undefined
  }

  /** Hex public key this node writes with, if it writes. */
  get writerKey(): string | undefined {
    return this.writerHex
  }

  private async verifyWriterSig(sig: string, key: string, data: Uint8Array): Promise<boolean> {
    if (this.verified.hasSig(sig)) return true
    if (!HEX64.test(key) || !HEX128.test(sig)) return false
    const ok = ed25519Verify(fromHex(key), data, fromHex(sig))
    if (ok) this.verified.addSig(sig)
    return ok
  }

  private async canAppend(entry: LogEntry): Promise<boolean> {
    if (this.verified.accessChecked(entry.hash)) return true
    // Our own append: the payload object is the one `append` just signed.
    if (entry.payload === this.ownPayload && entry.key === this.writerKey) return entryFault(entry, this.logId) === null
    return this.accessFault(entry) === null
  }

  /** Group-signature check (the access controller), stateless. */
  private accessFault(entry: LogEntry): string | null {
    const fault = entryFault(entry, this.logId)
    if (fault) return fault
    const p = entry.payload as EntryPayload
    const ok = verifyEntry(this.signPub, this.logId, fromHex(entry.key), p.s, p.g)
    return ok ? null : 'group signature does not verify'
  }

  /**
   * Full verification of an entry received from the network: structure, group signature
   * and writer signature. Returns the fault or null; marks verified entries so the join
   * that follows does not verify them twice.
   */
  async verifyReceived(entry: LogEntry): Promise<string | null> {
    // The gossip validator and the receive path see the same entry: verify it once.
    if (this.verified.has(entry)) return null
    const prepared = this.prepareVerification(entry)
    if ('fault' in prepared) return prepared.fault
    const [group, writer] = prepared.items
    if (!ed25519Verify(...group)) return 'group signature does not verify'
    if (!ed25519Verify(...writer)) return 'writer signature does not verify'
    this.markVerified(entry)
    return null
  }


  /**
   * The stateless checks of `verifyReceived` split for batch verification: the structural fault
   * (if any) now, and the two signatures (group, writer) as items for a VerifyPool. Call
   * `markVerified` for entries whose items all verified.
   */
  prepareVerification(entry: LogEntry): { fault: string } | { items: [VerifyItem, VerifyItem] } {
    const fault = entryFault(entry, this.logId)
    if (fault) return { fault }
    let signed: Uint8Array
    try {
      signed = writerSignedBytes(entry)
    } catch {
      return { fault: 'entry does not encode' }
    }
    const p = entry.payload as EntryPayload
    const writer = fromHex(entry.key)
    return {
      items: [
        [this.signPub, entryAuthMessage(this.logId, writer, p.s), p.g],
        [writer, signed, fromHex(entry.sig)]
      ]
    }
  }

  /** Whether `verifyReceived` (or a batch verification) already passed for this entry. */
  isVerified(entry: LogEntry): boolean {
    return this.verified.has(entry)
  }

  markVerified(entry: LogEntry): void {
    this.verified.add(entry)
  }

  /** Checked entries not yet joined, remembered now (they are forgotten as they join). */
  get verifiedInFlight(): { sigs: number; hashes: number } {
    return this.verified.size
  }

  /**
   * Decode a link-key sealed block as stored and transferred; throws on garbage. Same result as
   * OrbitDB's Entry.decode with replication decryption (src/oplog/entry.js decode): the hash is
   * the CIDv1 (dag-cbor, sha2-256) of the sealed block in base58btc. Done directly because
   * Entry.decode also hashes the inner block for a CID it discards.
   */
  async decode(bytes: Uint8Array, knownHash?: string): Promise<BertyLogEntry> {
    return this.decodeSync(bytes, knownHash)
  }

  private decodeSync(bytes: Uint8Array, knownHash?: string): BertyLogEntry {
    if (bytes.length > MAX_ENTRY_BLOCK_BYTES) throw new GroupLogError('ERR_TOO_LARGE', 'entry block too large')
    const sealed: unknown = decodeCborBytes(bytes) ?? dagCbor.decode(bytes)
    if (!(sealed instanceof Uint8Array)) throw new GroupLogError('ERR_REJECTED', 'entry block is not a sealed entry')
    // `knownHash` is this block's hashOf, computed by the caller moments ago.
    return decodeOpenedEntry(secretboxOpen(this.linkKey, sealed), knownHash ?? this.hashOf(bytes))
  }

  /** The entry hash of a stored/transferred block: its CIDv1 (dag-cbor, sha2-256), base58btc. */
  hashOf(bytes: Uint8Array): string {
    // The CID's bytes written directly (version 1, dag-cbor, sha2-256, 32; one-byte varints): what
    // CID.createV1(...).toString(base58btc) gives, without building and caching a CID object per
    // received block (tests/unit/groups/group-log-hash.test.ts compares the two).
    const cid = new Uint8Array(CID_PREFIX.length + 32)
    cid.set(CID_PREFIX)
    cid.set(fastSha256(bytes), CID_PREFIX.length)
    return base58btc.encode(cid)
  }

  /** Links of an entry in this log, from the links store when kept there. */
  async getLinks(hash: string): Promise<EntryLinks | undefined> {
    const stored = await this.storage.links?.get(hash)
    if (isLinks(stored)) return { next: stored.n, refs: stored.r, time: stored.t, writer: stored.w }
    const entry = await this.get(hash)
    if (!entry) return undefined
    // Kept in the index only for an entry that is in the log: a block in entry storage that no
    // join indexed must not start to count as joined.
    if (!this.linksInIndex || stored != null) await this.storage.links?.put(hash, linksOf(entry))
    return { next: entry.next, refs: entry.refs, time: entry.clock.time, writer: entry.key }
  }

  /** Per writer key, the latest Lamport time held here: a fetch request's version vector (writer-clock.ts). */
  writerClock(): Promise<ReadonlyMap<string, number>> {
    return this.clock.get()
  }

  /**
   * Append a payload sealed by core/protocol; returns the new entry and its block bytes.
   * `within` runs once the entry is in the log: for SQLite storages inside the same transaction
   * (whatever it writes commits, or rolls back, with the entry: one commit per send).
   */
  async append(sealed: Uint8Array, within?: (entry: BertyLogEntry) => void): Promise<{ entry: BertyLogEntry; bytes: Uint8Array }> {
    const [one] = await this.appendMany([sealed], within && ((entries) => within(entries[0]!)))
    return one!
  }

  /** Appends each payload in order (each entry's `next` is the one before); see `append`. */
  async appendMany(
    sealed: readonly Uint8Array[],
    within?: (entries: BertyLogEntry[]) => void
  ): Promise<Array<{ entry: BertyLogEntry; bytes: Uint8Array }>> {
    if (this.closed) throw new GroupLogError('ERR_CLOSED', 'log is closed')
    if (!this.signSeed || !this.writerPk) throw new GroupLogError('ERR_READ_ONLY', 'this replica cannot append')
    if (sealed.some((s) => s.length > MAX_SEALED_ENTRY_BYTES)) throw new GroupLogError('ERR_TOO_LARGE', 'payload too large')
    const payloads = sealed.map((s): EntryPayload => ({ v: 1, s, g: signEntry(this.signSeed!, this.logId, this.writerPk!, s) }))
    const { entries, heads, index, links } = this.storage
    if (isSyncStorage(entries) && isSyncStorage(heads) && isSyncStorage(index) && isSyncStorage(links)) {
      const out = entries.database.transaction(() => {
        const own = {
          logId: this.logId,
          writerKey: this.writerKey!,
          writerSeed: this.writerSeed!,
          linkKey: this.linkKey,
          clockFloor: this.clockFloor,
          hashOf: (bytes: Uint8Array) => this.hashOf(bytes),
          timeOf: (bytes: Uint8Array, hash: string) => this.decodeSync(bytes, hash).clock.time
        }
        const out = payloads.map((p) => appendAtomic(own, p, { entries, heads, index, links }))
        within?.(out.map((o) => o.entry))
        return out
      })
      // Noted once committed: the clock claims only entries that are in the log.
      for (const { entry } of out) this.clock.note(entry.key, entry.clock.time)
      return out
    }
    const out: Array<{ entry: BertyLogEntry; bytes: Uint8Array }> = []
    for (const p of payloads) out.push(await this.appendThroughOrbit(p))
    within?.(out.map((o) => o.entry))
    return out
  }

  /** OrbitDB's own append, for storages that cannot share a transaction (tests, memory). */
  private async appendThroughOrbit(payload: EntryPayload): Promise<{ entry: BertyLogEntry; bytes: Uint8Array }> {
    this.ownPayload = payload
    let entry: BertyLogEntry
    try {
      entry = (await this.oplog.append(payload, { referencesCount: 0 })) as BertyLogEntry
    } finally {
      this.ownPayload = undefined
    }
    const bytes = await this.getBytes(entry.hash)
    if (!bytes) throw new Error('appended entry missing from storage')
    await this.storage.links?.put(entry.hash, linksOf(entry))
    this.clock.note(entry.key, entry.clock.time)
    return { entry, bytes }
  }

  /**
   * The Lamport time an append goes past even when the heads are older: a log that lost entries in a
   * repair resumes from the heads it has left, and its next entry would sort among what it wrote
   * before, here and at every peer that holds the lost entries (group-opener.ts raises it to the
   * newest message this device indexed).
   */
  raiseClockFloor(time: number): void {
    if (Number.isSafeInteger(time) && time > this.clockFloor) this.clockFloor = time
  }

  /** After a repair of the database: index rows whose entry is gone go, heads naming one are rebuilt (log-heal.ts). */
  async heal(): Promise<HealResult> {
    return healLog(this.storage, (bytes, hash) => {
      const e = this.decodeSync(bytes, hash)
      return { next: e.next, time: e.clock.time }
    })
  }

  /** Hashes of the heads, read from the heads record without decoding any entry. */
  async headHashes(): Promise<string[]> {
    const heads = this.storage.heads
    const raw = isSyncStorage(heads) ? heads.getSync(HEADS_KEY) : await heads.get(HEADS_KEY)
    if (raw instanceof Uint8Array) {
      const list = JSON.parse(new TextDecoder().decode(raw)) as HeadRecord[]
      return list.map((h) => h.hash)
    }
    return raw === undefined ? [] : (await this.oplog.heads()).map((e) => e.hash)
  }

  async heads(): Promise<BertyLogEntry[]> {
    return (await this.oplog.heads()) as BertyLogEntry[]
  }

  async has(hash: string): Promise<boolean> {
    // What OrbitDB's has() reads (oplog-store.js: the index row), read directly from a SQLite index:
    // asked for every entry that arrives, its async layers cost 4 % of a 25-member join's CPU.
    const index = this.storage.index
    if (isSyncStorage(index)) return index.getSync(hash) != null
    return this.oplog.has(hash)
  }

  async get(hash: string): Promise<BertyLogEntry | undefined> {
    return (await this.oplog.get(hash)) as BertyLogEntry | undefined
  }

  /** The stored (link-key sealed) block of an entry, as sent to peers. */
  async getBytes(hash: string): Promise<Uint8Array | undefined> {
    const v = await this.oplog.storage.get(hash)
    return v instanceof Uint8Array ? v : undefined
  }

  /**
   * Join entries that were verified one by one with `verifyReceived`. `blocks` must be
   * closed under links: every next/ref is either already in the log or in `blocks`.
   * Returns the entries that are new to the log (those it held already are skipped).
   * `within` runs with those entries (when there are any) once they are in the log: for SQLite
   * storages inside the join's transaction, as for `appendMany`; if it throws, the join rolls back.
   */
  async joinVerified(
    blocks: Map<string, { entry: BertyLogEntry; bytes: Uint8Array }>,
    within?: (added: BertyLogEntry[]) => void
  ): Promise<BertyLogEntry[]> {
    if (this.closed) throw new GroupLogError('ERR_CLOSED', 'log is closed')
    const { entries, heads, index, links } = this.storage
    if (isSyncStorage(entries) && isSyncStorage(heads) && isSyncStorage(index) && (links === undefined || isSyncStorage(links))) {
      const added = this.joinVerifiedAtomic(blocks, entries, heads, index, links, within)
      for (const e of added) this.clock.note(e.key, e.clock.time)
      this.verified.forget(blocks.values())
      return added
    }
    const fresh: typeof blocks = new Map()
    for (const [h, b] of blocks) if (!(await this.oplog.has(h))) fresh.set(h, b)
    const referenced = new Set<string>()
    for (const { entry } of fresh.values()) for (const l of [...entry.next, ...entry.refs]) referenced.add(l)
    // Stage the blocks so OrbitDB's traversal finds them locally (never on the network).
    for (const [hash, { bytes }] of fresh) await this.oplog.storage.put(hash, bytes)
    const added: BertyLogEntry[] = []
    const tips = [...fresh.values()].filter(({ entry }) => !referenced.has(entry.hash))
    for (const { entry } of tips) await this.oplog.joinEntry(entry)
    for (const { entry } of fresh.values()) if (await this.oplog.has(entry.hash)) added.push(entry)
    for (const e of added) this.clock.note(e.key, e.clock.time)
    if (added.length > 0) within?.(added)
    this.verified.forget(fresh.values())
    return added
  }

  /**
   * The batch join of entries verified one by one, for storages in one SQLite file: blocks,
   * index and heads are written in ONE transaction, so a crash leaves the log either before or
   * after the batch (OrbitDB's joinEntry writes them in three steps), and nothing is decoded
   * or verified a second time. Does what joinEntry does (log.js): index every entry; heads =
   * the entries (old heads included) that no entry's `next` points to (heads.js findHeads).
   */
  private joinVerifiedAtomic(
    blocks: Map<string, { entry: BertyLogEntry; bytes: Uint8Array }>,
    entries: SyncStorage,
    heads: SyncStorage,
    index: SyncStorage,
    links: SyncStorage | undefined,
    within?: (added: BertyLogEntry[]) => void
  ): BertyLogEntry[] {
    return entries.database.transaction(() => {
      const added: BertyLogEntry[] = []
      // Links kept in the index (the app's logs): claiming the index row is the "already joined?" test.
      const claim = links === index ? index.putIfAbsentSync?.bind(index) : undefined
      for (const [hash, { entry, bytes }] of blocks) {
        if (claim) {
          if (!claim(hash, linksOf(entry))) continue
        } else {
          if (index.getSync(hash) != null) continue
          if (links !== index) index.putSync(hash, true)
          links?.putSync(hash, linksOf(entry))
        }
        entries.putSync(hash, bytes)
        added.push(entry)
      }
      if (added.length === 0) return added
      const raw = heads.getSync(HEADS_KEY)
      const current: HeadRecord[] = raw instanceof Uint8Array ? (JSON.parse(new TextDecoder().decode(raw)) as HeadRecord[]) : []
      const all = new Map<string, HeadRecord>()
      for (const h of current) all.set(h.hash, h)
      for (const e of added) all.set(e.hash, { hash: e.hash, next: e.next })
      const pointedTo = new Set<string>()
      for (const h of all.values()) for (const n of h.next) pointedTo.add(n)
      const next = [...all.values()].filter((h) => !pointedTo.has(h.hash))
      heads.putSync(HEADS_KEY, new TextEncoder().encode(JSON.stringify(next)))
      within?.(added)
      return added
    })
  }

  traverse(from?: BertyLogEntry[], stop?: (e: BertyLogEntry) => boolean): AsyncGenerator<BertyLogEntry> {
    return this.oplog.traverse(from ?? null, stop as ((e: LogEntry) => boolean) | undefined) as AsyncGenerator<BertyLogEntry>
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.oplog.close()
  }
}
