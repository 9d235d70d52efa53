/**
 * Pure reducer of the metadata log (spec "Group Structure": "members of the group shall download the
 * whole metadata log"; "New member arrival"; "Alias Identity"). Events are applied in log order
 * (PROTOCOL.md "Ordering": Lamport time, then id), already opened by `openMetadataEvent`.
 *
 * Rules:
 * - MEMBER_DEVICE registers a device under a member. Multi: allowed before any INIT_MEMBER
 *   (out-of-order sync). Account group: the only member is the account (memberPk = groupPk).
 *   Contact group: at most two members. A device never moves to another member.
 * - INIT_MEMBER (multi only): names the creator's device (as weshnet's InitialMemberAnnounced);
 *   the first one in log order wins; later ones are rejected. Its member is the creator.
 * - DEVICE_SECRET, ALIAS, APP_METADATA and the pass-through events must come from a registered
 *   device; from an unknown device they wait (bounded) and are re-applied when its MEMBER_DEVICE
 *   arrives. APP_METADATA: SetGroupInfo names the group, SetUserInfo the author's member; other
 *   AppMessages are ignored. A pass-through event allowed in this kind of group surfaces as a
 *   `wesh-event` effect once its author is a member device (the engine lists them; nothing here
 *   interprets them).
 * - Key exchange: once this device's own MEMBER_DEVICE is in the log, it emits `send-secret` for every
 *   member it has not sent its chain key to — including its own member, so the account's other
 *   devices get it — and again for each member that appears later. Emitting marks the member as
 *   requested (no duplicate while the post is under way); this device's own DEVICE_SECRET in the log
 *   marks it as sent. Replay a whole log with `applyMetadataEvents`, which drops requests that the log
 *   shows were fulfilled. A DEVICE_SECRET addressed to this member is opened and surfaces as
 *   `chain-key`: the first one per sender device, then only one that starts earlier (merged into the chain).
 * - Semantically invalid events become `rejected` effects and leave the state unchanged: one bad
 *   event never throws and never blocks later ones.
 * Disclaims: there is no leave event (weshnet has none, metadata.ts); nothing here removes keys.
 */
import { equalBytes } from '../../crypto'
import { fromHex, toHex, copy } from './codec'
import type { GroupKind, GroupSecrets } from './keys'
import { MetadataType, openDeviceSecret, verifyAliasProof, aliasResolver, type MetadataEvent } from './metadata'
import type { DeviceChainKey } from './ratchet'
import { isWeshPassThroughType, WESH_PASS_THROUGH_TYPES, type WeshPassThroughType } from './wesh-events'

/** Spec "Scalability": a member limit keeps arrivals affordable. */
export const MAX_GROUP_MEMBERS = 1000
export const MAX_DEVICES_PER_MEMBER = 32
/** Events from not-yet-registered devices kept for re-evaluation; more are rejected. */
export const MAX_PENDING_EVENTS = 1024

/** Map keys are lower-case hex of the public key (Uint8Array has no value equality). */
export function keyId(pk: Uint8Array): string {
  return toHex(pk)
}

export interface MemberState {
  /** keyId(devicePk) of every device the member registered. */
  devices: ReadonlySet<string>
  aliasResolver?: Uint8Array
  aliasProof?: Uint8Array
  /** This member registered the device named by the INIT_MEMBER entry. */
  isCreator: boolean
  /** The display name this member shows in the group (last SetUserInfo in log order). */
  displayName?: string
}

export interface GroupState {
  kind: GroupKind
  groupPk: Uint8Array
  /** keyId(memberPk) → member. */
  members: ReadonlyMap<string, MemberState>
  /** keyId(devicePk) → keyId(memberPk). */
  devices: ReadonlyMap<string, string>
  /** keyId of the creator's device, as INIT_MEMBER names it. */
  creatorDevice?: string
  /** keyId(senderDevicePk) → chain key addressed to MY member. */
  receivedChains: ReadonlyMap<string, DeviceChainKey>
  /** keyId(memberPk) of members this device's own DEVICE_SECRET entries in the log address. */
  secretsSentTo: ReadonlySet<string>
  /** keyId(memberPk) of members a `send-secret` effect was emitted for (posting may still be under way). */
  secretsRequested: ReadonlySet<string>
  /** This device's own MEMBER_DEVICE is in the log. */
  registered: boolean
  name?: string
  /** Events from unregistered devices, in log order. */
  pending: ReadonlyArray<MetadataEvent>
}

export interface Me {
  memberPk: Uint8Array
  memberSeed: Uint8Array
  deviceSeed: Uint8Array
  devicePk: Uint8Array
}

