/**
 * Key schedule of the contact request handshake (PROTOCOL.md "Contact request handshake"; spec
 * "Contact Request"). `k(x, Y)` is `naclBoxBeforeNm`; the step logic lives in core/protocol.
 */
import { assertKey32, concatBytes, wipe } from './bytes'
import { sha256 } from './hash'

/** Step 3 secretbox key: SHA-256(k(a,b) ‖ k(a,B)). */
export function handshakeAuthenticateKey(kab: Uint8Array, kaB: Uint8Array): Uint8Array {
  assertKey32(kab, 'kab')
  assertKey32(kaB, 'kaB')
  const buf = concatBytes(kab, kaB)
  try {
    return sha256(buf)
  } finally {
    wipe(buf)
  }
}

/** Step 4 secretbox key: SHA-256(k(a,b) ‖ k(A,B)). */
export function handshakeAcceptKey(kab: Uint8Array, kAB: Uint8Array): Uint8Array {
  assertKey32(kab, 'kab')
  assertKey32(kAB, 'kAB')
  const buf = concatBytes(kab, kAB)
  try {
    return sha256(buf)
  } finally {
    wipe(buf)
  }
}

/** Step 3 nonce: 0x01 ‖ 23 zero bytes (each key seals exactly one message, so a fixed nonce is safe). */
export function handshakeAuthenticateNonce(): Uint8Array {
  const n = new Uint8Array(24)
  n[0] = 0x01
  return n
}

/** Step 4 nonce: 0x02 ‖ 23 zero bytes. */
export function handshakeAcceptNonce(): Uint8Array {
  const n = new Uint8Array(24)
  n[0] = 0x02
  return n
}
