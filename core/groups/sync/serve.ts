/**
 * The responder side of `/berty/log-sync/1.0.0`: answers heads (and pulls what the asker has that
 * we lack), and serves fetches from the links store — no block is opened, only stored bytes sent.
 */
import type { PeerId, Stream } from '@libp2p/interface'
import type { EntryLinks } from '../group-log'
import { SyncError } from './errors'
import { BATCH_BYTES, FrameStream, MAX_HAVES, RESPONSE_BYTES, fetchClock, type Frame } from './frames'
import type { Registered, SyncContext } from './types'

export class SyncServer {
  constructor(private readonly ctx: SyncContext) {}

  async serve(stream: Stream, peer: PeerId): Promise<void> {
    const fs = new FrameStream(stream)
    const req = await fs.read()
    if (req.t !== 'heads' && req.t !== 'fetch') throw new SyncError('ERR_PROTOCOL', 'expected a request')
    const reg = this.ctx.logs.get(req.k)
    if (!reg) {
      await fs.write({ t: 'error', c: 'unknown-log' })
      await stream.close()
      return
    }
    if (req.t === 'heads') {
      this.ctx.counters.headsIn++
      const heads = await reg.log.headHashes()
      await fs.write({ t: 'heads', k: reg.topic, h: heads.slice(0, MAX_HAVES) })
      await stream.close()
      this.ctx.exchanged(reg, peer)
      // The asker may know entries we lack.
      void this.ctx.pullIfMissing(reg, peer, req.h).catch((err: unknown) => {
        this.ctx.logger('debug', 'sync: reverse pull failed', { error: String(err) })
        this.ctx.pullFailed(reg, peer, err)
      })
      return
    }
    this.ctx.counters.served++
    await this.serveFetch(reg, fs, req)
    await stream.close()
  }

  private async serveFetch(reg: Registered, fs: FrameStream, req: Extract<Frame, { t: 'fetch' }>): Promise<void> {
    const have = new Set(req.h)
    // The asker's version vector: an entry by W at or before the asker's latest time for W is
    // held there, with its ancestry (GroupLog.writerClock). Wanted entries are sent regardless:
    // a writer that forked its own chain is still fetched, by name, a round later.
    const held = fetchClock(req)
    const wanted = new Set(req.w)
    // Links of the wants, read once for the fork check and reused by the walk.
    const wantedLinks = new Map<string, EntryLinks | undefined>()
    if (held) {
      // A wanted entry the clock claims is held shows its writer forked its own chain: walk that
      // writer's entries unpruned in this request, so the fork comes in one round, not one per entry.
      for (const hash of req.w) {
        const links = await reg.log.getLinks(hash)
        wantedLinks.set(hash, links)
        if (links?.writer !== undefined && (held.get(links.writer) ?? 0) >= links.time) held.delete(links.writer)
      }
    }
    // Breadth-first from the wants along next+refs, stopping at what the asker has, up to the
    // asked number of entries; from the links store, so no block is opened.
    const found = new Map<string, number>()
    let frontier = req.w.filter((h) => !have.has(h))
    let more = false
    while (frontier.length > 0 && !more) {
      const nextFrontier: string[] = []
      for (const hash of frontier) {
        if (found.has(hash) || have.has(hash)) continue
        if (found.size >= req.n) {
          more = true
          break
        }
        const links = wantedLinks.has(hash) ? wantedLinks.get(hash) : await reg.log.getLinks(hash)
        if (!links) continue
        if (held && links.writer !== undefined && !wanted.has(hash) && (held.get(links.writer) ?? 0) >= links.time) {
          have.add(hash)
          this.ctx.counters.prunedByClock++
          continue
        }
        found.set(hash, links.time)
        for (const l of [...links.next, ...links.refs]) if (!found.has(l) && !have.has(l)) nextFrontier.push(l)
      }
      frontier = nextFrontier
    }
    // Parents first (Lamport order: a parent's time is below its children's), so the asker can
    // join and index what it received while the rest is still on the way.
    const order = [...found].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    let batch: Uint8Array[] = []
    let batchBytes = 0
    let responseBytes = 0
    let served: string[] = []
    for (const [hash] of order) {
      if (responseBytes >= RESPONSE_BYTES) {
        if (!req.p) {
          // The oldest go first, so what is cut off joins on top of what was sent, a round later.
          more = true
          break
        }
        // Paced: the same walk goes on once the asker has read this part, so a long backlog is
        // walked once and never waits for a new request's round trip and walk.
        if (batch.length > 0) await fs.write({ t: 'entries', e: batch })
        batch = []
        batchBytes = 0
        await fs.write({ t: 'part' })
        if (served.length > 0) reg.onServed?.(served)
        served = []
        const next = await fs.read()
        if (next.t !== 'next') throw new SyncError('ERR_PROTOCOL', 'expected next')
        responseBytes = 0
      }
      const bytes = await reg.log.getBytes(hash)
      if (!bytes) continue
      served.push(hash)
      batch.push(bytes)
      batchBytes += bytes.length
      responseBytes += bytes.length
      if (batchBytes >= BATCH_BYTES) {
        await fs.write({ t: 'entries', e: batch })
        batch = []
        batchBytes = 0
      }
    }
    if (batch.length > 0) await fs.write({ t: 'entries', e: batch })
    await fs.write({ t: 'end', more })
    if (served.length > 0) reg.onServed?.(served)
  }
}
