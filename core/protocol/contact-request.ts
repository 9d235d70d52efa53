/**
 * Contact request handshake as pure steps (spec "Contact Request"; PROTOCOL.md "Contact request
 * handshake"). No I/O: the stream owner feeds each received message to `requesterStep` /
 * `responderStep` and writes back the message returned, framed with `encodeFrame`.
 *
 *   1. requester → hello{a}                 2. responder → hello{b}
 *   3. requester → box[k(a,b)‖k(a,B)](A, sig_A(k(a,b)))      nonce 0x01‖0²³
 *   4. responder → box[k(a,b)‖k(A,B)](sig_B(k(a,b)))         nonce 0x02‖0²³
 *   5. requester → ack{success}
 *
 * Claims: the responder learns the requester's account key A, proven by A's signature over the
 * ephemeral secret k(a,b) (so it cannot be replayed into another run); the requester learns that whoever
 * answered holds B. Step 3 is sealed with a key that needs B's secret, so only B ever sees A. Fresh
 * ephemeral keys make every run's keys independent; ephemeral secrets and derived keys are wiped as soon
 * as they are used and in any case when the run ends (success or abort).
 * Disclaims: it does not hide that two peers are talking, nor their IP addresses; it does not
 * authenticate the responder to the requester before step 4 (an impostor learns only that somebody
 * wanted to reach B); a responder cannot tell a legitimate A from a spammer who knows B's public
 * contact data — deciding to accept the contact is the caller's job.
 *
 * Wire format: weshnet internal/handshake protobuf messages (core/protocol/proto/handshake.proto),
 * uvarint-length-delimited, at most 2048 bytes each, as the Go reference reads them
 * (`protoio.NewDelimitedReader(stream, 2048)`); A is sent as a libp2p-marshaled Ed25519 PublicKey.
 *
 * State objects are owned by the machine and updated in place: a step that throws leaves its state
 * `aborted` (wiped), which is what makes replays and late frames fail even when the caller keeps
 * the old reference.
 */
import {
  CryptoError,
  ED25519_PUBLIC_LENGTH,
  ED25519_SEED_LENGTH,
  X25519_KEY_LENGTH,
  ed25519PublicFromSeed,
  ed25519Sign,
  ed25519Verify,
  edPublicToX25519Public,
  edSeedToX25519Secret,
  equalBytes,
  handshakeAcceptKey,
  handshakeAcceptNonce,
  handshakeAuthenticateKey,
  handshakeAuthenticateNonce,
  naclBoxBeforeNm,
  randomBytes,
  secretboxOpenWithNonce,
  secretboxSealWithNonce,
  sha256,
  wipe,
  x25519PublicFromSecret
} from '../crypto'
import {
  BoxEnvelope,
  HelloPayload,
  KeyType,
  PublicKey,
  RequesterAcknowledgePayload,
  RequesterAuthenticatePayload,
  ResponderAcceptPayload
} from './proto/handshake'

/** Largest message accepted, before any decoding (PROTOCOL.md "any frame over 2048 bytes ... aborts"). */
export const MAX_HANDSHAKE_FRAME_SIZE = 2048

export type HandshakeErrorCode =
  | 'ERR_FRAME_TOO_LARGE'
  | 'ERR_BAD_FRAME'
  | 'ERR_UNEXPECTED_FRAME'
  | 'ERR_REPLAYED_FRAME'
  | 'ERR_BAD_EPHEMERAL_KEY'
  | 'ERR_BAD_ACCOUNT_KEY'
  | 'ERR_BAD_BOX'
  | 'ERR_BAD_SIGNATURE'
  | 'ERR_NOT_ACKNOWLEDGED'
  | 'ERR_ABORTED'
  | 'ERR_BAD_INPUT'

export class HandshakeError extends Error {
  override readonly name = 'HandshakeError'
  readonly code: HandshakeErrorCode

  constructor(code: HandshakeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
  }
}

// --- framing --------------------------------------------------------------------------------------------

/** `uvarint(len) ‖ msg`, as gogo `protoio.DelimitedWriter` writes; refuses messages over the cap. */
export function encodeFrame(msg: Uint8Array, maxSize: number = MAX_HANDSHAKE_FRAME_SIZE): Uint8Array {
  if (!(msg instanceof Uint8Array)) throw new HandshakeError('ERR_BAD_INPUT', 'msg must be a Uint8Array')
  if (msg.length > maxSize) {
    throw new HandshakeError('ERR_FRAME_TOO_LARGE', `frame of ${msg.length} bytes exceeds ${maxSize}`)
  }
  const prefix: number[] = []
  let n = msg.length
  while (n >= 0x80) {
    prefix.push((n & 0x7f) | 0x80)
    n >>>= 7
  }
  prefix.push(n)
  const out = new Uint8Array(prefix.length + msg.length)
  out.set(prefix, 0)
  out.set(msg, prefix.length)
  return out
}

