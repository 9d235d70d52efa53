/**
 * Device A's side of one linking session (spec "Linking Devices" steps 3–5): B's request is open,
 * the invitation is claimed; run the challenge, send the account bundle, wait for B's "done".
 * Human input (QR scan, fingerprint confirmation) arrives through `confirm`.
 */
import type { Connection } from '@libp2p/interface'
import { equalBytes, wipe } from '../crypto'
import type { FramedStream } from '../net/lp-stream'
import {
  DeviceLinkError,
  deviceFingerprint,
  fingerprintMatches,
  formatFingerprint,
  newPin,
  parseFingerprint,
  verifyDoneSignature,
  verifyFingerprintSignature,
  verifyPinSignature,
  type ChallengeKind,
  type LinkChannel,
  type OpenedRequest,
  type ReplicaBundleFields
} from '../protocol/device-link'
import { challengeToWire } from '../protocol/device-link'
import { AccountBundle, LinkAnswer, LinkChallenge, LinkDone, LinkReply, LinkRole, LinkStatus, LinkVerdict } from '../protocol/proto/device-link'
import { decodeWesh } from '../protocol/wesh-codec'
import { MAX_TRIES, PROTOCOL_READ_TIMEOUT_MS } from './constants'
import { deadline } from '../net/deadline'

/** A LinkDone: two keys, and a replica's token (a compact JWT, at most 2048 characters). */
const MAX_DONE_BYTES = 2400
const TOKEN_RE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/

export interface InviterSessionDeps {
  /** The role the invitation was made for: a replica only when the user asked for one. */
  role: 'full' | 'replica'
  /** The account's secrets for the bundle (copies; wiped here once sealed). */
  bundle(): Promise<{ accountSeed: Uint8Array; aliasSeed: Uint8Array; rendezvousSeed: Uint8Array; displayName: string; inviterDevicePk: Uint8Array; inviterDeviceName: string }>
  /** A replica's bundle: public keys only (protocol/device-link `ReplicaBundleFields`). */
  replicaBundle(): Promise<ReplicaBundleFields>
  /** Everything the account group must record before B reads it (AccountGroupJoined for existing groups). */
  beforeBundle(): Promise<void>
  onChallenge(c: InviterChallenge): void
}

export interface InviterChallenge {
  kind: ChallengeKind
  /** PIN challenge: the PIN to show. */
  pin?: string
  /** QR / fingerprint challenges: B's device-key fingerprint as received (to compare). */
  fingerprint?: string
  deviceName: string
  triesLeft: number
}

export interface InviterResult {
  role: 'full' | 'replica'
  /** A replica: its own device key (it has no device in the account group). */
  accountGroupDevicePk: Uint8Array
  /** A replica: the replication token it issued for this account (weshnet AccountServiceTokenAdded). */
  replicaToken?: string
  deviceName: string
  peerId: string
}

type Confirmation = { fingerprint?: string }

export class InviterSession {
  readonly kind: ChallengeKind
  private triesLeft = MAX_TRIES
  private confirmWaiter: { resolve(c: Confirmation): void } | undefined
  private readonly fp: Uint8Array

  constructor(
    private readonly framed: FramedStream,
    private readonly connection: Connection,
    private readonly channel: LinkChannel,
    private readonly request: OpenedRequest,
    kind: ChallengeKind,
    private readonly signal: AbortSignal,
    private readonly deps: InviterSessionDeps
  ) {
    this.kind = kind
    this.fp = deviceFingerprint(request.devicePk)
    // Both users confirmed a match that is not one: something is wrong, no second try.
    if (kind === 'fingerprint') this.triesLeft = 1
  }

  get awaitingConfirmation(): boolean {
    return this.confirmWaiter !== undefined
  }

