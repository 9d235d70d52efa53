/**
 * The groups engine: every group this node is a member of (or replicates), each a metadata log
 * and a message log (spec "Groups"), kept in the account's SQLite file. This facade holds the
 * lifecycle (create, invite, join, replicate, leave), sending and the queries; the rooms beside it
 * do the rest:
 * - group-opener.ts: opening a group from its row and keys, announcing a new membership;
 * - secret-exchange.ts: the metadata log and chain-key exchange;
 * - message-sender.ts: sealing, group-committing and gossiping this device's messages;
 * - message-pipeline.ts: opening, indexing and retrying received messages;
 * - chain-keeper.ts: ratchet chains at rest (write-ahead sender counters);
 * - sync/: replication of both logs between nodes.
 * Nothing secret sits in the clear in SQLite: group keys and device seeds are keystore entries;
 * chain states and message bodies are sealed with the content key (content-sealer.ts).
 * Everything inside the logs is weshnet's bytes (core/protocol/group: GroupEnvelope / MessageEnvelope,
 * Berty AppMessage inside); weshnet events the engine does not interpret ride through
 * `appendWeshEvent` / `weshEvents` / the `wesh-event` bus event.
 */
import { toHex } from '../bytes'
import { wipe } from '../crypto'
import type { Logger } from '../log'
import {
  accountGroup,
  aliasBody,
  contactGroup,
  wipeGroupSecrets,
  createMultiMemberGroup,
  decodeGroupInvitation,
  groupFromInvitation,
  groupShareLinks,
  groupInfoBody,
  GroupProtocolError,
  initMemberBody,
  isWeshPassThroughType,
  keyId,
  MetadataType,
  verifyReplicaKeys,
  withAuthorDevice,
  type GroupShareLinks,
  type ReplicaKeys
} from '../protocol/group'
import { deleteOrbitNamespaces, GroupStore, MessageStore, type Keystore, type SqliteDatabase } from '../storage'
import { SingleFlight } from '../single-flight'
import { ReplacedDevices } from './replaced-devices'
import { describeError, GroupsError } from './errors'
import { groupSummary, memberViews } from './group-view'
import { GroupsEventBus } from './event-bus'
import { GroupOpener, localNameRef } from './group-opener'
import type { GroupSync } from './sync'
import type { AccountKeys, GroupInfoView, GroupsEvent, MemberView, OpenGroup, StoredMessage, WeshEventRecord } from './types'
import { listWeshEvents } from './wesh-events'

export { GroupsError } from './errors'
export { logIdFor, topicFor } from './naming'
export type { AccountKeys, GroupInfoView, GroupsEvent, LogKind, MemberView, StoredMessage, WeshEventRecord } from './types'

export interface GroupsOptions {
  db: SqliteDatabase
  keystore: Keystore
  sync: Pick<GroupSync, 'add' | 'remove' | 'appendAndPublish' | 'appendManyAndPublish'>
  log?: Logger
  now?: () => number
  /** How far back a newly seen member may read this device's messages (chain-keeper.ts). */
  handoverWindowMs?: number
}

export class Groups {
  private readonly db: SqliteDatabase
  private readonly keystore: Keystore
  private readonly sync: GroupsOptions['sync']
  private readonly logger: Logger
  private readonly now: () => number
  private readonly handoverWindowMs: number | undefined
  private readonly groups = new Map<string, OpenGroup>()
  /** Creations under a caller's name (`clientId`) not yet answered (createGroup). */
  private readonly creating = new SingleFlight<string, Uint8Array>()
  private readonly bus: GroupsEventBus
  private readonly rows: GroupStore
  private readonly messages: MessageStore
  private opener: GroupOpener | undefined
  /** This device's keys a repair replaced: still in the logs, no longer in use (replaced-devices.ts). */
  readonly replaced: ReplacedDevices
  private account: AccountKeys | undefined
  private closed = false

  constructor(opts: GroupsOptions) {
    this.db = opts.db
    this.keystore = opts.keystore
    this.sync = opts.sync
    this.logger = opts.log ?? (() => {})
    this.now = opts.now ?? Date.now
    this.handoverWindowMs = opts.handoverWindowMs
    this.bus = new GroupsEventBus(this.logger)
    this.rows = new GroupStore(opts.db)
    this.messages = new MessageStore(opts.db)
    this.replaced = new ReplacedDevices(opts.db, opts.keystore, this.rows, this.logger)
  }