export type GroupEffect =
  /** Post a DEVICE_SECRET with this device's current chain key, addressed to `toMemberPk`. */
  | { type: 'send-secret'; toMemberPk: Uint8Array }
  /** A chain key addressed to my member was opened: start a ReceiverChain for `devicePk`. */
  | { type: 'chain-key'; devicePk: Uint8Array; chainKey: Uint8Array; counter: number }
  /**
   * A pass-through weshnet event (./wesh-events.ts) from a registered device, in log order: the
   * engine keeps the list for the readers (contacts, device linking, replication). `event` is the
   * opened event itself: one that waited for its device's registration surfaces with a later entry.
   */
  | { type: 'wesh-event'; eventType: WeshPassThroughType; payload: Uint8Array; devicePk: Uint8Array; event: MetadataEvent }
  /** The event was ignored; log `reason`. */
  | { type: 'rejected'; reason: string; eventType: number; devicePk: Uint8Array }

export interface ApplyResult {
  state: GroupState
  effects: GroupEffect[]
}

export function createGroupState(secrets: Pick<GroupSecrets, 'kind' | 'groupPk'>): GroupState {
  return {
    kind: secrets.kind,
    groupPk: copy(secrets.groupPk),
    members: new Map(),
    devices: new Map(),
    receivedChains: new Map(),
    secretsSentTo: new Set(),
    secretsRequested: new Set(),
    registered: false,
    pending: []
  }
}

class Rejection extends Error {}

/** Copy-on-write view of a state: untouched collections stay shared with the input state. */
class Draft {
  readonly s: GroupState
  private copied = new Set<string>()
  changed = false

  constructor(base: GroupState) {
    this.s = { ...base }
  }

  private touch<K extends 'members' | 'devices' | 'receivedChains' | 'secretsSentTo' | 'secretsRequested'>(
    k: K
  ): void {
    this.changed = true
    if (this.copied.has(k)) return
    this.copied.add(k)
    const v = this.s[k]
    ;(this.s as unknown as Record<string, unknown>)[k] = v instanceof Map ? new Map(v) : new Set(v as ReadonlySet<string>)
  }

  members(): Map<string, MemberState> {
    this.touch('members')
    return this.s.members as Map<string, MemberState>
  }

  devices(): Map<string, string> {
    this.touch('devices')
    return this.s.devices as Map<string, string>
  }

  receivedChains(): Map<string, DeviceChainKey> {
    this.touch('receivedChains')
    return this.s.receivedChains as Map<string, DeviceChainKey>
  }

  secretsSentTo(): Set<string> {
    this.touch('secretsSentTo')
    return this.s.secretsSentTo as Set<string>
  }

  secretsRequested(): Set<string> {
    this.touch('secretsRequested')
    return this.s.secretsRequested as Set<string>
  }

  set<K extends 'creatorDevice' | 'registered' | 'name' | 'pending'>(k: K, v: GroupState[K]): void {
    this.changed = true
    this.s[k] = v
  }

  result(base: GroupState): GroupState {
    return this.changed ? this.s : base
  }
}

/**
 * Applies one opened metadata event. Never throws: anything wrong with the event becomes a
 * `rejected` effect and the input state is returned unchanged.
 */
export function applyMetadataEvent(
  state: GroupState,
  event: MetadataEvent,
  me: Me,
  secrets?: Pick<GroupSecrets, 'kind' | 'groupPk'>
): ApplyResult {
  const effects: GroupEffect[] = []
  try {
    if (secrets !== undefined && (secrets.kind !== state.kind || !equalBytes(secrets.groupPk, state.groupPk))) {
      throw new Rejection('event applied to the state of another group')
    }
    const draft = new Draft(state)
    applyInner(draft, event, me, effects)
    return { state: draft.result(state), effects }
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err)
    return {
      state,
      effects: [{ type: 'rejected', reason, eventType: event?.type ?? -1, devicePk: event?.devicePk ?? new Uint8Array(0) }]
    }
  }
}

/**
 * Applies a run of consecutive log entries (a sync batch, or the whole log on start-up) and coalesces
 * the effects: a `send-secret` already fulfilled by this device's own DEVICE_SECRET later in the
 * batch is dropped. Replaying the full log this way re-emits only secrets that never reached the log
 * (e.g. a crash between the effect and the post), so the state need not be persisted.
 */
export function applyMetadataEvents(
  state: GroupState,
  events: Iterable<MetadataEvent>,
  me: Me,
  secrets?: Pick<GroupSecrets, 'kind' | 'groupPk'>
): ApplyResult {
  let current = state
  const all: GroupEffect[] = []
  for (const event of events) {
    const r = applyMetadataEvent(current, event, me, secrets)
    current = r.state
    all.push(...r.effects)
  }
  const effects = all.filter((e) => e.type !== 'send-secret' || !current.secretsSentTo.has(keyId(e.toMemberPk)))
  return { state: current, effects }
}

