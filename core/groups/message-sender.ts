/**
 * The send side of the message log (spec "Exchanging messages"): a message is sealed with this
 * device's sender chain (its counter written ahead first: chain-keeper.ts), queued for a group commit
 * (send-batcher.ts), appended and gossiped; its delivery is tracked per member (delivery.ts).
 */
import { sealMessage } from '../protocol/group'
import type { ChainKeeper } from './chain-keeper'
import type { DeliveryTracker } from './delivery'
import { GroupsError } from './errors'
import { SendBatcher } from './send-batcher'
import type { MessageStore } from '../storage'
import type { GroupSync } from './sync'
import type { OpenGroup } from './types'

export interface MessageSenderDeps {
  sync: Pick<GroupSync, 'appendManyAndPublish'>
  chains: ChainKeeper
  delivery: DeliveryTracker
  messages: Pick<MessageStore, 'idByClientId'>
  now: () => number
}

export class MessageSender {
  private readonly batchers = new WeakMap<OpenGroup, SendBatcher>()

  constructor(private readonly d: MessageSenderDeps) {}

  /**
   * `clientId`: the caller's name for this send. A send under a name already used in this group
   * (answered, or still on its way) answers that message's id and sends nothing: a window that lost
   * its connection, or timed out, before the answer sends again without making a second message.
   * The name is stored with the message in the append's transaction, so this holds across a crash.
   */
  async send(g: OpenGroup, text: string, clientId?: string): Promise<string> {
    if (clientId === undefined) return this.sendOnce(g, text)
    return g.sendsByClientId.run(clientId, async () => {
      await g.opened
      return this.d.messages.idByClientId(g.pk, clientId) ?? this.sendOnce(g, text, clientId)
    })
  }

  private async sendOnce(g: OpenGroup, text: string, clientId?: string): Promise<string> {
    // A group shows as soon as it is being opened (a join, a linked device's groups): a send the
    // moment it shows waits until it can be appended and replicated.
    await g.opened
    if (g.role !== 'member' || !g.secrets || !g.me || !g.sender) throw new GroupsError('ERR_NOT_MEMBER', 'replicas cannot send')
    // Write-ahead: a chain beyond this counter is durable before the entry can leave this node.
    this.d.chains.beforeSend(g)
    const sentAt = this.d.now()
    const sealed = sealMessage(g.secrets, { seed: g.me.deviceSeed, pk: g.me.devicePk }, g.sender, { text, sentAtMs: sentAt })
    g.sender = sealed.next
    g.ownSends.set(sealed.sealed, { text, sentAt, counter: sealed.counter, ...(clientId !== undefined ? { clientId } : {}) })
    const id = await this.batcherOf(g).push({ sealed: sealed.sealed, counter: sealed.counter })
    // Everything above settles in microtasks (SQLite and the curves are synchronous): a caller
    // sending in a loop in this process (a script, a bench, a bot) would never let the event loop
    // reach its I/O phase, so no connection could open and no gossip could leave until the loop
    // ends. One turn of the loop per send keeps the network alive under any write rate.
    await new Promise<void>((resolve) => setImmediate(resolve))
    return id
  }

  /** Sends issued together share one commit (send-batcher.ts). */
  private batcherOf(g: OpenGroup): SendBatcher {
    let b = this.batchers.get(g)
    if (!b) {
      b = new SendBatcher(async (burst) => {
        const { entries, recipients } = await this.d.sync.appendManyAndPublish(g.msgTopic, burst.map((s) => s.sealed))
        entries.forEach((e, i) => this.d.delivery.sent(g, e.hash, burst[i]!.counter, recipients > 0))
        return entries.map((e) => e.hash)
      })
      this.batchers.set(g, b)
    }
    return b
  }
}
