/**
 * Replication server mode (spec "Replication server"; weshnet `replicationService.ReplicateGroup`):
 * serves any group whose member asks with a valid token, replicating it with the filtered keys only
 * (`Groups.replicate`: stores and verifies, never reads), within bounded disk.
 *
 * A request is accepted only when, in this order: the group fields are well-formed and `linkKeySig`
 * verifies under the group key (weshnet requires it); the token verifies (EdDSA, this server's key,
 * audience = this server's peer id, not expired) and is not revoked; its quotas and the server's
 * leave room. Then the group is opened as a replica and recorded with the token that asked.
 *
 * Quotas: per token (`quota_groups`, `quota_bytes`), per group (`maxGroupBytes`) and in total
 * (`maxGroups`, `maxTotalBytes`). A sweep every `sweepMs` re-reads revocations (written by
 * `--revoke-token` from another process), drops expired tokens, marks groups no valid token holds as
 * 'left', measures groups whose logs grew, and marks a group over its quota 'full' (it stops
 * replicating). Past `warnRatio` of the total a warning is logged and surfaced in `replica:status`
 * before anything is dropped; over the total, whole groups are evicted — those that left first,
 * least recently grown first, then full ones, then active ones — each announced by a warning.
 *
 * Lapsed tokens: when no valid token holds a group any more (expired or revoked), the group is marked
 * 'left', stops replicating (no new entry is taken), is no longer advertised on its rendezvous point
 * (`serving` is false), and keeps its data until eviction; `replica:status` says so per group. A new
 * valid request for it evicts the stale copy and serves it afresh (the engine cannot re-attach a
 * detached log in place).
 *
 * Disclaims: `signPub` is not bound to the group key by any signature (protocol/group/keys.ts), so
 * a requester with a valid token could register a group under a wrong `signPub`; the replica then
 * rejects the group's real entries and serves nothing useful for it, within that token's quota.
 */
import type { PeerId } from '@libp2p/interface'
import { BoundedSet } from '../bounded-set'
import { fromHex, toHex } from '../bytes'
import { ed25519PublicFromSeed, ed25519Verify, randomBytes, wipe } from '../crypto'
import type { Groups } from '../groups/groups'
import type { Logger } from '../log'
import type { ReplicateReply, ReplicateRequest } from '../net/replication'
import type { Keystore, ReplicationStore, TokenStore } from '../storage'
import { ReplicationError } from './errors'
import { replicaGroupsStatus, type ReplicaStatus } from './status'
import { verifyToken } from './tokens'

export const SERVER_KEY_NAME = 'replication/token-key'
export const META_PEER_ID = 'server_peer_id'

export interface ReplicaLimits {
  maxGroups: number
  maxTotalBytes: number
  maxGroupBytes: number
  /** Share of a quota past which a warning is raised, before anything is dropped. */
  warnRatio: number
  sweepMs: number
}

export const DEFAULT_REPLICA_LIMITS: ReplicaLimits = {
  maxGroups: 1000,
  maxTotalBytes: 10 * 1024 ** 3,
  maxGroupBytes: 1024 ** 3,
  warnRatio: 0.9,
  sweepMs: 2000
}

const MAX_WARNINGS = 50
/** Quotas are re-checked at least this often even when nothing changed (see `sweepOnce`). */
const QUOTA_RECHECK_MS = 60_000

export interface ReplicationServerOptions {
  groups: Pick<Groups, 'replicate' | 'leave' | 'has' | 'get' | 'list' | 'on' | 'topics'>
  /** Stops a full group's replication without deleting it. */
  detach: (topic: string) => void
  store: ReplicationStore
  tokens: TokenStore
  /** The keystore of the token book (same wrapping key as the account's). */
  tokenKeystore: Keystore
  peerId: PeerId
  limits?: Partial<ReplicaLimits>
  log?: Logger
  now?: () => number
  /** A served group started or stopped being served (its rendezvous advertisement follows). */
  onServingChange?: () => void
  /** A replication device: the account it serves (replica:status). */
  replicaOf?: () => { accountPk: string; linkedAt: number } | undefined
}

/** Loads the server's token key, creating it on first use. The caller wipes it. */
export async function loadOrCreateServerKey(keystore: Keystore): Promise<Uint8Array> {
  const existing = await keystore.get(SERVER_KEY_NAME)
  if (existing) return existing
  const seed = randomBytes(32)
  await keystore.put(SERVER_KEY_NAME, seed)
  return seed
}

