/**
 * The UI↔node API contract, declared once. Both carriers (Electron IPC, JSON-RPC over
 * WebSocket) validate params with these schemas before a handler runs, and the node's
 * results are checked against the result schemas in tests.
 *
 * Binary values (keys) travel as unpadded base64url strings; times as Unix milliseconds.
 */
import { z } from 'zod'
import type { EventName, MethodName } from './channels'
import { replicationMethods } from './contract-replication'

/** 32 bytes, unpadded base64url. */
export const Key32 = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'expected a 32-byte key in base64url')

import { MAX_NAME_CHARS, MAX_TEXT_BYTES, MAX_URL_CHARS } from './constants'
import { deviceEvents, deviceMethods } from './contract-devices'
import { networkMethods } from './contract-network'
import { contactEvents, contactMethods } from './contract-contacts'

export { MAX_NAME_CHARS, MAX_TEXT_BYTES, MAX_URL_CHARS }

const displayName = z
  .string()
  .trim()
  .min(1, 'display name is empty')
  .max(MAX_NAME_CHARS, `display name is longer than ${MAX_NAME_CHARS} characters`)

const groupName = z
  .string()
  .trim()
  .min(1, 'group name is empty')
  .max(MAX_NAME_CHARS, `group name is longer than ${MAX_NAME_CHARS} characters`)

const messageText = z
  .string()
  .min(1, 'message is empty')
  .refine((t) => new TextEncoder().encode(t).length <= MAX_TEXT_BYTES, {
    message: `message is larger than ${MAX_TEXT_BYTES} bytes`
  })

const multiaddrString = z
  .string()
  .min(2)
  .max(1024)
  .regex(/^\//, 'a multiaddr starts with /')

const empty = z.object({}).strict()

export const MessageState = z.enum(['sending', 'sent', 'delivered', 'received', 'failed'])

export const Message = z.object({
  /** Stable id: the OrbitDB entry hash. */
  id: z.string(),
  text: z.string(),
  /** Member device public key of the sender (base64url). */
  sender: z.string(),
  senderName: z.string().optional(),
  mine: z.boolean(),
  sentAt: z.number(),
  /** Lamport time of the entry: the order key with `id`. */
  lamport: z.number(),
  state: MessageState,
  /**
   * Set on a placeholder, an entry this device cannot open; `text` is empty. 'before-join': sent before
   * the device received the sender's chain key. 'key-gone': the device held its key once, but the key
   * is no longer here (used, and the copy read then lost to a repaired database; or dropped from the
   * skipped-key cache before the message came).
   */
  unreadable: z.enum(['before-join', 'key-gone']).optional()
})

export const GroupKind = z.enum(['account', 'contact', 'multi'])

export const GroupSummary = z.object({
  groupPk: Key32,
  name: z.string(),
  kind: GroupKind,
  memberCount: z.number().int().nonnegative(),
  unread: z.number().int().nonnegative(),
  lastMessage: Message.optional(),
  createdAt: z.number(),
  /** Its last message and unread count could not be read: the database is damaged there (node:damaged). */
  damaged: z.literal(true).optional()
})

export const Member = z.object({
  memberPk: Key32,
  devices: z.array(Key32),
  /** The display name the member shares in this group, if any. */
  name: z.string().optional(),
  alias: z.string().optional(),
  me: z.boolean()
})

/**
 * What a replica of a group needs (spec "Replication device" / "Replication server"): the group
 * and signing public keys, the link key and, for multi-member groups, its signature by the
 * group key. Never the group secret.
 */
export const ReplicaKeys = z.object({
  groupPk: Key32,
  signPub: Key32,
  linkKey: Key32,
  linkKeySig: z.string().regex(/^[A-Za-z0-9_-]{86}$/, 'expected a 64-byte signature in base64url').optional()
})

/**
 * What a Berty share link is (`link:inspect`), read without joining or contacting anyone. A group
 * link is fully verified (as `group:join` would); `name` is the label the link carries, when a list
 * may show it.
 */
export const LinkSummary = z.object({
  kind: z.enum(['contact', 'group']),
  name: z.string().optional(),
  /** Contact links: the account public key. */
  accountPk: Key32.optional(),
  /** Group links: the group public key. */
  groupPk: Key32.optional()
})

export const Account = z.object({
  accountPk: Key32,
  devicePk: Key32,
  displayName: z.string(),
  createdAt: z.number()
})

export const PeerInfo = z.object({
  peerId: z.string(),
  addrs: z.array(z.string()),
  transports: z.array(z.string()),
  direction: z.enum(['inbound', 'outbound']),
  latencyMs: z.number().optional(),
  /** The best path to this peer: LAN (private address), direct (public), relayed, or WebRTC. */
  path: z.enum(['lan', 'direct', 'relayed', 'webrtc']).optional()
})

export const Settings = z.object({
  notifications: z.boolean(),
  keepRunningInBackground: z.boolean(),
  startAtLogin: z.boolean()
})

/** A caller's name for one call that may be made again (message:send, group:create): random per call. */
const clientId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'clientId: 8 to 64 of A-Z a-z 0-9 _ -')

