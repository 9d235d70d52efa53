/**
 * Opening a group: from its row and keystore entries to an `OpenGroup` whose logs are open,
 * whose chains are loaded, whose metadata is replayed and whose logs are replicated. Also the
 * two ways a row comes to exist: a new membership (announced in the metadata log) and a replica.
 * Holds the rooms every open group shares (chains, secret exchange, message pipeline).
 */
import { SingleFlight } from '../single-flight'
import { toHex } from '../bytes'
import { ed25519PublicFromSeed, randomBytes, wipe } from '../crypto'
import type { Logger } from '../log'
import {
  createGroupState,
  memberDeviceBody,
  memberProfileBody,
  MetadataType,
  keyId,
  ownMemberKey,
  replicaKeysOf,
  type GroupSecrets,
  type MetadataEventBody,
  type Me,
  type ReplicaKeys
} from '../protocol/group'
import { ChainStore, SettingsStore, SqliteOrbitStorage, fullRecoverKey, type GroupRow, type GroupStore, type Keystore, type MessageStore, type SqliteDatabase } from '../storage'
import { CatchupGate } from './catchup-gate'
import { ChainKeeper } from './chain-keeper'
import { ContentSealer } from './content-sealer'
import { DeliveryTracker } from './delivery'
import { GroupsError } from './errors'
import { fromHex } from '../bytes'
import { BackgroundTasks, type GroupsEventBus } from './event-bus'
import { GroupLog } from './group-log'
import { decodeMemberKeys, decodeReplicaKeys, encodeMemberKeys, encodeReplicaKeys } from './key-records'
import { MessagePipeline } from './message-pipeline'
import { MessageSender } from './message-sender'
import { logIdFor, topicFor } from './naming'
import { SecretExchange } from './secret-exchange'
import type { GroupSync } from './sync'
import type { AccountKeys, LogKind, OpenGroup } from './types'

export interface GroupOpenerDeps {
  db: SqliteDatabase
  keystore: Keystore
  rows: GroupStore
  messages: MessageStore
  sync: Pick<GroupSync, 'add' | 'appendAndPublish' | 'appendManyAndPublish'>
  bus: GroupsEventBus
  logger: Logger
  now: () => number
  handoverWindowMs?: number
  account: () => AccountKeys | undefined
  /** Makes the group visible to the facade (before its metadata replays, so effects can find it). */
  register: (g: OpenGroup) => void
}

export class GroupOpener {
  readonly chains: ChainKeeper
  readonly pipeline: MessagePipeline
  readonly secrets: SecretExchange
  readonly delivery: DeliveryTracker
  readonly sender: MessageSender
  private readonly background: BackgroundTasks
  private readonly gate = new CatchupGate()
  private readonly settings: SettingsStore
  /** Groups opened after a repair in this run: their own first entries may be lost, not unwritten. */
  private readonly repaired = new Set<string>()

  private constructor(
    private readonly d: GroupOpenerDeps,
    private readonly sealer: ContentSealer
  ) {
    this.background = new BackgroundTasks(d.logger)
    this.chains = new ChainKeeper(new ChainStore(d.db), sealer, d.now, d.handoverWindowMs)
    this.settings = new SettingsStore(d.db)
    this.pipeline = new MessagePipeline({
      messages: d.messages,
      chains: this.chains,
      sealer,
      bus: d.bus,
      background: this.background,
      transaction: (fn) => d.db.transaction(fn),
      logger: d.logger,
      now: d.now
    })
    this.delivery = new DeliveryTracker(
      (g, id) => this.pipeline.setState(g, id, 'delivered'),
      (g, id, memberId) => d.bus.emit({ type: 'unreadable', groupPk: g.pk, messageId: id, memberPk: fromHex(memberId), reason: 'before-join' })
    )
    this.sender = new MessageSender({ sync: d.sync, chains: this.chains, delivery: this.delivery, messages: d.messages, now: d.now })
    this.secrets = new SecretExchange({
      sync: d.sync,
      chains: this.chains,
      bus: d.bus,
      background: this.background,
      logger: d.logger,
      onChainKey: (g, devicePk) => this.pipeline.retryPending(g, devicePk),
      onApplied: (g) => this.gate.changed(g),
      onHandedOver: (g, memberId, counter) => this.delivery.handedOver(g, memberId, counter)
    })
  }