export class ReplicationServer {
  readonly limits: ReplicaLimits
  private readonly log: Logger
  private readonly now: () => number
  private serverPub: Uint8Array | undefined
  private readonly dirty = new Set<string>()
  private readonly warnings: string[] = []
  /** Keys of the warnings given (one per hour of overfull storage, one per lapse): the latest kept. */
  private readonly warned = new BoundedSet<string>(1_024)
  private timer: ReturnType<typeof setInterval> | undefined
  private offGroups: (() => void) | undefined
  private queue: Promise<unknown> = Promise.resolve()
  private revokedSeenAt = 0
  private sweeping: Promise<void> | undefined
  /** Set when a group is added; see `sweepOnce`. */
  private quotasStale = true
  private quotasCheckedAt = 0

  constructor(private readonly o: ReplicationServerOptions) {
    this.limits = { ...DEFAULT_REPLICA_LIMITS, ...o.limits }
    this.log = o.log ?? (() => {})
    this.now = o.now ?? Date.now
  }

  get audience(): string {
    return this.o.peerId.toString()
  }

  async start(): Promise<void> {
    const seed = await loadOrCreateServerKey(this.o.tokenKeystore)
    this.serverPub = ed25519PublicFromSeed(seed)
    wipe(seed)
    // The CLI issues tokens for this audience even while this process holds the account database.
    this.o.tokens.setMeta(META_PEER_ID, this.audience)
    this.offGroups = this.o.groups.on((e) => {
      if (e.type !== 'group') return
      const hex = toHex(e.groupPk)
      if (this.o.store.served(e.groupPk)) {
        this.o.store.touched(e.groupPk, this.now())
        this.dirty.add(hex)
      }
    })
    // Sizes may have changed while the server was down; full groups stay stopped across restarts.
    for (const row of this.o.store.allServed()) {
      this.dirty.add(toHex(row.group_pk))
      if (row.state === 'full' || row.state === 'left') this.stopReplicating(new Uint8Array(row.group_pk))
    }
    this.timer = setInterval(() => void this.sweep(), this.limits.sweepMs)
    this.timer.unref?.()
    await this.sweep()
  }

  async stop(): Promise<void> {
    clearInterval(this.timer)
    this.offGroups?.()
    await this.sweeping
    await this.queue.catch(() => {})
  }

  /** The protocol's decision (net/replication `onRequest`): one request at a time, so quotas hold. */
  handle(request: ReplicateRequest, remotePeer: PeerId): Promise<ReplicateReply> {
    const run = this.queue.then(() => this.decide(request, remotePeer))
    this.queue = run.catch(() => {})
    return run.then(
      () => ({ ok: true as const }),
      (err: unknown) => {
        if (err instanceof ReplicationError) {
          this.log('info', 'replication: request refused', { code: err.code, peer: remotePeer.toString() })
          return { ok: false as const, code: err.code, message: err.message }
        }
        this.log('error', 'replication: request failed', { error: String(err) })
        return { ok: false as const, code: 'ERR_INTERNAL', message: 'the replication server failed to open the group' }
      }
    )
  }

