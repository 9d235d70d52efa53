/**
 * Bulk catch-up: a pull asks for wanted hashes plus what it already has (heads and a skip-list
 * of ancestors); the responder streams every entry reachable from the wants that the requester
 * lacks, parents first, in batches. Every entry is verified on its own (structure, group
 * signature, writer signature) before anything is joined; an entry is rejected only for its own
 * faults or for descending from a rejected entry, and valid entries around it still land.
 */
import type { PeerId } from '@libp2p/interface'
import { compareEntries, type BertyLogEntry } from '../group-log'
import type { VerifyItem } from '../verify-pool'
import { SyncError } from './errors'
import { DEFAULT_FETCH_LIMIT, FrameStream, MAX_HAVES, MAX_WANTS, clockField } from './frames'
import type { Registered, Staged, SyncContext } from './types'

/** Recompute the skip-list of `haveHints` once this many entries joined since the last walk. */
const HINTS_REFRESH = 64
/** Deepest skip-list hint (2^12): deeper gaps resolve through wants, a round at a time. */
const HINTS_MAX_DEPTH = 4096
/**
 * Largest incremental join of a pull. Each join is one commit, and a commit rewrites every index
 * page its entries touch (hashes land at random places in the B-trees), so a backlog joined a frame
 * at a time wrote each page again per frame. The first join takes the first verified frame (shown
 * at once); each next one waits for four times as many entries, up to this.
 */
export const JOIN_BATCH_MAX = 2048

/** Why a staged entry may or may not join (`Puller.closure`). */
type Verdict = 'ok' | 'rejected' | 'unavailable'

export class Puller {
  constructor(private readonly ctx: SyncContext) {}

  /**
   * After a heads exchange: what the peer's heads name that we lack (and then announce it). Heads
   * we lack are often entries still on their way by gossip (the peer announced a pull while the
   * same burst was being relayed to us): unless our log holds nothing of others, wait the gap
   * grace and ask only for what is still missing, so in-flight entries are not fetched twice and
   * do not set off another round of announcements. A newcomer holds only its own join entries:
   * it pulls at once (waiting cost every join the grace, ~150 ms, before the member list and the
   * chain-key hand-over could start).
   */
  async pullIfMissing(reg: Registered, peer: PeerId, heads: string[], announce = true): Promise<void> {
    let wants = await this.missing(reg, heads)
    if (wants.length === 0) return
    if (await this.holdsOthers(reg)) {
      await new Promise((r) => setTimeout(r, this.ctx.gapGraceMs()))
      if (!this.ctx.active(reg)) return
      wants = await this.missing(reg, wants)
      if (wants.length === 0) return
    }
    await this.pull(reg, peer, wants, announce)
  }

  /** Whether the log holds an entry another writer wrote (not only ours, not empty). */
  private async holdsOthers(reg: Registered): Promise<boolean> {
    if (reg.othersHeld) return true
    const own = reg.log.writerKey
    for (const writer of (await reg.log.writerClock()).keys()) {
      if (writer !== own) return (reg.othersHeld = true)
    }
    return false
  }

  private async missing(reg: Registered, hashes: string[]): Promise<string[]> {
    const out: string[] = []
    for (const h of hashes) if (!reg.rejected.has(h) && !(await reg.log.has(h))) out.push(h)
    return out
  }

  /**
   * Pull `wants` and everything they descend from that we lack, from one peer, in
   * batches. Deduplicated per (log, peer): concurrent triggers share one pull.
   *
   * `announce`: offer our new heads to the topic peers afterwards (heads.ts `announce`). Wanted
   * after a heads exchange, whose entries may never have been gossiped near our peers; not after
   * a gap pull, which brings the ancestry of gossiped entries: gossip carried that ancestry to
   * our peers too, and where it did not, the settle exchange finds it.
   */
  async pull(reg: Registered, peer: PeerId, wants: string[], announce = false): Promise<void> {
    if (!this.ctx.active(reg)) return
    const key = peer.toString()
    // A newcomer learns of the backlog from every member at once (each one's heads exchange on its
    // subscription): pulled from each, the whole log came once per member (a 50th member joining:
    // 51,304 entries pulled for a log of 2,600). While the log holds nothing of others, one pull
    // at a time; the others then ask for what is still missing, if anything. If that pull fails,
    // the next one waiting takes over.
    const runningBefore = (): Promise<void> | undefined => reg.fetching.get(key) ?? reg.firstCatchUp
    for (let running = runningBefore(); running; running = runningBefore()) {
      await running
      if (!this.ctx.active(reg)) return
      // The running pull may have covered these wants (a burst of gossiped entries with one
      // gap each, or the backlog): ask only for what is still missing, if anything.
      const left = await this.missing(reg, wants)
      if (left.length === 0) {
        // Brought by a pull that may not have announced them.
        if (announce) this.ctx.announce(reg, peer)
        return
      }
      wants = left
    }
    const task = this.pullLoop(reg, peer, wants, announce).finally(() => reg.fetching.delete(key))
    reg.fetching.set(key, task)
    if (!reg.othersHeld) {
      const first = task.then(
        () => undefined,
        () => undefined
      )
      reg.firstCatchUp = first
      void first.then(() => {
        if (reg.firstCatchUp === first) reg.firstCatchUp = undefined
      })
    }
    await task
  }

