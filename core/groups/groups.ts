/**
 * The groups engine: every group this node is a member of (or replicates), each a metadata
 * log and a message log (spec "Groups"), kept in the account's SQLite file.
 *
 * - Metadata: events are opened with the group secret and folded by the pure reducer
 *   (core/protocol/group/state.ts), replayed from the log at start. Its effects drive the
 *   secret exchange (spec "New member arrival"): this device posts its chain key to every
 *   member it has not yet addressed, and starts a receiver chain for every chain key
 *   addressed to its member.
 * - Messages: sealed with this device's ratchet (the sender chain is persisted BEFORE the
 *   entry is published, so a crash can never reuse a key); received ones are opened with the
 *   sender's receiver chain, whose skipped-key cache is bounded and whose used keys are
 *   deleted (forward secrecy: a member that joined later cannot read earlier messages).
 *   Messages whose sender's chain key has not arrived yet wait as 'pending' and are opened
 *   when it does: nothing is dropped.
 * - Nothing secret sits in the clear in SQLite: group keys and device seeds are keystore
 *   entries; chain states and message bodies are sealed with the content key.
 * - Semantic problems (bad event, unknown device, undecryptable message) are logged and
 *   recorded per entry; they never block later entries.
 */
import type BetterSqlite3 from 'better-sqlite3'
import type { Logger } from '../service/dispatch'
import { ed25519PublicFromSeed, randomBytes, secretboxOpen, secretboxSeal, sha256, wipe } from '../crypto'
import {
  aliasBody,
  applyMetadataEvent,
  contactAliasIndex,
  memberAliasMatches,
  type ContactAlias,
  createGroupState,
  createMultiMemberGroup,
  accountGroup,
  decodeGroupInvitation,
  deserializeReceiverChain,
  encodeGroupInvitation,
  groupFromInvitation,
  groupSecretsFrom,
  groupInfoBody,
  initMemberBody,
  keyId,
  memberDeviceBody,
  memberLeaveBody,
  memberProfileBody,
  MetadataType,
  newSenderChain,
  nextSendKey,
  receiveKey,
  wipeReceiverChain,
  openMessageHeaders,
  openMessageWithChain,
  openMetadataEvent,
  ownMemberKey,
  receiverChainFrom,
  replicaKeysOf,
  sealMessage,
  sealMetadataEvent,
  serializeReceiverChain,
  shareableChainKey,
  deviceSecretBody,
  GroupProtocolError,
  type GroupSecrets,
  type GroupState,
  type GroupKind,
  type Me,
  type MetadataEventBody,
  type ReceiverChain,
  type ReplicaKeys,
  type SenderChain
} from '../protocol/group'
import { fromHex, toHex } from '../protocol/group/codec'
import type { Keystore, SqliteDatabase } from '../storage'
import { SqliteOrbitStorage } from '../storage'
import { GroupLog, compareEntries, type BertyLogEntry } from './group-log'
import type { LogReplicator } from './log-sync'

export type LogKind = 'meta' | 'msg'

export interface AccountKeys {
  accountSeed: Uint8Array
  accountPk: Uint8Array
  aliasSeed: Uint8Array
  /** Shown to the members of multi-member groups this account creates or joins, if set. */
  displayName?: string
}

export interface StoredMessage {
  id: string
  text: string
  devicePk: Uint8Array
  mine: boolean
  sentAt: number
  lamport: number
  state: 'sending' | 'sent' | 'delivered' | 'received' | 'failed'
  rowid: number
  /** The sender's display name in this group, when it shared one. */
  senderName?: string
}

export interface GroupInfoView {
  groupPk: Uint8Array
  kind: GroupKind
  role: 'member' | 'replica'
  name: string
  memberCount: number
  unread: number
  lastMessage?: StoredMessage
  createdAt: number
}

export interface MemberView {
  memberPk: Uint8Array
  devices: Uint8Array[]
  me: boolean
  displayName?: string
  aliasResolver?: Uint8Array
}

export type GroupsEvent =
  | { type: 'message'; groupPk: Uint8Array; message: StoredMessage; fresh: boolean }
  | { type: 'group'; groupPk: Uint8Array }
  | { type: 'progress'; groupPk: Uint8Array; log: LogKind; received: number; done: boolean }

export class GroupsError extends Error {
  override readonly name = 'GroupsError'
  constructor(
    readonly code: 'ERR_NOT_FOUND' | 'ERR_NOT_MEMBER' | 'ERR_EXISTS' | 'ERR_NO_ACCOUNT' | 'ERR_INVALID' | 'ERR_CLOSED',
    message: string
  ) {
    super(message)
  }
}

interface GroupRow {
  group_pk: Uint8Array
  kind: GroupKind
  role: 'member' | 'replica'
  keys_ref: string
  device_ref: string | null
  local_name: string | null
  created_at: number
  read_rowid: number
}

interface MessageRow {
  rowid: number
  id: string
  lamport: number
  writer: string
  device_pk: Uint8Array
  mine: number
  sent_at: number
  body: Uint8Array
  state: StoredMessage['state']
}

interface OpenGroup {
  pk: Uint8Array
  pkHex: string
  kind: GroupKind
  role: 'member' | 'replica'
  secrets?: GroupSecrets
  replica: ReplicaKeys
  me?: Me
  meta: GroupLog
  msg: GroupLog
  metaTopic: string
  msgTopic: string
  state: GroupState
  /** keyId(memberPk) of members this device's DEVICE_SECRET already addresses, read from the log. */
  secretsPosted: Set<string>
  /** The running chain-key posting task, and whether to run once more when it ends. */
  postingSecrets?: Promise<void>
  postSecretsAgain: boolean
  sender?: SenderChain
  /** The persisted sender chain sits at this counter: every counter below it may be used. */
  senderReservedUntil: number
  chains: Map<string, ReceiverChain>
  /** Plaintext of this device's sends in flight, keyed by the sealed payload object. */
  ownSends: WeakMap<Uint8Array, { text: string; sentAt: number; counter: number }>
  localName?: string
  createdAt: number
}

