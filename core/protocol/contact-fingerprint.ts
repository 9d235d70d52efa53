/**
 * The contact fingerprint: a short digest of both account keys that two people read to each other
 * (spec "Contact Request": the handshake authenticates keys, not people; comparing the fingerprint out of
 * band is how they know no one stood in the middle of the link exchange).
 *
 *   fp = SHA-256("berty-contact-fingerprint/v1" ‖ min(pkA, pkB) ‖ max(pkA, pkB))
 *   shown as 6 groups of 5 decimal digits: group i = u40be(fp[5i .. 5i+5]) mod 100000, zero padded
 *
 * The keys are ordered bytewise, so both sides compute the same string. 30 digits keep ~99 bits of
 * the digest's 256 (each group is a 40-bit value reduced mod 10^5, a negligible bias).
 *
 * Claims: the same two keys give the same fingerprint on both sides, any other pair a different one
 * except with probability ~2^-99. Disclaims: it does not prove anything unless people compare it over a
 * channel they trust; it is not compatible with Berty Messenger, which shows no fingerprint.
 */
import { ED25519_PUBLIC_LENGTH, sha256 } from '../crypto'

const DOMAIN = new TextEncoder().encode('berty-contact-fingerprint/v1')
export const FINGERPRINT_GROUPS = 6

function compare(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number)
  return 0
}

export function contactFingerprint(pkA: Uint8Array, pkB: Uint8Array): string {
  for (const [pk, field] of [[pkA, 'pkA'], [pkB, 'pkB']] as const) {
    if (!(pk instanceof Uint8Array) || pk.length !== ED25519_PUBLIC_LENGTH) {
      throw new TypeError(`${field} must be a ${ED25519_PUBLIC_LENGTH}-byte Uint8Array`)
    }
  }
  const [lo, hi] = compare(pkA, pkB) <= 0 ? [pkA, pkB] : [pkB, pkA]
  const input = new Uint8Array(DOMAIN.length + 2 * ED25519_PUBLIC_LENGTH)
  input.set(DOMAIN, 0)
  input.set(lo, DOMAIN.length)
  input.set(hi, DOMAIN.length + ED25519_PUBLIC_LENGTH)
  const fp = sha256(input)
  const groups: string[] = []
  for (let i = 0; i < FINGERPRINT_GROUPS; i++) {
    let v = 0
    for (let j = 0; j < 5; j++) v = v * 256 + (fp[5 * i + j] as number)
    groups.push(String(v % 100000).padStart(5, '0'))
  }
  return groups.join(' ')
}