  private async pullLoop(reg: Registered, peer: PeerId, initialWants: string[], announce: boolean): Promise<void> {
    // A log that holds nothing of others (empty, or only our own join and first messages) is a
    // first catch-up: it waits for the keys (catchup-gate.ts) and takes the backlog in one round.
    const first = !(await this.holdsOthers(reg))
    if (reg.beforeCatchUp && first) {
      await reg.beforeCatchUp(reg.ended.signal)
      if (!this.ctx.active(reg)) return
    }
    const staged: Staged = new Map()
    let wants = [...new Set(initialWants)]
    let received = 0
    let added = 0
    // Entries arrive parents first, so after each verified frame whatever has its whole ancestry
    // is joined and indexed while the transfer goes on. One join at a time, in arrival order.
    const inLog = new Set<string>()
    let joining: Promise<void> = Promise.resolve()
    let joinAt = 1
    const joinReady = async (final: boolean): Promise<void> => {
      if (!final && staged.size < joinAt) return
      const ordered = [...staged.values()].sort((a, b) => compareEntries(a.entry, b.entry))
      const ready: Staged = new Map()
      for (const s of ordered) {
        let ok = true
        for (const l of [...s.entry.next, ...s.entry.refs]) {
          if (ready.has(l) || inLog.has(l)) continue
          if (staged.has(l) || reg.rejected.has(l)) {
            ok = false // its parent is waiting too, or was rejected
            break
          }
          if (await reg.log.has(l)) {
            inLog.add(l)
            continue
          }
          ok = false // not here yet
          break
        }
        if (ok) ready.set(s.entry.hash, s)
      }
      if (ready.size === 0) return
      joinAt = Math.min(JOIN_BATCH_MAX, ready.size * 4)
      for (const h of ready.keys()) staged.delete(h)
      added += await this.ctx.join(reg, ready)
      for (const h of ready.keys()) inLog.add(h)
    }
    const scheduleJoin = (final = false): void => {
      joining = joining.then(() => joinReady(final)).catch((err: unknown) => {
        this.ctx.logger('debug', 'sync: incremental join failed', { log: reg.log.logId, error: String(err) })
      })
    }
    // How many entries to ask for. A first catch-up takes the whole backlog in one round.
    // Otherwise the gap is usually shallow (entries gossiped out of causal order), and the haves
    // (heads and a skip-list) cannot stop the responder's walk on every branch we already hold:
    // asking for the whole ancestry resent most of the log on every gap. So the first round asks
    // for the wanted entries alone, and each further round for their missing parents, the limit
    // growing fourfold per round so a deep gap still takes few rounds; and at least as far as the
    // Lamport times say the wanted entries are ahead of what we hold. That depth tells a backlog
    // from a gap: a catch-up that broke off (a reset link, a restart) or a member back after days
    // away holds others' entries, yet lacks thousands (from 1 entry up, a resumed 7,000 took 8
    // rounds, each a walk on the responder, 4 times as long as one round).
    let limit = first ? DEFAULT_FETCH_LIMIT : 0
    while (wants.length > 0) {
      const before = received
      const asked = wants.slice(0, MAX_WANTS)
      limit = Math.min(DEFAULT_FETCH_LIMIT, Math.max(limit * 4, asked.length))
      const round = await this.fetchRound(reg, peer, asked, staged, scheduleJoin, () => joining, limit)
      received += round.staged
      reg.onProgress?.({ received, done: false })
      scheduleJoin(true)
      await joining
      // What do the entries still waiting link to that is neither here nor staged?
      const missing = new Set<string>()
      for (const { entry } of staged.values()) {
        for (const l of [...entry.next, ...entry.refs]) {
          if (!staged.has(l) && !reg.rejected.has(l) && !(await reg.log.has(l))) missing.add(l)
        }
      }
      for (const w of wants) if (!staged.has(w) && !reg.rejected.has(w) && !(await reg.log.has(w)) && round.more) missing.add(w)
      if (received === before) break // no progress: the peer has nothing more for us
      wants = [...missing]
      limit = Math.max(limit, await this.depthAhead(reg, staged))
    }
    await joining
    // What is left could not join: it descends from a rejected entry, or the peer lacked part of
    // its ancestry. The closure check marks the first kind as rejected.
    const closed = this.closure(reg, staged, await this.presentSet(reg, staged))
    if (closed.size > 0) added += await this.ctx.join(reg, closed)
    if (staged.size > closed.size) {
      this.ctx.logger('warn', 'sync: entries held back (ancestry incomplete or rejected)', {
        log: reg.log.logId,
        count: staged.size - closed.size
      })
    }
    reg.onProgress?.({ received, done: true })
    if (added > 0) {
      this.ctx.logger('debug', 'sync: pulled entries', { log: reg.log.logId, added })
      if (announce) this.ctx.announce(reg, peer)
    }
  }

