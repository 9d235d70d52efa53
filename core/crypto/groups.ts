/**
 * Group key derivations (PROTOCOL.md "Groups"; spec "Groups"). Every function is deterministic so two
 * devices (or two contacts) reach the same keys without talking.
 */
import { assertKey32, concatBytes, wipe } from './bytes'
import { hkdfSha256, hkdfSha3_256 } from './hash'
import { ed25519PublicFromSeed, edPublicToX25519Public, edSeedToX25519Secret, x25519 } from './keys'

export interface ContactGroupKeys {
  groupPk: Uint8Array
  groupSecret: Uint8Array
  /** Ed25519 seed of the group key; both contacts hold it (PROTOCOL.md: "no secret sig"). */
  groupSeed: Uint8Array
}

/**
 * PROTOCOL.md "Contact group": s = X25519(mont(ownSK), mont(peerPK)); pair = s ‖ ed25519pub(s);
 * okm = HKDF-SHA256(pair, salt none, info none, 64). Symmetric because X25519 is.
 */
export function contactGroupKeys(ownAccountSeed: Uint8Array, peerAccountPk: Uint8Array): ContactGroupKeys {
  assertKey32(ownAccountSeed, 'ownAccountSeed')
  assertKey32(peerAccountPk, 'peerAccountPk')
  const peerX = edPublicToX25519Public(peerAccountPk)
  const ownX = edSeedToX25519Secret(ownAccountSeed)
  const s = x25519(ownX, peerX)
  wipe(ownX)
  const pair = concatBytes(s, ed25519PublicFromSeed(s))
  wipe(s)
  const okm = hkdfSha256(pair, undefined, undefined, 64)
  wipe(pair)
  const groupSeed = okm.slice(0, 32)
  const groupSecret = okm.slice(32, 64)
  wipe(okm)
  return { groupPk: ed25519PublicFromSeed(groupSeed), groupSecret, groupSeed }
}

export interface MemberKey {
  memberSeed: Uint8Array
  memberPk: Uint8Array
}

/**
 * PROTOCOL.md "Multi-member group": memberSeed = X25519(mont(accountProofSK), mont(groupPK)), so every
 * device of one account derives the same member key without syncing it.
 */
export function memberKeyForGroup(accountProofSeed: Uint8Array, groupPk: Uint8Array): MemberKey {
  assertKey32(accountProofSeed, 'accountProofSeed')
  assertKey32(groupPk, 'groupPk')
  const groupX = edPublicToX25519Public(groupPk)
  const proofX = edSeedToX25519Secret(accountProofSeed)
  const memberSeed = x25519(proofX, groupX)
  wipe(proofX)
  return { memberSeed, memberPk: ed25519PublicFromSeed(memberSeed) }
}

/** PROTOCOL.md "Link key": HKDF-SHA3-256(IKM = secret, salt none, info = groupPK)[0:32]. */
export function groupLinkKey(groupSecret: Uint8Array, groupPk: Uint8Array): Uint8Array {
  assertKey32(groupSecret, 'groupSecret')
  assertKey32(groupPk, 'groupPk')
  return hkdfSha3_256(groupSecret, undefined, groupPk, 32)
}

export interface GroupSigningKey {
  signSeed: Uint8Array
  signPub: Uint8Array
}

/** PROTOCOL.md "Group signing key": Ed25519 from seed = secret; replicas check `signPub` only. */
export function groupSigningKey(groupSecret: Uint8Array): GroupSigningKey {
  assertKey32(groupSecret, 'groupSecret')
  const signSeed = groupSecret.slice()
  return { signSeed, signPub: ed25519PublicFromSeed(signSeed) }
}

export interface AccountGroupKeys {
  groupPk: Uint8Array
  groupSecret: Uint8Array
}

/** PROTOCOL.md "Account group": groupPK = accountPK, secret = seed(accountProofSK). */
export function accountGroupKeys(accountPk: Uint8Array, accountProofSeed: Uint8Array): AccountGroupKeys {
  assertKey32(accountPk, 'accountPk')
  assertKey32(accountProofSeed, 'accountProofSeed')
  return { groupPk: accountPk.slice(), groupSecret: accountProofSeed.slice() }
}
