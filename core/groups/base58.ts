/**
 * base58btc with its multibase prefix `z`: what multiformats' `base58btc.encode` gives (the string form
 * of every entry hash, a CIDv1), in 24-bit limbs divided by 58^4 instead of base-x's byte-by-byte
 * carry loop, quadratic in the digits (it was ~2 % of a catch-up: one per received block).
 * tests/unit/groups/base58.test.ts compares it with multiformats on random inputs.
 */
const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'
const D = 58 ** 4 // 11,316,496 < 2^24: a remainder times 2^24 plus a limb stays below 2^53
const LIMB = 0x1000000

export function base58btcMultibase(bytes: Uint8Array): string {
  let zeros = 0
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++
  // The number after the leading zero bytes, most significant limb first.
  const count = Math.ceil((bytes.length - zeros) / 3)
  const limbs = new Array<number>(count)
  for (let k = count - 1, i = bytes.length; k >= 0; k--, i -= 3) {
    let v = bytes[i - 1]!
    if (i - 2 >= zeros) v += bytes[i - 2]! << 8
    if (i - 3 >= zeros) v += bytes[i - 3]! * 0x10000
    limbs[k] = v
  }
  const digits: number[] = []
  let start = 0
  while (start < count) {
    let r = 0
    for (let j = start; j < count; j++) {
      const cur = r * LIMB + limbs[j]!
      const q = Math.floor(cur / D)
      limbs[j] = q
      r = cur - q * D
    }
    while (start < count && limbs[start] === 0) start++
    for (let t = 0; t < 4; t++) {
      digits.push(r % 58)
      r = Math.floor(r / 58)
    }
  }
  while (digits.length > 0 && digits[digits.length - 1] === 0) digits.pop()
  let s = 'z' + '1'.repeat(zeros)
  for (let i = digits.length - 1; i >= 0; i--) s += ALPHABET[digits[i]!]
  return s
}
