/**
 * Ratchet chains at rest (spec "Encryption"): this device's sender chain and the receiver chains
 * of the devices it heard from, sealed with the content key in `group_chains`.
 *
 * The sender chain is written ahead: the persisted chain is SENDER_RESERVE (in a burst,
 * SENDER_RESERVE_BURST) steps beyond the one in memory, so a crash (even a power loss) can only skip counters, never reuse a message key.
 * A skip is not free: each member's receiver chain keeps the skipped keys (up to 4,000 per sender,
 * never used), and copies and stores them all with every later message of that sender (measured
 * with 4,000 kept: 2.2 ms and a 156 KB row per message, against 30 us and 75 bytes). So a clean stop
 * gives the unused reservation back (`release`): only a crash skips.
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
  type DeviceChainKey,
  type ReceiverChain,
  type SenderChain
} from '../protocol/group'
import type { ChainRole, ChainStore } from '../storage'
import type { ContentSealer } from './content-sealer'
import { decodeSenderChain, encodeSenderChain } from './key-records'
import type { OpenGroup } from './types'

/** Sender counters reserved per durable write. */
export const SENDER_RESERVE = 64
/**
 * Reserved instead when the last reservation was used up within BURST_RESERVE_MS: each
 * reservation is an fsync on the sending thread, which a burst of sends paid every 64 messages.
 * A crash mid-burst then skips at most this many counters (receivers skip up to DEFAULT_MAX_SKIP).
 */
export const SENDER_RESERVE_BURST = 256
const BURST_RESERVE_MS = 1000
/** A sender checkpoint every this many counters (and at counter 0). */
export const CHECKPOINT_EVERY = 16
/**
 * How far back a member first seen now can read this device's messages (see `handover`): the
 * forward-secrecy cost of never losing what was written concurrently with a join (README).
 */
export const DEFAULT_HANDOVER_WINDOW_MS = 5 * 60_000
/** Send times remembered per group (in memory) to pick the hand-over point exactly. */
const SEND_TIMES_KEPT = 4096

export class ChainKeeper {
  /** Per group: the send time of each counter from `first` on. */
  private readonly sendTimes = new Map<string, { first: number; times: number[] }>()
  /** Per group: when the last reservation was written. */
  private readonly reservedAt = new Map<string, number>()

