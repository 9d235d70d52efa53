/**
 * The metadata log (spec "Groups", "New member arrival"): events are opened with the group secret
 * and folded by the pure reducer (core/protocol/group/state.ts), replayed from the whole log at
 * open. Its effects drive the secret exchange: this device posts its chain key to every member
 * it has not yet addressed, and starts a receiver chain for every chain key addressed to its member.
 */
import { wipe } from '../crypto'
import type { Logger } from '../log'
import {
  applyMetadataEvent,
  deviceSecretBody,
  isWeshPassThroughType,
  keyId,
  MetadataType,
  openMetadataEvent,
  mergeEarlierKey,
  receiverChainFrom,
  sealMetadataEvent,
  type MetadataEventBody,
  type ReceiverChain
} from '../protocol/group'
import { fromHex } from '../bytes'
import type { ChainKeeper } from './chain-keeper'
import { describeError, GroupsError } from './errors'
import type { BackgroundTasks, GroupsEventBus } from './event-bus'
import { compareEntries, type BertyLogEntry } from './group-log'
import type { LogAppender } from './sync'
import type { OpenGroup } from './types'
import { addWeshEvent } from './wesh-events'

const MAX_REPLAY_ENTRIES = 1_000_000

export interface SecretExchangeDeps {
  sync: LogAppender
  chains: ChainKeeper
  bus: GroupsEventBus
  background: BackgroundTasks
  logger: Logger
  /** A device's chain key arrived: open what waited for it. */
  onChainKey(g: OpenGroup, devicePk: Uint8Array): void
  /** A batch of metadata was applied to the group state (catch-up gate). */
  onApplied?(g: OpenGroup): void
  /** This device handed `memberId` its chain key at `counter`. */
  onHandedOver(g: OpenGroup, memberId: string, counter: number): void
}

export class SecretExchange {
  private readonly entryOf = new WeakMap<object, BertyLogEntry>()

  constructor(private readonly d: SecretExchangeDeps) {}

  /** Seals and appends one event; returns its log entry id. */
  async post(g: OpenGroup, event: MetadataEventBody): Promise<string> {
    if (!g.secrets || !g.me) throw new GroupsError('ERR_NOT_MEMBER', 'replicas cannot write')
    const sealed = sealMetadataEvent(g.secrets, { seed: g.me.deviceSeed, pk: g.me.devicePk }, event)
    return (await this.d.sync.appendAndPublish(g.metaTopic, sealed)).entry.hash
  }

  /** Seals and appends events in order, in one append (one transaction): all land or none. */
  async postMany(g: OpenGroup, events: MetadataEventBody[]): Promise<void> {
    if (!g.secrets || !g.me) throw new GroupsError('ERR_NOT_MEMBER', 'replicas cannot write')
    const device = { seed: g.me.deviceSeed, pk: g.me.devicePk }
    await this.d.sync.appendManyAndPublish(g.metaTopic, events.map((e) => sealMetadataEvent(g.secrets!, device, e)))
  }

  /** Rebuild the group state from the whole metadata log (spec: members download it all). */
  async replay(g: OpenGroup): Promise<void> {
    const entries: BertyLogEntry[] = []
    for await (const e of g.meta.traverse()) {
      entries.push(e)
      if (entries.length > MAX_REPLAY_ENTRIES) throw new GroupsError('ERR_INVALID', 'metadata log too large')
    }
    entries.sort(compareEntries)
    // The chains loaded from storage (ChainKeeper.open, before this) already hold what these
    // entries' chain keys gave, advanced past every message read since: replayed, a key would set
    // its chain back to where it started, and a chain opens at most DEFAULT_MAX_SKIP messages
    // ahead, so past 2,000 messages everything that device wrote next was undecryptable for good.
    // Exact because a received metadata batch is applied inside its join's transaction (`onJoin`):
    // a chain key in the log has its chain's row, even after a crash.
    this.apply(g, entries, false, new Set(g.chains.keys()))
  }

  /** Entries that joined the metadata log, in Lamport order. */
  onEntries(g: OpenGroup, entries: BertyLogEntry[]): void {
    // Replicas store and verify, they cannot read: only say the log grew.
    if (g.secrets && g.me) this.apply(g, entries, true)
    this.d.bus.emit({ type: 'group', groupPk: g.pk })
  }

  /**
   * Received entries, inside their join's transaction (the chains they give are saved in it); returns
   * the undo of what they did in memory, for a join that does not commit (sync/types.ts `onJoin`).
   * Undone, the entries apply again when they are joined again: left applied, the group state would
   * take them as known and the chain key's row would never be written.
   */
  onJoin(g: OpenGroup, entries: BertyLogEntry[]): () => void {
    const state = g.state
    const before = new Map(g.chains)
    const weshEvents = [...g.weshEvents]
    const posted = [...g.secretsPosted]
    // The chains this batch set: a chain advanced since by a message it opened is left alone.
    let applied = new Map<string, ReceiverChain>()
    const undo = (): void => {
      g.state = state
      for (const [id, chain] of applied) {
        if (g.chains.get(id) !== chain) continue
        const old = before.get(id)
        if (old) g.chains.set(id, old)
        else g.chains.delete(id)
      }
      g.weshEvents.splice(0, g.weshEvents.length, ...weshEvents)
      g.secretsPosted.clear()
      for (const m of posted) g.secretsPosted.add(m)
    }
    const changed = (): Map<string, ReceiverChain> => new Map([...g.chains].filter(([id, chain]) => before.get(id) !== chain))
    try {
      this.onEntries(g, entries)
    } catch (err) {
      applied = changed()
      undo()
      throw err
    }
    applied = changed()
    return undo
  }

