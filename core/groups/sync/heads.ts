/**
 * Heads exchange: when a peer subscribes to a topic we replicate (or on demand, or by
 * anti-entropy), both sides swap heads over `/berty/log-sync/1.0.0`, and each pulls what it lacks.
 */
import type { PeerId, Stream } from '@libp2p/interface'
import { SyncError } from './errors'
import { FrameStream, MAX_HAVES } from './frames'
import type { Registered, SyncContext } from './types'

/** Pulled entries are announced this long after the pull that brought them, coalescing a burst. */
export const ANNOUNCE_DELAY_MS = 100

export class HeadsExchange {
  constructor(private readonly ctx: SyncContext) {}

  async exchange(reg: Registered, peer: PeerId): Promise<void> {
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
      await this.ctx.pullIfMissing(reg, peer, reply.h)
    } catch (err) {
      stream?.abort(err instanceof Error ? err : new Error(String(err)))
      this.ctx.logger('debug', 'sync: heads exchange failed', { log: reg.log.logId, peer: peer.toString(), error: String(err) })
    }
  }

  /** With every connected peer on this log's topic. */
  async withAll(reg: Registered): Promise<void> {
    await Promise.allSettled(this.ctx.components.pubsub.getSubscribers(reg.topic).map((p) => this.exchange(reg, p)))
  }

  readonly onSubscriptionChange = (evt: CustomEvent): void => {
    const { peerId, subscriptions } = evt.detail as { peerId: PeerId; subscriptions: Array<{ topic: string; subscribe: boolean }> }
    for (const s of subscriptions) {
      const reg = this.ctx.logs.get(s.topic)
      if (reg && s.subscribe) void this.exchange(reg, peerId)
    }
  }

  antiEntropy(): void {
    for (const reg of this.ctx.logs.values()) {
      for (const peer of this.ctx.components.pubsub.getSubscribers(reg.topic)) void this.exchange(reg, peer)
    }
  }

  /**
   * Pulled entries were never gossiped through this node, so peers that rely on it (a line
   * A–B–C, or a peer whose gap pull reached us before our own pull landed) would not hear of
   * them: offer our new heads to every topic peer. Coalesced: one round at a time per log, each
   * after ANNOUNCE_DELAY_MS so a burst of pulls (one per gap while many members write) is one
   * heads exchange per peer, plus one more round if entries landed meanwhile.
   */
  announce(reg: Registered): void {
    if (reg.announcing) {
      reg.announceAgain = true
      return
    }
    reg.announcing = (async () => {
      do {
        reg.announceAgain = false
        await new Promise((r) => setTimeout(r, ANNOUNCE_DELAY_MS))
        if (!this.ctx.active(reg)) return
        await this.withAll(reg)
      } while (reg.announceAgain)
    })().finally(() => {
      reg.announcing = undefined
    })
  }
}