  static async create(d: GroupOpenerDeps): Promise<GroupOpener> {
    return new GroupOpener(d, await ContentSealer.load(d.keystore))
  }

  /** Stops background work (chain-key posting, retries) and waits for it. */
  async close(): Promise<void> {
    await this.background.close()
  }

  wipe(): void {
    this.sealer.wipe()
  }

  /**
   * A new membership: keys stored, row written, group opened, this device announced. `joined`: the
   * group existed before this device (a hand-over floor, chain-keeper.ts). `opening`: entries that
   * follow the announcement in the same append (a creator's), given the open group.
   */
  async addMembership(
    secrets: GroupSecrets,
    opts: { localName?: string; joined?: boolean; clientId?: string; opening?: (g: OpenGroup) => MetadataEventBody[] }
  ): Promise<OpenGroup> {
    const hex = toHex(secrets.groupPk)
    const keysRef = `group/${hex}/keys`
    const deviceRef = `group/${hex}/device`
    const deviceSeed = randomBytes(32)
    // Keys, row and floor (before this device sends anything) in one transaction: a crash leaves all
    // of them or none (no keys without their group).
    try {
      await this.d.keystore.transaction((tx) => {
        tx.put(keysRef, encodeMemberKeys(secrets))
        tx.put(deviceRef, deviceSeed)
        // The local name is user content: sealed in the keystore, never a plaintext column.
        if (opts.localName !== undefined) tx.put(localNameRef(hex), new TextEncoder().encode(opts.localName))
        this.d.rows.insert({
          groupPk: secrets.groupPk,
          kind: secrets.kind,
          role: 'member',
          keysRef,
          deviceRef,
          createdAt: this.d.now(),
          ...(opts.clientId !== undefined ? { clientId: opts.clientId } : {})
        })
        if (opts.joined) this.chains.floorAtStart(secrets.groupPk)
      })
    } finally {
      wipe(deviceSeed)
    }
    const g = await this.open(this.d.rows.get(secrets.groupPk)!)
    await this.announce(g, opts.opening?.(g) ?? [])
    return g
  }

  /**
   * Spec "New member arrival": this device's first entries, in ONE append (a crash leaves all of them
   * or none): MEMBER_DEVICE (member id proven by the member key), the profile, then `opening`.
   */
  async announce(g: OpenGroup, opening: MetadataEventBody[] = []): Promise<void> {
    const events: MetadataEventBody[] = [{ type: MetadataType.MEMBER_DEVICE, body: memberDeviceBody(g.me!.memberSeed, g.me!.devicePk) }]
    const displayName = this.d.account()?.displayName?.trim()
    // As Berty's sendAccountUserInfo: app metadata (1001) carrying AppMessage SetUserInfo.
    if (g.kind === 'multi' && displayName) events.push({ type: MetadataType.APP_METADATA, body: memberProfileBody(displayName, this.d.now()) })
    await this.secrets.postMany(g, [...events, ...opening])
    this.d.bus.emit({ type: 'group', groupPk: g.pk })
  }