const MAX_REPLAY_ENTRIES = 1_000_000
/**
 * Sender counters reserved per durable write. The chain persisted on disk is this many steps
 * ahead of the one in memory, so a crash (even a power loss) can only skip counters, never
 * reuse a message key; receivers cache skipped keys (bounded), so a skip costs nothing.
 */
const SENDER_RESERVE = 64
const CONTENT_KEY = 'content-key'

/** Keystore blob for member key material: secret ‖ flags ‖ secretSig? ‖ linkKeySig?. */
function encodeMemberKeys(s: GroupSecrets): Uint8Array {
  const parts = [s.secret, s.secretSig ?? new Uint8Array(0), s.linkKeySig ?? new Uint8Array(0)]
  const out = new Uint8Array(1 + 32 + 1 + parts[1]!.length + parts[2]!.length)
  out[0] = 1
  out.set(s.secret, 1)
  out[33] = (s.secretSig ? 1 : 0) | (s.linkKeySig ? 2 : 0)
  let o = 34
  for (const p of parts.slice(1)) {
    out.set(p, o)
    o += p.length
  }
  return out
}

function decodeMemberKeys(kind: GroupKind, groupPk: Uint8Array, blob: Uint8Array): GroupSecrets {
  if (blob[0] !== 1 || blob.length < 34) throw new GroupsError('ERR_INVALID', 'corrupt group key record')
  const secret = blob.slice(1, 33)
  const flags = blob[33]!
  let o = 34
  const secretSig = flags & 1 ? blob.slice(o, (o += 64)) : undefined
  const linkKeySig = flags & 2 ? blob.slice(o, (o += 64)) : undefined
  if (kind === 'multi') {
    return groupFromInvitation({ groupPk, secret, secretSig: secretSig!, ...(linkKeySig ? { linkKeySig } : {}) })
  }
  // Account and contact groups are derived, so their secrets carry no signatures.
  return groupSecretsFrom(kind, groupPk, secret)
}

function encodeReplicaKeys(r: ReplicaKeys): Uint8Array {
  const out = new Uint8Array(1 + 32 + 32 + 1 + (r.linkKeySig ? 64 : 0))
  out[0] = 2
  out.set(r.signPub, 1)
  out.set(r.linkKey, 33)
  out[65] = r.linkKeySig ? 1 : 0
  if (r.linkKeySig) out.set(r.linkKeySig, 66)
  return out
}

function decodeReplicaKeys(groupPk: Uint8Array, blob: Uint8Array): ReplicaKeys {
  if (blob[0] !== 2 || blob.length < 66) throw new GroupsError('ERR_INVALID', 'corrupt replica key record')
  return {
    groupPk,
    signPub: blob.slice(1, 33),
    linkKey: blob.slice(33, 65),
    ...(blob[65] === 1 ? { linkKeySig: blob.slice(66, 130) } : {})
  }
}

function encodeSenderChain(c: SenderChain): Uint8Array {
  const out = new Uint8Array(40)
  out.set(c.chainKey, 0)
  new DataView(out.buffer).setBigUint64(32, BigInt(c.counter))
  return out
}

function decodeSenderChain(b: Uint8Array): SenderChain {
  if (b.length !== 40) throw new GroupsError('ERR_INVALID', 'corrupt sender chain')
  return { chainKey: b.slice(0, 32), counter: Number(new DataView(b.buffer, b.byteOffset).getBigUint64(32)) }
}

export function logIdFor(groupPk: Uint8Array, kind: LogKind): string {
  return `/berty/1/${toHex(groupPk)}/${kind}`
}

/** Topic for a log: a hash of the link key, so the topic names nothing about the group. */
export function topicFor(linkKey: Uint8Array, kind: LogKind): string {
  const tag = new TextEncoder().encode(`berty/topic/v1/${kind}`)
  const input = new Uint8Array(linkKey.length + tag.length)
  input.set(linkKey)
  input.set(tag, linkKey.length)
  return `/berty/log/1/${toHex(sha256(input))}`
}

export interface GroupsOptions {
  db: SqliteDatabase
  keystore: Keystore
  replicator: LogReplicator
  log?: Logger
  now?: () => number
}

export class Groups {
  private readonly db: SqliteDatabase
  private readonly keystore: Keystore
  private readonly replicator: LogReplicator
  private readonly logger: Logger
  private readonly now: () => number
  private readonly groups = new Map<string, OpenGroup>()
  private readonly listeners = new Set<(e: GroupsEvent) => void>()
  private readonly statements = new Map<string, BetterSqlite3.Statement>()
  private account: AccountKeys | undefined
  private contentKey: Uint8Array | undefined
  private closed = false
  private readonly background = new Set<Promise<unknown>>()

  constructor(opts: GroupsOptions) {
    this.db = opts.db
    this.keystore = opts.keystore
    this.replicator = opts.replicator
    this.logger = opts.log ?? (() => {})
    this.now = opts.now ?? Date.now
  }

  /** Prepared statements are compiled once: preparing dominated the send path. */
  private stmt<P extends unknown[] = unknown[], R = unknown>(sql: string): BetterSqlite3.Statement<P, R> {
    let st = this.statements.get(sql)
    if (!st) {
      st = this.db.sql.prepare(sql)
      this.statements.set(sql, st)
    }
    return st as unknown as BetterSqlite3.Statement<P, R>
  }