  on(listener: (e: GroupsEvent) => void): () => void {
    return this.bus.on(listener)
  }

  /** Opens every stored group. Call once the account (if any) is known. */
  async start(account: AccountKeys | undefined): Promise<void> {
    this.account = account
    await this.replaced.learn() // before any membership is joined again under a new device key
    this.opener = await GroupOpener.create({
      db: this.db,
      keystore: this.keystore,
      rows: this.rows,
      messages: this.messages,
      sync: this.sync,
      bus: this.bus,
      logger: this.logger,
      now: this.now,
      ...(this.handoverWindowMs !== undefined ? { handoverWindowMs: this.handoverWindowMs } : {}),
      account: () => this.account,
      register: (g) => this.groups.set(g.pkHex, g)
    })
    for (const row of this.rows.all()) {
      try {
        const g = await this.opener.open(row)
        // A membership whose process died before this device's first entries (group-opener.ts `cutShort`).
        const cut = await this.opener.cutShort(g)
        if (cut === 'creation') await this.leave(g.pk)
        else if (cut === 'join') await this.opener.announce(g)
        if (cut) this.logger('info', cut === 'creation' ? 'groups: removed a group whose creation did not finish' : 'groups: announced this device in a group its join did not finish', { group: g.pkHex })
      } catch (err) {
        // A damaged page under the group's rows: the node says so (storage/health.ts) and opens the others.
        this.db.health.note(err)
        this.logger('error', 'groups: could not open a group', { group: toHex(row.group_pk), error: String(err) })
      }
    }
    // An account whose creation was cut short between its keys and its group: the group now (else
    // no contact link, no account sync, for good).
    if (account && !this.accountGroupPk()) await this.setAccount(account)
  }

  /** After account creation: adopt the account keys and create the account group. */
  async setAccount(account: AccountKeys): Promise<void> {
    this.account = account
    const secrets = accountGroup(account.accountSeed, account.aliasSeed)
    if (!this.groups.has(toHex(secrets.groupPk))) await this.rooms().addMembership(secrets, { localName: 'Account' })
  }

  async stop(): Promise<void> {
    if (this.closed) return
    this.closed = true
    // No more entries come in; the batches already handed to the pipeline are opened and stored
    // (bounded wait) before the logs close and the keys are wiped.
    for (const g of this.groups.values()) this.detachSync(g)
    await this.opener?.pipeline.idle([...this.groups.values()])
    await this.opener?.close()
    for (const g of this.groups.values()) {
      // Sends are over: the sender chain's unused reservation is given back (chain-keeper.ts).
      try {
        this.opener?.chains.release(g)
      } catch (err) {
        this.logger('warn', 'groups: sender chain not released at stop (the next start skips its reservation)', { group: g.pkHex, reason: describeError(err) })
      }
      await this.detach(g)
    }
    this.groups.clear()
    this.opener?.wipe()
    if (this.account) wipe(this.account.accountSeed, this.account.aliasSeed)
  }

  // ---- creation, invitation, join, replication, leave ---------------------------------

  /**
   * Spec "Multi-Member Group": create, post the Init Member entry, forget the group key.
   * `clientId`: the caller's name for this creation. A creation under a name already used answers
   * that group and creates nothing (also while the first is still on its way), unless that creation
   * was cut short (no owner entry: removed, as at start, and created anew): a window whose connection
   * dropped, or whose call timed out, before the answer creates again without a second group.
   */
  async createGroup(name: string, clientId?: string): Promise<Uint8Array> {
    if (clientId === undefined) return this.createOnce(name)
    return this.creating.run(clientId, async () => {
      const row = this.rows.byClientId(clientId)
      const g = row ? this.groups.get(toHex(row.group_pk)) : undefined
      if (g) {
        if ((await this.rooms().cutShort(g)) !== 'creation') return g.pk
        await this.leave(g.pk)
      }
      return this.createOnce(name, clientId)
    })
  }

  private async createOnce(name: string, clientId?: string): Promise<Uint8Array> {
    this.requireAccount()
    const { secrets, groupSeed } = createMultiMemberGroup()
    try {
      // In the announcement's append: a crash leaves the group with its owner and name, or no entry
      // at all (then `start` removes the group: nobody was told of it).
      const g = await this.rooms().addMembership(secrets, {
        localName: name,
        ...(clientId !== undefined ? { clientId } : {}),
        opening: (g) => [
          // weshnet ClaimGroupOwnership: the creator's device, signed by the group key.
          { type: MetadataType.INIT_MEMBER, body: initMemberBody(groupSeed, g.me!.devicePk) },
          // Berty's MultiMemberGroupCreate: the name as app metadata (AppMessage SetGroupInfo).
          { type: MetadataType.APP_METADATA, body: groupInfoBody(name) }
        ]
      })
      this.bus.emit({ type: 'membership', groupPk: g.pk, change: 'joined' })
      return g.pk
    } finally {
      wipe(groupSeed)
    }
  }

