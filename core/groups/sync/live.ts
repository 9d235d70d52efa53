/**
 * Live replication: every appended entry block is published on the log's gossipsub topic;
 * gossipsub relays it through intermediate members (A–B–C lines work) and the topic validator
 * drops blocks that fail verification before they are forwarded. An entry whose ancestry is
 * missing is pulled from the relay or its author.
 */
import type { PeerId } from '@libp2p/interface'
import type { BertyLogEntry } from '../group-log'
import { isTransient } from './errors'
import type { Registered, SyncContext } from './types'

export class LiveGossip {
  /** Entries decoded by the gossip validator, by message buffer, for the receive path. */
  private readonly validated = new WeakMap<Uint8Array, BertyLogEntry>()

  constructor(private readonly ctx: SyncContext) {}

  /** Says to how many topic peers the block went out right away. */
  async publish(topic: string, bytes: Uint8Array): Promise<number> {
    try {
      const res = (await this.ctx.components.pubsub.publish(topic, bytes)) as { recipients?: unknown[] } | undefined
      return res?.recipients?.length ?? 0
    } catch (err) {
      // No subscribed peer yet is normal offline: heads exchange catches peers up later.
      this.ctx.logger('debug', 'sync: publish failed', { error: String(err) })
      return 0
    }
  }

  async validate(reg: Registered, data: Uint8Array): Promise<string> {
    try {
      const entry = await reg.log.decode(data)
      this.validated.set(data, entry)
      const fault = await reg.log.verifyReceived(entry)
      if (fault) {
        this.ctx.logger('warn', 'sync: rejected gossiped entry', { log: reg.log.logId, hash: entry.hash, reason: fault })
        this.ctx.remember(reg, entry.hash)
        return 'reject'
      }
      return 'accept'
    } catch (err) {
      this.ctx.logger('warn', 'sync: undecodable gossiped block', { log: reg.log.logId, error: String(err) })
      return 'reject'
    }
  }

  readonly onGossip = (evt: CustomEvent): void => {
    const { msg, propagationSource } = evt.detail as { msg: { topic: string; data: Uint8Array; from?: PeerId }; propagationSource: PeerId }
    const reg = this.ctx.logs.get(msg.topic)
    if (!reg) return
    void this.receive(reg, msg.data, propagationSource, msg.from).catch((err: unknown) => {
      // Pulls cut short by our own shutdown (or by leaving the group), or by the peer going
      // away mid-pull, are not faults: the next heads exchange with any peer fills the gap.
      const level = this.ctx.active(reg) && !isTransient(err) ? 'warn' : 'debug'
      this.ctx.logger(level, 'sync: live entry failed', { log: reg.log.logId, error: String(err) })
    })
  }

  private async receive(reg: Registered, data: Uint8Array, from: PeerId, author?: PeerId): Promise<void> {
    // Gossipsub hands the validator and the message event the same buffer: decode once.
    const entry = this.validated.get(data) ?? (await reg.log.decode(data))
    if (await reg.log.has(entry.hash)) return
    const fault = await reg.log.verifyReceived(entry)
    if (fault) return
    const missing: string[] = []
    for (const l of [...entry.next, ...entry.refs]) if (!(await reg.log.has(l))) missing.push(l)
    if (missing.length === 0) {
      await this.ctx.join(reg, new Map([[entry.hash, { entry, bytes: data }]]))
      return
    }
    // A gap: pull the missing ancestry from the peer that relayed the entry. A relay forwards
    // an entry as soon as it verifies, often before it holds the entry's ancestry itself (or
    // it is gone by now); then ask the author if we are connected to it, else the relay's
    // announcement once its own pull lands brings the entry (see heads.ts `announce`).
    let failure: unknown
    for (const peer of author && !author.equals(from) ? [from, author] : [from]) {
      if (this.ctx.components.connections.getConnections(peer).length === 0) continue
      try {
        await this.ctx.pull(reg, peer, [entry.hash])
      } catch (err) {
        failure = err
      }
      if (await reg.log.has(entry.hash)) return
    }
    if (failure !== undefined) throw failure
  }
}