export interface DecodedFrame {
  /** The message, a view into the input buffer. */
  frame: Uint8Array
  /** Bytes consumed from `offset`: prefix + message. */
  bytesRead: number
}

/**
 * Reads one frame at `offset`. Returns undefined when more bytes are needed. The declared length is
 * checked against the cap as soon as the prefix is read, so an oversized frame is refused before a
 * single byte of it is buffered.
 */
export function decodeFrame(
  buf: Uint8Array,
  offset = 0,
  maxSize: number = MAX_HANDSHAKE_FRAME_SIZE
): DecodedFrame | undefined {
  if (!(buf instanceof Uint8Array)) throw new HandshakeError('ERR_BAD_INPUT', 'buf must be a Uint8Array')
  let len = 0
  let shift = 0
  let pos = offset
  for (;;) {
    if (pos >= buf.length) return undefined
    const byte = buf[pos++] as number
    len += (byte & 0x7f) * 2 ** shift
    if (len > maxSize) {
      throw new HandshakeError('ERR_FRAME_TOO_LARGE', `declared frame length exceeds ${maxSize}`)
    }
    if ((byte & 0x80) === 0) break
    shift += 7
    // A 2048-byte cap fits in two varint bytes; a longer prefix (even with zero padding) is malformed.
    if (shift > 28) throw new HandshakeError('ERR_BAD_FRAME', 'malformed length prefix')
  }
  if (buf.length - pos < len) return undefined
  return { frame: buf.subarray(pos, pos + len), bytesRead: pos + len - offset }
}

// --- states ---------------------------------------------------------------------------------------------

export type RequesterPhase = 'awaiting-responder-hello' | 'awaiting-accept' | 'done' | 'aborted'
export type ResponderPhase = 'awaiting-hello' | 'awaiting-authenticate' | 'awaiting-ack' | 'done' | 'aborted'

interface Common {
  /** Caller-owned account seed; referenced, never copied or wiped by the machine. */
  readonly ownAccountSeed: Uint8Array
  /** Our ephemeral X25519 secret; wiped when the run ends. */
  ephemeralSecret: Uint8Array | undefined
  ephemeralPk: Uint8Array
  peerEphemeralPk: Uint8Array | undefined
  /** k(a,b); wiped when the run ends. */
  kab: Uint8Array | undefined
  /** SHA-256 of every message received so far, to refuse a replay by its content. */
  seen: Uint8Array[]
  error: HandshakeError | undefined
}

export interface RequesterState extends Common {
  readonly role: 'requester'
  phase: RequesterPhase
  readonly peerAccountPk: Uint8Array
}

export interface ResponderState extends Common {
  readonly role: 'responder'
  phase: ResponderPhase
  /** The requester's account key, known after step 3 and returned on success. */
  peerAccountPk: Uint8Array | undefined
}

export interface StepResult<S> {
  state: S
  /** Message to send (not yet framed), if any. */
  frame?: Uint8Array
}

export interface RequesterOptions {
  ownAccountSeed: Uint8Array
  /** B: the responder's account public key, from its shared contact data. */
  peerAccountPk: Uint8Array
  /** Fixed ephemeral secret (vectors/tests only). Ownership passes to the machine, which wipes it. */
  ephemeralSecret?: Uint8Array
}

export interface ResponderOptions {
  ownAccountSeed: Uint8Array
  /** Fixed ephemeral secret (vectors/tests only). Ownership passes to the machine, which wipes it. */
  ephemeralSecret?: Uint8Array
}

// --- shared helpers -----------------------------------------------------------------------------------

function checkLength(value: unknown, length: number, field: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array) || value.length !== length) {
    throw new HandshakeError('ERR_BAD_INPUT', `${field} must be a ${length}-byte Uint8Array`)
  }
}

function newEphemeral(secret?: Uint8Array): { ephemeralSecret: Uint8Array; ephemeralPk: Uint8Array } {
  const ephemeralSecret = secret ?? randomBytes(X25519_KEY_LENGTH)
  checkLength(ephemeralSecret, X25519_KEY_LENGTH, 'ephemeralSecret')
  return { ephemeralSecret, ephemeralPk: x25519PublicFromSecret(ephemeralSecret) }
}