  /** The group's Berty share link, named as this node shows the group (protocol/group/invitation.ts). */
  invitation(groupPk: Uint8Array): GroupShareLinks {
    const g = this.mustGet(groupPk)
    if (g.kind !== 'multi' || !g.secrets) throw new GroupsError('ERR_INVALID', 'only multi-member groups have invitations')
    return groupShareLinks(g.secrets, g.state.name ?? g.localName)
  }

  /**
   * Spec "Joining a Group": adopt the invitation's keys, announce this device, sync. Any form of a
   * Berty group link; the link's name shows until the group's own GROUP_INFO entry arrives.
   */
  async join(url: string): Promise<Uint8Array> {
    this.requireAccount()
    const invitation = decodeGroupInvitation(url)
    const secrets = groupFromInvitation(invitation)
    invitation.secret.fill(0)
    const existing = this.groups.get(toHex(secrets.groupPk))
    if (existing) {
      if (existing.role === 'member') return existing.pk
      throw new GroupsError('ERR_EXISTS', 'this node already replicates that group')
    }
    const g = await this.rooms().addMembership(secrets, { joined: true, ...(invitation.name !== undefined ? { localName: invitation.name } : {}) })
    this.bus.emit({ type: 'membership', groupPk: g.pk, change: 'joined' })
    return g.pk
  }

  /**
   * Spec "Linking Devices": a group another device of this account joined (its weshnet
   * `AccountGroupJoined`), joined here as a new device of the same member (the member key follows
   * from the account). Multi-member groups only; the secret signature is checked as for a link.
   */
  async joinFromAccount(keys: { groupPk: Uint8Array; secret: Uint8Array; secretSig: Uint8Array; linkKeySig?: Uint8Array }): Promise<Uint8Array> {
    this.requireAccount()
    const existing = this.groups.get(toHex(keys.groupPk))
    if (existing?.role === 'member') return existing.pk
    if (existing) throw new GroupsError('ERR_EXISTS', 'this node already replicates that group')
    const secrets = groupFromInvitation(keys)
    const g = await this.rooms().addMembership(secrets, { joined: true })
    this.bus.emit({ type: 'membership', groupPk: g.pk, change: 'joined' })
    return g.pk
  }

  /** A copy of a multi-member group's secrets, for the account's own devices (AccountGroupJoined); the caller wipes. */
  memberSecrets(groupPk: Uint8Array): { groupPk: Uint8Array; secret: Uint8Array; secretSig: Uint8Array; signPub: Uint8Array; linkKey: Uint8Array; linkKeySig?: Uint8Array } {
    const g = this.mustGet(groupPk)
    if (g.kind !== 'multi' || g.role !== 'member' || !g.secrets?.secretSig) throw new GroupsError('ERR_INVALID', 'only multi-member groups this node is a member of')
    const s = g.secrets
    return {
      groupPk: s.groupPk.slice(),
      secret: s.secret.slice(),
      secretSig: s.secretSig!.slice(),
      signPub: s.signPub.slice(),
      linkKey: s.linkKey.slice(),
      ...(s.linkKeySig ? { linkKeySig: s.linkKeySig.slice() } : {})
    }
  }

  /** The account group's member devices (keyId hex of each), once there is an account. */
  accountDevices(): string[] {
    const pk = this.accountGroupPk()
    if (!pk) return []
    const g = this.mustGet(pk)
    return [...(g.state.members.get(keyId(g.pk))?.devices ?? [])]
  }

  /** Replicate a group without its secret (spec "Replication device" / "Replication server"). */
  async replicate(keys: ReplicaKeys): Promise<Uint8Array> {
    if (!verifyReplicaKeys(keys)) throw new GroupsError('ERR_INVALID', 'replica keys are malformed or linkKeySig does not verify')
    if (this.groups.has(toHex(keys.groupPk))) return keys.groupPk
    await this.rooms().addReplica(keys)
    return keys.groupPk
  }