  constructor(
    private readonly store: ChainStore,
    private readonly sealer: ContentSealer,
    private readonly now: () => number,
    private readonly handoverWindowMs: number = DEFAULT_HANDOVER_WINDOW_MS
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
    this.checkpoint(g)
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

  /**
   * Before sealing at `g.sender.counter`: a chain beyond it is durable (a crash never reuses a
   * key); every CHECKPOINT_EVERY counters the chain is kept for the hand-over; the send time of
   * each counter is remembered (in memory, bounded) to pick the hand-over point exactly.
   */
  beforeSend(g: OpenGroup): void {
    const counter = g.sender!.counter
    if (counter % CHECKPOINT_EVERY === 0) this.checkpoint(g)
    this.ensureReserved(g)
    let ring = this.sendTimes.get(g.pkHex)
    if (!ring || ring.first + ring.times.length !== counter) {
      ring = { first: counter, times: [] }
      this.sendTimes.set(g.pkHex, ring)
    }
    ring.times.push(this.now())
    if (ring.times.length > SEND_TIMES_KEPT) {
      ring.times.splice(0, ring.times.length - SEND_TIMES_KEPT)
      ring.first = counter + 1 - SEND_TIMES_KEPT
    }
  }

  /**
   * The chain key to hand a member this device addresses for the first time (spec "New member
   * arrival"). Handing the current chain would leave every message written concurrently with the
   * member's join unreadable to it for good (the sender cannot know which of its recent messages
   * the newcomer's join preceded). So the chain goes back to the first message this device sent
   * within the hand-over window: the newcomer may read what this device wrote in the last few
   * minutes, never older. When the send times are unknown (after a restart) the point is the
   * checkpoint whose range holds that message: at most CHECKPOINT_EVERY - 1 older messages more.
   *
   * A device that joined a group others already wrote in has a floor (`floorAtStart`): until the
   * window after it first addresses another member (`contact`), the hand-over starts at its first
   * message. What it wrote before it saw anyone (offline after the join, or a metadata log that took
   * longer than the window to arrive) cannot precede an existing member's join, so it stays readable.
   */
  handover(g: OpenGroup, contact = false): DeviceChainKey {
    const threshold = this.now() - this.handoverWindowMs
    const live = g.sender!
    const rows = this.store.checkpoints(g.pk)
    let target: number | undefined
    const ring = this.sendTimes.get(g.pkHex)
    if (ring && ring.first + ring.times.length === live.counter && (ring.first <= (rows[0]?.counter ?? 0) || (ring.times[0] ?? Infinity) <= threshold)) {
      const i = ring.times.findIndex((t) => t > threshold)
      target = i < 0 ? live.counter : ring.first + i
    } else {
      target = rows.find((_, i) => rows[i + 1] === undefined || rows[i + 1]!.at > threshold)?.counter
    }
    if (this.floorHolds(g, threshold, contact)) target = 0
    const base = target === undefined ? undefined : rows.filter((r) => r.counter <= target!).pop()
    if (target === undefined || target >= live.counter || !base) return shareableChainKey(live)
    const plain = this.sealer.open(base.sealed)
    let chain: SenderChain
    try {
      chain = decodeSenderChain(plain)
    } finally {
      wipe(plain)
    }
    // Ratchet forward from the checkpoint to the target (at most CHECKPOINT_EVERY - 1 steps).
    while (chain.counter < target) {
      const step = nextSendKey(chain, g.pk)
      wipe(step.messageKey)
      chain = step.next
    }
    return { chainKey: chain.chainKey, counter: chain.counter }
  }

  private checkpoint(g: OpenGroup): void {
    const now = this.now()
    this.store.addCheckpoint(g.pk, g.sender!.counter, now, this.sealer.seal(encodeSenderChain(g.sender!)))
    // Forget checkpoints no hand-over can pick any more (the chain keys they hold are old secrets).
    const threshold = now - this.handoverWindowMs
    this.store.pruneCheckpoints(g.pk, threshold, this.floorHolds(g, threshold, false))
  }

  /** A membership that joined what others wrote in: see `handover`. Before this device sends anything. */
  floorAtStart(groupPk: Uint8Array): void {
    this.store.setFloor(groupPk)
  }

  /** The group has a floor (joined here and within its window), or had one that is still stored. */
  hasFloor(groupPk: Uint8Array): boolean {
    return this.store.floor(groupPk) !== undefined
  }

  /** Whether the floor still holds; `contact` starts its window; a floor past its window goes. */
  private floorHolds(g: OpenGroup, threshold: number, contact: boolean): boolean {
    const floor = this.store.floor(g.pk)
    if (!floor) return false
    if (floor.contactAt === null) {
      if (contact) this.store.contacted(g.pk, this.now())
      return true
    }
    if (floor.contactAt > threshold) return true
    this.store.dropFloor(g.pk)
    return false
  }

  /**
   * A clean stop: the sender chain is stored where it is, not where it was reserved to, so the next
   * start goes on from the next unused counter instead of skipping the reservation's rest. Safe at
   * any moment: a send that comes after reserves again before it seals (`ensureReserved`).
   */
  release(g: OpenGroup): void {
    if (!g.sender || !g.me || g.senderReservedUntil <= g.sender.counter) return
    this.save(g, g.me.devicePk, 'send', encodeSenderChain(g.sender), true)
    g.senderReservedUntil = g.sender.counter
  }

  /** The group was left: its send times and last reservation go too (its rows go with the group's). */
  forget(g: OpenGroup): void {
    this.sendTimes.delete(g.pkHex)
    this.reservedAt.delete(g.pkHex)
  }

  /** Make sure a chain beyond `g.sender.counter` is durable. */
  private ensureReserved(g: OpenGroup): void {
    if (g.sender!.counter < g.senderReservedUntil) return
    const now = this.now()
    const last = this.reservedAt.get(g.pkHex)
    const steps = last !== undefined && now - last < BURST_RESERVE_MS ? SENDER_RESERVE_BURST : SENDER_RESERVE
    this.reservedAt.set(g.pkHex, now)
    let far: SenderChain = { chainKey: g.sender!.chainKey.slice(), counter: g.sender!.counter }
    for (let i = 0; i < steps; i++) {
      const step = nextSendKey(far, g.pk)
      wipe(step.messageKey)
      far = step.next
    }
    this.save(g, g.me!.devicePk, 'send', encodeSenderChain(far), true)
    g.senderReservedUntil = far.counter
    wipe(far.chainKey)
  }
}
