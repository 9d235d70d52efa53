/**
 * Device B's side of one linking session (spec "Linking Devices" steps 1, 3–5): reach A, send the
 * request, learn the challenge, answer it, and on success hand the bundle to `store` (which writes
 * the account in one transaction: either B holds the whole account or nothing).
 */
import type { Stream } from '@libp2p/interface'
import { wipe } from '../crypto'
import { FramedStream } from '../net/lp-stream'
import {
  DeviceLinkError,
  MAX_FRAME_BYTES,
  challengeFromWire,
  checkBundle,
  checkReplicaBundle,
  deviceFingerprint,
  doneSignature,
  fingerprintMatches,
  fingerprintSignature,
  formatFingerprint,
  joinerHello,
  parseFingerprint,
  pinSignature,
  type AccountBundleFields,
  type ChallengeKind,
  type LinkChannel,
  type ReplicaBundleFields
} from '../protocol/device-link'
import { LinkAnswer, LinkChallenge, LinkChallengeKind, LinkDone, LinkReply, LinkStatus, LinkVerdict } from '../protocol/proto/device-link'
import { decodeWesh } from '../protocol/wesh-codec'
import { PROTOCOL_READ_TIMEOUT_MS, SESSION_TIMEOUT_MS } from './constants'

export interface JoinerChallenge {
  kind: ChallengeKind
  /** This device's fingerprint: what B shows (as text, and as the QR code's content). */
  fingerprint: string
  /** Fingerprint challenge: B's fingerprint as A received it (both must match). */
  inviterSees?: string
  pinDigits?: number
  triesLeft: number
}

export type AnswerOutcome = { linked: true } | { linked: false; triesLeft: number }

export interface JoinerDeps {
  /** Stores the account from the bundle and opens it; returns B's key in the account group. Owns (wipes) the seeds. */
  store(bundle: AccountBundleFields, inviterPeer: string): Promise<Uint8Array>
  /** A replication device: stores what it may hold (public keys) and returns the token it issued for the account. */
  storeReplica?(bundle: ReplicaBundleFields, inviterPeer: string): Promise<string>
}

export class JoinerSession {
  challenge!: JoinerChallenge
  private readonly framed: FramedStream
  private readonly fp: Uint8Array
  private readonly deadline: AbortSignal
  private busy = false
  private finished = false

  private constructor(
    stream: Stream,
    private readonly channel: LinkChannel,
    private readonly deviceSeed: Uint8Array,
    private readonly devicePk: Uint8Array,
    private readonly inviterPeer: string,
    private readonly deps: JoinerDeps,
    private readonly role: 'full' | 'replica'
  ) {
    this.framed = new FramedStream(stream, { maxFrameBytes: MAX_FRAME_BYTES, readTimeoutMs: PROTOCOL_READ_TIMEOUT_MS })
    this.fp = deviceFingerprint(devicePk)
    this.deadline = AbortSignal.timeout(SESSION_TIMEOUT_MS)
  }

  /** Sends the request and reads the challenge. `deviceSeed` stays owned by the caller until `finish`. */
  static async open(
    stream: Stream,
    invite: { peerId: Uint8Array; ephemeralPk: Uint8Array },
    inviterPeer: string,
    deviceSeed: Uint8Array,
    fields: { deviceName: string; requested?: ChallengeKind; role?: 'full' | 'replica' },
    deps: JoinerDeps
  ): Promise<JoinerSession> {
    const requested =
      fields.requested === 'fingerprint'
        ? LinkChallengeKind.LINK_CHALLENGE_FINGERPRINT
        : fields.requested === 'qr'
          ? LinkChallengeKind.LINK_CHALLENGE_QR
          : fields.requested === 'pin'
            ? LinkChallengeKind.LINK_CHALLENGE_PIN
            : LinkChallengeKind.LINK_CHALLENGE_UNSPECIFIED
    const role = fields.role ?? 'full'
    if (role === 'replica' && !deps.storeReplica) throw new DeviceLinkError('ERR_LINK_INVALID', 'this node cannot be a replication device: start it with --replica')
    const { hello, channel, devicePk } = joinerHello(invite, deviceSeed, { role, deviceName: fields.deviceName, requestedChallenge: requested })
    const s = new JoinerSession(stream, channel, deviceSeed, devicePk, inviterPeer, deps, role)
    try {
      await s.framed.write(hello)
      const c = decodeWesh(LinkChallenge, await s.readSealed(AbortSignal.timeout(PROTOCOL_READ_TIMEOUT_MS)), { maxBytes: 512 })
      const kind = challengeFromWire(c.kind)
      if (kind === undefined) throw new DeviceLinkError('ERR_LINK_PROTOCOL', 'the inviting device sent an unknown challenge')
      if (kind !== 'pin' && !fingerprintMatches(s.fp, c.fingerprint)) {
        // A received another device key than ours: someone is between us. Refuse.
        throw new DeviceLinkError('ERR_LINK_REFUSED', 'the inviting device sees another device key than this one')
      }
      s.challenge = {
        kind,
        fingerprint: formatFingerprint(s.fp),
        ...(kind === 'fingerprint' ? { inviterSees: formatFingerprint(c.fingerprint) } : {}),
        ...(kind === 'pin' ? { pinDigits: c.pinDigits } : {}),
        triesLeft: c.triesLeft
      }
      return s
    } catch (err) {
      s.abort(err)
      throw err
    }
  }

  get done(): boolean {
    return this.finished
  }