/** Every method: params schema (validated at the boundary) and result schema. */
export const methods = {
  'node:info': {
    params: empty,
    result: z.object({
      peerId: z.string(),
      addrs: z.array(z.string()),
      version: z.string(),
      ready: z.boolean(),
      /** Set once the database was found damaged in this run: the line to show (what happened, what to do). */
      damaged: z.string().nullable(),
      /** Set when this start ran a repair the person asked for (`node:repair`): what it did, for the rest of the run. */
      repair: z.object({ ok: z.boolean(), message: z.string() }).nullable()
    })
  },
  /**
   * Repairs the database: asked now, run at the node's next start (the file cannot be rebuilt under
   * a running node). `restarting`: the host restarts the node by itself (the app relaunches, the
   * headless daemon starts its node again); false: quit and start again for the repair to run.
   */
  'node:repair': {
    params: empty,
    result: z.object({ restarting: z.boolean() })
  },
  'account:create': {
    params: z.object({ displayName }).strict(),
    result: Account
  },
  'account:get': {
    params: empty,
    result: Account.nullable()
  },
  'account:renewRendezvousSeed': {
    params: empty,
    result: z.object({ rendezvousSeedRenewedAt: z.number() })
  },
  'group:create': {
    params: z
      .object({
        name: groupName,
        /** The caller's name for this creation (as message:send's clientId): a creation under a name already used answers that group. */
        clientId: clientId.optional()
      })
      .strict(),
    result: z.object({ groupPk: Key32 })
  },
  'group:list': {
    params: empty,
    result: z.array(GroupSummary)
  },
  'group:get': {
    params: z.object({ groupPk: Key32 }).strict(),
    result: GroupSummary
  },
  'group:invite': {
    params: z.object({ groupPk: Key32 }).strict(),
    result: z.object({
      /** The Berty web link `https://berty.tech/id#group/…` (named after the group): to copy and send. */
      url: z.string(),
      /** The same invitation as `BERTY://PB/…`, in the QR alphanumeric alphabet: what the QR code carries. */
      qr: z.string()
    })
  },
  'group:join': {
    params: z.object({ url: z.string().min(1).max(MAX_URL_CHARS) }).strict(),
    result: z.object({ groupPk: Key32 })
  },
  'group:markRead': {
    params: z.object({ groupPk: Key32 }).strict(),
    result: z.object({ unread: z.number().int().nonnegative() })
  },
  'group:members': {
    params: z.object({ groupPk: Key32 }).strict(),
    result: z.array(Member)
  },
  'group:shareAlias': {
    params: z.object({ groupPk: Key32 }).strict(),
    result: z.object({ aliasResolver: Key32 })
  },
  'group:replicaKeys': {
    params: z.object({ groupPk: Key32 }).strict(),
    result: ReplicaKeys
  },
  'replica:serve': {
    params: ReplicaKeys.strict(),
    result: z.object({ groupPk: Key32 })
  },
  'link:inspect': {
    params: z.object({ url: z.string().min(1).max(MAX_URL_CHARS) }).strict(),
    result: LinkSummary
  },
  'message:send': {
    params: z
      .object({
        groupPk: Key32,
        text: messageText,
        /**
         * The caller's name for this send (8–64 of A–Z a–z 0–9 _ -, random per message): a send under a
         * name already used in this group answers that message's id and sends nothing, so a send whose
         * answer was lost (connection dropped, timeout, node restarted) can be made again safely.
         */
        clientId: clientId.optional()
      })
      .strict(),
    result: z.object({ id: z.string() })
  },
  'message:list': {
    params: z
      .object({
        groupPk: Key32,
        limit: z.number().int().min(1).max(500).optional(),
        /** Message id: return messages ordered strictly before it. */
        before: z.string().min(1).max(128).optional()
      })
      .strict(),
    result: z.object({ messages: z.array(Message), hasMore: z.boolean() })
  },
  'peer:connect': {
    params: z.object({ multiaddr: multiaddrString }).strict(),
    result: z.object({ peerId: z.string() })
  },
  'peer:list': {
    params: empty,
    result: z.array(PeerInfo)
  },
  'settings:get': {
    params: empty,
    result: Settings
  },
  'settings:set': {
    params: Settings.partial().strict(),
    result: Settings
  },
  ...networkMethods,
  ...replicationMethods,
  ...contactMethods,
  ...deviceMethods
} as const satisfies Record<MethodName, { params: z.ZodType; result: z.ZodType }>

