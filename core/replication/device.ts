/**
 * Replication devices (spec "High Availability" → "Replication device"): a device linked to an
 * account that "does not get all the account secrets and is not able to send contact requests or
 * link new devices", "automatically added to all the groups to which the account belongs" with only
 * "the Group ID public key, the Group Sig and the Attachment Key" (weshnet's filtered `Group`:
 * `FilterGroupForReplication` → `{public_key, sign_pub, link_key, link_key_sig}`).
 *
 * Design, and why it is not "the replica reads AccountGroupJoined":
 * - weshnet ships no replication device. Its only replica is the replication service
 *   (`ReplicationService.ReplicateGroup`), fed by a member's `ReplicationServiceRegisterGroup`,
 *   which sends `FilterGroupForReplication(group)` with a token the service issued.
 * - The account group's `AccountGroupJoined` (101) carries the whole `Group`, secret included, and
 *   every metadata entry is sealed with the account group's secret. A device that could read it
 *   would hold every group secret; so a replica cannot follow the account by reading its log.
 * - So the account's full devices, which read the account-sync events (core/linking/account-sync.ts),
 *   follow the account for it: on every group the account holds (now and as it joins more), each
 *   full device sends the replica weshnet's `ReplicateGroup` request with the filtered group and a
 *   token — exactly what a member sends a replication server. The replica is a replication server
 *   bound to its account: same checks (`linkKeySig`, token), same storage and quotas.
 * - The token: at link time the replica issues itself a token for its account (EdDSA JWT, audience
 *   its peer id; core/replication/tokens.ts) and returns it in `LinkDone`. Device A posts it in the
 *   account group as weshnet's `AccountServiceTokenAdded` (401) with the supported service
 *   `{service_type: "rpl", service_endpoint: "/p2p/<replica peer id>"}`, so every full device of
 *   the account, present or linked later, knows the replica and may push to it. The replica's owner
 *   revokes it with `--revoke-token` (the groups it served lapse: core/replication/server.ts).
 *   Wire caveat: 401/402 are berty's protocol event types (berty/berty `go/pkg/protocoltypes`, with
 *   `sigCheckerDeviceSigned`); current weshnet (d735e1d4, the commit tests/vectors/go copies) dropped them
 *   from its `EventType` enum while keeping the `ServiceToken` message, so a current weshnet device of the
 *   same account would not interpret this entry (no Go vector exists for it in that version).
 * - The replica also replicates the account group itself (public key, signing key, link key from
 *   the link bundle; the account group has no link key signature): it stores and serves the
 *   account's devices' sync without reading it.
 *
 * Claims: the replica never receives a seed, a group secret, a chain key or the display name (the
 * bundle carrying one is refused: protocol/device-link `checkReplicaBundle`); it has no account and
 * no device key in any group, so it cannot sign an entry members accept; its API refuses what only
 * an account can do (core/service/replica-guard.ts).
 * Disclaims: which groups it serves is visible to it (their public keys), as to any replication server.
 */
import { peerIdFromString } from '@libp2p/peer-id'
import { toHex } from '../bytes'
import type { Groups } from '../groups/groups'
import type { Logger } from '../log'
import type { ReplicationService } from '../net/replication'
import type { ReplicaBundleFields } from '../protocol/device-link'
import { AccountServiceTokenAdded } from '../protocol/proto/wesh'
import type { Keystore, ReplicationStore, TokenStore } from '../storage'
import { loadOrCreateServerKey, type ReplicationServer } from './server'
import { issueToken, MAX_TOKEN_CHARS, peekExpiry } from './tokens'
import { wipe } from '../crypto'

/** weshnet EventType AccountServiceTokenAdded. */
export const EVENT_ACCOUNT_SERVICE_TOKEN_ADDED = 401
/** weshnet's service type of replication (authtypes `ServiceReplicationID`). */
export const REPLICATION_SERVICE_TYPE = 'rpl'
/** Token book meta key: the account this node replicates as its replication device. */
export const META_REPLICA_OF = 'replica_of'
/** A replica's token for its own account: long-lived; its owner revokes it (`--revoke-token`). */
export const REPLICA_DEVICE_TOKEN_MS = 10 * 365 * 86_400_000

