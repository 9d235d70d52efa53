/** The cost of one signature check on this machine, for the join benches' signature floor. */
import { ed25519PublicFromSeed, ed25519Sign, ed25519Verify, getCurveProvider, randomBytes } from '../core/crypto'

/** Which provider verifies (as the verify pool and keys.ts run it: libsodium when it loaded). */
export const verifyProviderName = (): string => getCurveProvider().name

/** One Ed25519 verification through the selected curve provider, in µs. */
export function measureVerifyMicros(): number {
  const seed = randomBytes(32)
  const pk = ed25519PublicFromSeed(seed)
  const msg = new Uint8Array(600).fill(7)
  const sig = ed25519Sign(seed, msg)
  const n = 2_000
  const t = performance.now()
  for (let i = 0; i < n; i++) ed25519Verify(pk, msg, sig)
  return ((performance.now() - t) * 1000) / n
}
