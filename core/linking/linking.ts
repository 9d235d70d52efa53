/**
 * Device linking (spec "Linking Devices"): the node-side manager. As device A it makes one-time
 * invitations and answers `/berty-desktop/device-link/1.0.0` streams (one session per invitation,
 * a racing device refused); as device B (a node without an account) it opens a link, answers the
 * challenge, stores the account and lets the account group bring every group in
 * (core/linking/account-sync.ts).
 *
 * Claims: an invitation is single-use, expires, and dies after its tries run out or its session ends
 * in any way; its secret lives only in memory (a restart of A kills every invitation) and is wiped
 * when it dies; B writes the account in one transaction only after the whole bundle arrived and
 * checked; no secret is logged or carried in an event.
 * Disclaims: a linked device cannot be revoked (spec): the account has no way to take secrets back.
 */
import type { Connection, Stream } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { base58btc } from 'multiformats/bases/base58'
import { toHex } from '../bytes'
import { equalBytes, wipe, x25519Keygen } from '../crypto'
import type { Groups } from '../groups/groups'
import type { Logger } from '../log'
import { FramedStream } from '../net/lp-stream'
import type { BertyLibp2p } from '../net/libp2p'
import { publicKeysOf } from '../protocol/account'
import {
  DeviceLinkError,
  MAX_FRAME_BYTES,
  challengeFromWire,
  decodeDeviceLink,
  decodeHello,
  deviceFingerprint,
  encodeDeviceLink,
  formatFingerprint,
  invitationId,
  inviterAccept,
  parseFingerprint,
  type AccountBundleFields,
  type ChallengeKind,
  type ReplicaBundleFields
} from '../protocol/device-link'
import { LinkReply, LinkStatus } from '../protocol/proto/device-link'
import type { AccountStore, DeviceStore } from '../storage'
import type { AccountGroupSync } from './account-sync'
import { AccountDevices } from './device-list'
import {
  DEAD_INVITATION_MEMORY_MS,
  DEFAULT_INVITATION_TTL_MS,
  DEVICE_LINK_PROTOCOL,
  MAX_INVITATION_TTL_MS,
  MAX_OPEN_INVITATIONS,
  PROTOCOL_READ_TIMEOUT_MS,
  SESSION_TIMEOUT_MS
} from './constants'
import { fullBundle, replicaBundle } from './bundles'
import { InviterSession, type InviterChallenge } from './inviter'
import { dialInviter } from './dial'
import { asLinkError, untilLinked } from './errors'
import { JoinerSession, type AnswerOutcome, type JoinerChallenge } from './joiner'
import { deadline } from '../net/deadline'

export type LinkingEvent =
  | ({ type: 'challenge' } & InviterChallenge)
  | { type: 'linked'; side: 'inviter' | 'joiner'; devicePk: Uint8Array; name?: string }
  | { type: 'failed'; side: 'inviter' | 'joiner'; code: string; message: string }

export interface DeviceLinkingDeps {
  libp2p: BertyLibp2p
  accounts: AccountStore
  devices: DeviceStore
  groups: Groups
  accountSync: AccountGroupSync
  /** After B stored the account: adopt it (open the account group). */
  adoptAccount(): Promise<void>
  /** This device's default name (host name). */
  deviceName: string
  /** Replication devices (core/replication/device.ts): the replica side on a `--replica` node, A's record of one it linked. */
  replica?: {
    storeReplica?(bundle: ReplicaBundleFields, inviterPeer: string): Promise<string>
    onLinked?(peerId: string, token: string): Promise<void>
  }
  log?: Logger
  now?: () => number
}

interface Invitation {
  idHex: string
  ephemeralPk: Uint8Array
  ephemeralSecret: Uint8Array
  expiresAt: number
  challenge: ChallengeKind | undefined
  role: 'full' | 'replica'
  session?: InviterSession
  timer: ReturnType<typeof setTimeout>
}

export class DeviceLinking {
  private readonly invitations = new Map<string, Invitation>()
  private readonly dead = new Map<string, { status: LinkStatus; reason: string; until: number }>()
  private readonly listeners = new Set<(e: LinkingEvent) => void>()
  private joining: JoinerSession | undefined
  private readonly log: Logger
  private readonly now: () => number
  private started = false
  private readonly accountDevices: AccountDevices

  constructor(private readonly d: DeviceLinkingDeps) {
    this.log = d.log ?? (() => {})
    this.now = d.now ?? Date.now
    this.accountDevices = new AccountDevices({ ...d, log: this.log, now: this.now })
  }

