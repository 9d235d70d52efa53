/**
 * The sixth frame of a weshnet contact request: after the handshake's ack, the requester sends its
 * `ShareableContact {pk, public_rendezvous_seed, metadata}` (berty/weshnet contact_request_manager.go
 * `SendContactRequest` → `writer.WriteMsg(own)`). A Go responder reads it, requires `pk` to equal the
 * account key the handshake proved, and checks it with `CheckFormat(AllowMissingRDVSeed)`: a seed is
 * 32 bytes or absent, `pk` is a 32-byte Ed25519 key. Without this frame a Go responder fails the request.
 */
import { ED25519_PUBLIC_LENGTH, equalBytes } from '../crypto'
import { HandshakeError, MAX_HANDSHAKE_FRAME_SIZE } from './contact-request'
import { ShareableContact } from './proto/wesh'
import { decodeWesh } from './wesh-codec'

/** weshnet `protocoltypes.RendezvousSeedLength`. */
export const RENDEZVOUS_SEED_LENGTH = 32

export interface ShareableContactData {
  accountPk: Uint8Array
  /** Empty when the requester has no public rendezvous seed (allowed by Go's responder). */
  publicRendezvousSeed: Uint8Array
  /** App metadata (Berty Messenger puts the display name here); opaque to the protocol. */
  metadata: Uint8Array
}

export function encodeContactFrame(contact: ShareableContactData): Uint8Array {
  checkFormat(contact.accountPk, contact.publicRendezvousSeed)
  if (!(contact.metadata instanceof Uint8Array)) throw new HandshakeError('ERR_BAD_INPUT', 'metadata must be a Uint8Array')
  const bytes = ShareableContact.encode({
    pk: contact.accountPk,
    publicRendezvousSeed: contact.publicRendezvousSeed,
    metadata: contact.metadata
  })
  if (bytes.length > MAX_HANDSHAKE_FRAME_SIZE) {
    throw new HandshakeError('ERR_FRAME_TOO_LARGE', `contact frame of ${bytes.length} bytes exceeds ${MAX_HANDSHAKE_FRAME_SIZE}`)
  }
  return bytes
}

/** Decodes and checks the sixth frame against the account key the handshake authenticated. */
export function decodeContactFrame(frame: Uint8Array, handshakeAccountPk: Uint8Array): ShareableContactData {
  let decoded: ShareableContact
  try {
    decoded = decodeWesh(ShareableContact, frame, { maxBytes: MAX_HANDSHAKE_FRAME_SIZE })
  } catch (err) {
    const tooLarge = (err as { code?: string }).code === 'ERR_TOO_LARGE'
    throw new HandshakeError(tooLarge ? 'ERR_FRAME_TOO_LARGE' : 'ERR_BAD_FRAME', 'contact frame is not a ShareableContact', { cause: err })
  }
  if (!equalBytes(decoded.pk, handshakeAccountPk)) {
    throw new HandshakeError('ERR_BAD_ACCOUNT_KEY', 'contact information does not match handshake data')
  }
  checkFormat(decoded.pk, decoded.publicRendezvousSeed)
  return { accountPk: decoded.pk, publicRendezvousSeed: decoded.publicRendezvousSeed, metadata: decoded.metadata }
}

function checkFormat(pk: unknown, seed: unknown): void {
  if (!(pk instanceof Uint8Array) || pk.length !== ED25519_PUBLIC_LENGTH) {
    throw new HandshakeError('ERR_BAD_ACCOUNT_KEY', `contact pk must be ${ED25519_PUBLIC_LENGTH} bytes`)
  }
  if (!(seed instanceof Uint8Array) || (seed.length !== 0 && seed.length !== RENDEZVOUS_SEED_LENGTH)) {
    throw new HandshakeError('ERR_BAD_INPUT', `rendezvous seed must be ${RENDEZVOUS_SEED_LENGTH} bytes or empty`)
  }
}