  /**
   * How far ahead of what the log holds, in Lamport time, the entries still waiting for their
   * ancestry are: a few for a gossip gap, thousands for a backlog. A peer inflating times only gets
   * a larger limit asked of itself (the responder sends what is reachable and missing, at most
   * DEFAULT_FETCH_LIMIT).
   */
  private async depthAhead(reg: Registered, staged: Staged): Promise<number> {
    let newest = 0
    for (const { entry } of staged.values()) if (entry.clock.time > newest) newest = entry.clock.time
    if (newest === 0) return 0
    let held = 0
    for (const time of (await reg.log.writerClock()).values()) if (time > held) held = time
    return Math.max(0, newest - held)
  }

  /** Hashes linked from staged entries that are already in the log. */
  private async presentSet(reg: Registered, staged: Map<string, { entry: BertyLogEntry }>): Promise<Set<string>> {
    const present = new Set<string>()
    for (const { entry } of staged.values()) {
      for (const l of [...entry.next, ...entry.refs]) if (!staged.has(l) && (await reg.log.has(l))) present.add(l)
    }
    return present
  }

  /**
   * Keep only staged entries whose whole ancestry is valid and available: an entry that links to a
   * rejected or unavailable one cannot join an OrbitDB log (its traversal would fail), so it is held
   * back, and everything else still lands. Only an entry descending from a rejected one is rejected
   * with it (remembered, never fetched again). One whose ancestry this peer merely lacked is not: it
   * is asked for again at the next exchange, from any peer. Remembered, it would be lost to this
   * node for good, since no exchange with any peer would bring it again.
   */
  private closure(
    reg: Registered,
    staged: Staged,
    present: Set<string>
  ): Staged {
    const verdicts = new Map<string, Verdict>()
    const visit = (hash: string): Verdict => {
      const known = verdicts.get(hash)
      if (known !== undefined) return known
      if (present.has(hash)) return 'ok'
      if (reg.rejected.has(hash)) return 'rejected'
      const s = staged.get(hash)
      if (!s) return 'unavailable'
      verdicts.set(hash, 'ok') // provisional, cycles are impossible in a hash DAG
      let verdict: Verdict = 'ok'
      for (const l of [...s.entry.next, ...s.entry.refs]) {
        const v = visit(l)
        if (v === 'rejected') {
          verdict = 'rejected'
          break
        }
        if (v === 'unavailable') verdict = 'unavailable'
      }
      verdicts.set(hash, verdict)
      if (verdict === 'rejected') this.ctx.remember(reg, hash)
      return verdict
    }
    // Iterative order (oldest first) keeps recursion shallow on long chains.
    const order = [...staged.values()].sort((a, b) => compareEntries(a.entry, b.entry))
    const out: Staged = new Map()
    for (const s of order) if (visit(s.entry.hash) === 'ok') out.set(s.entry.hash, s)
    return out
  }

