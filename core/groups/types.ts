/** Shapes shared by the rooms of the groups engine and read by the service layer. */
import type { SingleFlight } from '../single-flight'
import type { GroupKind, GroupSecrets, GroupState, Me, ReceiverChain, ReplicaKeys, SenderChain, WeshPassThroughType } from '../protocol/group'
import type { GroupLog } from './group-log'
import type { UnreadableReason } from '../storage'

export type LogKind = 'meta' | 'msg'

export interface AccountKeys {
  accountSeed: Uint8Array
  accountPk: Uint8Array
  aliasSeed: Uint8Array
  /** Shown to the members of multi-member groups this account creates or joins, if set. */
  displayName?: string
}

export type MessageState = 'sending' | 'sent' | 'delivered' | 'received' | 'failed'

export interface StoredMessage {
  id: string
  text: string
  devicePk: Uint8Array
  mine: boolean
  sentAt: number
  lamport: number
  state: MessageState
  rowid: number
  /** The sender's display name in this group, when it shared one. */
  senderName?: string
  /** A placeholder: this device cannot open the entry (storage/message-store.ts `UnreadableReason`). */
  unreadable?: UnreadableReason
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
  /** Its last message or unread count could not be read (a damaged database page): left out. */
  damaged?: true
}

export interface MemberView {
  memberPk: Uint8Array
  devices: Uint8Array[]
  me: boolean
  displayName?: string
  aliasResolver?: Uint8Array
  /** The proof that came with the resolver (verifiable only by whoever knows the alias key). */
  aliasProof?: Uint8Array
}

/**
 * A pass-through weshnet event of a group's metadata log (core/protocol/group/wesh-events.ts):
 * verified (group secret, author device signature, payload decodes as its weshnet message, author
 * is a registered device), not interpreted. `lamport`, `writer` and `entryId` are the log order.
 */
export interface WeshEventRecord {
  /** weshnet EventType number (101–112 account events, 201 ContactAliasKeyAdded, 403 GroupReplicating). */
  eventType: WeshPassThroughType
  /** The weshnet payload message bytes, exactly as signed. */
  payload: Uint8Array
  devicePk: Uint8Array
  lamport: number
  /** The entry's writer (clock id): log order is Lamport time, then writer, then entry id. */
  writer: string
  entryId: string
}

export type GroupsEvent =
  | { type: 'message'; groupPk: Uint8Array; message: StoredMessage; fresh: boolean }
  /**
   * A message `memberPk` can never read (its key hand-over starts later): on the sender, one of this
   * device's messages and that member; on the receiver, a placeholder row and this device's own member.
   */
  | { type: 'unreadable'; groupPk: Uint8Array; messageId: string; memberPk: Uint8Array; reason: UnreadableReason }
  /** A pass-through weshnet event arrived (or was posted) after the group was opened. */
  | { type: 'wesh-event'; groupPk: Uint8Array; event: WeshEventRecord }
  | { type: 'group'; groupPk: Uint8Array }
  /** This node became a member of a group (create, join) or left it: the account's other devices follow (core/linking). */
  | { type: 'membership'; groupPk: Uint8Array; change: 'joined' | 'left' }
  | { type: 'progress'; groupPk: Uint8Array; log: LogKind; received: number; done: boolean }

/** One group as the engine holds it while open. */
export interface OpenGroup {
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
  /** Pass-through weshnet events of the metadata log, in log order (rebuilt by the metadata replay at open). */
  weshEvents: WeshEventRecord[]
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
  ownSends: WeakMap<Uint8Array, { text: string; sentAt: number; counter: number; clientId?: string }>
  /** Sends under a caller's name (`clientId`) not yet answered: a second one with that name waits for the first. */
  sendsByClientId: SingleFlight<string, string>
  localName?: string
  createdAt: number
  /**
   * Resolves once the group is open (chains loaded, metadata replayed, logs replicated); rejects if
   * opening failed. The group is listed before (effects of the replay find it): writes wait for it.
   */
  opened: Promise<void>
  /** Per member (keyId): the counter this device handed it in this session (delivery.ts). */
  handedOver: Map<string, number>
  /** Own messages not yet `delivered` (delivery.ts). */
  undelivered: Array<{ id: string; counter: number; reached: boolean }>
}