  /**
   * A's user: the scanned / pasted fingerprint (QR), or the confirmation that both fingerprints match
   * (fingerprint; a script passes the one it read on B). Returns the tries left after a mismatch.
   */
  confirm(c: Confirmation): void {
    const w = this.confirmWaiter
    if (!w) throw new DeviceLinkError('ERR_NO_SESSION', 'no linking challenge waits for a confirmation')
    this.confirmWaiter = undefined
    w.resolve(c)
  }

  async run(): Promise<InviterResult> {
    try {
      return await this.runInner()
    } finally {
      this.channel.wipe()
      this.confirmWaiter = undefined
    }
  }

  private async runInner(): Promise<InviterResult> {
    if (this.request.role !== this.deps.role) {
      // A replica is linked only when the user made a replica invitation, and a replica invitation links only a replica.
      const reason = this.deps.role === 'full' ? 'this invitation is for a full device: make a replica invitation to link a replication device' : 'this invitation is for a replication device'
      await this.verdict({ status: LinkStatus.LINK_STATUS_REFUSED, reason })
      throw new DeviceLinkError('ERR_LINK_REFUSED', `the device asked for another role than the invitation's: ${reason}`)
    }
    const pin = this.kind === 'pin' ? newPin() : undefined
    await this.send(
      LinkChallenge.encode({
        kind: challengeToWire(this.kind),
        fingerprint: this.kind === 'pin' ? new Uint8Array(0) : this.fp,
        pinDigits: pin?.length ?? 0,
        triesLeft: this.triesLeft
      })
    )
    this.deps.onChallenge({
      kind: this.kind,
      ...(pin !== undefined ? { pin } : { fingerprint: formatFingerprint(this.fp) }),
      deviceName: this.request.deviceName,
      triesLeft: this.triesLeft
    })
    for (;;) {
      const ok = await this.oneTry(pin)
      if (ok) break
      this.triesLeft--
      if (this.triesLeft <= 0) {
        await this.verdict({ status: LinkStatus.LINK_STATUS_REFUSED, reason: 'too many wrong answers: the invitation is no longer valid' })
        throw new DeviceLinkError('ERR_LINK_REFUSED', 'too many wrong answers: the invitation is no longer valid')
      }
      await this.verdict({ status: LinkStatus.LINK_STATUS_WRONG_ANSWER, triesLeft: this.triesLeft, reason: 'wrong answer' })
      this.deps.onChallenge({
        kind: this.kind,
        ...(pin !== undefined ? { pin } : { fingerprint: formatFingerprint(this.fp) }),
        deviceName: this.request.deviceName,
        triesLeft: this.triesLeft
      })
    }
    if (this.deps.role === 'replica') {
      const r = await this.deps.replicaBundle()
      await this.verdict({
        status: LinkStatus.LINK_STATUS_OK,
        bundle: {
          accountSeed: new Uint8Array(0),
          aliasSeed: new Uint8Array(0),
          rendezvousSeed: new Uint8Array(0),
          displayName: '',
          role: LinkRole.LINK_ROLE_REPLICA,
          inviterDevicePk: r.inviterDevicePk,
          inviterDeviceName: r.inviterDeviceName,
          accountPk: r.accountPk,
          accountGroupPk: r.accountGroup.groupPk,
          accountGroupSignPub: r.accountGroup.signPub,
          accountGroupLinkKey: r.accountGroup.linkKey
        }
      })
      wipe(r.accountGroup.linkKey)
    } else {
      await this.deps.beforeBundle()
      const b = await this.deps.bundle()
      try {
        await this.verdict({ status: LinkStatus.LINK_STATUS_OK, bundle: { ...b, role: LinkRole.LINK_ROLE_FULL, accountPk: new Uint8Array(0), accountGroupPk: new Uint8Array(0), accountGroupSignPub: new Uint8Array(0), accountGroupLinkKey: new Uint8Array(0) } })
      } finally {
        wipe(b.accountSeed, b.aliasSeed, b.rendezvousSeed)
      }
    }
    const done = decodeWesh(LinkDone, this.channel.open(await this.framed.read({ signal: deadline(PROTOCOL_READ_TIMEOUT_MS, this.signal) })), { maxBytes: MAX_DONE_BYTES, shape: { 3: 'string' } })
    if (!verifyDoneSignature(this.request.devicePk, this.channel.transcript, done.accountGroupDevicePk, done.sig)) {
      throw new DeviceLinkError('ERR_LINK_PROTOCOL', 'the linked device did not sign its confirmation')
    }
    const replica = this.deps.role === 'replica'
    if (replica && (!equalBytes(done.accountGroupDevicePk, this.request.devicePk) || !TOKEN_RE.test(done.replicaToken))) {
      throw new DeviceLinkError('ERR_LINK_PROTOCOL', 'the replication device sent no usable replication token')
    }
    await this.framed.close().catch(() => {})
    return {
      role: this.deps.role,
      accountGroupDevicePk: done.accountGroupDevicePk,
      ...(replica ? { replicaToken: done.replicaToken } : {}),
      deviceName: this.request.deviceName,
      peerId: this.connection.remotePeer.toString()
    }
  }