  on(listener: (e: LinkingEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  async start(): Promise<void> {
    await this.d.libp2p.handle(DEVICE_LINK_PROTOCOL, (stream, connection) => void this.onStream(stream, connection), {
      maxInboundStreams: 4,
      runOnLimitedConnection: true
    })
    this.accountDevices.start()
    this.started = true
  }

  async stop(): Promise<void> {
    this.accountDevices.stop()
    if (this.started) await this.d.libp2p.unhandle(DEVICE_LINK_PROTOCOL).catch(() => {})
    this.started = false
    for (const inv of [...this.invitations.values()]) this.kill(inv, LinkStatus.LINK_STATUS_REFUSED, 'the inviting device stopped')
    this.joining?.cancel()
    this.joining = undefined
    this.listeners.clear()
  }

  // ---- device A ------------------------------------------------------------------------

  /** A one-time invitation: the link and its QR form carry A's peer id, a one-time key, the expiry. */
  invite(opts: { challenge?: ChallengeKind; ttlMs?: number; role?: 'full' | 'replica' } = {}): { link: string; qr: string; expiresAt: number } {
    if (!this.d.accounts.exists()) throw new DeviceLinkError('ERR_NO_SESSION', 'create an account first')
    this.prune()
    if (this.invitations.size >= MAX_OPEN_INVITATIONS) throw new DeviceLinkError('ERR_LINK_BUSY', `at most ${MAX_OPEN_INVITATIONS} invitations can be open at once`)
    const ttl = Math.min(Math.max(opts.ttlMs ?? DEFAULT_INVITATION_TTL_MS, 1_000), MAX_INVITATION_TTL_MS)
    const { secretKey, publicKey } = x25519Keygen()
    const expiresAt = this.now() + ttl
    const idHex = toHex(invitationId(publicKey))
    const inv: Invitation = {
      idHex,
      ephemeralPk: publicKey,
      ephemeralSecret: secretKey,
      expiresAt,
      challenge: opts.challenge,
      role: opts.role ?? 'full',
      timer: setTimeout(() => {
        if (!inv.session) this.kill(inv, LinkStatus.LINK_STATUS_EXPIRED, 'the invitation has expired')
      }, ttl)
    }
    inv.timer.unref?.()
    this.invitations.set(idHex, inv)
    const addrs = this.d.libp2p
      .getMultiaddrs()
      .slice(0, 8)
      .map((a) => a.decapsulateCode(421).bytes)
    const { web, qr } = encodeDeviceLink({
      peerId: this.d.libp2p.peerId.toMultihash().bytes,
      ephemeralPk: publicKey,
      expiresAt,
      addrs,
      challenge: opts.challenge
    })
    return { link: web, qr, expiresAt: Math.ceil(expiresAt / 1000) * 1000 }
  }

  /** A's user: the fingerprint scanned / pasted from B (QR), or the confirmation of the fingerprint challenge. */
  confirm(c: { fingerprint?: string }): void {
    const session = [...this.invitations.values()].map((i) => i.session).find((s) => s?.awaitingConfirmation)
    if (!session) throw new DeviceLinkError('ERR_NO_SESSION', 'no linking challenge waits for a confirmation')
    session.confirm(c)
  }

  private async onStream(stream: Stream, connection: Connection): Promise<void> {
    const framed = new FramedStream(stream, { maxFrameBytes: MAX_FRAME_BYTES, readTimeoutMs: PROTOCOL_READ_TIMEOUT_MS })
    let inv: Invitation | undefined
    try {
      const hello = decodeHello(await framed.read())
      const idHex = toHex(hello.invitationId)
      this.prune()
      inv = this.invitations.get(idHex)
      if (!inv) {
        const dead = this.dead.get(idHex)
        await this.refuse(framed, dead?.status ?? LinkStatus.LINK_STATUS_REFUSED, dead?.reason ?? 'this invitation is unknown here: it was used, expired, or the inviting device restarted; make a new one')
        return
      }
      if (inv.session) {
        await this.refuse(framed, LinkStatus.LINK_STATUS_REFUSED, 'another device is already using this invitation')
        return
      }
      if (this.now() >= inv.expiresAt) {
        this.kill(inv, LinkStatus.LINK_STATUS_EXPIRED, 'the invitation has expired')
        await this.refuse(framed, LinkStatus.LINK_STATUS_EXPIRED, 'the invitation has expired')
        return
      }
      const { request, channel } = inviterAccept({ peerId: this.d.libp2p.peerId.toMultihash().bytes, ephemeralPk: inv.ephemeralPk, ephemeralSecret: inv.ephemeralSecret }, hello)
      // Claimed: from here on the invitation belongs to this device, and dies with its session.
      const requested = challengeFromWire(request.requestedChallenge)
      const kind: ChallengeKind = requested ?? inv.challenge ?? 'pin'
      const gone = new AbortController()
      stream.addEventListener('close', () => gone.abort(), { once: true })
      const signal = deadline(SESSION_TIMEOUT_MS, gone.signal)
      const session = new InviterSession(framed, connection, channel, request, kind, signal, {
        role: inv.role,
        bundle: () => fullBundle(this.d),
        replicaBundle: () => replicaBundle(this.d),
        beforeBundle: () => this.d.accountSync.reconcile(),
        onChallenge: (c) => this.emit({ type: 'challenge', ...c })
      })
      inv.session = session
      const result = await session.run()
      this.kill(inv, LinkStatus.LINK_STATUS_REFUSED, 'this invitation was already used')
      await this.d.devices.update(toHex(result.accountGroupDevicePk), {
        ...(result.deviceName ? { name: result.deviceName } : {}),
        peerId: result.peerId,
        linkedAt: this.now(),
        lastSeen: this.now(),
        ...(result.role === 'replica' ? { role: 'replica' as const } : {})
      })
      if (result.replicaToken !== undefined) await this.d.replica?.onLinked?.(result.peerId, result.replicaToken)
      this.emit({ type: 'linked', side: 'inviter', devicePk: result.accountGroupDevicePk, ...(result.deviceName ? { name: result.deviceName } : {}) })
    } catch (err) {
      const e = asLinkError(err)
      if (inv?.session) {
        this.kill(inv, LinkStatus.LINK_STATUS_REFUSED, e.code === 'ERR_LINK_REFUSED' ? e.message : 'the previous attempt with this invitation failed; make a new one')
        this.emit({ type: 'failed', side: 'inviter', code: e.code, message: e.message })
      }
      this.log('warn', 'linking: inbound session failed', { code: e.code, reason: e.message })
      framed.abort(e)
    }
  }

  private async refuse(framed: FramedStream, status: LinkStatus, reason: string): Promise<void> {
    await framed.write(LinkReply.encode({ sealed: new Uint8Array(0), refused: status, reason }))
    await framed.close().catch(() => {})
  }

  private kill(inv: Invitation, status: LinkStatus, reason: string): void {
    clearTimeout(inv.timer)
    wipe(inv.ephemeralSecret)
    this.invitations.delete(inv.idHex)
    this.dead.set(inv.idHex, { status, reason, until: this.now() + DEAD_INVITATION_MEMORY_MS })
  }

  private prune(): void {
    const now = this.now()
    for (const inv of [...this.invitations.values()]) if (!inv.session && now >= inv.expiresAt) this.kill(inv, LinkStatus.LINK_STATUS_EXPIRED, 'the invitation has expired')
    for (const [id, d] of this.dead) if (now >= d.until) this.dead.delete(id)
    while (this.dead.size > 256) this.dead.delete(this.dead.keys().next().value!)
  }

  // ---- the account's devices ----------------------------------------------------------

  listDevices(): ReturnType<AccountDevices['list']> {
    return this.accountDevices.list()
  }

  rename(devicePk: Uint8Array, name: string): Promise<void> {
    return this.accountDevices.rename(devicePk, name)
  }

  // ---- device B ------------------------------------------------------------------------

  /** Resolves once A is reached and its challenge is known. */
  async link(url: string, opts: { acceptFingerprint?: string; challenge?: ChallengeKind; signal?: AbortSignal; role?: 'full' | 'replica' } = {}): Promise<JoinerChallenge> {
    if (this.d.accounts.exists()) throw new DeviceLinkError('ERR_ACCOUNT_EXISTS', 'this device already has an account: one account per data directory')
    const role = opts.role ?? 'full'
    if (role === 'replica' && !this.d.replica?.storeReplica) throw new DeviceLinkError('ERR_LINK_INVALID', 'this node cannot be a replication device: start it with --replica')
    if (this.joining && !this.joining.done) throw new DeviceLinkError('ERR_LINK_BUSY', 'a link is already being made on this device')
    const invite = decodeDeviceLink(url)
    if (this.now() >= invite.expiresAt) throw new DeviceLinkError('ERR_LINK_EXPIRED', 'the invitation has expired: make a new one on the other device')
    const peer = peerIdFromString(base58btc.baseEncode(invite.peerId))
    if (peer.equals(this.d.libp2p.peerId)) throw new DeviceLinkError('ERR_LINK_INVALID', 'this invitation comes from this device')
    let expected: Uint8Array | undefined
    if (opts.acceptFingerprint !== undefined) {
      expected = parseFingerprint(opts.acceptFingerprint)
      if (!expected) throw new DeviceLinkError('ERR_LINK_WRONG_ANSWER', 'the fingerprint to accept is not a device fingerprint')
    }
    const deviceSeed = await this.d.accounts.getOrCreateLinkingDeviceSeed()
    let stream: Stream
    try {
      stream = await dialInviter(this.d.libp2p, peer, invite.addrs, opts.signal)
    } catch (err) {
      wipe(deviceSeed)
      throw err
    }
    const requested = opts.challenge ?? (expected ? 'fingerprint' : undefined)
    let session: JoinerSession
    try {
      session = await JoinerSession.open(stream, invite, peer.toString(), deviceSeed, { deviceName: this.d.deviceName, role, ...(requested ? { requested } : {}) }, {
        store: (b, p) => this.store(b, p),
        ...(this.d.replica?.storeReplica ? { storeReplica: (b: ReplicaBundleFields, p: string) => this.storeReplica(b, p) } : {})
      })
    } catch (err) {
      throw asLinkError(err)
    }
    this.joining = session
    const challenge = { ...session.challenge }
    if (challenge.kind === 'qr') this.finishInBackground(untilLinked(session))
    if (challenge.kind === 'fingerprint' && expected) {
      if (!equalBytes(expected, parseFingerprint(challenge.fingerprint)!)) {
        session.cancel()
        throw new DeviceLinkError('ERR_LINK_REFUSED', 'this device\'s fingerprint is not the one to accept')
      }
      this.finishInBackground(session.answer({ fingerprint: opts.acceptFingerprint! }))
    }
    return challenge
  }

  /** B's user answers (PIN, or fingerprint confirmation). */
  async answer(a: { pin?: string; fingerprint?: string }): Promise<AnswerOutcome> {
    const s = this.joining
    if (!s || s.done) throw new DeviceLinkError('ERR_NO_SESSION', 'no link is being made on this device')
    try {
      return await s.answer(a)
    } catch (err) {
      const e = asLinkError(err)
      if (s.done) this.emit({ type: 'failed', side: 'joiner', code: e.code, message: e.message })
      throw e
    }
  }

  /** B gives up. */
  cancel(): void {
    this.joining?.cancel()
    this.joining = undefined
  }

  /** This device's fingerprint while it has no account (what B shows; scripts pass it to `--accept-fingerprint`). */
  async ownFingerprint(): Promise<string> {
    const seed = this.d.accounts.exists() ? await this.d.accounts.getDeviceSeed() : await this.d.accounts.getOrCreateLinkingDeviceSeed()
    try {
      return formatFingerprint(deviceFingerprint(publicKeysOf({ accountSeed: seed, aliasSeed: seed, deviceSeed: seed }).devicePk))
    } finally {
      wipe(seed)
    }
  }

  private finishInBackground(p: Promise<AnswerOutcome>): void {
    p.then(
      (o) => {
        if (!o.linked) this.log('warn', 'linking: the answer was refused', { triesLeft: o.triesLeft })
      },
      (err: unknown) => {
        const e = asLinkError(err)
        this.emit({ type: 'failed', side: 'joiner', code: e.code, message: e.message })
      }
    )
  }

  /** A replication device: public keys only; it names itself by its device key. */
  private async storeReplica(b: ReplicaBundleFields, inviterPeer: string): Promise<string> {
    const token = await this.d.replica!.storeReplica!(b, inviterPeer)
    const seed = await this.d.accounts.getOrCreateLinkingDeviceSeed()
    const devicePk = publicKeysOf({ accountSeed: seed, aliasSeed: seed, deviceSeed: seed }).devicePk
    wipe(seed)
    this.emit({ type: 'linked', side: 'joiner', devicePk, name: this.d.deviceName })
    return token
  }

  /** The bundle arrived whole: one transaction writes the account, then the node adopts it. */
  private async store(b: AccountBundleFields, inviterPeer: string): Promise<Uint8Array> {
    const deviceSeed = await this.d.accounts.getOrCreateLinkingDeviceSeed()
    const secrets = { accountSeed: b.accountSeed, aliasSeed: b.aliasSeed, deviceSeed, rendezvousSeed: b.rendezvousSeed }
    const publics = publicKeysOf(secrets)
    // `create` wipes the secrets it is given, in every outcome.
    await this.d.accounts.create({ secrets, publics }, b.displayName !== '' ? { displayName: b.displayName } : {})
    await this.d.adoptAccount()
    const accountGroup = this.d.groups.accountGroupPk()
    if (!accountGroup) throw new DeviceLinkError('ERR_LINK_PROTOCOL', 'the account group did not open')
    const mine = this.d.groups.myDevicePk(accountGroup)
    if (b.inviterDevicePk.length === 32) {
      await this.d.devices.update(toHex(b.inviterDevicePk), { ...(b.inviterDeviceName ? { name: b.inviterDeviceName.slice(0, 64) } : {}), peerId: inviterPeer, lastSeen: this.now() })
    }
    await this.d.devices.update(toHex(mine), { name: this.d.deviceName, linkedAt: this.now() })
    this.emit({ type: 'linked', side: 'joiner', devicePk: mine, name: this.d.deviceName })
    return mine
  }

  private emit(e: LinkingEvent): void {
    for (const l of this.listeners) {
      try {
        l(e)
      } catch (err) {
        this.log('error', 'linking: listener failed', { error: String(err) })
      }
    }
  }
}
