/**
 * Group key material (spec "Groups", "Types of Groups"; PROTOCOL.md "Groups", "Link key",
 * "Group signing key").
 *
 * Claims: members hold `GroupSecrets`; replicas hold only `ReplicaKeys` (no `secret`), enough to verify
 * entry signatures (`signPub`), seal what replicas may see (`linkKey`) and find the group rendezvous
 * point, never to read or write. For multi-member groups the Group ID private key signs the secret
 * and the link key and is then discarded by the creator.
 * Disclaims: `signPub` is not bound to `groupPk` by any signature (PROTOCOL.md defines none), so a
 * replica trusts whoever handed it the keys for that binding.
 */
import {
  accountGroupKeys,
  contactGroupKeys,
  ed25519PublicFromSeed,
  ed25519Verify,
  groupLinkKey,
  groupSigningKey,
  memberKeyForGroup,
  randomBytes,
  wipe,
  type MemberKey
} from '../../crypto'
import { assertKeyField, assertSigField, KEY_LENGTH, SIGNATURE_LENGTH, copy, signBytes } from './codec'
import { GroupProtocolError } from './errors'

export type GroupKind = 'account' | 'contact' | 'multi'

export interface GroupSecrets {
  kind: GroupKind
  /** Group ID public key (spec "Group ID Key Pair"); the account public key for the account group. */
  groupPk: Uint8Array
  /** Group Secret: seals every group payload. */
  secret: Uint8Array
  /** sign(groupSK, secret); multi-member groups only. */
  secretSig?: Uint8Array
  /** HKDF-SHA3-256(secret, info = groupPk)[0:32] (PROTOCOL.md "Link key"). */
  linkKey: Uint8Array
  /** sign(groupSK, linkKey); multi-member groups only. */
  linkKeySig?: Uint8Array
  /** Group signing key = Ed25519 from seed `secret` (PROTOCOL.md "Group signing key"). */
  signSeed: Uint8Array
  signPub: Uint8Array
}

/** What a replica may hold (PROTOCOL.md "Link key": never `secret`). */
export interface ReplicaKeys {
  groupPk: Uint8Array
  signPub: Uint8Array
  linkKey: Uint8Array
  linkKeySig?: Uint8Array
}

/** The Group ID seed exists only between creation and the Init Member entry. */
export interface CreatedGroup {
  secrets: GroupSecrets
  /** Group ID private seed: sign the Init Member entry with it once, then `wipe` it. */
  groupSeed: Uint8Array
}

/**
 * Group key material from its secret: the signing key and link key follow from it (PROTOCOL.md
 * "Group signing key", "Link key"). Also rebuilds a stored group's secrets.
 */
export function groupSecretsFrom(kind: GroupKind, groupPk: Uint8Array, secret: Uint8Array): GroupSecrets {
  const { signSeed, signPub } = groupSigningKey(secret)
  return { kind, groupPk, secret, linkKey: groupLinkKey(secret, groupPk), signSeed, signPub }
}

/** Spec "Multi-Member Group": random group key pair and secret, both signed by the Group ID key. */
export function createMultiMemberGroup(): CreatedGroup {
  const groupSeed = randomBytes(KEY_LENGTH)
  const groupPk = ed25519PublicFromSeed(groupSeed)
  const secrets = groupSecretsFrom('multi', groupPk, randomBytes(KEY_LENGTH))
  secrets.secretSig = signBytes(groupSeed, secrets.secret)
  secrets.linkKeySig = signBytes(groupSeed, secrets.linkKey)
  return { secrets, groupSeed }
}

/** PROTOCOL.md "Account group": groupPK = accountPK, secret = seed(accountProofSK). */
export function accountGroup(accountSeed: Uint8Array, accountProofSeed: Uint8Array): GroupSecrets {
  assertKeyField(accountSeed, 'accountSeed')
  assertKeyField(accountProofSeed, 'accountProofSeed')
  const { groupPk, groupSecret } = accountGroupKeys(ed25519PublicFromSeed(accountSeed), accountProofSeed)
  return groupSecretsFrom('account', groupPk, groupSecret)
}