  on(listener: (e: GroupsEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private emit(e: GroupsEvent): void {
    for (const l of this.listeners) {
      try {
        l(e)
      } catch (err) {
        this.logger('error', 'groups: listener failed', { error: String(err) })
      }
    }
  }

  /** Opens every stored group. Call once the account (if any) is known. */
  async start(account: AccountKeys | undefined): Promise<void> {
    this.account = account
    this.contentKey = await this.loadContentKey()
    const rows = this.stmt<[], GroupRow>('SELECT * FROM groups ORDER BY created_at').all()
    for (const row of rows) {
      try {
        await this.openGroup(row)
      } catch (err) {
        this.logger('error', 'groups: could not open a group', { group: toHex(row.group_pk), error: String(err) })
      }
    }
  }

  /** After account creation: adopt the account keys and create the account group. */
  async setAccount(account: AccountKeys): Promise<void> {
    this.account = account
    const secrets = accountGroup(account.accountSeed, account.aliasSeed)
    if (!this.groups.has(toHex(secrets.groupPk))) await this.addMemberGroup(secrets, { localName: 'Account' })
  }

  async stop(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await Promise.allSettled([...this.background])
    for (const g of this.groups.values()) {
      this.replicator.remove(g.metaTopic)
      this.replicator.remove(g.msgTopic)
      await g.meta.close()
      await g.msg.close()
    }
    this.groups.clear()
    if (this.contentKey) wipe(this.contentKey)
    if (this.account) wipe(this.account.accountSeed, this.account.aliasSeed)
  }

  // ---- creation, invitation, join, leave --------------------------------------------

  /** Spec "Multi-Member Group": create, post the Init Member entry, forget the group key. */
  async createGroup(name: string): Promise<Uint8Array> {
    this.requireAccount()
    const { secrets, groupSeed } = createMultiMemberGroup()
    try {
      const g = await this.addMemberGroup(secrets, { localName: name })
      const me = g.me!
      await this.postMeta(g, { type: MetadataType.INIT_MEMBER, body: initMemberBody(groupSeed, me.memberPk) })
      await this.postMeta(g, { type: MetadataType.GROUP_INFO, body: groupInfoBody(name) })
      return g.pk
    } finally {
      wipe(groupSeed)
    }
  }

  invitation(groupPk: Uint8Array): string {
    const g = this.mustGet(groupPk)
    if (g.kind !== 'multi' || !g.secrets) throw new GroupsError('ERR_INVALID', 'only multi-member groups have invitations')
    return encodeGroupInvitation(g.secrets)
  }

  /** Spec "Joining a Group": adopt the invitation's keys, announce this device, sync. */
  async join(url: string): Promise<Uint8Array> {
    this.requireAccount()
    const inv = decodeGroupInvitation(url)
    const secrets = groupFromInvitation(inv)
    const existing = this.groups.get(toHex(secrets.groupPk))
    if (existing) {
      if (existing.role === 'member') return existing.pk
      throw new GroupsError('ERR_EXISTS', 'this node already replicates that group')
    }
    const g = await this.addMemberGroup(secrets, {})
    return g.pk
  }

  /** Replicate a group without its secret (spec "Replication device" / "Replication server"). */
  async replicate(keys: ReplicaKeys): Promise<Uint8Array> {
    const hex = toHex(keys.groupPk)
    if (this.groups.has(hex)) return keys.groupPk
    const keysRef = `group/${hex}/replica`
    const now = this.now()
    await this.keystore.put(keysRef, encodeReplicaKeys(keys))
    this.db.durable(() => {
      this.stmt("INSERT INTO groups (group_pk, kind, role, keys_ref, device_ref, created_at) VALUES (?, 'multi', 'replica', ?, NULL, ?)")
        .run(keys.groupPk, keysRef, now)
    })
    await this.openGroup(this.row(keys.groupPk)!)
    return keys.groupPk
  }

  replicaKeys(groupPk: Uint8Array): ReplicaKeys {
    const g = this.mustGet(groupPk)
    return g.replica
  }

  /** A device leaves: announce it, stop replicating, delete local data. */
  async leave(groupPk: Uint8Array): Promise<void> {
    const g = this.mustGet(groupPk)
    if (g.kind === 'account') throw new GroupsError('ERR_INVALID', 'the account group cannot be left')
    if (g.role === 'member' && g.me) {
      await this.postMeta(g, { type: MetadataType.MEMBER_LEAVE, body: memberLeaveBody(g.me.devicePk) }).catch((err: unknown) => {
        this.logger('warn', 'groups: could not announce leave', { error: String(err) })
      })
    }
    this.replicator.remove(g.metaTopic)
    this.replicator.remove(g.msgTopic)
    await g.meta.close()
    await g.msg.close()
    this.groups.delete(g.pkHex)
    const row = this.row(g.pk)
    this.db.durable(() => {
      this.stmt('DELETE FROM groups WHERE group_pk = ?').run(g.pk)
      this.stmt('DELETE FROM orbit_kv WHERE namespace LIKE ?').run(`${g.pkHex}:%`)
    })
    if (row) {
      await this.keystore.delete(row.keys_ref)
      if (row.device_ref) await this.keystore.delete(row.device_ref)
    }
    this.emit({ type: 'group', groupPk: g.pk })
  }

  // ---- alias identity (spec "Alias Identity") -----------------------------------------

  /**
   * Disclose this account in a multi-member group: an Alias Entry (resolver + proof bound to our
   * member id) lets contacts who know our alias key recognise our member. Cannot be undone.
   */
  async shareAlias(groupPk: Uint8Array): Promise<void> {
    const account = this.requireAccount()
    const g = this.mustGet(groupPk)
    if (g.kind !== 'multi' || !g.me) throw new GroupsError('ERR_INVALID', 'aliases are disclosed in multi-member groups only')
    await this.postMeta(g, { type: MetadataType.ALIAS, body: aliasBody(account.aliasSeed, g.pk, g.me.memberPk) })
  }

  /** Members of the group whose disclosed alias belongs to one of `contacts` (proofs verified). */
  resolveAliases(groupPk: Uint8Array, contacts: Iterable<ContactAlias>): Array<{ memberPk: Uint8Array; contactId: string }> {
    const g = this.mustGet(groupPk)
    return memberAliasMatches(g.state, contactAliasIndex(g.pk, contacts))
  }

  // ---- messages -----------------------------------------------------------------------

  async send(groupPk: Uint8Array, text: string): Promise<string> {
    const g = this.mustGet(groupPk)
    if (g.role !== 'member' || !g.secrets || !g.me || !g.sender) throw new GroupsError('ERR_NOT_MEMBER', 'replicas cannot send')
    const device = { seed: g.me.deviceSeed, pk: g.me.devicePk }
    // Write-ahead: a chain beyond this counter is durable before the entry can leave this node.
    if (g.sender.counter >= g.senderReservedUntil) this.reserveSenderCounters(g)
    const sentAt = this.now()
    const sealed = sealMessage(g.secrets, device, g.sender, { text, sentAtMs: sentAt })
    g.sender = sealed.next
    g.ownSends.set(sealed.sealed, { text, sentAt, counter: sealed.counter })
    const { entry, recipients } = await this.replicator.appendAndPublish(g.msgTopic, sealed.sealed)
    if (recipients > 0) this.setMessageState(g, entry.hash, 'delivered')
    return entry.hash
  }

  listMessages(groupPk: Uint8Array, opts: { limit?: number; before?: string } = {}): { messages: StoredMessage[]; hasMore: boolean } {
    const g = this.mustGet(groupPk)
    const limit = Math.min(Math.max(opts.limit ?? 50, 1), 500)
    let rows: MessageRow[]
    if (opts.before) {
      const anchor = this.stmt<[Uint8Array, string], { lamport: number; writer: string; id: string }>(
          'SELECT lamport, writer, id FROM messages WHERE group_pk = ? AND id = ?'
        )
        .get(g.pk, opts.before)
      if (!anchor) throw new GroupsError('ERR_NOT_FOUND', 'no such message in this group')
      rows = this.stmt<[Uint8Array, number, string, string, number], MessageRow>(
          `SELECT rowid, * FROM messages WHERE group_pk = ? AND (lamport, writer, id) < (?, ?, ?)
           ORDER BY lamport DESC, writer DESC, id DESC LIMIT ?`
        )
        .all(g.pk, anchor.lamport, anchor.writer, anchor.id, limit + 1)
    } else {
      rows = this.stmt<[Uint8Array, number], MessageRow>(
          'SELECT rowid, * FROM messages WHERE group_pk = ? ORDER BY lamport DESC, writer DESC, id DESC LIMIT ?'
        )
        .all(g.pk, limit + 1)
    }
    const hasMore = rows.length > limit
    return { messages: rows.slice(0, limit).reverse().map((r) => this.toMessage(r, g)), hasMore }
  }

  markRead(groupPk: Uint8Array): number {
    const g = this.mustGet(groupPk)
    this.stmt('UPDATE groups SET read_rowid = (SELECT coalesce(max(rowid), 0) FROM messages WHERE group_pk = ?) WHERE group_pk = ?')
      .run(g.pk, g.pk)
    this.emit({ type: 'group', groupPk: g.pk })
    return 0
  }

  // ---- queries ------------------------------------------------------------------------

  list(): GroupInfoView[] {
    return [...this.groups.values()].map((g) => this.view(g))
  }

  get(groupPk: Uint8Array): GroupInfoView {
    return this.view(this.mustGet(groupPk))
  }

  has(groupPk: Uint8Array): boolean {
    return this.groups.has(toHex(groupPk))
  }

  members(groupPk: Uint8Array): MemberView[] {
    const g = this.mustGet(groupPk)
    const mine = g.me ? keyId(g.me.memberPk) : undefined
    return [...g.state.members.entries()].map(([id, m]) => ({
      memberPk: fromHex(id),
      devices: [...m.devices].map((d) => fromHex(d)),
      me: id === mine,
      ...(m.displayName ? { displayName: m.displayName } : {}),
      ...(m.aliasResolver ? { aliasResolver: m.aliasResolver } : {})
    }))
  }

  /** Chain keys received for other devices (for tests and diagnostics: counts, never keys). */
  chainCount(groupPk: Uint8Array): number {
    return this.mustGet(groupPk).chains.size
  }

  topics(groupPk: Uint8Array): { meta: string; msg: string } {
    const g = this.mustGet(groupPk)
    return { meta: g.metaTopic, msg: g.msgTopic }
  }

  private view(g: OpenGroup): GroupInfoView {
    const last = this.stmt<[Uint8Array], MessageRow>(
        'SELECT rowid, * FROM messages WHERE group_pk = ? ORDER BY lamport DESC, writer DESC, id DESC LIMIT 1'
      )
      .get(g.pk)
    const readRowid =
      this.stmt<[Uint8Array], { read_rowid: number }>('SELECT read_rowid FROM groups WHERE group_pk = ?').get(g.pk)
        ?.read_rowid ?? 0
    const unread =
      this.stmt<[Uint8Array, number], { n: number }>('SELECT count(*) AS n FROM messages WHERE group_pk = ? AND rowid > ? AND mine = 0')
        .get(g.pk, readRowid)?.n ?? 0
    return {
      groupPk: g.pk,
      kind: g.kind,
      role: g.role,
      name: g.state.name ?? g.localName ?? (g.kind === 'account' ? 'Account' : 'New group'),
      memberCount: g.state.members.size,
      unread,
      ...(last ? { lastMessage: this.toMessage(last, g) } : {}),
      createdAt: g.createdAt
    }
  }

  // ---- internals: opening ---------------------------------------------------------------

  private requireAccount(): AccountKeys {
    if (!this.account) throw new GroupsError('ERR_NO_ACCOUNT', 'create an account first')
    return this.account
  }

  private mustGet(groupPk: Uint8Array): OpenGroup {
    if (this.closed) throw new GroupsError('ERR_CLOSED', 'node is stopping')
    const g = this.groups.get(toHex(groupPk))
    if (!g) throw new GroupsError('ERR_NOT_FOUND', 'no such group on this node')
    return g
  }

  private row(groupPk: Uint8Array): GroupRow | undefined {
    return this.stmt<[Uint8Array], GroupRow>('SELECT * FROM groups WHERE group_pk = ?').get(groupPk)
  }

  private async loadContentKey(): Promise<Uint8Array> {
    const existing = await this.keystore.get(CONTENT_KEY)
    if (existing) return existing
    const key = randomBytes(32)
    await this.keystore.put(CONTENT_KEY, key)
    return key
  }

  private async addMemberGroup(secrets: GroupSecrets, opts: { localName?: string }): Promise<OpenGroup> {
    const hex = toHex(secrets.groupPk)
    const keysRef = `group/${hex}/keys`
    const deviceRef = `group/${hex}/device`
    const deviceSeed = randomBytes(32)
    await this.keystore.put(keysRef, encodeMemberKeys(secrets))
    await this.keystore.put(deviceRef, deviceSeed)
    const now = this.now()
    this.db.durable(() => {
      this.stmt("INSERT INTO groups (group_pk, kind, role, keys_ref, device_ref, local_name, created_at) VALUES (?, ?, 'member', ?, ?, ?, ?)")
        .run(secrets.groupPk, secrets.kind, keysRef, deviceRef, opts.localName ?? null, now)
    })
    wipe(deviceSeed)
    const g = await this.openGroup(this.row(secrets.groupPk)!)
    // Spec "New member arrival": announce this device (member id proven by the member key).
    await this.postMeta(g, {
      type: MetadataType.MEMBER_DEVICE,
      body: memberDeviceBody(g.pk, g.me!.memberSeed, g.me!.devicePk)
    })
    const displayName = this.account?.displayName?.trim()
    if (g.kind === 'multi' && displayName) {
      await this.postMeta(g, { type: MetadataType.MEMBER_PROFILE, body: memberProfileBody(displayName) })
    }
    this.emit({ type: 'group', groupPk: g.pk })
    return g
  }

  private async openGroup(row: GroupRow): Promise<OpenGroup> {
    const pk = new Uint8Array(row.group_pk)
    const pkHex = toHex(pk)
    const keysBlob = await this.keystore.get(row.keys_ref)
    if (!keysBlob) throw new GroupsError('ERR_INVALID', 'group key record missing from the keystore')
    let secrets: GroupSecrets | undefined
    let replica: ReplicaKeys
    let me: Me | undefined
    let deviceSeed: Uint8Array | undefined
    if (row.role === 'member') {
      secrets = decodeMemberKeys(row.kind, pk, keysBlob)
      replica = replicaKeysOf(secrets)
      const account = this.requireAccount()
      deviceSeed = await this.keystore.get(row.device_ref!)
      if (!deviceSeed) throw new GroupsError('ERR_INVALID', 'group device seed missing from the keystore')
      const member = ownMemberKey(secrets, { accountSeed: account.accountSeed, accountProofSeed: account.aliasSeed })
      me = { memberPk: member.memberPk, memberSeed: member.memberSeed, deviceSeed, devicePk: ed25519PublicFromSeed(deviceSeed) }
    } else {
      replica = decodeReplicaKeys(pk, keysBlob)
    }
    wipe(keysBlob)
    const storage = (kind: LogKind) => ({
      entries: new SqliteOrbitStorage(this.db, `${pkHex}:${kind}:entries`),
      heads: new SqliteOrbitStorage(this.db, `${pkHex}:${kind}:heads`),
      index: new SqliteOrbitStorage(this.db, `${pkHex}:${kind}:index`),
      links: new SqliteOrbitStorage(this.db, `${pkHex}:${kind}:links`)
    })
    const logOpts = (kind: LogKind) => ({
      logId: logIdFor(pk, kind),
      signPub: replica.signPub,
      linkKey: replica.linkKey,
      storage: storage(kind),
      ...(secrets && deviceSeed ? { signSeed: secrets.signSeed, writerSeed: deviceSeed } : {})
    })
    const meta = await GroupLog.open(logOpts('meta'))
    const msg = await GroupLog.open(logOpts('msg'))
    const g: OpenGroup = {
      pk,
      pkHex,
      kind: row.kind,
      role: row.role,
      ...(secrets ? { secrets } : {}),
      replica,
      ...(me ? { me } : {}),
      meta,
      msg,
      metaTopic: topicFor(replica.linkKey, 'meta'),
      msgTopic: topicFor(replica.linkKey, 'msg'),
      state: createGroupState({ kind: row.kind, groupPk: pk }),
      secretsPosted: new Set(),
      postSecretsAgain: false,
      senderReservedUntil: 0,
      ownSends: new WeakMap(),
      chains: new Map(),
      ...(row.local_name ? { localName: row.local_name } : {}),
      createdAt: row.created_at
    }
    this.groups.set(pkHex, g)
    if (secrets && me) {
      this.loadChains(g)
      if (!g.sender) {
        // First open of this membership: a fresh chain (PROTOCOL.md: random, counter 0),
        // and a receiver chain for our own device so our messages index like anyone's.
        const sender = newSenderChain()
        g.sender = sender
        this.saveChain(g, me.devicePk, 'send', encodeSenderChain(sender), true)
        const own = receiverChainFrom(shareableChainKey(sender))
        g.chains.set(keyId(me.devicePk), own)
        this.saveChain(g, me.devicePk, 'recv', serializeReceiverChain(own), true)
      }
      await this.replayMetadata(g)
    }
    this.replicator.add({
      log: meta,
      topic: g.metaTopic,
      onEntries: (entries) => this.onMetaEntries(g, entries),
      onProgress: (p) => this.emit({ type: 'progress', groupPk: g.pk, log: 'meta', ...p })
    })
    this.replicator.add({
      log: msg,
      topic: g.msgTopic,
      onEntries: (entries) => this.onMsgEntries(g, entries),
      onProgress: (p) => this.emit({ type: 'progress', groupPk: g.pk, log: 'msg', ...p })
    })
    if (secrets) await this.recoverMessages(g)
    return g
  }

  private reserveSenderCounters(g: OpenGroup): void {
    let far: SenderChain = { chainKey: g.sender!.chainKey.slice(), counter: g.sender!.counter }
    for (let i = 0; i < SENDER_RESERVE; i++) {
      const step = nextSendKey(far, g.pk)
      wipe(step.messageKey)
      far = step.next
    }
    this.saveChain(g, g.me!.devicePk, 'send', encodeSenderChain(far), true)
    g.senderReservedUntil = far.counter
    wipe(far.chainKey)
  }

  private loadChains(g: OpenGroup): void {
    const rows = this.stmt<[Uint8Array], { device_pk: Uint8Array; role: 'send' | 'recv'; sealed: Uint8Array }>(
        'SELECT device_pk, role, sealed FROM group_chains WHERE group_pk = ?'
      )
      .all(g.pk)
    for (const r of rows) {
      const plain = secretboxOpen(this.contentKey!, r.sealed)
      try {
        if (r.role === 'send') {
          g.sender = decodeSenderChain(plain)
          g.senderReservedUntil = g.sender.counter
        }
        else g.chains.set(keyId(r.device_pk), deserializeReceiverChain(plain))
      } finally {
        wipe(plain)
      }
    }
  }

  private saveChain(g: OpenGroup, devicePk: Uint8Array, role: 'send' | 'recv', plain: Uint8Array, durable = false): void {
    const sealed = secretboxSeal(this.contentKey!, plain)
    wipe(plain)
    const write = () =>
      this.stmt('INSERT INTO group_chains (group_pk, device_pk, role, sealed) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET sealed = excluded.sealed')
        .run(g.pk, devicePk, role, sealed)
    if (durable) this.db.durable(write)
    else write()
  }

  // ---- internals: metadata ------------------------------------------------------------------

  private async postMeta(g: OpenGroup, event: MetadataEventBody): Promise<void> {
    if (!g.secrets || !g.me) throw new GroupsError('ERR_NOT_MEMBER', 'replicas cannot write')
    const sealed = sealMetadataEvent(g.secrets, { seed: g.me.deviceSeed, pk: g.me.devicePk }, event)
    await this.replicator.appendAndPublish(g.metaTopic, sealed)
  }

  /** Rebuild the group state from the whole metadata log (spec: members download it all). */
  private async replayMetadata(g: OpenGroup): Promise<void> {
    const entries: BertyLogEntry[] = []
    for await (const e of g.meta.traverse()) {
      entries.push(e)
      if (entries.length > MAX_REPLAY_ENTRIES) throw new GroupsError('ERR_INVALID', 'metadata log too large')
    }
    entries.sort(compareEntries)
    this.applyMeta(g, entries)
  }

  private onMetaEntries(g: OpenGroup, entries: BertyLogEntry[]): void {
    if (!g.secrets || !g.me) {
      // Replicas store and verify, they cannot read; like onMsgEntries, say the log grew.
      this.emit({ type: 'group', groupPk: g.pk })
      return
    }
    this.applyMeta(g, entries)
    this.emit({ type: 'group', groupPk: g.pk })
  }

  private applyMeta(g: OpenGroup, entries: BertyLogEntry[]): void {
    const secrets = g.secrets!
    const me = g.me!
    const myDevice = keyId(me.devicePk)
    const newChains: string[] = []
    let wantSecrets = false
    for (const entry of entries) {
      let event
      try {
        event = openMetadataEvent(secrets, entry.payload.s)
      } catch (err) {
        this.logger('warn', 'groups: metadata entry rejected', { group: g.pkHex, hash: entry.hash, reason: describe(err) })
        continue
      }
      if (event.type === MetadataType.DEVICE_SECRET && keyId(event.devicePk) === myDevice) {
        g.secretsPosted.add(keyId(event.body.receiverMemberPk))
      }
      const { state, effects } = applyMetadataEvent(g.state, event, me, secrets)
      g.state = state
      for (const fx of effects) {
        if (fx.type === 'send-secret') wantSecrets = true
        else if (fx.type === 'chain-key') {
          const id = keyId(fx.devicePk)
          const existing = g.chains.get(id)
          // Keep an existing chain that starts earlier: it can open more messages.
          if (existing && existing.counter <= fx.counter) continue
          const chain = receiverChainFrom({ chainKey: fx.chainKey, counter: fx.counter })
          g.chains.set(id, chain)
          this.saveChain(g, fx.devicePk, 'recv', serializeReceiverChain(chain))
          newChains.push(id)
        } else if (fx.type === 'rejected') {
          this.logger('warn', 'groups: metadata event ignored', { group: g.pkHex, hash: entry.hash, reason: fx.reason })
        }
      }
    }
    if (wantSecrets || this.missingSecrets(g).length > 0) this.requestSecretPosting(g)
    for (const id of newChains) this.retryPending(g, fromHex(id))
  }

  /** Members this device has not addressed its chain key to yet. */
  private missingSecrets(g: OpenGroup): string[] {
    return [...g.state.members.keys()].filter((m) => !g.secretsPosted.has(m))
  }

  /**
   * One posting task per group at a time (two would each post to the same missing members);
   * a request while it runs makes it go round once more.
   */
  private requestSecretPosting(g: OpenGroup): void {
    if (g.postingSecrets) {
      g.postSecretsAgain = true
      return
    }
    const run = async (): Promise<void> => {
      do {
        g.postSecretsAgain = false
        await this.postMissingSecrets(g)
      } while (g.postSecretsAgain && !this.closed)
    }
    g.postingSecrets = run().finally(() => {
      g.postingSecrets = undefined
    })
    this.spawn(g.postingSecrets)
  }

  private async postMissingSecrets(g: OpenGroup): Promise<void> {
    // Until our own MEMBER_DEVICE is in our view of the log nobody could place our secret;
    // applying it triggers this again.
    if (!g.me || !g.sender || !g.state.registered) return
    for (const member of this.missingSecrets(g)) {
      if (this.closed) return
      try {
        const body = deviceSecretBody({ seed: g.me.deviceSeed, pk: g.me.devicePk }, fromHex(member), shareableChainKey(g.sender))
        await this.postMeta(g, { type: MetadataType.DEVICE_SECRET, body })
        g.secretsPosted.add(member)
      } catch (err) {
        this.logger('warn', 'groups: could not post a chain key', { group: g.pkHex, error: String(err) })
      }
    }
  }

  private spawn(p: Promise<unknown>): void {
    if (this.closed) return
    const tracked = p.catch((err: unknown) => this.logger('error', 'groups: background task failed', { error: String(err) }))
    this.background.add(tracked)
    void tracked.finally(() => this.background.delete(tracked))
  }

  // ---- internals: messages ------------------------------------------------------------------

  private processed(g: OpenGroup, hash: string): string | undefined {
    return this.stmt<[Uint8Array, string], { status: string }>("SELECT status FROM log_processed WHERE group_pk = ? AND log = 'msg' AND hash = ?")
      .get(g.pk, hash)?.status
  }

  private markProcessed(
    g: OpenGroup,
    hash: string,
    status: 'ok' | 'pending' | 'rejected' | 'undecryptable',
    devicePk?: Uint8Array,
    reason?: string,
    counter?: number
  ): void {
    this.stmt(
        `INSERT INTO log_processed (group_pk, log, hash, status, device_pk, counter, reason) VALUES (?, 'msg', ?, ?, ?, ?, ?)
         ON CONFLICT DO UPDATE SET status = excluded.status, device_pk = excluded.device_pk, counter = excluded.counter,
           reason = excluded.reason`
      )
      .run(g.pk, hash, status, devicePk ?? null, counter ?? null, reason ?? null)
  }

  private onMsgEntries(g: OpenGroup, entries: BertyLogEntry[]): void {
    if (!g.secrets) {
      this.emit({ type: 'group', groupPk: g.pk })
      return
    }
    // One transaction per batch: a catch-up of thousands of entries is one commit, not thousands.
    this.db.transaction(() => {
      for (const entry of entries) this.processMessage(g, entry)
    })
  }

  private processMessage(g: OpenGroup, entry: BertyLogEntry, retry = false): void {
    const status = this.processed(g, entry.hash)
    if (status && !(retry && status === 'pending')) return
    const own = g.ownSends.get(entry.payload.s)
    if (own && g.me) {
      this.indexOwnSend(g, entry, own)
      return
    }
    let headers
    try {
      headers = openMessageHeaders(g.secrets!, entry.payload.s)
    } catch (err) {
      this.markProcessed(g, entry.hash, 'rejected', undefined, describe(err))
      this.logger('warn', 'groups: message entry rejected', { group: g.pkHex, hash: entry.hash, reason: describe(err) })
      return
    }
    const deviceId = keyId(headers.devicePk)
    if (entry.key !== deviceId) {
      // The OrbitDB writer must be the device that signed the message.
      this.markProcessed(g, entry.hash, 'rejected', undefined, 'writer is not the message device')
      this.logger('warn', 'groups: message writer mismatch', { group: g.pkHex, hash: entry.hash })
      return
    }
    const chain = g.chains.get(deviceId)
    if (!chain) {
      this.markProcessed(g, entry.hash, 'pending', headers.devicePk, undefined, headers.counter)
      return
    }
    if (headers.counter < chain.counter && !chain.skipped.has(headers.counter)) {
      // Before the chain key we hold, or already used: unreadable by design (forward secrecy).
      // Common in bulk (a newcomer's backlog), so settled without building an error.
      this.markProcessed(g, entry.hash, 'undecryptable', headers.devicePk, 'no key for this counter', headers.counter)
      return
    }
    let opened
    try {
      opened = openMessageWithChain(g.pk, headers, chain)
    } catch (err) {
      const code = err instanceof GroupProtocolError ? err.code : undefined
      const undecryptable = code === 'ERR_KEY_USED' || code === 'ERR_COUNTER_TOO_FAR'
      this.markProcessed(g, entry.hash, undecryptable ? 'undecryptable' : 'rejected', headers.devicePk, describe(err))
      if (!undecryptable) this.logger('warn', 'groups: message rejected', { group: g.pkHex, hash: entry.hash, reason: describe(err) })
      return
    }
    g.chains.set(deviceId, opened.chain)
    const mine = g.me !== undefined && keyId(g.me.devicePk) === deviceId
    const body = secretboxSeal(this.contentKey!, new TextEncoder().encode(opened.payload.text))
    const now = this.now()
    let rowid = 0
    this.db.transaction(() => {
      this.saveChain(g, headers.devicePk, 'recv', serializeReceiverChain(opened.chain))
      const info = this.stmt(
          `INSERT INTO messages (group_pk, id, lamport, writer, device_pk, mine, sent_at, received_at, body, state)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`
        )
        .run(g.pk, entry.hash, entry.clock.time, entry.clock.id, headers.devicePk, mine ? 1 : 0, opened.payload.sentAtMs, now, body, mine ? 'sent' : 'received')
      rowid = Number(info.lastInsertRowid)
      this.markProcessed(g, entry.hash, 'ok', headers.devicePk)
    })
    this.emit({
      type: 'message',
      groupPk: g.pk,
      fresh: true,
      message: {
        ...(this.senderName(g, headers.devicePk) ? { senderName: this.senderName(g, headers.devicePk)! } : {}),
        id: entry.hash,
        text: opened.payload.text,
        devicePk: headers.devicePk,
        mine,
        sentAt: opened.payload.sentAtMs,
        lamport: entry.clock.time,
        state: mine ? 'sent' : 'received',
        rowid
      }
    })
  }

  /**
   * A message this device just sealed: its plaintext is known, so it is indexed without opening
   * it again. Our own receiver chain still steps past the counter (the key is derived and
   * dropped), so after a restart it reads on from the right place.
   */
  private indexOwnSend(g: OpenGroup, entry: BertyLogEntry, own: { text: string; sentAt: number; counter: number }): void {
    const me = g.me!
    const id = keyId(me.devicePk)
    const chain = g.chains.get(id)
    if (chain) {
      try {
        const step = receiveKey(chain, g.pk, own.counter)
        wipe(step.messageKey)
        wipeReceiverChain(chain)
        g.chains.set(id, step.chain)
        this.saveChain(g, me.devicePk, 'recv', serializeReceiverChain(step.chain))
      } catch (err) {
        this.logger('warn', 'groups: own receiver chain out of step', { group: g.pkHex, reason: describe(err) })
      }
    }
    const body = secretboxSeal(this.contentKey!, new TextEncoder().encode(own.text))
    let rowid = 0
    this.db.transaction(() => {
      const info = this.stmt(
        `INSERT INTO messages (group_pk, id, lamport, writer, device_pk, mine, sent_at, received_at, body, state)
         VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, 'sent') ON CONFLICT DO NOTHING`
      ).run(g.pk, entry.hash, entry.clock.time, entry.clock.id, me.devicePk, own.sentAt, this.now(), body)
      rowid = Number(info.lastInsertRowid)
      this.markProcessed(g, entry.hash, 'ok', me.devicePk)
    })
    this.emit({
      type: 'message',
      groupPk: g.pk,
      fresh: true,
      message: {
        ...(this.senderName(g, me.devicePk) ? { senderName: this.senderName(g, me.devicePk)! } : {}),
        id: entry.hash,
        text: own.text,
        devicePk: me.devicePk,
        mine: true,
        sentAt: own.sentAt,
        lamport: entry.clock.time,
        state: 'sent',
        rowid
      }
    })
  }

  /** A device's chain key arrived: open the messages that waited for it, in Lamport order. */
  private retryPending(g: OpenGroup, devicePk: Uint8Array): void {
    const chain = g.chains.get(keyId(devicePk))
    if (!chain) return
    // Messages before the chain's first counter can never be opened (forward secrecy): settle
    // them in one statement instead of decoding each again.
    this.stmt(
      `UPDATE log_processed SET status = 'undecryptable', reason = 'sent before this device received the sender''s chain key'
       WHERE group_pk = ? AND status = 'pending' AND device_pk = ? AND counter < ?`
    ).run(g.pk, devicePk, chain.counter)
    const hashes = this.stmt<[Uint8Array, Uint8Array, number], { hash: string }>(
        "SELECT hash FROM log_processed WHERE group_pk = ? AND status = 'pending' AND device_pk = ? AND counter >= ?"
      )
      .all(g.pk, devicePk, chain.counter)
      .map((r) => r.hash)
    if (hashes.length === 0) return
    this.spawn(
      (async () => {
        const entries: BertyLogEntry[] = []
        for (const h of hashes) {
          const e = await g.msg.get(h)
          if (e) entries.push(e)
        }
        entries.sort(compareEntries)
        this.db.transaction(() => {
          for (const e of entries) this.processMessage(g, e, true)
        })
      })()
    )
  }

  /**
   * After a restart: entries that reached the log but were never processed (a crash
   * between join and index) are found by walking back from the heads until processed
   * entries, and processed now.
   */
  private async recoverMessages(g: OpenGroup): Promise<void> {
    const todo: BertyLogEntry[] = []
    const seen = new Set<string>()
    let frontier = (await g.msg.heads()).map((e) => e.hash)
    while (frontier.length > 0) {
      const next: string[] = []
      for (const h of frontier) {
        if (seen.has(h)) continue
        seen.add(h)
        const status = this.processed(g, h)
        if (status && status !== 'pending') continue
        const e = await g.msg.get(h)
        if (!e) continue
        todo.push(e)
        next.push(...e.next)
      }
      frontier = next
    }
    todo.sort(compareEntries)
    for (const e of todo) this.processMessage(g, e, true)
  }

  private setMessageState(g: OpenGroup, id: string, state: StoredMessage['state']): void {
    const row = this.stmt<[string, Uint8Array, string], MessageRow>(
        "UPDATE messages SET state = ? WHERE group_pk = ? AND id = ? AND state IN ('sending', 'sent') RETURNING rowid, *"
      )
      .get(state, g.pk, id)
    if (row) this.emit({ type: 'message', groupPk: g.pk, message: this.toMessage(row, g), fresh: false })
  }

  /** The display name the member of `devicePk` shares in the group, if any. */
  private senderName(g: OpenGroup, devicePk: Uint8Array): string | undefined {
    const member = g.state.devices.get(keyId(devicePk))
    return member === undefined ? undefined : g.state.members.get(member)?.displayName
  }

  private toMessage(r: MessageRow, g?: OpenGroup): StoredMessage {
    const plain = secretboxOpen(this.contentKey!, r.body)
    const text = new TextDecoder().decode(plain)
    wipe(plain)
    const senderName = g ? this.senderName(g, r.device_pk) : undefined
    return {
      ...(senderName ? { senderName } : {}),
      id: r.id,
      text,
      devicePk: new Uint8Array(r.device_pk),
      mine: r.mine === 1,
      sentAt: r.sent_at,
      lamport: r.lamport,
      state: r.state,
      rowid: r.rowid
    }
  }
}

function describe(err: unknown): string {
  if (err instanceof Error) return `${err.name}${'code' in err ? ` ${String((err as { code: unknown }).code)}` : ''}: ${err.message}`
  return String(err)
}

