/**
 * The API handlers: contract methods mapped onto the node's parts. Params arrive already
 * validated by the Dispatcher; results are shaped to the contract's result schemas (tests
 * parse them). Domain errors become ApiErrors with stable codes.
 */
import { multiaddr } from '@multiformats/multiaddr'
import type { Connection } from '@libp2p/interface'
import { ApiError, ErrorCode } from '../api/errors'
import type { AccountT, GroupSummaryT, MessageT, PeerInfoT, SettingsT } from '../api/contract'
import { GroupsError, type Groups, type GroupInfoView, type StoredMessage } from '../groups/groups'
import { GroupProtocolError, InvitationError } from '../protocol/group'
import { base64urlDecode, base64urlEncode } from '../protocol/group/codec'
import type { AccountInfo, AccountStore, SqliteDatabase } from '../storage'
import { StorageError } from '../storage'
import type { BertyLibp2p } from '../net/libp2p'
import type { ApiHandlers } from './dispatch'

export const NODE_VERSION = '0.1.0'

export const DEFAULT_SETTINGS: SettingsT = {
  notifications: true,
  keepRunningInBackground: true,
  startAtLogin: false
}

export function key(value: string): Uint8Array {
  const bytes = base64urlDecode(value)
  if (!bytes || bytes.length !== 32) throw new ApiError(ErrorCode.INVALID_PARAMS, 'expected a 32-byte key in base64url')
  return bytes
}

export function toApiMessage(m: StoredMessage): MessageT {
  return {
    id: m.id,
    text: m.text,
    sender: base64urlEncode(m.devicePk),
    ...(m.senderName ? { senderName: m.senderName } : {}),
    mine: m.mine,
    sentAt: m.sentAt,
    lamport: m.lamport,
    state: m.state
  }
}

export function toApiGroup(g: GroupInfoView): GroupSummaryT {
  return {
    groupPk: base64urlEncode(g.groupPk),
    name: g.name,
    kind: g.kind,
    memberCount: g.memberCount,
    unread: g.unread,
    ...(g.lastMessage ? { lastMessage: toApiMessage(g.lastMessage) } : {}),
    createdAt: g.createdAt
  }
}

export function toApiAccount(a: AccountInfo): AccountT {
  return {
    accountPk: base64urlEncode(a.accountPk),
    devicePk: base64urlEncode(a.devicePk),
    displayName: a.displayName ?? '',
    createdAt: a.createdAt
  }
}

const TRANSPORT_NAMES: Record<string, string> = {
  tcp: 'tcp',
  ws: 'websockets',
  wss: 'websockets',
  'webrtc-direct': 'webrtc-direct',
  webrtc: 'webrtc',
  'p2p-circuit': 'relay',
  ble: 'ble'
}

export function transportsOf(addr: string): string[] {
  const names = new Set<string>()
  for (const part of addr.split('/')) {
    const t = TRANSPORT_NAMES[part]
    if (t) names.add(t)
  }
  // A relayed WebRTC or TCP address names both; the outermost hop is what the user cares about.
  return [...names]
}

export function peersOf(connections: Connection[]): PeerInfoT[] {
  const byPeer = new Map<string, PeerInfoT>()
  for (const c of connections) {
    const id = c.remotePeer.toString()
    const addr = c.remoteAddr.toString()
    const existing = byPeer.get(id)
    const rtt = (c as unknown as { rtt?: number }).rtt
    if (existing) {
      existing.addrs.push(addr)
      for (const t of transportsOf(addr)) if (!existing.transports.includes(t)) existing.transports.push(t)
      continue
    }
    byPeer.set(id, {
      peerId: id,
      addrs: [addr],
      transports: transportsOf(addr),
      direction: c.direction === 'inbound' ? 'inbound' : 'outbound',
      ...(typeof rtt === 'number' && Number.isFinite(rtt) ? { latencyMs: rtt } : {})
    })
  }
  return [...byPeer.values()]
}

/** Domain errors → API codes; anything else stays internal. */
export function mapError(err: unknown): unknown {
  if (err instanceof ApiError) return err
  if (err instanceof InvitationError) return new ApiError(ErrorCode.INVALID_INVITATION, err.message)
  if (err instanceof GroupsError) {
    switch (err.code) {
      case 'ERR_NOT_FOUND':
        return new ApiError(ErrorCode.NOT_FOUND, err.message)
      case 'ERR_NO_ACCOUNT':
        return new ApiError(ErrorCode.NO_ACCOUNT, err.message)
      case 'ERR_CLOSED':
        return new ApiError(ErrorCode.NOT_READY, err.message)
      default:
        return new ApiError(ErrorCode.INVALID_PARAMS, err.message)
    }
  }
  if (err instanceof GroupProtocolError) {
    if (err.code === 'ERR_BAD_SIGNATURE') return new ApiError(ErrorCode.INVALID_INVITATION, 'the invitation does not verify')
    if (err.code === 'ERR_TOO_LARGE') return new ApiError(ErrorCode.TOO_LARGE, err.message)
    return new ApiError(ErrorCode.INVALID_PARAMS, err.message)
  }
  if (err instanceof StorageError) {
    if (err.code === 'ERR_BAD_INPUT' || err.code === 'ERR_TOO_LARGE') return new ApiError(ErrorCode.INVALID_PARAMS, err.message)
  }
  return err
}

