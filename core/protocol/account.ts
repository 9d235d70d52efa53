/**
 * Account creation as pure steps (spec "Account Creation"; PROTOCOL.md "Keys", "Rendezvous point").
 *
 * An account is four independent random values, all generated locally and offline ("no central
 * directory", "no personal data is required"):
 * 1. the account key (Ed25519): the account's identity, never changes;
 * 2. the alias / account-proof key (Ed25519): never changes (seeds the account group secret);
 * 3. the device key (Ed25519): one per device, regenerated on every linked device;
 * 4. the public rendezvous seed: 32 random bytes, renewable at any time to cut off contact requests
 *    from everyone who only knows the old seed.
 *
 * Persistence is not here: see core/storage/account-store.ts.
 */
import { ED25519_SEED_LENGTH, ed25519PublicFromSeed, randomBytes, DEFAULT_RENDEZVOUS_INTERVAL_SECONDS } from '../crypto'
import { publicRendezvousPoint as publicRendezvousPointAt } from './rendezvous'

export const RENDEZVOUS_SEED_LENGTH = 32

export interface AccountSecrets {
  /** Ed25519 seed of the account key. */
  accountSeed: Uint8Array
  /** Ed25519 seed of the alias / account-proof key. */
  aliasSeed: Uint8Array
  /** Ed25519 seed of this device's key. */
  deviceSeed: Uint8Array
  /** Public rendezvous seed (shared with would-be contacts, so not secret, but it gates requests). */
  rendezvousSeed: Uint8Array
}

export interface AccountPublicKeys {
  accountPk: Uint8Array
  aliasPk: Uint8Array
  devicePk: Uint8Array
}

export interface AccountKeys {
  secrets: AccountSecrets
  publics: AccountPublicKeys
}

/** Spec "Account Creation" steps 1-4. The caller owns (and wipes) the returned secrets. */
export function createAccountKeys(): AccountKeys {
  const secrets: AccountSecrets = {
    accountSeed: randomBytes(ED25519_SEED_LENGTH),
    aliasSeed: randomBytes(ED25519_SEED_LENGTH),
    deviceSeed: randomBytes(ED25519_SEED_LENGTH),
    rendezvousSeed: newRendezvousSeed()
  }
  return { secrets, publics: publicKeysOf(secrets) }
}

export function publicKeysOf(secrets: Pick<AccountSecrets, 'accountSeed' | 'aliasSeed' | 'deviceSeed'>): AccountPublicKeys {
  return {
    accountPk: ed25519PublicFromSeed(secrets.accountSeed),
    aliasPk: ed25519PublicFromSeed(secrets.aliasSeed),
    devicePk: ed25519PublicFromSeed(secrets.deviceSeed)
  }
}

/** A fresh device key for a device joining an existing account (spec "Linking Devices" step 1). */
export function createDeviceSeed(): Uint8Array {
  return randomBytes(ED25519_SEED_LENGTH)
}

/** Spec "Account Creation" step 4, also used by renewal. */
export function newRendezvousSeed(): Uint8Array {
  return randomBytes(RENDEZVOUS_SEED_LENGTH)
}

/**
 * The account's public rendezvous point for the period containing `nowSeconds`, as deployed weshnet
 * computes it (PROTOCOL.md "Rendezvous point": topic = base64-std of the account key): the point of
 * core/protocol/rendezvous.ts `publicRendezvousPoint`, for callers counting in unix seconds.
 */
export function publicRendezvousPoint(
  accountPk: Uint8Array,
  rendezvousSeed: Uint8Array,
  nowSeconds: number,
  intervalSeconds: number = DEFAULT_RENDEZVOUS_INTERVAL_SECONDS
): Uint8Array {
  return publicRendezvousPointAt(accountPk, rendezvousSeed, new Date(nowSeconds * 1000), intervalSeconds).point
}
