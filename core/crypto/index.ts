/**
 * Public surface of core/crypto: pure constructions over Uint8Array pinned byte for byte by
 * tests/vectors (PROTOCOL.md). Imports no I/O; node:crypto is reached only through provider.ts.
 */
export { CryptoError, type CryptoErrorCode } from './errors'
export {
  randomBytes,
  randomNonce,
  wipe,
  equalBytes,
  concatBytes,
  isAllZero,
  u64be,
  isBytes
} from './bytes'
export {
  sha256,
  sha512,
  hmacSha256,
  hkdfSha256,
  hkdfSha3_256,
  hkdfSha256Extract,
  hkdfSha256Expand
} from './hash'
export {
  SECRETBOX_KEY_LENGTH,
  SECRETBOX_NONCE_LENGTH,
  SECRETBOX_TAG_LENGTH,
  secretboxSeal,
  secretboxOpen,
  secretboxSealWithNonce,
  secretboxOpenWithNonce
} from './secretbox'
export {
  ED25519_SEED_LENGTH,
  ED25519_PUBLIC_LENGTH,
  ED25519_SIGNATURE_LENGTH,
  X25519_KEY_LENGTH,
  ed25519PublicFromSeed,
  ed25519Sign,
  ed25519Verify,
  ed25519Keygen,
  x25519,
  x25519PublicFromSecret,
  x25519Keygen,
  edSeedToX25519Secret,
  edPublicToX25519Public,
  type Ed25519KeyPair,
  type X25519KeyPair
} from './keys'
export {
  hsalsa20,
  naclBoxBeforeNm,
  naclBox,
  naclBoxOpen,
  naclBoxWithNonce,
  naclBoxOpenWithNonce
} from './box'
export {
  DEFAULT_RENDEZVOUS_INTERVAL_SECONDS,
  RENDEZVOUS_GRACE_SECONDS,
  rendezvousPoint,
  rendezvousPointAnySeed,
  rendezvousPeriodStart,
  activeRendezvousPoints
} from './rendezvous'
export { deriveNextKeys, sealMessageBody, openMessageBody, messageBodyNonce, type RatchetStep } from './ratchet'
export {
  contactGroupKeys,
  memberKeyForGroup,
  groupLinkKey,
  groupSigningKey,
  accountGroupKeys,
  type ContactGroupKeys,
  type MemberKey,
  type GroupSigningKey,
  type AccountGroupKeys
} from './groups'
export {
  handshakeAuthenticateKey,
  handshakeAcceptKey,
  handshakeAuthenticateNonce,
  handshakeAcceptNonce
} from './handshake-keys'
export {
  type CurveProvider,
  nobleProvider,
  nodeProvider,
  nodeProviderAvailable,
  fastSha256,
  fastHkdfSha256
} from './provider'
export { ED25519_VERIFY_WORKER_SOURCE } from './verify-worker-source'
export { getCurveProvider, setCurveProvider, clearCurveKeyCache } from './curve-select'
export { sodiumProvider } from './sodium-provider'
export { sodiumPath } from './sodium'
export { type AeadBackend, nobleAead, sodiumAead } from './aead'
export {
  type SalsaBackend,
  nobleSalsa,
  sodiumSalsa,
  sodiumUnavailableReason,
  getSalsaBackend,
  setSalsaBackend
} from './salsa-backend'