const KNOWN_TYPES: ReadonlySet<number> = new Set([...Object.values(MetadataType), ...WESH_PASS_THROUGH_TYPES])

function applyInner(d: Draft, event: MetadataEvent, me: Me, effects: GroupEffect[]): void {
  if (!KNOWN_TYPES.has(event.type)) throw new Rejection(`unknown metadata type ${String(event.type)}`)
  if (event.type === MetadataType.INIT_MEMBER) return applyInitMember(d, event.body.memberPk)
  if (event.type === MetadataType.MEMBER_DEVICE) return applyMemberDevice(d, event, me, effects)

  const author = keyId(event.devicePk)
  const authorMember = d.s.devices.get(author)
  if (authorMember === undefined) {
    if (d.s.pending.length >= MAX_PENDING_EVENTS) throw new Rejection('too many events from unregistered devices')
    d.set('pending', [...d.s.pending, event])
    return
  }

  if (isWeshPassThroughType(event.type)) {
    if (d.s.kind === 'account' && authorMember !== keyId(d.s.groupPk)) throw new Rejection('account events come from the account only')
    const body = (event as Extract<MetadataEvent, { type: WeshPassThroughType }>).body
    effects.push({ type: 'wesh-event', eventType: event.type, payload: copy(body.payload), devicePk: copy(event.devicePk), event })
    return
  }

  switch (event.type) {
    case MetadataType.DEVICE_SECRET: {
      const b = event.body
      if (equalBytes(event.devicePk, me.devicePk)) {
        const to = keyId(b.receiverMemberPk)
        if (!d.s.secretsSentTo.has(to)) d.secretsSentTo().add(to)
        return
      }
      if (!equalBytes(b.receiverMemberPk, me.memberPk)) return
      let dck: DeviceChainKey
      try {
        dck = openDeviceSecret(b, me.memberSeed, d.s.groupPk)
      } catch (err) {
        throw new Rejection(`device secret does not open: ${err instanceof Error ? err.message : String(err)}`)
      }
      // weshnet keeps the first key per device and ignores the rest. A second key that starts
      // earlier (its sender lost its log after gossiping the first, or the first posted reached us
      // last) can open more: it surfaces too, and the engine merges it into the chain it holds.
      const known = d.s.receivedChains.get(author)
      if (known !== undefined && known.counter <= dck.counter) return
      d.receivedChains().set(author, dck)
      effects.push({ type: 'chain-key', devicePk: copy(event.devicePk), chainKey: copy(dck.chainKey), counter: dck.counter })
      return
    }
    case MetadataType.ALIAS: {
      if (d.s.kind !== 'multi') throw new Rejection('alias entries exist only in multi-member groups')
      // weshnet's SendAliasProof posts empty fields: nothing disclosed.
      if (event.body.resolver.length === 0) return
      const member = d.s.members.get(authorMember)
      if (member === undefined) throw new Rejection('unreachable: device without member')
      if (member.aliasResolver !== undefined) {
        if (equalBytes(member.aliasResolver, event.body.resolver)) return
        throw new Rejection('member already disclosed another alias')
      }
      // The proof binds the disclosing member (metadata.ts aliasProofMessage), so a repost by another
      // member never verifies for a contact; keeping the first claim in log order is defence in depth.
      for (const [id, m] of d.s.members) {
        if (id !== authorMember && m.aliasResolver !== undefined && equalBytes(m.aliasResolver, event.body.resolver)) {
          throw new Rejection('alias already claimed by another member')
        }
      }
      d.members().set(authorMember, { ...member, aliasResolver: event.body.resolver, aliasProof: event.body.proof })
      return
    }
    case MetadataType.APP_METADATA: {
      const app = event.body
      if (app.kind === 'group-info') {
        if (d.s.name !== app.name) d.set('name', app.name)
      } else if (app.kind === 'member-profile') {
        const member = d.s.members.get(authorMember)
        if (member === undefined) throw new Rejection('unreachable: device without member')
        if (member.displayName !== app.displayName) d.members().set(authorMember, { ...member, displayName: app.displayName })
      }
      return
    }
  }
}

function applyInitMember(d: Draft, creatorDevicePk: Uint8Array): void {
  if (d.s.kind !== 'multi') throw new Rejection('init member entries exist only in multi-member groups')
  if (d.s.creatorDevice !== undefined) throw new Rejection('init member already posted earlier in the log')
  const id = keyId(creatorDevicePk)
  d.set('creatorDevice', id)
  const memberId = d.s.devices.get(id)
  const member = memberId === undefined ? undefined : d.s.members.get(memberId)
  if (memberId !== undefined && member !== undefined) d.members().set(memberId, { ...member, isCreator: true })
}

