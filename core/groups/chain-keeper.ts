/**
 * Ratchet chains at rest (spec "Encryption"): this device's sender chain and the receiver chains
 * of the devices it heard from, sealed with the content key in `group_chains`.
 *
 * The sender chain is written ahead: the persisted chain is SENDER_RESERVE steps beyond the one
 * in memory, so a crash (even a power loss) can only skip counters, never reuse a message key;
 * receivers cache skipped keys (bounded), so a skip costs nothing.
 */
import { wipe } from '../crypto'
import {
  deserializeReceiverChain,
  keyId,
  newSenderChain,
  nextSendKey,
  receiverChainFrom,
  serializeReceiverChain,
  shareableChainKey,
  type ReceiverChain,
  type SenderChain
} from '../protocol/group'
import type { ChainRole, ChainStore } from '../storage'
import type { ContentSealer } from './content-sealer'
import { decodeSenderChain, encodeSenderChain } from './key-records'
import type { OpenGroup } from './types'

/** Sender counters reserved per durable write. */
export const SENDER_RESERVE = 64

export class ChainKeeper {
  constructor(
    private readonly store: ChainStore,
    private readonly sealer: ContentSealer
  ) {}

  /** Loads the group's chains; on the first open of a membership, creates them. */
  open(g: OpenGroup): void {
    for (const r of this.store.load(g.pk)) {
      const plain = this.sealer.open(r.sealed)
      try {
        if (r.role === 'send') {
          g.sender = decodeSenderChain(plain)
          g.senderReservedUntil = g.sender.counter
        } else g.chains.set(keyId(r.device_pk), deserializeReceiverChain(plain))
      } finally {
        wipe(plain)
      }
    }
    if (g.sender || !g.me) return
    // First open of this membership: a fresh chain (PROTOCOL.md: random, counter 0), and a
    // receiver chain for our own device so our messages index like anyone's.
    const sender = newSenderChain()
    g.sender = sender
    this.save(g, g.me.devicePk, 'send', encodeSenderChain(sender), true)
    const own = receiverChainFrom(shareableChainKey(sender))
    g.chains.set(keyId(g.me.devicePk), own)
    this.save(g, g.me.devicePk, 'recv', serializeReceiverChain(own), true)
  }

  /** Seals and stores `plain` (wiped). */
  save(g: OpenGroup, devicePk: Uint8Array, role: ChainRole, plain: Uint8Array, durable = false): void {
    this.store.save(g.pk, devicePk, role, this.sealer.seal(plain), durable)
  }

  saveReceiver(g: OpenGroup, devicePk: Uint8Array, chain: ReceiverChain): void {
    this.save(g, devicePk, 'recv', serializeReceiverChain(chain))
  }

  /** Before sealing at `g.sender.counter`: make sure a chain beyond it is durable. */
  ensureReserved(g: OpenGroup): void {
    if (g.sender!.counter < g.senderReservedUntil) return
    let far: SenderChain = { chainKey: g.sender!.chainKey.slice(), counter: g.sender!.counter }
    for (let i = 0; i < SENDER_RESERVE; i++) {
      const step = nextSendKey(far, g.pk)
      wipe(step.messageKey)
      far = step.next
    }
    this.save(g, g.me!.devicePk, 'send', encodeSenderChain(far), true)
    g.senderReservedUntil = far.counter
    wipe(far.chainKey)
  }
}