function wipeState(state: Common): void {
  wipe(state.ephemeralSecret, state.kab)
  state.ephemeralSecret = undefined
  state.kab = undefined
}

function abort(state: RequesterState | ResponderState, err: unknown): HandshakeError {
  const error =
    err instanceof HandshakeError
      ? err
      : err instanceof CryptoError && err.code === 'ERR_DECRYPT'
        ? new HandshakeError('ERR_BAD_BOX', 'box failed authentication', { cause: err })
        : new HandshakeError('ERR_BAD_FRAME', 'malformed handshake message', { cause: err })
  wipeState(state)
  state.phase = 'aborted'
  state.error = error
  return error
}

/** Entry checks shared by every step: terminal phases, size cap, replays. */
function admit(state: Common & { phase: string }, frame: unknown): asserts frame is Uint8Array {
  if (state.phase === 'aborted') {
    throw new HandshakeError('ERR_ABORTED', 'handshake already aborted', { cause: state.error })
  }
  if (state.phase === 'done') throw new HandshakeError('ERR_UNEXPECTED_FRAME', 'frame after handshake completion')
  if (!(frame instanceof Uint8Array)) throw new HandshakeError('ERR_BAD_INPUT', 'frame must be a Uint8Array')
  // Checked before any decoding, so a hostile size costs nothing.
  if (frame.length > MAX_HANDSHAKE_FRAME_SIZE) {
    throw new HandshakeError('ERR_FRAME_TOO_LARGE', `frame of ${frame.length} bytes exceeds ${MAX_HANDSHAKE_FRAME_SIZE}`)
  }
  const digest = sha256(frame)
  if (state.seen.some((d) => equalBytes(d, digest))) {
    throw new HandshakeError('ERR_REPLAYED_FRAME', 'frame was already received in this handshake')
  }
  state.seen.push(digest)
}

function readPeerEphemeral(state: Common, frame: Uint8Array): Uint8Array {
  const { ephemeralPubKey } = HelloPayload.decode(frame)
  if (ephemeralPubKey.length !== X25519_KEY_LENGTH) {
    throw new HandshakeError('ERR_BAD_EPHEMERAL_KEY', `ephemeral key must be ${X25519_KEY_LENGTH} bytes`)
  }
  // A reflected hello would make both sides share one ephemeral key; no honest peer sends ours back.
  if (equalBytes(ephemeralPubKey, state.ephemeralPk)) {
    throw new HandshakeError('ERR_BAD_EPHEMERAL_KEY', 'peer echoed our ephemeral key')
  }
  return ephemeralPubKey
}

/** k(x, Y) with low-order keys mapped to the handshake's error space. */
function precompute(theirPk: Uint8Array, mySecret: Uint8Array, what: HandshakeErrorCode): Uint8Array {
  try {
    return naclBoxBeforeNm(theirPk, mySecret)
  } catch (err) {
    throw new HandshakeError(what, 'key agreement failed (low-order or invalid key)', { cause: err })
  }
}

function montPublic(edPk: Uint8Array): Uint8Array {
  try {
    return edPublicToX25519Public(edPk)
  } catch (err) {
    throw new HandshakeError('ERR_BAD_ACCOUNT_KEY', 'account key is not a usable Ed25519 public key', { cause: err })
  }
}

function openBox(key: Uint8Array, nonce: Uint8Array, frame: Uint8Array): Uint8Array {
  const { box } = BoxEnvelope.decode(frame)
  try {
    return secretboxOpenWithNonce(key, nonce, box)
  } catch (err) {
    throw new HandshakeError('ERR_BAD_BOX', 'box failed authentication', { cause: err })
  }
}

function verify(pk: Uint8Array, kab: Uint8Array, sig: Uint8Array, who: string): void {
  let ok = false
  try {
    ok = ed25519Verify(pk, kab, sig)
  } catch (err) {
    throw new HandshakeError('ERR_BAD_SIGNATURE', `${who} signature is malformed`, { cause: err })
  }
  if (!ok) throw new HandshakeError('ERR_BAD_SIGNATURE', `${who} signature does not verify`)
}

/** libp2p `crypto.MarshalPublicKey` of an Ed25519 key, the form the Go reference sends. */
export function marshalAccountPk(pk: Uint8Array): Uint8Array {
  checkLength(pk, ED25519_PUBLIC_LENGTH, 'pk')
  return PublicKey.encode({ Type: KeyType.Ed25519, Data: pk })
}

