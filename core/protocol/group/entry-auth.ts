/**
 * Access-control signature over each log entry's sealed payload (PROTOCOL.md "Group signing key";
 * spec "Multi-Member Group": "the secret box is signed with a key derived from the Group Secret and
 * the signature is sent along. It is the case for all entries posted on the group").
 *
 * Claims: only holders of the group secret can produce a valid signature; replicas verify with
 * `signPub` alone, without being able to read or write. The message binds the log id and the writer
 * key, so a replica cannot re-wrap a member's sealed payload under another log or writer.
 * Disclaims: any member can sign for any writer key it controls; this proves group membership, not
 * authorship (authorship is the device signature inside the sealed payload).
 */
import { concatBytes, ed25519Verify } from '../../crypto'
import { assertKeyField, KEY_LENGTH, SIGNATURE_LENGTH, u32be, utf8, signBytes } from './codec'
import { GroupProtocolError } from './errors'

/** Upper bound of any sealed entry payload (message or metadata) a member writes or a replica stores. */
export const MAX_SEALED_ENTRY_BYTES = 64 * 1024
export const MAX_LOG_ID_BYTES = 1024

const DOMAIN = utf8('berty/entry/v1')

/** `DOMAIN ‖ u32be(len(logId)) ‖ logId` per log id: every entry of a log signs the same prefix. */
const prefixes = new Map<string, Uint8Array>()
const MAX_PREFIXES = 256

function prefixOf(logId: string): Uint8Array {
  let prefix = prefixes.get(logId)
  if (prefix === undefined) {
    const id = utf8(logId)
    if (id.length > MAX_LOG_ID_BYTES) throw new GroupProtocolError('ERR_TOO_LARGE', 'logId is too long')
    prefix = concatBytes(DOMAIN, u32be(id.length), id)
    if (prefixes.size >= MAX_PREFIXES) prefixes.clear()
    prefixes.set(logId, prefix)
  }
  return prefix
}

/** utf8("berty/entry/v1") ‖ u32be(len(logId)) ‖ logId ‖ writerKey ‖ sealed. */
export function entryAuthMessage(logId: string, writerKey: Uint8Array, sealed: Uint8Array): Uint8Array {
  if (typeof logId !== 'string') throw new GroupProtocolError('ERR_MALFORMED', 'logId must be a string')
  const prefix = prefixOf(logId)
  assertKeyField(writerKey, 'writerKey')
  if (!(sealed instanceof Uint8Array)) throw new GroupProtocolError('ERR_MALFORMED', 'sealed must be a Uint8Array')
  if (sealed.length > MAX_SEALED_ENTRY_BYTES) {
    throw new GroupProtocolError('ERR_TOO_LARGE', `sealed entry over ${MAX_SEALED_ENTRY_BYTES} bytes`)
  }
  const out = new Uint8Array(prefix.length + writerKey.length + sealed.length)
  out.set(prefix, 0)
  out.set(writerKey, prefix.length)
  out.set(sealed, prefix.length + writerKey.length)
  return out
}

export function signEntry(signSeed: Uint8Array, logId: string, writerKey: Uint8Array, sealed: Uint8Array): Uint8Array {
  assertKeyField(signSeed, 'signSeed')
  return signBytes(signSeed, entryAuthMessage(logId, writerKey, sealed))
}

/** False for any wrong, malformed or oversized input: entries come from the network, so never throws. */
export function verifyEntry(
  signPub: Uint8Array,
  logId: string,
  writerKey: Uint8Array,
  sealed: Uint8Array,
  sig: Uint8Array
): boolean {
  if (!(signPub instanceof Uint8Array) || signPub.length !== KEY_LENGTH) return false
  if (!(sig instanceof Uint8Array) || sig.length !== SIGNATURE_LENGTH) return false
  let msg: Uint8Array
  try {
    msg = entryAuthMessage(logId, writerKey, sealed)
  } catch {
    return false
  }
  return ed25519Verify(signPub, msg, sig)
}