/** Every event and its payload. */
export const events = {
  'message:received': z.object({ groupPk: Key32, message: Message }),
  'message:updated': z.object({ groupPk: Key32, message: Message }),
  /**
   * A message `memberPk` can never read: its key hand-over started after the message (the member
   * joined longer than the hand-over window after it was sent). On the sender: one of my messages and
   * that member (the message stays `sent`). On the receiver: a message of someone else this device
   * will never open, `memberPk` my own member (it also arrives as a placeholder `message:received`).
   */
  'message:unreadable': z.object({ groupPk: Key32, id: z.string(), memberPk: Key32, reason: z.enum(['before-join', 'key-gone']) }),
  'group:updated': z.object({ group: GroupSummary }),
  'peer:updated': z.object({ peers: z.array(PeerInfo) }),
  'sync:progress': z.object({
    groupPk: Key32,
    log: z.enum(['metadata', 'messages']),
    received: z.number().int().nonnegative(),
    total: z.number().int().nonnegative().optional(),
    done: z.boolean()
  }),
  /** The database was found damaged (once per run): the line to show until the app is quit. */
  'node:damaged': z.object({ message: z.string() }),
  ...contactEvents,
  ...deviceEvents
} as const satisfies Record<EventName, z.ZodType>

// Compile-time check that channels.ts and this file list the same names.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never
const _methodsMatch: Exact<keyof typeof methods, MethodName> = true
const _eventsMatch: Exact<keyof typeof events, EventName> = true
void _methodsMatch
void _eventsMatch

export type Params<M extends MethodName> = z.input<(typeof methods)[M]['params']>
export type Result<M extends MethodName> = z.output<(typeof methods)[M]['result']>
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>

export type MessageT = z.output<typeof Message>
export type GroupSummaryT = z.output<typeof GroupSummary>
export type AccountT = z.output<typeof Account>
export type PeerInfoT = z.output<typeof PeerInfo>
export type SettingsT = z.output<typeof Settings>
export type MemberT = z.output<typeof Member>
export type ReplicaKeysT = z.output<typeof ReplicaKeys>
export type LinkSummaryT = z.output<typeof LinkSummary>
export type { NetworkStatusT, ReachSettingsT } from './contract-network'