export function unmarshalAccountPk(bytes: Uint8Array): Uint8Array {
  let decoded: PublicKey
  try {
    decoded = PublicKey.decode(bytes)
  } catch (err) {
    throw new HandshakeError('ERR_BAD_ACCOUNT_KEY', 'account key is not a libp2p PublicKey', { cause: err })
  }
  if (decoded.Type !== KeyType.Ed25519 || decoded.Data.length !== ED25519_PUBLIC_LENGTH) {
    throw new HandshakeError('ERR_BAD_ACCOUNT_KEY', 'account key must be a 32-byte Ed25519 key')
  }
  return decoded.Data
}

// --- requester ------------------------------------------------------------------------------------------

/** Step 1: returns the requester state and the hello to send. */
export function startRequester(opts: RequesterOptions): Required<StepResult<RequesterState>> {
  checkLength(opts.ownAccountSeed, ED25519_SEED_LENGTH, 'ownAccountSeed')
  checkLength(opts.peerAccountPk, ED25519_PUBLIC_LENGTH, 'peerAccountPk')
  const { ephemeralSecret, ephemeralPk } = newEphemeral(opts.ephemeralSecret)
  const state: RequesterState = {
    role: 'requester',
    phase: 'awaiting-responder-hello',
    ownAccountSeed: opts.ownAccountSeed,
    peerAccountPk: opts.peerAccountPk.slice(),
    ephemeralSecret,
    ephemeralPk,
    peerEphemeralPk: undefined,
    kab: undefined,
    seen: [],
    error: undefined
  }
  return { state, frame: HelloPayload.encode({ ephemeralPubKey: ephemeralPk }) }
}

/** Steps 2→3 and 4→5 on the requester side. Throws `HandshakeError` (state → 'aborted') on any fault. */
export function requesterStep(state: RequesterState, frame: Uint8Array): StepResult<RequesterState> {
  try {
    admit(state, frame)
    switch (state.phase) {
      case 'awaiting-responder-hello':
        return requesterOnHello(state, frame)
      case 'awaiting-accept':
        return requesterOnAccept(state, frame)
    }
  } catch (err) {
    if (err instanceof HandshakeError && err.code === 'ERR_ABORTED') throw err
    throw abort(state, err)
  }
  throw abort(state, new HandshakeError('ERR_UNEXPECTED_FRAME', `no frame expected in phase ${state.phase}`))
}

function requesterOnHello(state: RequesterState, frame: Uint8Array): StepResult<RequesterState> {
  const a = state.ephemeralSecret as Uint8Array
  const b = readPeerEphemeral(state, frame)
  state.peerEphemeralPk = b
  const kab = precompute(b, a, 'ERR_BAD_EPHEMERAL_KEY')
  state.kab = kab

  const Bx = montPublic(state.peerAccountPk)
  const kaB = precompute(Bx, a, 'ERR_BAD_ACCOUNT_KEY')
  const key = handshakeAuthenticateKey(kab, kaB)
  wipe(kaB)
  // The ephemeral secret's last use: k(a,b) and k(a,B) are both computed.
  wipe(a)
  state.ephemeralSecret = undefined

  const payload = RequesterAuthenticatePayload.encode({
    requesterAccountId: marshalAccountPk(ed25519PublicFromSeed(state.ownAccountSeed)),
    requesterAccountSig: ed25519Sign(state.ownAccountSeed, kab)
  })
  const box = secretboxSealWithNonce(key, handshakeAuthenticateNonce(), payload)
  wipe(key)
  state.phase = 'awaiting-accept'
  return { state, frame: BoxEnvelope.encode({ box }) }
}

function requesterOnAccept(state: RequesterState, frame: Uint8Array): StepResult<RequesterState> {
  const kab = state.kab as Uint8Array
  const Ax = edSeedToX25519Secret(state.ownAccountSeed)
  const Bx = montPublic(state.peerAccountPk)
  const kAB = precompute(Bx, Ax, 'ERR_BAD_ACCOUNT_KEY')
  wipe(Ax)
  const key = handshakeAcceptKey(kab, kAB)
  wipe(kAB)
  let plaintext: Uint8Array
  try {
    plaintext = openBox(key, handshakeAcceptNonce(), frame)
  } finally {
    wipe(key)
  }
  const { responderAccountSig } = ResponderAcceptPayload.decode(plaintext)
  verify(state.peerAccountPk, kab, responderAccountSig, 'responder')
  wipeState(state)
  state.phase = 'done'
  return { state, frame: RequesterAcknowledgePayload.encode({ success: true }) }
}

