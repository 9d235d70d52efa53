/**
 * Symmetric ratchet and message-body sealing (PROTOCOL.md "Symmetric ratchet"; spec "Encryption").
 * Claims: each message key is used once; the chain only moves forward, so a leaked chain key does not
 * reveal earlier message keys (forward secrecy). Disclaims: no post-compromise security — a leaked
 * chain key reveals all later keys until the device issues a new chain.
 */
import { assertCounter, assertKey32, u64be, wipe } from './bytes'
import { fastHkdfSha256 } from './provider'
import { secretboxOpenWithNonce, secretboxSealWithNonce } from './secretbox'

export interface RatchetStep {
  chainKey: Uint8Array
  messageKey: Uint8Array
}

/** okm = HKDF-SHA256(IKM = chainKey, salt = none, info = groupPk, 64) → {okm[0:32], okm[32:64]}. */
export function deriveNextKeys(chainKey: Uint8Array, groupPk: Uint8Array): RatchetStep {
  assertKey32(chainKey, 'chainKey')
  assertKey32(groupPk, 'groupPk')
  const okm = fastHkdfSha256(chainKey, undefined, groupPk, 64)
  const out = { chainKey: okm.slice(0, 32), messageKey: okm.slice(32, 64) }
  wipe(okm)
  return out
}

/** nonce = u64be(counter) ‖ 16 zero bytes; unique per key because each key seals one message. */
export function messageBodyNonce(counter: number): Uint8Array {
  assertCounter(counter, 'counter')
  const nonce = new Uint8Array(24)
  nonce.set(u64be(counter), 0)
  return nonce
}

export function sealMessageBody(messageKey: Uint8Array, counter: number, plaintext: Uint8Array): Uint8Array {
  assertKey32(messageKey, 'messageKey')
  return secretboxSealWithNonce(messageKey, messageBodyNonce(counter), plaintext)
}

export function openMessageBody(messageKey: Uint8Array, counter: number, ciphertext: Uint8Array): Uint8Array {
  assertKey32(messageKey, 'messageKey')
  return secretboxOpenWithNonce(messageKey, messageBodyNonce(counter), ciphertext)
}