  /** What a replica of this group needs: public keys and the link key, never the secret. */
  replicaKeys(groupPk: Uint8Array): ReplicaKeys {
    return this.mustGet(groupPk).replica
  }

  /**
   * A device leaves: stop replicating, delete local data. Nothing is posted in the group: weshnet has
   * no leave event (core/protocol/group/metadata.ts); recording the leave in the account group
   * (AccountGroupLeft, 102) is `appendWeshEvent`'s caller's to do.
   */
  async leave(groupPk: Uint8Array): Promise<void> {
    const g = this.mustGet(groupPk)
    if (g.kind === 'account') throw new GroupsError('ERR_INVALID', 'the account group cannot be left')
    await this.detach(g)
    this.groups.delete(g.pkHex)
    this.opener?.chains.forget(g)
    const row = this.rows.get(g.pk)
    // Row, logs and keys in one transaction: a crash never leaves a left group's keys behind.
    await this.keystore.transaction((tx) => {
      this.rows.delete(g.pk)
      deleteOrbitNamespaces(this.db, `${g.pkHex}:`)
      if (row) {
        tx.delete(row.keys_ref)
        if (row.device_ref) tx.delete(row.device_ref)
      }
      tx.delete(localNameRef(g.pkHex))
    })
    this.bus.emit({ type: 'group', groupPk: g.pk })
    if (g.role === 'member') this.bus.emit({ type: 'membership', groupPk: g.pk, change: 'left' })
  }

  /**
   * Spec "Alias Identity": disclose this account in a multi-member group. An Alias Entry (resolver
   * + proof bound to our member id) lets contacts who know our alias key recognise our member.
   * Cannot be undone.
   */
  async shareAlias(groupPk: Uint8Array): Promise<Uint8Array> {
    const account = this.requireAccount()
    const g = this.mustGet(groupPk)
    await g.opened
    if (g.kind !== 'multi' || !g.me) throw new GroupsError('ERR_INVALID', 'aliases are disclosed in multi-member groups only')
    const body = aliasBody(account.aliasSeed, g.pk, g.me.memberPk)
    await this.rooms().secrets.post(g, { type: MetadataType.ALIAS, body })
    return body.resolver
  }

  // ---- contact groups ------------------------------------------------------------------

  /**
   * Spec "Contact Group": both contacts derive the same group from their account keys (PROTOCOL.md
   * "Contact group") and open it; the second call for the same peer returns the open group. `localName`
   * is what this node calls the conversation (the contact's display name).
   */
  async openContactGroup(peerAccountPk: Uint8Array, localName?: string): Promise<Uint8Array> {
    const account = this.requireAccount()
    const secrets = contactGroup(account.accountSeed, peerAccountPk)
    const existing = this.groups.get(toHex(secrets.groupPk))
    if (existing) {
      wipeGroupSecrets(secrets)
      if (existing.role === 'member') return existing.pk
      throw new GroupsError('ERR_EXISTS', 'this node already replicates that group')
    }
    return (await this.rooms().addMembership(secrets, { joined: true, ...(localName !== undefined ? { localName } : {}) })).pk
  }

  /** The contact group's public key with `peerAccountPk`, without opening it. */
  contactGroupPk(peerAccountPk: Uint8Array): Uint8Array {
    const secrets = contactGroup(this.requireAccount().accountSeed, peerAccountPk)
    wipeGroupSecrets(secrets)
    return secrets.groupPk
  }

  // ---- pass-through weshnet events ----------------------------------------------------

  /**
   * Posts a weshnet metadata event the engine carries without interpreting it: `eventType` is a
   * weshnet EventType number — account events 101–112 in the account group only, 201
   * ContactAliasKeyAdded in contact groups only, 403 GroupReplicating in any group — and `payload`
   * that event's weshnet payload message (core/protocol/proto/wesh.ts), checked by
   * core/protocol/group/wesh-events.ts. Its `device_pk` is this device's key in the group
   * (`myDevicePk`); left empty, it is filled in; another device's is refused. Resolves with the
   * metadata log entry id once the entry is in the local log; readers see it through `weshEvents`
   * and the `wesh-event` bus event. Errors: ERR_INVALID (type not carried or not allowed in this
   * kind of group, payload not that type's message, another device), ERR_NOT_MEMBER (replica).
   */
  async appendWeshEvent(groupPk: Uint8Array, eventType: number, payload: Uint8Array): Promise<string> {
    const g = this.mustGet(groupPk)
    await g.opened
    if (!g.secrets || !g.me) throw new GroupsError('ERR_NOT_MEMBER', 'replicas cannot write')
    if (!isWeshPassThroughType(eventType)) throw new GroupsError('ERR_INVALID', `event type ${eventType} cannot be posted here`)
    try {
      const signed = withAuthorDevice(eventType, payload, g.me.devicePk)
      return await this.rooms().secrets.post(g, { type: eventType, body: { payload: signed } })
    } catch (err) {
      if (err instanceof GroupProtocolError) throw new GroupsError('ERR_INVALID', err.message)
      throw err
    }
  }