  /**
   * A membership whose process died before this device's first entries (they land in one append):
   * 'join' for a join (or the account or a contact group), to be announced now so that the members
   * hand this device their chain keys and read what it writes (joining the link again only finds the
   * group); 'creation' for a creation cut short, to be removed: its owner entry needs the group key,
   * forgotten, and nobody was told of the group. A joined row came with a hand-over floor, which stays
   * until the window after this device's first contact (so, here, it is still there).
   */
  async cutShort(g: OpenGroup): Promise<'join' | 'creation' | undefined> {
    // The replay registered this device: announced (no scan at start for every group). Otherwise
    // the log's writer clock tells whether it wrote anything (an announcement the state rejected).
    if (!g.me || g.state.registered || (await g.meta.writerClock()).has(keyId(g.me.devicePk))) return undefined
    const creation = g.kind === 'multi' && !this.chains.hasFloor(g.pk)
    // After a repair the entries may have been written and lost with the file's damaged pages: the
    // members hold them and sync brings them back. A group is never removed for that (its
    // conversation went with it, and the members' copy of the log with it); a joined one is
    // announced again (the same entries, as a join cut short does).
    if (creation && this.repaired.has(g.pkHex)) {
      this.d.logger('warn', 'groups: after the repair, this device\'s first entries in a group it created are not here; kept, for the members to bring them back', { group: g.pkHex })
      return undefined
    }
    return creation ? 'creation' : 'join'
  }

  async addReplica(keys: ReplicaKeys): Promise<OpenGroup> {
    const keysRef = `group/${toHex(keys.groupPk)}/replica`
    await this.d.keystore.transaction((tx) => {
      tx.put(keysRef, encodeReplicaKeys(keys))
      this.d.rows.insert({ groupPk: keys.groupPk, kind: 'multi', role: 'replica', keysRef, createdAt: this.d.now() })
    })
    return this.open(this.d.rows.get(keys.groupPk)!)
  }

  async open(row: GroupRow): Promise<OpenGroup> {
    const pk = new Uint8Array(row.group_pk)
    const pkHex = toHex(pk)
    const keysBlob = await this.d.keystore.get(row.keys_ref)
    if (!keysBlob) throw new GroupsError('ERR_INVALID', 'group key record missing from the keystore')
    let secrets: GroupSecrets | undefined
    let replica: ReplicaKeys
    let me: Me | undefined
    let deviceSeed: Uint8Array | undefined
    if (row.role === 'member') {
      secrets = decodeMemberKeys(row.kind, pk, keysBlob)
      replica = replicaKeysOf(secrets)
      const account = this.d.account()
      if (!account) throw new GroupsError('ERR_NO_ACCOUNT', 'create an account first')
      deviceSeed = await this.d.keystore.get(row.device_ref!)
      if (!deviceSeed) throw new GroupsError('ERR_INVALID', 'group device seed missing from the keystore')
      const member = ownMemberKey(secrets, { accountSeed: account.accountSeed, accountProofSeed: account.aliasSeed })
      me = { memberPk: member.memberPk, memberSeed: member.memberSeed, deviceSeed, devicePk: ed25519PublicFromSeed(deviceSeed) }
    } else {
      replica = decodeReplicaKeys(pk, keysBlob)
    }
    wipe(keysBlob)
    const localName = await this.localName(row, pkHex)
    const logOpts = (kind: LogKind) => {
      // Each entry's links are its index value: one row per entry (migration 0008 moved the old
      // `links` rows there).
      const index = new SqliteOrbitStorage(this.d.db, `${pkHex}:${kind}:index`)
      return {
        logId: logIdFor(pk, kind),
        signPub: replica.signPub,
        linkKey: replica.linkKey,
        storage: {
          entries: new SqliteOrbitStorage(this.d.db, `${pkHex}:${kind}:entries`),
          heads: new SqliteOrbitStorage(this.d.db, `${pkHex}:${kind}:heads`),
          index,
          links: index
        },
        ...(secrets && deviceSeed ? { signSeed: secrets.signSeed, writerSeed: deviceSeed } : {})
      }
    }
    // Visible (registered) before its metadata replays, so that effects find it; usable once open.
    let settle!: { resolve: () => void; reject: (err: unknown) => void }
    const opened = new Promise<void>((resolve, reject) => (settle = { resolve, reject }))
    // Never an unhandled rejection: a caller awaiting `opened` gets the error.
    opened.catch(() => {})
    const g: OpenGroup = {
      pk,
      pkHex,
      kind: row.kind,
      role: row.role,
      ...(secrets ? { secrets } : {}),
      replica,
      ...(me ? { me } : {}),
      meta: await GroupLog.open(logOpts('meta')),
      msg: await GroupLog.open(logOpts('msg')),
      metaTopic: topicFor(replica.linkKey, 'meta'),
      msgTopic: topicFor(replica.linkKey, 'msg'),
      state: createGroupState({ kind: row.kind, groupPk: pk }),
      secretsPosted: new Set(),
      weshEvents: [],
      handedOver: new Map(),
      undelivered: [],
      postSecretsAgain: false,
      senderReservedUntil: 0,
      ownSends: new WeakMap(),
      sendsByClientId: new SingleFlight(),
      chains: new Map(),
      ...(localName ? { localName } : {}),
      createdAt: row.created_at,
      opened
    }
    this.d.register(g)
    // After a repair (core/storage/repair.ts): rows of the logs may be gone, and message rows missing
    // behind processed entries. Once: the logs are made whole, and the whole message log is walked.
    const marker = fullRecoverKey(g.pk)
    const repaired = this.settings.get(marker) !== undefined
    try {
      if (repaired) {
        for (const log of [g.meta, g.msg]) {
          const healed = await log.heal()
          if (healed.dropped > 0 || healed.headsRebuilt) this.d.logger('warn', 'groups: a log was made whole after the repair', { group: pkHex, ...healed })
        }
      }
      // Never below a message this device indexed (GroupLog.raiseClockFloor): at every open, as a
      // restart before the next send would lose it otherwise. One index seek.
      g.msg.raiseClockFloor(this.d.messages.maxLamport(pk))
      if (secrets && me) {
        this.chains.open(g)
        await this.secrets.replay(g)
      }
      this.replicate(g, secrets !== undefined)
    } catch (err) {
      settle.reject(err)
      throw err
    }
    settle.resolve()
    if (secrets) await this.pipeline.recover(g, repaired)
    if (repaired) {
      this.repaired.add(pkHex)
      this.settings.delete(marker)
    }
    return g
  }