  /**
   * `fresh`: the entries arrived while the group is open (their pass-through events are announced).
   * `stored`: devices whose chain was loaded from storage (a replay): their chain keys are not applied again.
   */
  private apply(g: OpenGroup, entries: BertyLogEntry[], fresh: boolean, stored?: ReadonlySet<string>): void {
    const secrets = g.secrets!
    const me = g.me!
    const myDevice = keyId(me.devicePk)
    const readBy = { devicePk: me.devicePk, memberPk: me.memberPk }
    const newChains: string[] = []
    let wantSecrets = false
    for (const entry of entries) {
      let event
      try {
        event = openMetadataEvent(secrets, entry.payload.s, readBy)
      } catch (err) {
        this.d.logger('warn', 'groups: metadata entry rejected', { group: g.pkHex, hash: entry.hash, reason: describeError(err) })
        continue
      }
      // Another device's chain key for another member: nothing for this device.
      if (event === null) continue
      // A pass-through event may surface later (its author's MEMBER_DEVICE still to come): remember its entry.
      if (isWeshPassThroughType(event.type)) this.entryOf.set(event, entry)
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
          if (existing && stored?.has(id)) continue
          // A second key of a chain we hold: only one that starts earlier adds anything (the messages
          // before the chain's start); the chain stays where it is (ratchet.ts `mergeEarlierKey`).
          const chain = existing ? mergeEarlierKey(existing, fx, g.pk) : receiverChainFrom({ chainKey: fx.chainKey, counter: fx.counter })
          if (!chain) continue
          g.chains.set(id, chain)
          this.d.chains.saveReceiver(g, fx.devicePk, chain)
          newChains.push(id)
        } else if (fx.type === 'wesh-event') {
          // The event's own entry (it may have waited for its device's registration, a later entry).
          const record = addWeshEvent(g, fx, this.entryOf.get(fx.event) ?? entry)
          if (record && fresh) this.d.bus.emit({ type: 'wesh-event', groupPk: g.pk, event: record })
        } else if (fx.type === 'rejected') {
          this.d.logger('warn', 'groups: metadata event ignored', { group: g.pkHex, hash: entry.hash, reason: fx.reason })
        }
      }
    }
    if (wantSecrets || this.missing(g).length > 0) this.requestPosting(g)
    for (const id of newChains) this.d.onChainKey(g, fromHex(id))
    this.d.onApplied?.(g)
  }

  /** Members this device has not addressed its chain key to yet. */
  private missing(g: OpenGroup): string[] {
    return [...g.state.members.keys()].filter((m) => !g.secretsPosted.has(m))
  }

  /**
   * One posting task per group at a time (two would each post to the same missing members);
   * a request while it runs makes it go round once more.
   */
  private requestPosting(g: OpenGroup): void {
    if (g.postingSecrets) {
      g.postSecretsAgain = true
      return
    }
    const run = async (): Promise<void> => {
      try {
        do {
          g.postSecretsAgain = false
          await this.postMissing(g)
        } while (g.postSecretsAgain && !this.d.background.closed)
      } finally {
        // In the same turn as the last check. Cleared in a `.finally` on the returned promise
        // instead, a request made by microtasks already queued (a join applying a new member)
        // would land between the two: it sets postSecretsAgain for a run that has ended, and
        // that member's chain key waits for the next metadata batch, if any comes.
        g.postingSecrets = undefined
      }
    }
    g.postingSecrets = run()
    this.d.background.spawn(g.postingSecrets)
  }

  private async postMissing(g: OpenGroup): Promise<void> {
    // Until our own MEMBER_DEVICE is in our view of the log nobody could place our secret;
    // applying it triggers this again.
    if (!g.me || !g.sender || !g.state.registered) return
    const missing = this.missing(g)
    if (missing.length === 0) return
    // One hand-over point per round (a checkpoint read, unsealed and ratcheted once), boxed to each
    // member: one DEVICE_SECRET entry per member (weshnet's wire), appended and announced as one burst.
    // Another member than our own addressed: this device's first contact, if it had none yet.
    const own = keyId(g.me.memberPk)
    const chain = this.d.chains.handover(g, missing.some((m) => m !== own))
    const device = { seed: g.me.deviceSeed, pk: g.me.devicePk }
    try {
      const sealed: Uint8Array[] = []
      const addressed: string[] = []
      for (const member of missing) {
        try {
          const body = deviceSecretBody(device, fromHex(member), chain, g.pk)
          sealed.push(sealMetadataEvent(g.secrets!, device, { type: MetadataType.DEVICE_SECRET, body }))
          addressed.push(member)
        } catch (err) {
          this.d.logger('warn', 'groups: could not seal a chain key', { group: g.pkHex, error: String(err) })
        }
      }
      if (this.d.background.closed || sealed.length === 0) return
      try {
        await this.d.sync.appendManyAndPublish(g.metaTopic, sealed)
      } catch (err) {
        this.d.logger('warn', 'groups: could not post chain keys', { group: g.pkHex, error: String(err) })
        return
      }
      for (const member of addressed) {
        g.secretsPosted.add(member)
        this.d.onHandedOver(g, member, chain.counter)
      }
    } finally {
      wipe(chain.chainKey)
    }
  }
}