  /**
   * One fetch request; verifies every entry before staging it. Returns `more`. The response is
   * paced (frames.ts `p`): after each part the responder waits for our `next`, sent once the part
   * before it is verified and its due joins are done (`joined`: the pull's join chain), so one part
   * is on the wire while the last one joins, and neither the read buffer nor the staged entries grow
   * much past that.
   */
  private async fetchRound(
    reg: Registered,
    peer: PeerId,
    wants: string[],
    staged: Staged,
    onVerified: () => void,
    joined: () => Promise<void>,
    limit: number
  ): Promise<{ more: boolean; staged: number }> {
    const have = await this.haveHints(reg)
    // What we hold per writer: the responder skips those entries (serve.ts).
    const v = have.length > 0 ? clockField(await reg.log.writerClock()) : undefined
    let count = 0
    this.ctx.counters.pulls++
    const stream = await this.ctx.openStream(peer)
    const seen = new Set(staged.keys())
    const verifying: Array<Promise<void>> = []
    try {
      const fs = new FrameStream(stream)
      await fs.write({ t: 'fetch', k: reg.topic, w: wants, h: have, n: limit, p: true, ...(v ? { v } : {}) })
      let partBefore: Promise<void> = Promise.resolve()
      for (;;) {
        const frame = await fs.read()
        if (frame.t === 'end') {
          await stream.close()
          await Promise.all(verifying)
          return { more: frame.more, staged: count }
        }
        if (frame.t === 'part') {
          const thisPart = Promise.all(verifying).then(joined)
          thisPart.catch(() => undefined) // awaited at the next part; a failure shows there or in the final wait
          await partBefore
          partBefore = thisPart
          await fs.write({ t: 'next' })
          continue
        }
        if (frame.t === 'error') throw new SyncError('ERR_UNKNOWN_LOG', `peer answered ${frame.c}`)
        if (frame.t !== 'entries') throw new SyncError('ERR_PROTOCOL', 'expected entries')
        // Decode here, verify on the pool's threads: the next frame is read and decoded while
        // this one's signatures are checked.
        const batch: Array<{ entry: BertyLogEntry; bytes: Uint8Array }> = []
        const items: VerifyItem[] = []
        this.ctx.counters.pulledEntries += frame.e.length
        for (const bytes of frame.e) {
          // The hash is the block's CID: known blocks are skipped before any decoding.
          const hash = reg.log.hashOf(bytes)
          if (seen.has(hash) || reg.rejected.has(hash) || (await reg.log.has(hash))) {
            this.ctx.counters.pulledKnown++
            continue
          }
          let entry: BertyLogEntry
          try {
            entry = await reg.log.decode(bytes, hash)
          } catch (err) {
            this.ctx.logger('warn', 'sync: undecodable block from peer', { log: reg.log.logId, peer: peer.toString(), error: String(err) })
            continue
          }
          seen.add(entry.hash)
          const prepared = reg.log.prepareVerification(entry)
          if ('fault' in prepared) {
            this.reject(reg, entry.hash, prepared.fault, peer)
            continue
          }
          batch.push({ entry, bytes })
          items.push(...prepared.items)
        }
        const verified = this.ctx.verifier.verifyMany(items).then((ok) => {
          batch.forEach((b, i) => {
            if (ok[2 * i] && ok[2 * i + 1]) {
              reg.log.markVerified(b.entry)
              staged.set(b.entry.hash, b)
              count++
            } else {
              this.reject(reg, b.entry.hash, ok[2 * i] ? 'writer signature does not verify' : 'group signature does not verify', peer)
            }
          })
          onVerified()
        })
        // Awaited below; handled now so a pool closing under a stopping node is no crash.
        verified.catch(() => undefined)
        verifying.push(verified)
        // A turn of the event loop per frame: frames that arrived while a join ran are not all
        // decoded in one go (the API and timers wait meanwhile). Safe since responses are paced or
        // bounded: at most a part is in flight (unpaced and unbounded, the read buffer overflowed).
        await new Promise((resolve) => setImmediate(resolve))
      }
    } catch (err) {
      stream.abort(err instanceof Error ? err : new Error(String(err)))
      throw err
    } finally {
      await Promise.allSettled(verifying)
    }
  }

  private reject(reg: Registered, hash: string, reason: string, peer: PeerId): void {
    this.ctx.logger('warn', 'sync: rejected entry', { log: reg.log.logId, hash, reason, peer: peer.toString() })
    this.ctx.remember(reg, hash)
  }

  /**
   * Our heads plus a skip-list of their ancestors (depths 1, 2, 4, …). The walk decodes
   * every entry down to the deepest mark (the whole log, when it is small), and a burst of
   * arrivals triggers one pull per gap, so the skip-list is reused until HINTS_REFRESH
   * entries joined: any entry we hold is a valid hint (logs only grow, and hold the whole
   * ancestry of every entry), only the spread across depths gets coarser.
   */
  private async haveHints(reg: Registered): Promise<string[]> {
    const heads = await reg.log.headHashes()
    if (reg.hints && reg.hints.stale < HINTS_REFRESH) {
      return [...new Set([...heads, ...reg.hints.list])].slice(0, MAX_HAVES)
    }
    // Walk back along first `next` links (from the links store: no block is decoded) and keep
    // the ancestors at depths 1, 2, 4, … up to HINTS_MAX_DEPTH. Concurrent writers' heads meet a
    // few links down: a walk stops where an earlier one passed (its marks cover what lies below),
    // so the store is read about once per entry of the deepest walk, not once per head.
    const out = new Set(heads)
    const walked = new Set<string>()
    for (const head of heads.slice(0, 8)) {
      let cur: string | undefined = head
      let nextMark = 1
      for (let depth = 1; depth <= HINTS_MAX_DEPTH && out.size < MAX_HAVES; depth++) {
        cur = (await reg.log.getLinks(cur))?.next[0]
        if (cur === undefined || walked.has(cur)) break
        walked.add(cur)
        if (depth === nextMark) {
          out.add(cur)
          nextMark *= 2
        }
      }
    }
    const list = [...out].slice(0, MAX_HAVES)
    reg.hints = { list, stale: 0 }
    return list
  }
}