// --- responder ------------------------------------------------------------------------------------------

export function startResponder(opts: ResponderOptions): ResponderState {
  checkLength(opts.ownAccountSeed, ED25519_SEED_LENGTH, 'ownAccountSeed')
  const { ephemeralSecret, ephemeralPk } = newEphemeral(opts.ephemeralSecret)
  return {
    role: 'responder',
    phase: 'awaiting-hello',
    ownAccountSeed: opts.ownAccountSeed,
    peerAccountPk: undefined,
    ephemeralSecret,
    ephemeralPk,
    peerEphemeralPk: undefined,
    kab: undefined,
    seen: [],
    error: undefined
  }
}

/** Steps 1→2, 3→4 and 5 on the responder side. Throws `HandshakeError` (state → 'aborted') on any fault. */
export function responderStep(state: ResponderState, frame: Uint8Array): StepResult<ResponderState> {
  try {
    admit(state, frame)
    switch (state.phase) {
      case 'awaiting-hello':
        return responderOnHello(state, frame)
      case 'awaiting-authenticate':
        return responderOnAuthenticate(state, frame)
      case 'awaiting-ack':
        return responderOnAck(state, frame)
    }
  } catch (err) {
    if (err instanceof HandshakeError && err.code === 'ERR_ABORTED') throw err
    throw abort(state, err)
  }
  throw abort(state, new HandshakeError('ERR_UNEXPECTED_FRAME', `no frame expected in phase ${state.phase}`))
}

function responderOnHello(state: ResponderState, frame: Uint8Array): StepResult<ResponderState> {
  const a = readPeerEphemeral(state, frame)
  state.peerEphemeralPk = a
  state.kab = precompute(a, state.ephemeralSecret as Uint8Array, 'ERR_BAD_EPHEMERAL_KEY')
  // b is no longer needed: k(a,B) on this side uses B's account key, not b.
  wipe(state.ephemeralSecret)
  state.ephemeralSecret = undefined
  state.phase = 'awaiting-authenticate'
  return { state, frame: HelloPayload.encode({ ephemeralPubKey: state.ephemeralPk }) }
}

function responderOnAuthenticate(state: ResponderState, frame: Uint8Array): StepResult<ResponderState> {
  const kab = state.kab as Uint8Array
  const Bx = edSeedToX25519Secret(state.ownAccountSeed)
  try {
    const kaB = precompute(state.peerEphemeralPk as Uint8Array, Bx, 'ERR_BAD_EPHEMERAL_KEY')
    const authKey = handshakeAuthenticateKey(kab, kaB)
    wipe(kaB)
    let plaintext: Uint8Array
    try {
      plaintext = openBox(authKey, handshakeAuthenticateNonce(), frame)
    } finally {
      wipe(authKey)
    }
    const request = RequesterAuthenticatePayload.decode(plaintext)
    const A = unmarshalAccountPk(request.requesterAccountId)
    verify(A, kab, request.requesterAccountSig, 'requester')
    state.peerAccountPk = A.slice()

    const kAB = precompute(montPublic(A), Bx, 'ERR_BAD_ACCOUNT_KEY')
    const acceptKey = handshakeAcceptKey(kab, kAB)
    wipe(kAB)
    const payload = ResponderAcceptPayload.encode({ responderAccountSig: ed25519Sign(state.ownAccountSeed, kab) })
    const box = secretboxSealWithNonce(acceptKey, handshakeAcceptNonce(), payload)
    wipe(acceptKey)
    // k(a,b) has served both proofs and both box keys.
    wipeState(state)
    state.phase = 'awaiting-ack'
    return { state, frame: BoxEnvelope.encode({ box }) }
  } finally {
    wipe(Bx)
  }
}

function responderOnAck(state: ResponderState, frame: Uint8Array): StepResult<ResponderState> {
  const { success } = RequesterAcknowledgePayload.decode(frame)
  if (!success) throw new HandshakeError('ERR_NOT_ACKNOWLEDGED', 'requester did not acknowledge')
  state.phase = 'done'
  return { state }
}

/** Responder's result: the requester's account key, once the handshake is done. */
export function responderResult(state: ResponderState): { peerAccountPk: Uint8Array } {
  if (state.phase !== 'done' || state.peerAccountPk === undefined) {
    throw new HandshakeError('ERR_UNEXPECTED_FRAME', `handshake not complete (phase ${state.phase})`)
  }
  return { peerAccountPk: state.peerAccountPk.slice() }
}