  /** One answer: true when it is right. */
  private async oneTry(pin: string | undefined): Promise<boolean> {
    if (this.kind === 'pin') {
      const answer = await this.readAnswer()
      return verifyPinSignature(this.request.devicePk, this.channel.transcript, pin!, answer.sig)
    }
    if (this.kind === 'qr') {
      const c = await this.waitConfirmation()
      return fingerprintMatches(this.fp, parseFingerprint(c.fingerprint ?? ''))
    }
    // Fingerprint: B's user confirms (signed answer) and A's user confirms; both must match.
    const [answer, c] = await Promise.all([this.readAnswer(), this.waitConfirmation()])
    const bOk = verifyFingerprintSignature(this.request.devicePk, this.channel.transcript, this.fp, answer.sig)
    const aOk = c.fingerprint === undefined || fingerprintMatches(this.fp, parseFingerprint(c.fingerprint))
    return bOk && aOk
  }

  private async readAnswer(): Promise<LinkAnswer> {
    const answer = decodeWesh(LinkAnswer, this.channel.open(await this.framed.read({ signal: this.signal })), { maxBytes: 512 })
    if (answer.cancel) throw new DeviceLinkError('ERR_LINK_REFUSED', 'the other device cancelled the link')
    return answer
  }

  /** Waits for A's user, while watching the stream: B going away ends the wait. */
  private waitConfirmation(): Promise<Confirmation> {
    return new Promise<Confirmation>((resolve, reject) => {
      const onAbort = (): void => {
        this.confirmWaiter = undefined
        reject(new DeviceLinkError('ERR_LINK_UNREACHABLE', 'the other device went away or the challenge timed out'))
      }
      if (this.signal.aborted) return onAbort()
      this.signal.addEventListener('abort', onAbort, { once: true })
      this.confirmWaiter = {
        resolve: (c) => {
          this.signal.removeEventListener('abort', onAbort)
          resolve(c)
        }
      }
    })
  }

  private async send(plain: Uint8Array): Promise<void> {
    await this.framed.write(LinkReply.encode({ sealed: this.channel.seal(plain), refused: LinkStatus.LINK_STATUS_UNSPECIFIED, reason: '' }), { signal: this.signal })
  }

  private async verdict(v: { status: LinkStatus; triesLeft?: number; reason?: string; bundle?: AccountBundle }): Promise<void> {
    const bytes = LinkVerdict.encode({ status: v.status, triesLeft: v.triesLeft ?? 0, reason: v.reason ?? '', ...(v.bundle ? { bundle: v.bundle } : {}) })
    try {
      await this.send(bytes)
    } finally {
      // The plaintext holds the account seeds when a bundle rides in it.
      wipe(bytes)
    }
  }
}
