/**
 * Keystore blobs of the groups engine: what a member holds of a group (secret and signatures),
 * what a replica holds (public keys and the link key only), and the sender chain. Versioned by
 * their first byte so a later format can be told apart.
 */
import { groupFromInvitation, groupSecretsFrom, type GroupKind, type GroupSecrets, type ReplicaKeys, type SenderChain } from '../protocol/group'
import { GroupsError } from './errors'

/** secret ‖ flags ‖ secretSig? ‖ linkKeySig?. */
export function encodeMemberKeys(s: GroupSecrets): Uint8Array {
  const parts = [s.secretSig ?? new Uint8Array(0), s.linkKeySig ?? new Uint8Array(0)]
  const out = new Uint8Array(1 + 32 + 1 + parts[0]!.length + parts[1]!.length)
  out[0] = 1
  out.set(s.secret, 1)
  out[33] = (s.secretSig ? 1 : 0) | (s.linkKeySig ? 2 : 0)
  let o = 34
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}

export function decodeMemberKeys(kind: GroupKind, groupPk: Uint8Array, blob: Uint8Array): GroupSecrets {
  if (blob[0] !== 1 || blob.length < 34) throw new GroupsError('ERR_INVALID', 'corrupt group key record')
  const secret = blob.slice(1, 33)
  const flags = blob[33]!
  let o = 34
  const secretSig = flags & 1 ? blob.slice(o, (o += 64)) : undefined
  const linkKeySig = flags & 2 ? blob.slice(o, (o += 64)) : undefined
  if (kind === 'multi') {
    return groupFromInvitation({ groupPk, secret, secretSig: secretSig!, ...(linkKeySig ? { linkKeySig } : {}) })
  }
  // Account and contact groups are derived, so their secrets carry no signatures.
  return groupSecretsFrom(kind, groupPk, secret)
}

export function encodeReplicaKeys(r: ReplicaKeys): Uint8Array {
  const out = new Uint8Array(1 + 32 + 32 + 1 + (r.linkKeySig ? 64 : 0))
  out[0] = 2
  out.set(r.signPub, 1)
  out.set(r.linkKey, 33)
  out[65] = r.linkKeySig ? 1 : 0
  if (r.linkKeySig) out.set(r.linkKeySig, 66)
  return out
}

export function decodeReplicaKeys(groupPk: Uint8Array, blob: Uint8Array): ReplicaKeys {
  if (blob[0] !== 2 || blob.length < 66) throw new GroupsError('ERR_INVALID', 'corrupt replica key record')
  return {
    groupPk,
    signPub: blob.slice(1, 33),
    linkKey: blob.slice(33, 65),
    ...(blob[65] === 1 ? { linkKeySig: blob.slice(66, 130) } : {})
  }
}

export function encodeSenderChain(c: SenderChain): Uint8Array {
  const out = new Uint8Array(40)
  out.set(c.chainKey, 0)
  new DataView(out.buffer).setBigUint64(32, BigInt(c.counter))
  return out
}

export function decodeSenderChain(b: Uint8Array): SenderChain {
  if (b.length !== 40) throw new GroupsError('ERR_INVALID', 'corrupt sender chain')
  return { chainKey: b.slice(0, 32), counter: Number(new DataView(b.buffer, b.byteOffset).getBigUint64(32)) }
}