  /** PIN typed by B's user, or the fingerprint B's user (or `--accept-fingerprint`) confirms. */
  async answer(a: { pin?: string; fingerprint?: string }): Promise<AnswerOutcome> {
    if (this.finished) throw new DeviceLinkError('ERR_NO_SESSION', 'this linking session is over')
    if (this.busy) throw new DeviceLinkError('ERR_LINK_BUSY', 'an answer is already on its way')
    this.busy = true
    try {
      let sig: Uint8Array
      if (this.challenge.kind === 'pin') {
        const pin = (a.pin ?? '').replace(/\s/g, '')
        if (!/^[0-9]{6,12}$/.test(pin)) throw new DeviceLinkError('ERR_LINK_WRONG_ANSWER', 'the PIN is 6 or more digits')
        sig = pinSignature(this.deviceSeed, this.channel.transcript, pin)
      } else if (this.challenge.kind === 'fingerprint') {
        if (!fingerprintMatches(this.fp, parseFingerprint(a.fingerprint ?? ''))) {
          throw new DeviceLinkError('ERR_LINK_WRONG_ANSWER', 'that is not this device\'s fingerprint')
        }
        sig = fingerprintSignature(this.deviceSeed, this.channel.transcript, this.fp)
      } else {
        throw new DeviceLinkError('ERR_NO_SESSION', 'the QR challenge is answered on the other device')
      }
      try {
        await this.framed.write(this.channel.seal(LinkAnswer.encode({ sig, cancel: false })), { signal: this.deadline })
      } catch (err) {
        throw new DeviceLinkError('ERR_LINK_UNREACHABLE', 'the other device went away before the link was made', { cause: err })
      }
      return await this.awaitVerdict()
    } catch (err) {
      if (!(err instanceof DeviceLinkError && err.code === 'ERR_LINK_WRONG_ANSWER' && !this.finished)) this.abort(err)
      throw err
    } finally {
      this.busy = false
    }
  }

  /** QR challenge: A's user scans; B only waits for the verdict. */
  async awaitVerdict(): Promise<AnswerOutcome> {
    try {
      const v = decodeWesh(LinkVerdict, await this.readSealed(this.deadline), { maxBytes: MAX_FRAME_BYTES, shape: { 4: 'string', 3: { 4: 'string', 7: 'string' } } })
      if (v.status === LinkStatus.LINK_STATUS_WRONG_ANSWER) {
        this.challenge.triesLeft = v.triesLeft
        return { linked: false, triesLeft: v.triesLeft }
      }
      if (v.status !== LinkStatus.LINK_STATUS_OK) {
        throw new DeviceLinkError('ERR_LINK_REFUSED', v.reason !== '' ? `the other device refused: ${v.reason.slice(0, 200)}` : 'the other device refused the link')
      }
      let agDevicePk: Uint8Array
      let replicaToken = ''
      if (this.role === 'replica') {
        // A replica has no device in the account group: it names itself by its device key.
        replicaToken = await this.deps.storeReplica!(checkReplicaBundle(v.bundle), this.inviterPeer)
        agDevicePk = this.devicePk
      } else {
        agDevicePk = await this.deps.store(checkBundle(v.bundle), this.inviterPeer)
      }
      this.finished = true
      // Linked from here on, whatever happens to the last frame: A also learns of us from the account group.
      try {
        await this.framed.write(this.channel.seal(LinkDone.encode({ accountGroupDevicePk: agDevicePk, sig: doneSignature(this.deviceSeed, this.channel.transcript, agDevicePk), replicaToken })))
        await this.framed.close()
      } catch {
        // A went away after the bundle: the link stands.
      }
      this.wipe()
      return { linked: true }
    } catch (err) {
      this.abort(err)
      throw err
    }
  }

  /** Gives up: tells A when possible, resets the stream, wipes keys. */
  cancel(): void {
    if (this.finished) return
    try {
      void this.framed.write(this.channel.seal(LinkAnswer.encode({ sig: new Uint8Array(0), cancel: true }))).catch(() => {})
    } catch {
      // channel already wiped
    }
    this.abort(new DeviceLinkError('ERR_LINK_REFUSED', 'linking cancelled'))
  }

  private abort(err: unknown): void {
    if (this.finished) return
    this.finished = true
    this.framed.abort(err)
    this.wipe()
  }

  private wipe(): void {
    this.channel.wipe()
    wipe(this.deviceSeed)
  }

  private async readSealed(signal: AbortSignal): Promise<Uint8Array> {
    let frame: Uint8Array
    try {
      frame = await this.framed.read({ signal })
    } catch (err) {
      if (this.deadline.aborted) throw new DeviceLinkError('ERR_LINK_UNREACHABLE', 'the linking session timed out', { cause: err })
      throw new DeviceLinkError('ERR_LINK_UNREACHABLE', 'the other device went away before the link was made', { cause: err })
    }
    const reply = decodeWesh(LinkReply, frame, { maxBytes: MAX_FRAME_BYTES, shape: { 3: 'string' } })
    if (reply.sealed.length === 0) {
      const reason = reply.reason.slice(0, 200) || 'the invitation was refused'
      if (reply.refused === LinkStatus.LINK_STATUS_EXPIRED) throw new DeviceLinkError('ERR_LINK_EXPIRED', reason)
      throw new DeviceLinkError('ERR_LINK_UNKNOWN', reason)
    }
    return this.channel.open(reply.sealed)
  }
}