export interface ReplicaOf {
  accountPk: string
  inviterPeer: string
  linkedAt: number
}

/** The replica's side: what it stores at link time, and what it reports. */
export class ReplicaDeviceRole {
  private readonly now: () => number

  constructor(
    private readonly o: {
      tokens: TokenStore
      tokenKeystore: Keystore
      server: ReplicationServer
      peerId: string
      log?: Logger
      now?: () => number
    }
  ) {
    this.now = o.now ?? Date.now
  }

  /** The account this node replicates, once linked. */
  linkedTo(): ReplicaOf | undefined {
    const raw = this.o.tokens.getMeta(META_REPLICA_OF)
    if (raw === undefined) return undefined
    try {
      const v = JSON.parse(raw) as ReplicaOf
      return typeof v.accountPk === 'string' && /^[0-9a-f]{64}$/.test(v.accountPk) ? v : undefined
    } catch {
      return undefined
    }
  }

  /** Linking (joiner side): serve the account group, issue the account's token, remember the account. */
  async storeReplica(b: ReplicaBundleFields, inviterPeer: string): Promise<string> {
    if (this.linkedTo()) throw new Error('this replication device already serves an account')
    const now = this.now()
    const seed = await loadOrCreateServerKey(this.o.tokenKeystore)
    let issued
    try {
      issued = await issueToken(seed, { audience: this.o.peerId, expiresAt: now + REPLICA_DEVICE_TOKEN_MS, now })
    } finally {
      wipe(seed)
    }
    const { token, claims } = issued
    this.o.tokens.recordIssued({ jti: claims.jti, audience: this.o.peerId, issued_at: claims.issuedAt, expires_at: claims.expiresAt, quota_groups: null, quota_bytes: null })
    await this.o.server.serveOwn(b.accountGroup, { jti: claims.jti, expiresAt: claims.expiresAt })
    wipe(b.accountGroup.linkKey)
    this.o.tokens.setMeta(META_REPLICA_OF, JSON.stringify({ accountPk: toHex(b.accountPk), inviterPeer, linkedAt: now } satisfies ReplicaOf))
    this.o.log?.('info', 'replication: linked as a replication device', { account: toHex(b.accountPk).slice(0, 16), jti: claims.jti })
    return token
  }
}

export interface KnownReplicaDevice {
  peerId: string
  token: string
  /** Unix ms (weshnet `expiration` is seconds). */
  expiresAt: number
}

export interface AccountReplicasOptions {
  groups: Pick<Groups, 'accountGroupPk' | 'weshEvents' | 'appendWeshEvent' | 'myDevicePk' | 'list' | 'replicaKeys' | 'on'>
  store: Pick<ReplicationStore, 'replicasOf' | 'addReplica'>
  service: Pick<ReplicationService, 'request'>
  /** Fires with the peer id of every new connection (libp2p `peer:connect`); returns the unsubscribe. */
  onPeerConnect: (cb: (peerId: string) => void) => () => void
  log?: Logger
  now?: () => number
  /** Period of the retry round (default 60 s). */
  retryMs?: number
}

/**
 * A full device's side: knows the account's replication devices (401 events in the account group) and
 * asks each to replicate every multi-member group of the account it does not serve yet, at start, on
 * every group joined, on every new replica, and whenever a replica's peer connects.
 */
export class AccountReplicas {
  private readonly log: Logger
  private readonly now: () => number
  private offs: Array<() => void> = []
  private running: Promise<void> | undefined
  private again = false
  private closed = false

  constructor(private readonly o: AccountReplicasOptions) {
    this.log = o.log ?? (() => {})
    this.now = o.now ?? Date.now
  }

  start(): void {
    // A push that failed while the replica stayed connected (a timeout, a refusal that may pass later) is retried.
    const timer = setInterval(() => this.kick(), this.o.retryMs ?? 60_000)
    timer.unref?.()
    this.offs.push(() => clearInterval(timer))
    this.offs.push(
      this.o.groups.on((e) => {
        if (e.type === 'membership' && e.change === 'joined') this.kick()
        else if (e.type === 'wesh-event' && e.event.eventType === EVENT_ACCOUNT_SERVICE_TOKEN_ADDED) this.kick()
      }),
      this.o.onPeerConnect((peer) => {
        if (this.devices().some((d) => d.peerId === peer)) this.kick()
      })
    )
    this.kick()
  }