/** PROTOCOL.md "Contact group": deterministic on both sides, no secret sig. */
export function contactGroup(ownAccountSeed: Uint8Array, peerAccountPk: Uint8Array): GroupSecrets {
  assertKeyField(ownAccountSeed, 'ownAccountSeed')
  assertKeyField(peerAccountPk, 'peerAccountPk')
  const { groupPk, groupSecret, groupSeed } = contactGroupKeys(ownAccountSeed, peerAccountPk)
  // Both contacts could re-derive the group seed; nothing here signs with it.
  wipe(groupSeed)
  return groupSecretsFrom('contact', groupPk, groupSecret)
}

/** The fields of a multi-member group invitation (spec "Joining a Group"). */
export interface InvitationKeys {
  groupPk: Uint8Array
  secret: Uint8Array
  secretSig: Uint8Array
  linkKeySig?: Uint8Array
}

/**
 * Rebuilds a multi-member group's secrets from an invitation after checking the Group Secret Sig
 * (and the link key sig when present) against the Group ID: a tampered secret → ERR_BAD_SIGNATURE.
 */
export function groupFromInvitation(inv: InvitationKeys): GroupSecrets {
  assertKeyField(inv.groupPk, 'groupPk')
  assertKeyField(inv.secret, 'secret')
  assertSigField(inv.secretSig, 'secretSig')
  if (inv.linkKeySig !== undefined) assertSigField(inv.linkKeySig, 'linkKeySig')
  if (!ed25519Verify(inv.groupPk, inv.secret, inv.secretSig)) {
    throw new GroupProtocolError('ERR_BAD_SIGNATURE', 'secretSig does not verify under groupPk')
  }
  const secrets = groupSecretsFrom('multi', copy(inv.groupPk), copy(inv.secret))
  secrets.secretSig = copy(inv.secretSig)
  if (inv.linkKeySig !== undefined) {
    if (!ed25519Verify(inv.groupPk, secrets.linkKey, inv.linkKeySig)) {
      wipeGroupSecrets(secrets)
      throw new GroupProtocolError('ERR_BAD_SIGNATURE', 'linkKeySig does not verify under groupPk')
    }
    secrets.linkKeySig = copy(inv.linkKeySig)
  }
  return secrets
}

export function replicaKeysOf(secrets: GroupSecrets): ReplicaKeys {
  const r: ReplicaKeys = {
    groupPk: copy(secrets.groupPk),
    signPub: copy(secrets.signPub),
    linkKey: copy(secrets.linkKey)
  }
  if (secrets.linkKeySig !== undefined) r.linkKeySig = copy(secrets.linkKeySig)
  return r
}

/**
 * True when the replica keys are well-formed and, when a linkKeySig is present, it verifies under
 * groupPk. Never throws: replica keys arrive from peers.
 */
export function verifyReplicaKeys(r: ReplicaKeys): boolean {
  if (!isKey(r.groupPk) || !isKey(r.signPub) || !isKey(r.linkKey)) return false
  if (r.linkKeySig === undefined) return true
  if (!(r.linkKeySig instanceof Uint8Array) || r.linkKeySig.length !== SIGNATURE_LENGTH) return false
  return ed25519Verify(r.groupPk, r.linkKey, r.linkKeySig)
}

function isKey(v: unknown): v is Uint8Array {
  return v instanceof Uint8Array && v.length === KEY_LENGTH
}

/**
 * Own member key in a group. Multi-member: derived from the account-proof key and the Group ID
 * (PROTOCOL.md "Member key", same on every device of the account). Account and contact groups have
 * the account itself as member (spec "Account Group": "only composed of one Group Member, who is the
 * account"), as in the reference implementation.
 */
export function ownMemberKey(
  secrets: Pick<GroupSecrets, 'kind' | 'groupPk'>,
  account: { accountSeed: Uint8Array; accountProofSeed: Uint8Array }
): MemberKey {
  if (secrets.kind === 'multi') return memberKeyForGroup(account.accountProofSeed, secrets.groupPk)
  assertKeyField(account.accountSeed, 'accountSeed')
  const memberSeed = copy(account.accountSeed)
  return { memberSeed, memberPk: ed25519PublicFromSeed(memberSeed) }
}

export function wipeGroupSecrets(secrets: GroupSecrets): void {
  wipe(secrets.secret, secrets.signSeed, secrets.linkKey)
}
