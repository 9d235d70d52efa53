/**
 * Heads exchange: when a peer subscribes to a topic we replicate (or on demand, or by
 * anti-entropy, or once a burst of activity settles), both sides swap heads over
 * `/berty/log-sync/1.0.0`, and each pulls what it lacks.
 *
 * One exchange serves both peers (the responder pulls too, serve.ts), so when two peers meet on a
 * topic only the one with the lower peer id asks at once; the other asks after PAIR_WAIT_MS only
 * if no exchange with that peer completed meanwhile (its own or the peer's failed or never came).
 */
import type { PeerId, Stream } from '@libp2p/interface'
import { isTransient, SyncError } from './errors'
import { FrameStream, MAX_HAVES } from './frames'
import type { Registered, SyncContext } from './types'

/** Pulled entries are announced this long after the pull that brought them, coalescing a burst. */
export const ANNOUNCE_DELAY_MS = 100
/** How long the higher peer id of a pair waits for the lower one's exchange before asking itself. */
export const PAIR_WAIT_MS = 3_000
/** A log quiet this long after gossip activity swaps heads with its topic peers once. */
export const SETTLE_QUIET_MS = 2_000
/** At most one settle round per log this often (a steady chat does not exchange per message). */
export const SETTLE_MIN_INTERVAL_MS = 5_000
/** Topic peers a settle round asks, picked at random (every member settles, so losses are found fast). */
export const SETTLE_FANOUT = 2
/**
 * An exchange (or the pull it led to) that failed on the network while the peer stays connected (a
 * reset stream, a timeout) is tried again after this, doubling each time. Without it, a newcomer
 * whose catch-up pull broke off waited for the next anti-entropy round (30 s) to read the group.
 */
export const RETRY_BASE_MS = 1_000
/** Tries again at most this many times in a row; then anti-entropy and the next meeting take over. */
export const EXCHANGE_RETRIES = 4
/** Peers remembered per log for `exchangedAt`; the oldest are forgotten first. */
const MAX_EXCHANGED_REMEMBERED = 1_024

export class HeadsExchange {
  private readonly timers = new Set<ReturnType<typeof setTimeout>>()
  /** Failed tries in a row, per log and peer (`retryKey`), and whether a retry is already due. */
  private readonly retries = new Map<string, { tries: number; due: boolean }>()

  constructor(
    private readonly ctx: SyncContext,
    private readonly settleMs: number
  ) {}

  /** `announce`: whether what the peer's heads bring is announced to our other peers (pull.ts). */
  async exchange(reg: Registered, peer: PeerId, announce = true): Promise<void> {
    let stream: Stream | undefined
    this.ctx.counters.headsOut++
    try {
      stream = await this.ctx.openStream(peer)
      const fs = new FrameStream(stream)
      const heads = await reg.log.headHashes()
      await fs.write({ t: 'heads', k: reg.topic, h: heads.slice(0, MAX_HAVES) })
      const reply = await fs.read()
      await stream.close()
      if (reply.t === 'error') throw new SyncError('ERR_UNKNOWN_LOG', `peer answered ${reply.c}`)
      if (reply.t !== 'heads') throw new SyncError('ERR_PROTOCOL', 'expected heads')
      this.exchanged(reg, peer)
      await this.ctx.pullIfMissing(reg, peer, reply.h, announce)
      this.retries.delete(retryKey(reg, peer))
    } catch (err) {
      stream?.abort(err instanceof Error ? err : new Error(String(err)))
      this.ctx.logger('debug', 'sync: heads exchange failed', { log: reg.log.logId, peer: peer.toString(), error: String(err) })
      if (isTransient(err)) this.retryLater(reg, peer, announce)
      else this.retries.delete(retryKey(reg, peer))
    }
  }

  /** A pull this side did not start from an exchange (the responder's reverse pull, serve.ts) failed. */
  pullFailed(reg: Registered, peer: PeerId, err: unknown): void {
    if (isTransient(err)) this.retryLater(reg, peer, true)
  }