  stop(): void {
    this.closed = true
    for (const off of this.offs) off()
    this.offs = []
  }

  /** Resolves once the current round (if any) ended. */
  async idle(): Promise<void> {
    while (this.running) await this.running
  }

  /** Device A, after linking a replica: record its token in the account group (weshnet 401). */
  async recordLinked(peerId: string, token: string): Promise<void> {
    const account = this.o.groups.accountGroupPk()
    if (!account) throw new Error('no account')
    const expiresAt = peekExpiry(token)
    if (expiresAt === undefined) throw new Error('the replication device sent a token without an expiry')
    const payload = AccountServiceTokenAdded.encode({
      devicePk: this.o.groups.myDevicePk(account),
      serviceToken: {
        token,
        authenticationUrl: '',
        supportedServices: [{ serviceType: REPLICATION_SERVICE_TYPE, serviceEndpoint: `/p2p/${peerId}` }],
        expiration: BigInt(Math.floor(expiresAt / 1000))
      }
    })
    await this.o.groups.appendWeshEvent(account, EVENT_ACCOUNT_SERVICE_TOKEN_ADDED, payload)
    this.kick()
  }

  /** The account's replication devices (one per peer, the latest token), as the account group records them. */
  devices(): KnownReplicaDevice[] {
    const account = this.o.groups.accountGroupPk()
    if (!account) return []
    const out = new Map<string, KnownReplicaDevice>()
    for (const e of this.o.groups.weshEvents(account, EVENT_ACCOUNT_SERVICE_TOKEN_ADDED)) {
      try {
        const t = AccountServiceTokenAdded.decode(e.payload).serviceToken
        if (!t || t.token.length === 0 || t.token.length > MAX_TOKEN_CHARS) continue
        const rpl = t.supportedServices.find((s) => s.serviceType === REPLICATION_SERVICE_TYPE && /^\/p2p\/[1-9A-HJ-NP-Za-km-z]{16,128}$/.test(s.serviceEndpoint))
        if (!rpl) continue
        const peerId = rpl.serviceEndpoint.slice('/p2p/'.length)
        out.set(peerId, { peerId, token: t.token, expiresAt: Number(t.expiration) * 1000 })
      } catch {
        // another service's token, or a malformed one: not ours to use
      }
    }
    return [...out.values()]
  }

  private kick(): void {
    if (this.closed) return
    if (this.running) {
      this.again = true
      return
    }
    this.running = this.round()
      .catch((err: unknown) => this.log('warn', 'replication: pushing groups to a replication device failed', { error: String(err) }))
      .finally(() => {
        this.running = undefined
        if (this.again) {
          this.again = false
          this.kick()
        }
      })
  }

  private async round(): Promise<void> {
    const devices = this.devices().filter((d) => d.expiresAt > this.now())
    if (devices.length === 0) return
    const groups = this.o.groups.list().filter((g) => g.role === 'member' && g.kind === 'multi')
    for (const d of devices) {
      for (const g of groups) {
        if (this.closed) return
        if (this.o.store.replicasOf(g.groupPk).some((r) => r.peer_id === d.peerId)) continue
        const keys = this.o.groups.replicaKeys(g.groupPk)
        if (!keys.linkKeySig) continue
        let reply
        try {
          reply = await this.o.service.request(peerIdFromString(d.peerId), { ...keys, token: d.token }, { signal: AbortSignal.timeout(15_000) })
        } catch (err) {
          // Not reachable now: the next connection of that peer starts another round.
          this.log('debug', 'replication: the replication device is not reachable now', { peer: d.peerId, error: String(err) })
          break
        }
        if (!reply.ok) {
          this.log('warn', 'replication: the replication device refused a group', { peer: d.peerId, code: reply.code, reason: reply.message })
          continue
        }
        this.o.store.addReplica(g.groupPk, d.peerId, `/p2p/${d.peerId}`, this.now())
      }
    }
  }
}