  /**
   * The group's pass-through weshnet events in log order (Lamport time, writer, entry id), each
   * opened, verified and from a registered device; optionally of one type. Events arriving while
   * the group is open are announced on the bus as `{ type: 'wesh-event', groupPk, event }`.
   */
  weshEvents(groupPk: Uint8Array, eventType?: number): WeshEventRecord[] {
    return listWeshEvents(this.mustGet(groupPk), eventType)
  }

  /** This device's key in the group (the `device_pk` of the weshnet events it posts there). */
  myDevicePk(groupPk: Uint8Array): Uint8Array {
    const g = this.mustGet(groupPk)
    if (!g.me) throw new GroupsError('ERR_NOT_MEMBER', 'this node replicates the group, it has no device in it')
    return g.me.devicePk.slice()
  }

  /** The account group's public key, once there is an account. */
  accountGroupPk(): Uint8Array | undefined {
    for (const g of this.groups.values()) if (g.kind === 'account') return g.pk
    return undefined
  }

  // ---- messages -----------------------------------------------------------------------

  /** `clientId`: the caller's name for this send, to send again safely (MessageSender.send). */
  async send(groupPk: Uint8Array, text: string, clientId?: string): Promise<string> {
    return this.rooms().sender.send(this.mustGet(groupPk), text, clientId)
  }

  listMessages(groupPk: Uint8Array, opts: { limit?: number; before?: string } = {}): { messages: StoredMessage[]; hasMore: boolean } {
    const g = this.mustGet(groupPk)
    const limit = Math.min(Math.max(opts.limit ?? 50, 1), 500)
    let anchor
    if (opts.before) {
      anchor = this.messages.position(g.pk, opts.before)
      if (!anchor) throw new GroupsError('ERR_NOT_FOUND', 'no such message in this group')
    }
    const rows = this.messages.page(g.pk, limit + 1, anchor)
    const pipeline = this.rooms().pipeline
    return { messages: rows.slice(0, limit).reverse().map((r) => pipeline.toMessage(r, g)), hasMore: rows.length > limit }
  }

  /** Everything indexed so far counts as read; returns the unread count after (0 unless a message lands meanwhile). */
  markRead(groupPk: Uint8Array): number {
    const g = this.mustGet(groupPk)
    this.rows.markAllRead(g.pk)
    this.bus.emit({ type: 'group', groupPk: g.pk })
    return this.messages.unreadCount(g.pk, this.rows.readMarker(g.pk))
  }

  // ---- queries ------------------------------------------------------------------------

  list(): GroupInfoView[] {
    return [...this.groups.values()].map((g) => this.view(g))
  }

  get(groupPk: Uint8Array): GroupInfoView {
    return this.view(this.mustGet(groupPk))
  }

  /** Keys of every open group, without building their summaries (no query per group). */
  keys(): Uint8Array[] {
    return [...this.groups.values()].map((g) => g.pk)
  }

  has(groupPk: Uint8Array): boolean {
    return this.groups.has(toHex(groupPk))
  }

  members(groupPk: Uint8Array): MemberView[] {
    return memberViews(this.mustGet(groupPk))
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
    return groupSummary(g, { messages: this.messages, rows: this.rows, health: this.db.health, toMessage: (row, og) => this.rooms().pipeline.toMessage(row, og) })
  }

  // ---- internals ----------------------------------------------------------------------

  private rooms(): GroupOpener {
    if (!this.opener) throw new GroupsError('ERR_CLOSED', 'groups engine not started')
    return this.opener
  }

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

  private detachSync(g: OpenGroup): void {
    this.sync.remove(g.metaTopic)
    this.sync.remove(g.msgTopic)
  }

  private async detach(g: OpenGroup): Promise<void> {
    this.detachSync(g)
    await g.meta.close()
    await g.msg.close()
  }
}