  /** One retry due at a time per log and peer: an exchange and a reverse pull failing together ask once. */
  private retryLater(reg: Registered, peer: PeerId, announce: boolean): void {
    const key = retryKey(reg, peer)
    const state = this.retries.get(key) ?? { tries: 0, due: false }
    if (state.due) return
    const tries = state.tries + 1
    if (tries > EXCHANGE_RETRIES || !this.ctx.active(reg)) {
      this.retries.delete(key)
      return
    }
    this.retries.set(key, { tries, due: true })
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      const now = this.retries.get(key)
      if (!now) return // an exchange with the peer succeeded meanwhile
      now.due = false
      // A peer that went away is met again when it comes back (its subscription starts an exchange).
      if (!this.ctx.active(reg) || this.ctx.components.connections.getConnections(peer).length === 0) {
        this.retries.delete(key)
        return
      }
      void this.exchange(reg, peer, announce)
    }, RETRY_BASE_MS * 2 ** (tries - 1))
    timer.unref?.()
    this.timers.add(timer)
  }

  exchanged(reg: Registered, peer: PeerId): void {
    const key = peer.toString()
    reg.exchangedAt.delete(key)
    reg.exchangedAt.set(key, Date.now())
    if (reg.exchangedAt.size > MAX_EXCHANGED_REMEMBERED) reg.exchangedAt.delete(reg.exchangedAt.keys().next().value!)
  }

  /** With every connected peer on this log's topic. */
  async withAll(reg: Registered): Promise<void> {
    await Promise.allSettled(this.ctx.components.pubsub.getSubscribers(reg.topic).map((p) => this.exchange(reg, p)))
  }

  /**
   * `peer` and this node both replicate `reg` and have just met on its topic (its subscription
   * reached us, or we started replicating the log while it was there).
   */
  met(reg: Registered, peer: PeerId): void {
    if (this.ctx.components.peerId.toString() < peer.toString()) {
      void this.exchange(reg, peer)
      return
    }
    const since = Date.now()
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      if (!this.ctx.active(reg)) return
      if ((reg.exchangedAt.get(peer.toString()) ?? -1) >= since) {
        this.ctx.counters.headsSkipped++
        return
      }
      void this.exchange(reg, peer)
    }, PAIR_WAIT_MS)
    timer.unref?.()
    this.timers.add(timer)
  }

  readonly onSubscriptionChange = (evt: CustomEvent): void => {
    const { peerId, subscriptions } = evt.detail as { peerId: PeerId; subscriptions: Array<{ topic: string; subscribe: boolean }> }
    for (const s of subscriptions) {
      const reg = this.ctx.logs.get(s.topic)
      if (reg && s.subscribe) this.met(reg, peerId)
    }
  }

  antiEntropy(): void {
    for (const reg of this.ctx.logs.values()) {
      for (const peer of this.ctx.components.pubsub.getSubscribers(reg.topic)) void this.exchange(reg, peer)
    }
  }

  /**
   * Gossip reaches most peers, not always all: a message relayed by a member whose mesh was not
   * formed yet goes nowhere, and entries nothing links to (the last of a burst) are never asked
   * for by a gap pull. So once the log has been quiet SETTLE_QUIET_MS after activity (and at most
   * once per SETTLE_MIN_INTERVAL_MS), swap heads with SETTLE_FANOUT random topic peers. What such
   * a round pulls is not announced: every member settles on its own, and announcing would set off
   * a wave of exchanges through the whole group (seen in a 25-member join: 4,300 exchanges).
   */
  activity(reg: Registered): void {
    if (this.settleMs <= 0) return
    // Called per gossip message: only moves the due time; one timer per log re-arms itself.
    reg.settle.dueAt = Math.max(Date.now() + this.settleMs, reg.settle.lastAt + SETTLE_MIN_INTERVAL_MS)
    if (!reg.settle.timer) this.armSettle(reg)
  }

  private armSettle(reg: Registered): void {
    reg.settle.timer = setTimeout(() => {
      reg.settle.timer = undefined
      if (!this.ctx.active(reg)) return
      if (Date.now() < reg.settle.dueAt) {
        this.armSettle(reg)
        return
      }
      reg.settle.lastAt = Date.now()
      this.ctx.counters.settles++
      const peers = this.ctx.components.pubsub.getSubscribers(reg.topic)
      for (let i = 0; i < SETTLE_FANOUT && peers.length > 0; i++) {
        const [peer] = peers.splice(Math.floor(Math.random() * peers.length), 1)
        void this.exchange(reg, peer!, false)
      }
    }, Math.max(0, reg.settle.dueAt - Date.now()))
    reg.settle.timer.unref?.()
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
    this.retries.clear()
  }

  /**
   * Pulled entries were never gossiped through this node, so peers that rely on it (a line
   * A–B–C, or a peer whose gap pull reached us before our own pull landed) would not hear of
   * them: offer our new heads to every topic peer. Coalesced: one round at a time per log, each
   * after ANNOUNCE_DELAY_MS so a burst of pulls (one per gap while many members write) is one
   * heads exchange per peer, plus one more round if entries landed meanwhile. The peer a round's
   * pulls all came from is left out.
   */
  announce(reg: Registered, source: PeerId): void {
    reg.announceSources.add(source.toString())
    if (reg.announcing) {
      reg.announceAgain = true
      return
    }
    reg.announcing = (async () => {
      do {
        reg.announceAgain = false
        await new Promise((r) => setTimeout(r, ANNOUNCE_DELAY_MS))
        if (!this.ctx.active(reg)) return
        // The peer every pull of this round came from holds what they brought.
        const only = reg.announceSources.size === 1 ? [...reg.announceSources][0] : undefined
        reg.announceSources.clear()
        const peers = this.ctx.components.pubsub.getSubscribers(reg.topic).filter((p) => p.toString() !== only)
        await Promise.allSettled(peers.map((p) => this.exchange(reg, p)))
      } while (reg.announceAgain)
    })().finally(() => {
      reg.announcing = undefined
    })
  }
}

function retryKey(reg: Registered, peer: PeerId): string {
  return `${reg.topic} ${peer.toString()}`
}
