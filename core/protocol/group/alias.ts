/**
 * Alias Identity (spec "Alias Identity"): the resolver a member discloses in a group and the proof
 * that binds it to that member, so contacts who know the alias key recognise the member.
 */
import { ed25519PublicFromSeed, ed25519Verify, equalBytes, hmacSha256 } from '../../crypto'
import { assertKeyField, KEY_LENGTH, SIGNATURE_LENGTH, signBytes, utf8 } from './codec'

/** Spec "Alias Identity". */
export interface Alias {
  /** HMAC-SHA256(key = aliasPk, msg = groupPk) */
  resolver: Uint8Array
  /** sign(aliasSK, resolver) */
  proof: Uint8Array
}

/**
 * Alias Resolver (spec "Alias Identity": "an HMAC of the Alias public Key and the Group ID").
 * PROTOCOL.md does not pin the construction; we use HMAC-SHA256(key = aliasPk, msg = groupPk): the
 * alias key is what only contacts know, so it is the MAC key, and the group ID scopes the result to
 * one group. Contacts precompute it per contact for instant matching.
 */
export function aliasResolver(aliasPk: Uint8Array, groupPk: Uint8Array): Uint8Array {
  assertKeyField(aliasPk, 'aliasPk')
  assertKeyField(groupPk, 'groupPk')
  return hmacSha256(aliasPk, groupPk)
}

const ALIAS_DOMAIN = utf8('berty/alias/v1')

/**
 * What the Alias Proof signs: the resolver AND the member id that discloses it. The spec's proof
 * ("the signature of the Alias Resolver by the Alias private key") alone would let any member
 * repost someone's alias entry and be shown as them; binding the member id closes that.
 */
export function aliasProofMessage(resolver: Uint8Array, memberPk: Uint8Array): Uint8Array {
  assertKeyField(resolver, 'resolver')
  assertKeyField(memberPk, 'memberPk')
  const out = new Uint8Array(ALIAS_DOMAIN.length + 64)
  out.set(ALIAS_DOMAIN)
  out.set(resolver, ALIAS_DOMAIN.length)
  out.set(memberPk, ALIAS_DOMAIN.length + 32)
  return out
}

export function aliasBody(aliasSeed: Uint8Array, groupPk: Uint8Array, memberPk: Uint8Array): Alias {
  assertKeyField(aliasSeed, 'aliasSeed')
  const resolver = aliasResolver(ed25519PublicFromSeed(aliasSeed), groupPk)
  return { resolver, proof: signBytes(aliasSeed, aliasProofMessage(resolver, memberPk)) }
}

/**
 * True when `resolver` is this alias key's resolver for the group and `proof` is its signature
 * for the disclosing member `memberPk`.
 */
export function verifyAliasProof(
  aliasPk: Uint8Array,
  groupPk: Uint8Array,
  memberPk: Uint8Array,
  resolver: Uint8Array,
  proof: Uint8Array
): boolean {
  if (!(memberPk instanceof Uint8Array) || memberPk.length !== KEY_LENGTH) return false
  if (!(aliasPk instanceof Uint8Array) || aliasPk.length !== KEY_LENGTH) return false
  if (!(groupPk instanceof Uint8Array) || groupPk.length !== KEY_LENGTH) return false
  if (!(resolver instanceof Uint8Array) || resolver.length !== KEY_LENGTH) return false
  if (!(proof instanceof Uint8Array) || proof.length !== SIGNATURE_LENGTH) return false
  if (!equalBytes(aliasResolver(aliasPk, groupPk), resolver)) return false
  return ed25519Verify(aliasPk, aliasProofMessage(resolver, memberPk), proof)
}

