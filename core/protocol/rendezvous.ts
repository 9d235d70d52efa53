/**
 * Public rendezvous points as deployed weshnet computes them (PROTOCOL.md "Rendezvous point"):
 * berty/weshnet `tinder_swiper.go` (`Announce`, `WatchTopic`) calls
 * `rp.NewRendezvousPointForPeriod(now, base64.StdEncoding.EncodeToString(accountPK), seed)`
 * (`pkg/rendezvous/rotation.go`), i.e.
 *
 *   topic       = ASCII of base64-std (padded) of the raw 32-byte account key
 *   periodStart = floor(unix / interval) · interval, interval = 24 h (weshnet `DefaultRotationInterval`,
 *                 which berty/berty's `--node.rdv-rotation` flag keeps as its default)
 *   point       = HMAC-SHA256(topic ‖ seed, u64be(periodStart))
 *   namespace   = base64-std(point)  (`Point.RotationTopic()`, what tinder advertises)
 *   DHT key     = CIDv1(raw, sha256(namespace))  (go-libp2p `p2p/discovery/routing` nsToCid)
 *
 * Claims: the same inputs give Go's bytes (tests/vectors/rendezvous-chain-go.json).
 * Disclaims: a point only hides the account key from who does not know the seed; whoever has a contact
 * link can follow the account's presence at its point.
 */
import { CID } from 'multiformats/cid'
import { base64pad } from 'multiformats/bases/base64'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import {
  DEFAULT_RENDEZVOUS_INTERVAL_SECONDS,
  ED25519_PUBLIC_LENGTH,
  CryptoError,
  rendezvousPeriodStart,
  rendezvousPoint
} from '../crypto'

export interface PublicRendezvousPoint {
  /** HMAC output, 32 bytes. */
  point: Uint8Array
  /** base64-std of `point`: the string announced to rendezvous servers and hashed for the DHT. */
  namespace: string
  /** Start of the period, unix seconds. */
  periodStart: number
}

/** Standard padded base64 (Go `base64.StdEncoding`). */
export function base64Std(bytes: Uint8Array): string {
  return base64pad.baseEncode(bytes)
}

/** The point an account announces (and its contacts look up) at `at`. */
export function publicRendezvousPoint(
  accountPk: Uint8Array,
  seed: Uint8Array,
  at: Date,
  intervalSeconds: number = DEFAULT_RENDEZVOUS_INTERVAL_SECONDS
): PublicRendezvousPoint {
  if (!(accountPk instanceof Uint8Array) || accountPk.length !== ED25519_PUBLIC_LENGTH) {
    throw new CryptoError('ERR_BAD_LENGTH', `accountPk must be ${ED25519_PUBLIC_LENGTH} bytes`)
  }
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new CryptoError('ERR_BAD_COUNTER', 'at must be a valid Date')
  // Go's `date.Unix()` floors to whole seconds.
  const periodStart = rendezvousPeriodStart(Math.floor(at.getTime() / 1000), intervalSeconds)
  const topic = new TextEncoder().encode(base64Std(accountPk))
  const point = rendezvousPoint(topic, seed, periodStart)
  return { point, namespace: base64Std(point), periodStart }
}

/** go-libp2p's `nsToCid(ns)`: the DHT provider key of a rendezvous namespace. */
export async function rendezvousDhtKey(namespace: string): Promise<CID> {
  if (typeof namespace !== 'string' || namespace === '') throw new CryptoError('ERR_BAD_LENGTH', 'namespace must not be empty')
  const digest = await sha256.digest(new TextEncoder().encode(namespace))
  return CID.createV1(raw.code, digest)
}
