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
 * us its chain key, or after CATCHUP_KEY_WAIT_MS (a member that is offline, a replica serving the
 * log alone): then the pull goes on as before and late keys take the pending path. Only a pull into
 * an empty message log waits (sync/pull.ts): gap pulls of a running group never do.
 */
import { keyId } from '../protocol/group'
import type { OpenGroup } from './types'

/** Longest a first message-log pull waits for the chain keys of known devices. */
export const CATCHUP_KEY_WAIT_MS = 1_500
/** How often the wait looks again (a map lookup per known device). */
const POLL_MS = 10

/** Whether at least one device of another member is known and every such device gave us its chain key. */
export function keysKnown(g: Pick<OpenGroup, 'state' | 'chains' | 'me'>): boolean {
  const own = g.me ? keyId(g.me.devicePk) : undefined
  let others = 0
  for (const deviceId of g.state.devices.keys()) {
    if (deviceId === own) continue
    if (!g.chains.has(deviceId)) return false
    others++
  }
  // None known yet: the metadata log has not been pulled.
  return others > 0
}

/** Resolves once `keysKnown(g)`, after `maxMs`, or when `stopped()` says so. */
export async function waitForKeys(
  g: Pick<OpenGroup, 'state' | 'chains' | 'me'>,
  stopped: () => boolean,
  maxMs = CATCHUP_KEY_WAIT_MS
): Promise<void> {
  const end = Date.now() + maxMs
  while (!keysKnown(g) && !stopped() && Date.now() < end) await new Promise((r) => setTimeout(r, POLL_MS))
}