function applyMemberDevice(
  d: Draft,
  event: MetadataEvent & { type: typeof MetadataType.MEMBER_DEVICE },
  me: Me,
  effects: GroupEffect[]
): void {
  const { memberPk, devicePk } = event.body
  const memberId = keyId(memberPk)
  const deviceId = keyId(devicePk)

  const knownMember = d.s.devices.get(deviceId)
  if (knownMember !== undefined) {
    if (knownMember !== memberId) throw new Rejection('device already registered under another member')
    return
  }

  let member = d.s.members.get(memberId)
  if (member === undefined) {
    if (d.s.kind === 'account' && !equalBytes(memberPk, d.s.groupPk)) {
      throw new Rejection('the account group has the account as its only member')
    }
    if (d.s.kind === 'contact' && d.s.members.size >= 2) throw new Rejection('a contact group has two members')
    if (d.s.members.size >= MAX_GROUP_MEMBERS) throw new Rejection(`group is full (${MAX_GROUP_MEMBERS} members)`)
    member = { devices: new Set(), isCreator: false }
  }
  if (d.s.creatorDevice === deviceId) member = { ...member, isCreator: true }
  if (member.devices.size >= MAX_DEVICES_PER_MEMBER) {
    throw new Rejection(`member has ${MAX_DEVICES_PER_MEMBER} devices already`)
  }
  d.members().set(memberId, { ...member, devices: new Set(member.devices).add(deviceId) })
  d.devices().set(deviceId, memberId)

  // Events this device posted before its registration reached us; re-apply them in log order.
  if (d.s.pending.some((e) => equalBytes(e.devicePk, devicePk))) {
    const waiting = d.s.pending.filter((e) => equalBytes(e.devicePk, devicePk))
    d.set('pending', d.s.pending.filter((e) => !equalBytes(e.devicePk, devicePk)))
    for (const e of waiting) applyPending(d, e, me, effects)
  }

  if (equalBytes(devicePk, me.devicePk)) {
    if (!equalBytes(memberPk, me.memberPk)) throw new Rejection('my device registered under a member that is not mine')
    d.set('registered', true)
    for (const id of d.s.members.keys()) requestSend(d, id, effects)
  } else if (d.s.registered) {
    requestSend(d, memberId, effects)
  }
}

/** A pending event that is now invalid is rejected on its own, without undoing the registration. */
function applyPending(d: Draft, event: MetadataEvent, me: Me, effects: GroupEffect[]): void {
  try {
    applyInner(d, event, me, effects)
  } catch (err) {
    effects.push({
      type: 'rejected',
      reason: err instanceof Error ? err.message : String(err),
      eventType: event.type,
      devicePk: event.devicePk
    })
  }
}

function requestSend(d: Draft, memberId: string, effects: GroupEffect[]): void {
  if (d.s.secretsSentTo.has(memberId) || d.s.secretsRequested.has(memberId)) return
  d.secretsRequested().add(memberId)
  effects.push({ type: 'send-secret', toMemberPk: fromHex(memberId) })
}

/** A contact's alias, with its resolver for this group precomputed (spec "Alias Identity"). */
export interface ContactAlias {
  contactId: string
  aliasPk: Uint8Array
}

/** keyId(resolver) → contact, computed once per group so every Alias Entry matches instantly. */
export function contactAliasIndex(groupPk: Uint8Array, contacts: Iterable<ContactAlias>): Map<string, ContactAlias> {
  const index = new Map<string, ContactAlias>()
  for (const c of contacts) index.set(keyId(aliasResolver(c.aliasPk, groupPk)), c)
  return index
}

export interface AliasMatch {
  memberPk: Uint8Array
  contactId: string
}

/** Members whose disclosed alias belongs to one of my contacts, with the alias proof verified. */
export function memberAliasMatches(state: GroupState, contactsByResolver: ReadonlyMap<string, ContactAlias>): AliasMatch[] {
  const out: AliasMatch[] = []
  for (const [memberId, m] of state.members) {
    if (m.aliasResolver === undefined || m.aliasProof === undefined) continue
    const contact = contactsByResolver.get(keyId(m.aliasResolver))
    if (contact === undefined) continue
    if (!verifyAliasProof(contact.aliasPk, state.groupPk, fromHex(memberId), m.aliasResolver, m.aliasProof)) continue
    out.push({ memberPk: fromHex(memberId), contactId: contact.contactId })
  }
  return out
}

/** The member of a device, if registered (message senders must pass this check). */
export function memberOfDevice(state: GroupState, devicePk: Uint8Array): Uint8Array | undefined {
  const id = state.devices.get(keyId(devicePk))
  return id === undefined ? undefined : fromHex(id)
}
