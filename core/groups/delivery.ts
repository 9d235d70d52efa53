/**
 * What `delivered` means (issue "Reliability"): the message left this device (a peer on the group's
 * topic took it) AND every other member of the group holds this device's chain key at or before the
 * message's counter, so each of them can read it once the entry reaches them. Before both hold, the
 * message stays `sent`. A member's coverage is known from this device's own hand-overs: the counter
 * it handed that member in this session, or — for a member addressed in an earlier session — any
 * counter sent since (the key it was handed starts earlier). Not an end-to-end receipt: a member that
 * never comes online keeps its keys unused, and the state says nothing about that.
 *
 * The other way round: when this device first hands a member its chain key at a counter past one of
 * its own pending messages (the member was seen after the hand-over window of that message), that
 * member cannot read it. The message stays `sent` and `markUnreadable` says so, once per member:
 * the sender learns it as the receiver does (its "sent before you joined" placeholder).
 */
import { keyId } from '../protocol/group'
import type { OpenGroup } from './types'

/** Own messages still waiting to be `delivered`, per group, are bounded. */
const MAX_PENDING = 2048

export class DeliveryTracker {
  constructor(
    private readonly markDelivered: (g: OpenGroup, id: string) => void,
    private readonly markUnreadable: (g: OpenGroup, id: string, memberId: string) => void = () => {}
  ) {}

  /** A message of ours was appended; `reached` says whether a peer took it. */
  sent(g: OpenGroup, id: string, counter: number, reached: boolean): void {
    // A new message changes nothing for the others (coverage depends on members and hand-overs
    // only): judge it alone instead of walking the whole backlog on every send.
    if (reached && g.me && this.covered(g, counter)) {
      this.markDelivered(g, id)
      return
    }
    g.undelivered.push({ id, counter, reached })
    if (g.undelivered.length > MAX_PENDING) g.undelivered.splice(0, g.undelivered.length - MAX_PENDING)
  }

  /** Peers fetched these entries from this device (a pull after an offline send). */
  served(g: OpenGroup, ids: readonly string[]): void {
    if (g.undelivered.length === 0) return
    const set = new Set(ids)
    for (const p of g.undelivered) if (set.has(p.id)) p.reached = true
    this.evaluate(g)
  }

  /** This device handed `memberId` its chain key at `counter`. */
  handedOver(g: OpenGroup, memberId: string, counter: number): void {
    const before = g.handedOver.get(memberId)
    if (before === undefined || counter < before) g.handedOver.set(memberId, counter)
    if (before === undefined) {
      // Own messages before the first counter this member holds: it cannot read them. They stay
      // pending (bounded): only a hand-over from further back could still cover them.
      for (const p of g.undelivered) if (p.counter < counter) this.markUnreadable(g, p.id, memberId)
    }
    this.evaluate(g)
  }

  /** Every other member holds this device's chain key at or before `counter`. */
  private covered(g: OpenGroup, counter: number): boolean {
    const mine = keyId(g.me!.memberPk)
    for (const m of g.state.members.keys()) {
      if (m === mine) continue
      const handed = g.handedOver.get(m)
      if (!(handed !== undefined ? handed <= counter : g.secretsPosted.has(m))) return false
    }
    return true
  }

  private evaluate(g: OpenGroup): void {
    if (!g.me || g.undelivered.length === 0) return
    g.undelivered = g.undelivered.filter((p) => {
      if (!p.reached || !this.covered(g, p.counter)) return true
      this.markDelivered(g, p.id)
      return false
    })
  }
}