  private replicate(g: OpenGroup, member: boolean): void {
    this.d.sync.add({
      log: g.meta,
      topic: g.metaTopic,
      onEntries: (entries) => this.secrets.onEntries(g, entries),
      onJoin: (entries) => this.secrets.onJoin(g, entries),
      onProgress: (p) => this.d.bus.emit({ type: 'progress', groupPk: g.pk, log: 'meta', ...p })
    })
    this.d.sync.add({
      log: g.msg,
      topic: g.msgTopic,
      onEntries: (entries, source) => this.pipeline.onEntries(g, entries, source),
      onProgress: (p) => this.d.bus.emit({ type: 'progress', groupPk: g.pk, log: 'msg', ...p }),
      onServed: (hashes) => this.delivery.served(g, hashes),
      ...(member ? { beforeCatchUp: (ended) => this.gate.wait(g, ended) } : {})
    })
  }

  /** The sealed local name; one an earlier version stored in the clear moves into the keystore. */
  private async localName(row: GroupRow, pkHex: string): Promise<string | undefined> {
    if (row.local_name !== null) {
      await this.d.keystore.put(localNameRef(pkHex), new TextEncoder().encode(row.local_name))
      this.d.rows.clearLocalName(row.group_pk)
      return row.local_name
    }
    const sealed = await this.d.keystore.get(localNameRef(pkHex))
    return sealed === undefined ? undefined : new TextDecoder().decode(sealed)
  }
}

/** Keystore entry of a group's local name. */
export function localNameRef(pkHex: string): string {
  return `group/${pkHex}/name`
}
