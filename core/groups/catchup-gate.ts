/**
 * Keys before backlog: a newcomer's first pull of the message log waits, a bounded moment, for the
 * chain keys of the devices its metadata log already names.
 *
 * Why: a member's chain key is posted to us only once that member sees our join (spec "Exchanging
 * secrets"), so it comes a round trip after the join. Pulled meanwhile, a whole backlog arrives
 * before it: every message is opened up to its headers, recorded as pending, and opened again when
 * the key lands (message-pipeline.ts retryPending) — about twice the work of opening it once. Worse,
 * on one connection the backlog's bytes queue ahead of that key (yamux grants a bulk stream up to
 * 16 MiB, the whole backlog of a 10,000-message log), so the key arrives only after the last
 * message, and every message takes the slow path.
 *
 * The wait ends as soon as every device of another member that the metadata log names has handed
 * us its chain key, or after CATCHUP_KEY_WAIT_MS (a replica serving the log alone, every member
 * offline): then the pull goes on as before and late keys take the pending path. A member that is
 * offline cannot answer, and a device does not tell which peer it is on, so once one device has
 * answered the others get as long again as that took (at least CATCHUP_SETTLE_MIN_MS): online
 * devices see our join at about the same time. A later key takes the pending path. Only a pull into
 * a message log that holds nothing of other writers waits (empty, or only our own first messages;
 * sync/pull.ts `holdsOthers`): gap pulls of a running group never do.
 *
 * The wait sleeps until woken: the secret exchange calls `changed(g)` after every batch of metadata
 * it applies (a device joined the group state, a chain key arrived), and the log's end aborts it.
 */
import { keyId } from '../protocol/group'
import type { OpenGroup } from './types'

/** Longest a first message-log pull waits for the chain keys of known devices. */
export const CATCHUP_KEY_WAIT_MS = 1_500

/** Once a device answered, the others get at least this long (see above). */
export const CATCHUP_SETTLE_MIN_MS = 200

type GateGroup = Pick<OpenGroup, 'state' | 'chains' | 'me'>

/** Whether at least one device of another member is known and every such device gave us its chain key. */
export function keysKnown(g: GateGroup): boolean {
  const { known, answered } = keyCount(g)
  // None known yet: the metadata log has not been pulled.
  return known > 0 && answered === known
}

/** Devices of others the metadata log names, and how many of them gave us their chain key. */
export function keyCount(g: GateGroup): { known: number; answered: number } {
  const own = g.me ? keyId(g.me.devicePk) : undefined
  let known = 0
  let answered = 0
  for (const deviceId of g.state.devices.keys()) {
    if (deviceId === own) continue
    known++
    if (g.chains.has(deviceId)) answered++
  }
  return { known, answered }
}

/** The waits of first pulls, per group, woken when the group's metadata changes. */
export class CatchupGate {
  private readonly waiting = new Map<GateGroup, Set<() => void>>()

  /** The group's metadata state or chain keys changed: each wait looks again. */
  changed(g: GateGroup): void {
    const wakes = this.waiting.get(g)
    if (wakes) for (const wake of [...wakes]) wake()
  }

  /**
   * Resolves once `keysKnown(g)`, after `maxMs`, when `signal` aborts, or once the devices that did
   * not answer have had as long again as the first answer took (at least `settleMinMs`).
   */
  wait(g: GateGroup, signal: AbortSignal, maxMs = CATCHUP_KEY_WAIT_MS, settleMinMs = CATCHUP_SETTLE_MIN_MS): Promise<void> {
    if (keysKnown(g) || signal.aborted) return Promise.resolve()
    const start = performance.now()
    return new Promise<void>((resolve) => {
      let wakes = this.waiting.get(g)
      if (!wakes) this.waiting.set(g, (wakes = new Set()))
      let settle: ReturnType<typeof setTimeout> | undefined
      const done = (): void => {
        clearTimeout(timer)
        clearTimeout(settle)
        signal.removeEventListener('abort', done)
        wakes!.delete(check)
        if (wakes!.size === 0 && this.waiting.get(g) === wakes) this.waiting.delete(g)
        resolve()
      }
      const check = (): void => {
        if (keysKnown(g)) return done()
        if (settle === undefined && keyCount(g).answered > 0) {
          // As long again as the first answer took: the wait ends at about twice that.
          settle = setTimeout(done, Math.max(settleMinMs, performance.now() - start))
        }
      }
      const timer = setTimeout(done, maxMs)
      signal.addEventListener('abort', done, { once: true })
      wakes.add(check)
      check()
    })
  }
}