export interface HandlerDeps {
  db: SqliteDatabase
  accounts: AccountStore
  groups: Groups
  libp2p: BertyLibp2p
  /** Called after `account:create` so the node adopts the new account's keys. */
  onAccountCreated(): Promise<void>
}

export function createApiHandlers(deps: HandlerDeps): ApiHandlers {
  const { db, accounts, groups, libp2p } = deps
  const settingsGet = (): SettingsT => {
    const rows = db.sql.prepare<[], { key: string; value: string }>('SELECT key, value FROM settings').all()
    const out: SettingsT = { ...DEFAULT_SETTINGS }
    for (const r of rows) {
      if (r.key in out) (out as Record<string, boolean>)[r.key] = r.value === 'true'
    }
    return out
  }
  const wrap = <A extends unknown[], R>(fn: (...a: A) => Promise<R> | R) =>
    async (...a: A): Promise<R> => {
      try {
        return await fn(...a)
      } catch (err) {
        throw mapError(err)
      }
    }

  return {
    'node:info': wrap(async () => ({
      peerId: libp2p.peerId.toString(),
      addrs: libp2p.getMultiaddrs().map((a) => a.toString()),
      version: NODE_VERSION,
      ready: libp2p.status === 'started'
    })),
    'account:create': wrap(async ({ displayName }) => {
      if (accounts.exists()) throw new ApiError(ErrorCode.ACCOUNT_EXISTS, 'this node already has an account')
      const info = await accounts.create({ displayName })
      await deps.onAccountCreated()
      return toApiAccount(info)
    }),
    'account:get': wrap(async () => {
      const info = accounts.get()
      return info ? toApiAccount(info) : null
    }),
    'account:renewRendezvousSeed': wrap(async () => {
      if (!accounts.exists()) throw new ApiError(ErrorCode.NO_ACCOUNT, 'create an account first')
      await accounts.renewRendezvousSeed()
      return { rendezvousSeedRenewedAt: Date.now() }
    }),
    'group:create': wrap(async ({ name }) => ({ groupPk: base64urlEncode(await groups.createGroup(name)) })),
    'group:list': wrap(async () =>
      groups
        .list()
        .filter((g) => g.kind !== 'account' && g.role === 'member')
        .map(toApiGroup)
        .sort((a, b) => (b.lastMessage?.sentAt ?? b.createdAt) - (a.lastMessage?.sentAt ?? a.createdAt))
    ),
    'group:get': wrap(async ({ groupPk }) => toApiGroup(groups.get(key(groupPk)))),
    'group:invite': wrap(async ({ groupPk }) => ({ url: groups.invitation(key(groupPk)) })),
    'group:join': wrap(async ({ url }) => ({ groupPk: base64urlEncode(await groups.join(url.trim())) })),
    'group:markRead': wrap(async ({ groupPk }) => ({ unread: groups.markRead(key(groupPk)) })),
    'group:members': wrap(async ({ groupPk }) =>
      groups.members(key(groupPk)).map((m) => ({
        memberPk: base64urlEncode(m.memberPk),
        devices: m.devices.map(base64urlEncode),
        me: m.me,
        ...(m.displayName ? { name: m.displayName } : {})
      }))
    ),
    'message:send': wrap(async ({ groupPk, text }) => ({ id: await groups.send(key(groupPk), text) })),
    'message:list': wrap(async ({ groupPk, limit, before }) => {
      const page = groups.listMessages(key(groupPk), { ...(limit ? { limit } : {}), ...(before ? { before } : {}) })
      return { messages: page.messages.map(toApiMessage), hasMore: page.hasMore }
    }),
    'peer:connect': wrap(async ({ multiaddr: addr }) => {
      let ma
      try {
        ma = multiaddr(addr)
      } catch {
        throw new ApiError(ErrorCode.INVALID_PARAMS, 'not a valid multiaddr')
      }
      try {
        const conn = await libp2p.dial(ma, { signal: AbortSignal.timeout(15_000) })
        return { peerId: conn.remotePeer.toString() }
      } catch (err) {
        const name = err instanceof Error ? err.name : ''
        if (name === 'AbortError' || name === 'TimeoutError') throw new ApiError(ErrorCode.TIMEOUT, 'the peer did not answer in time')
        throw new ApiError(ErrorCode.NETWORK, `could not connect: ${err instanceof Error ? err.message : String(err)}`.slice(0, 300))
      }
    }),
    'peer:list': wrap(async () => peersOf(libp2p.getConnections())),
    'settings:get': wrap(async () => settingsGet()),
    'settings:set': wrap(async (patch) => {
      const upsert = db.sql.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT DO UPDATE SET value = excluded.value')
      db.transaction(() => {
        for (const [k, v] of Object.entries(patch)) if (typeof v === 'boolean') upsert.run(k, String(v))
      })
      return settingsGet()
    })
  }
}
