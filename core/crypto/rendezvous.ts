/**
 * Rendezvous points (PROTOCOL.md "Rendezvous point"; spec "Rendezvous Point"):
 * `point = HMAC-SHA256(key = topic ‖ seed, msg = u64be(periodStart))`. The spec snippet omits the time;
 * the reference implementation writes it, and so do we, for byte-exact agreement.
 */
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { assertBytes, assertKey32, concatBytes, u64be, wipe } from './bytes'
import { CryptoError } from './errors'

export const DEFAULT_RENDEZVOUS_INTERVAL_SECONDS = 24 * 60 * 60
/** The previous point stays valid this long after a rotation (PROTOCOL.md "Rendezvous point"). */
export const RENDEZVOUS_GRACE_SECONDS = 10 * 60

export function rendezvousPoint(topic: Uint8Array, seed: Uint8Array, periodStart: number): Uint8Array {
  // Our seeds are always 32 bytes (public RDV seed, link key): enforce it so a truncated seed fails loudly.
  assertKey32(seed, 'seed')
  return rendezvousPointAnySeed(topic, seed, periodStart)
}

/**
 * Same construction without the 32-byte seed rule, for interop vectors from the Go reference
 * (`GenerateRendezvousPointForPeriod` accepts any seed length; its tests use 5-byte seeds).
 */
export function rendezvousPointAnySeed(topic: Uint8Array, seed: Uint8Array, periodStart: number): Uint8Array {
  assertBytes(topic, 'topic')
  if (topic.length === 0) throw new CryptoError('ERR_BAD_LENGTH', 'topic must not be empty')
  assertBytes(seed, 'seed')
  if (typeof periodStart !== 'number' || !Number.isSafeInteger(periodStart) || periodStart < 0) {
    throw new CryptoError('ERR_BAD_COUNTER', 'periodStart must be a non-negative safe integer')
  }
  const key = concatBytes(topic, seed)
  try {
    return hmac(sha256, key, u64be(periodStart))
  } finally {
    wipe(key)
  }
}

function assertInterval(intervalSeconds: number): void {
  if (!Number.isSafeInteger(intervalSeconds) || intervalSeconds <= 0) {
    throw new CryptoError('ERR_BAD_LENGTH', 'intervalSeconds must be a positive integer')
  }
}

/** `floor(unixSeconds / interval) * interval`. */
export function rendezvousPeriodStart(
  unixSeconds: number,
  intervalSeconds: number = DEFAULT_RENDEZVOUS_INTERVAL_SECONDS
): number {
  if (typeof unixSeconds !== 'number' || !Number.isFinite(unixSeconds) || unixSeconds < 0) {
    throw new CryptoError('ERR_BAD_COUNTER', 'unixSeconds must be a finite non-negative number')
  }
  assertInterval(intervalSeconds)
  return Math.floor(unixSeconds / intervalSeconds) * intervalSeconds
}

/**
 * Points to announce / look up at `unixSeconds`: the current one, plus the previous one during the
 * grace period after a rotation, so peers with slightly skewed clocks still meet.
 */
export function activeRendezvousPoints(
  topic: Uint8Array,
  seed: Uint8Array,
  unixSeconds: number,
  intervalSeconds: number = DEFAULT_RENDEZVOUS_INTERVAL_SECONDS,
  graceSeconds: number = RENDEZVOUS_GRACE_SECONDS
): Uint8Array[] {
  const start = rendezvousPeriodStart(unixSeconds, intervalSeconds)
  const points = [rendezvousPoint(topic, seed, start)]
  if (start >= intervalSeconds && unixSeconds - start < graceSeconds) {
    points.push(rendezvousPoint(topic, seed, start - intervalSeconds))
  }
  return points
}