  private async decide(r: ReplicateRequest, remotePeer: PeerId): Promise<void> {
    const is32 = (b: Uint8Array | undefined): boolean => b instanceof Uint8Array && b.byteLength === 32
    if (!is32(r.groupPk) || !is32(r.signPub) || !is32(r.linkKey)) throw new ReplicationError('ERR_BAD_GROUP', 'the group must carry a 32-byte public key, signing key and link key')
    if (!(r.linkKeySig instanceof Uint8Array) || r.linkKeySig.byteLength !== 64) throw new ReplicationError('ERR_LINK_KEY_SIG', 'the group carries no link key signature')
    if (!ed25519Verify(r.groupPk, r.linkKey, r.linkKeySig)) throw new ReplicationError('ERR_LINK_KEY_SIG', 'the link key signature does not verify under the group key')
    if (!this.serverPub) throw new ReplicationError('ERR_NOT_SERVING', 'the replication server is not started')
    const claims = await verifyToken(r.token, this.serverPub, { audience: this.audience, now: this.now() })
    if (this.o.tokens.isRevoked(claims.jti)) throw new ReplicationError('ERR_TOKEN_REVOKED', 'the token has been revoked')

    const known = this.o.store.served(r.groupPk)
    if (!this.o.store.hasToken(r.groupPk, claims.jti)) {
      const used = this.o.store.tokenUsage(claims.jti)
      if (claims.quotaGroups !== undefined && used.groups >= claims.quotaGroups) {
        throw new ReplicationError('ERR_QUOTA_EXCEEDED', `the token's quota of ${claims.quotaGroups} group(s) is used up`)
      }
      if (claims.quotaBytes !== undefined && used.bytes >= claims.quotaBytes) {
        throw new ReplicationError('ERR_QUOTA_EXCEEDED', `the token's quota of ${claims.quotaBytes} bytes is used up`)
      }
    }
    const totals = this.o.store.totals()
    if (!known && totals.groups >= this.limits.maxGroups) throw new ReplicationError('ERR_QUOTA_EXCEEDED', 'this replication server serves as many groups as it may')
    if (!known && totals.bytes >= this.limits.maxTotalBytes) throw new ReplicationError('ERR_QUOTA_EXCEEDED', 'this replication server is full')
    if (known?.state === 'full') throw new ReplicationError('ERR_QUOTA_EXCEEDED', 'this group is over its size quota on this server')
    if (known?.state === 'left') {
      // Lapsed and detached: a valid token serves it again, from a fresh copy.
      await this.evict(r.groupPk)
    }
    if (this.o.groups.has(r.groupPk) && !known && this.o.groups.get(r.groupPk).role === 'member') {
      // Our own group: served already, with its secret; nothing to record.
      return
    }
    await this.o.groups.replicate({ groupPk: r.groupPk, signPub: r.signPub, linkKey: r.linkKey, linkKeySig: r.linkKeySig })
    if (known?.state === 'left') this.o.onServingChange?.()
    this.o.store.serve(r.groupPk, { jti: claims.jti, expiresAt: claims.expiresAt, ...(claims.quotaBytes !== undefined ? { quotaBytes: claims.quotaBytes } : {}) }, this.now())
    this.dirty.add(toHex(r.groupPk))
    this.quotasStale = true
    this.log('info', 'replication: serving a group', { group: toHex(r.groupPk), peer: remotePeer.toString(), jti: claims.jti })
  }

  /** A replication device's own account group (keys from the link, not a request), served under its own token. */
  async serveOwn(keys: { groupPk: Uint8Array; signPub: Uint8Array; linkKey: Uint8Array }, token: { jti: string; expiresAt: number }): Promise<void> {
    await this.o.groups.replicate({ groupPk: keys.groupPk, signPub: keys.signPub, linkKey: keys.linkKey })
    this.o.store.serve(keys.groupPk, token, this.now())
    this.dirty.add(toHex(keys.groupPk))
  }

  /** False for a group this server holds but no longer serves (lapsed or full): not advertised. */
  serving(groupPk: Uint8Array): boolean {
    const row = this.o.store.served(groupPk)
    return row === undefined || row.state === 'active'
  }

  /** One sweep: revocations, expiries, sizes, quotas, eviction. Never runs twice at once. */
  sweep(): Promise<void> {
    this.sweeping ??= this.sweepOnce()
      .catch((err: unknown) => this.log('error', 'replication: sweep failed', { error: String(err) }))
      .finally(() => {
        this.sweeping = undefined
      })
    return this.sweeping
  }

