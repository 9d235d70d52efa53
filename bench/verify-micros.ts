/** The cost of one signature check on this machine, for the join benches' signature floor. */
import { generateKeyPairSync, sign, verify } from 'node:crypto'

export /** One native Ed25519 verification (node:crypto, as the verify pool runs it), in µs. */
function measureVerifyMicros(): number {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  const msg = Buffer.alloc(600, 7)
  const sig = sign(null, msg, privateKey)
  const n = 2_000
  const t = performance.now()
  for (let i = 0; i < n; i++) verify(null, msg, publicKey, sig)
  return ((performance.now() - t) * 1000) / n
}
