/**
 * Ratchet chains at rest (spec "Encryption"): this device's sender chain and the receiver chains
 * of the devices it heard from, sealed with the content key in `group_chains`.
 *
 * The sender chain is written ahead: the persisted chain is SENDER_RESERVE (in a burst,
 * SENDER_RESERVE_BURST) steps beyond the one in memory, so a crash (even a power loss) can only skip counters, never reuse a message key.
 * A skip is not free: each member's receiver chain keeps the skipped keys (up to 4,000 per sender,
 * never used). So a clean stop gives the unused reservation back (`release`): only a crash skips.
 *
 * A receiver chain's skipped keys are rows of their own (`group_chain_skipped`, one sealed key each),
 * and a save writes only the keys that came or went since the last one. Stored inside the chain's
 * sealed blob, they were all copied and sealed again with every message of that sender: at 4,000
 * keys, 2.2 ms and a 156 KB row per message, against 30 us and 75 bytes.
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

/** The skipped keys a chain's rows hold, as of a save (see `saveSkipped`). */
interface SkippedRows {
  /** The chain's `skipped` Map at that save: a chain never changes it in place (ratchet.ts `receiveKey`). */
  map: ReadonlyMap<number, Uint8Array>
  counters: Set<number>
  /** SqliteDatabase.rollbacks then: a rollback since may have undone the rows' writes. */
  rollbacks: number
}

/** A receiver chain's blob carries no skipped keys (rows of their own). Never written to. */
const NO_SKIPPED: Map<number, Uint8Array> = new Map()

export class ChainKeeper {
  /** Per group, per device (keyId): what its skipped-key rows hold. */
  private readonly skippedRows = new Map<string, Map<string, SkippedRows>>()
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
    this.loadSkipped(g)
    if (g.sender || !g.me) return
    // First open of this membership: a fresh chain (PROTOCOL.md: random, counter 0), and a
    // receiver chain for our own device so our messages index like anyone's.
    const sender = newSenderChain()
    g.sender = sender
    this.save(g, g.me.devicePk, 'send', encodeSenderChain(sender), true)
    this.checkpoint(g)
    const own = receiverChainFrom(shareableChainKey(sender))
    g.chains.set(keyId(g.me.devicePk), own)
    this.save(g, g.me.devicePk, 'recv', receiverBlob(own), true)
  }

  /**
   * The skipped-key rows join their chains, in counter order. A chain stored before migration 0012
   * still has its keys in its blob: they are kept, and move to rows at its next save. A row its
   * chain no longer covers (none should be) is left out, and deleted at that save.
   */
  private loadSkipped(g: OpenGroup): void {
    const byDevice = new Map<string, { rows: Array<[number, Uint8Array]>; counters: Set<number> }>()
    for (const r of this.store.loadSkipped(g.pk)) {
      const id = keyId(r.device_pk)
      let d = byDevice.get(id)
      if (!d) byDevice.set(id, (d = { rows: [], counters: new Set() }))
      d.counters.add(r.counter)
      const chain = g.chains.get(id)
      if (!chain || r.counter < chain.start || r.counter >= chain.counter || chain.skipped.has(r.counter)) continue
      const key = this.sealer.open(r.sealed)
      if (key.length === 32) d.rows.push([r.counter, key])
      else wipe(key)
    }
    const rows = new Map<string, SkippedRows>()
    for (const [id, d] of byDevice) {
      const chain = g.chains.get(id)
      if (chain && d.rows.length > 0) {
        const all = [...chain.skipped, ...d.rows].sort((a, b) => a[0] - b[0])
        chain.skipped = new Map(all)
      }
      // Compared at the first save (no chain holds NO_SKIPPED): keys still in a blob get their rows then.
      rows.set(id, { map: NO_SKIPPED, counters: d.counters, rollbacks: this.store.rollbacks })
    }
    this.skippedRows.set(g.pkHex, rows)
  }

  /** Seals and stores `plain` (wiped). */
  save(g: OpenGroup, devicePk: Uint8Array, role: ChainRole, plain: Uint8Array, durable = false): void {
    this.store.save(g.pk, devicePk, role, this.sealer.seal(plain), durable)
  }

  /**
   * The chain, and the skipped keys that came or went since its last save, in one transaction (a
   * savepoint inside the caller's). A message read in order leaves the chain's Map as it was
   * (ratchet.ts `receiveKey` shares it): then only the blob is written.
   */
  saveReceiver(g: OpenGroup, devicePk: Uint8Array, chain: ReceiverChain): void {
    const id = keyId(devicePk)
    let rows = this.skippedRows.get(g.pkHex)
    if (!rows) this.skippedRows.set(g.pkHex, (rows = new Map()))
    const last = rows.get(id)
    const rollbacks = this.store.rollbacks
    // What the rows hold is read again after a rollback (it may have undone the last save's writes).
    const current = last !== undefined && last.rollbacks === rollbacks ? last : undefined
    if (current?.map === chain.skipped) {
      this.save(g, devicePk, 'recv', receiverBlob(chain))
      return
    }
    this.store.transaction(() => {
      this.saveSkipped(g, devicePk, chain, rows, current)
      this.save(g, devicePk, 'recv', receiverBlob(chain))
    })
  }

  /** Writes the skipped keys that are not in rows yet, and deletes the rows of those that went. */
  private saveSkipped(g: OpenGroup, devicePk: Uint8Array, chain: ReceiverChain, rows: Map<string, SkippedRows>, current: SkippedRows | undefined): void {
    const rollbacks = this.store.rollbacks
    const held = current ? current.counters : new Set(this.store.skippedCounters(g.pk, devicePk))
    for (const [counter, key] of chain.skipped) {
      if (!held.has(counter)) this.store.putSkipped(g.pk, devicePk, counter, this.sealer.seal(key.slice()))
    }
    for (const counter of held) if (!chain.skipped.has(counter)) this.store.deleteSkipped(g.pk, devicePk, counter)
    rows.set(keyId(devicePk), { map: chain.skipped, counters: new Set(chain.skipped.keys()), rollbacks })
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
    this.skippedRows.delete(g.pkHex)
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

/** A receiver chain's blob: its key, counter and start (its skipped keys are rows of their own). */
function receiverBlob(chain: ReceiverChain): Uint8Array {
  return serializeReceiverChain({ chainKey: chain.chainKey, counter: chain.counter, start: chain.start, skipped: NO_SKIPPED })
}