  private async sweepOnce(): Promise<void> {
    const { store, tokens } = this.o
    const now = this.now()
    // Revocations written by another process since the last look (a margin for clock steps).
    const since = this.revokedSeenAt
    this.revokedSeenAt = now
    // Quotas are checked again only when something they depend on changed (a token dropped, a
    // group added, grown or orphaned), or once a minute: an idle server serving 100 groups ran
    // 100 token queries every 2 s for nothing.
    let changed = this.quotasStale || now - this.quotasCheckedAt >= QUOTA_RECHECK_MS
    this.quotasStale = false
    const revoked = tokens.revokedSince(since - 60_000)
    for (const jti of revoked) store.dropToken(jti)
    if (store.dropExpiredTokens(now) > 0 || revoked.length > 0) changed = true
    let lapsed = false
    for (const pk of store.orphaned()) {
      changed = true
      store.setState(pk, 'left', now)
      this.stopReplicating(pk)
      lapsed = true
      this.warn(`group ${toHex(pk).slice(0, 16)}… lapsed (its token expired or was revoked): no longer served nor advertised; its data is kept until eviction`, `lapsed:${toHex(pk)}:${now}`)
    }
    if (lapsed) this.o.onServingChange?.()
    for (const hex of [...this.dirty]) {
      this.dirty.delete(hex)
      const pk = fromHex(hex)
      if (!store.served(pk)) continue
      store.setUsage(pk, store.measure(hex))
      changed = true
    }
    if (!changed) return
    this.quotasCheckedAt = now
    this.checkGroupQuotas(now)
    await this.checkTotal(now)
  }

  private checkGroupQuotas(now: number): void {
    const { store } = this.o
    for (const row of store.servedByAge('active')) {
      const pk = new Uint8Array(row.group_pk)
      const hex = toHex(pk)
      const tokenCap = Math.min(...store.tokensOf(pk).map((t) => t.quota_bytes ?? Infinity))
      const cap = Math.min(this.limits.maxGroupBytes, tokenCap)
      if (row.bytes >= cap) {
        this.warn(`group ${hex.slice(0, 16)}… reached its size quota (${row.bytes} of ${cap} bytes): it stops replicating here`, `full:${hex}`)
        store.setState(pk, 'full', now)
        this.stopReplicating(pk)
      } else if (row.bytes >= cap * this.limits.warnRatio) {
        this.warn(`group ${hex.slice(0, 16)}… is at ${row.bytes} of its ${cap} bytes`, `near:${hex}`)
      }
    }
  }

  private async checkTotal(now: number): Promise<void> {
    const { store } = this.o
    let total = store.totals().bytes
    const max = this.limits.maxTotalBytes
    if (total >= max * this.limits.warnRatio) this.warn(`replica storage at ${total} of ${max} bytes: groups that left will be evicted first`, `total:${Math.floor(now / 3_600_000)}`)
    if (total <= max) return
    for (const state of ['left', 'full', 'active'] as const) {
      for (const row of store.servedByAge(state)) {
        if (total <= max) return
        const pk = new Uint8Array(row.group_pk)
        const hex = toHex(pk)
        this.warn(`evicting group ${hex.slice(0, 16)}… (${state}, ${row.bytes} bytes): the replica is over its ${max}-byte total`, `evict:${hex}`)
        await this.evict(pk)
        total -= row.bytes
      }
    }
  }

  /** A full group keeps what it has but takes (and serves) nothing more. */
  private stopReplicating(groupPk: Uint8Array): void {
    if (!this.o.groups.has(groupPk)) return
    const topics = this.o.groups.topics(groupPk)
    this.o.detach(topics.meta)
    this.o.detach(topics.msg)
  }

  /** Drops a served group and everything stored for it (its row cascades). */
  async evict(groupPk: Uint8Array): Promise<void> {
    if (this.o.groups.has(groupPk) && this.o.groups.get(groupPk).role === 'replica') await this.o.groups.leave(groupPk)
  }

  status(): ReplicaStatus {
    const groups = replicaGroupsStatus(
      this.o.groups.list().filter((g) => g.role === 'replica'),
      this.o.store,
      () => undefined
    )
    const replicaOf = this.o.replicaOf?.()
    return {
      server: true,
      ...(replicaOf ? { replicaOf } : {}),
      groups,
      totals: {
        groups: groups.length,
        entries: groups.reduce((n, g) => n + g.entries, 0),
        bytes: groups.reduce((n, g) => n + g.bytes, 0)
      },
      limits: { maxGroups: this.limits.maxGroups, maxTotalBytes: this.limits.maxTotalBytes, maxGroupBytes: this.limits.maxGroupBytes },
      warnings: [...this.warnings]
    }
  }

  private warn(message: string, key: string): void {
    if (this.warned.has(key)) return
    this.warned.add(key)
    this.warnings.push(`${new Date(this.now()).toISOString()} ${message}`)
    if (this.warnings.length > MAX_WARNINGS) this.warnings.shift()
    this.log('warn', 'replication: quota', { message })
  }
}
