/** Core records → API shapes (core/api/contract.ts), and API keys → bytes. */
import type { Connection } from '@libp2p/interface'
import { pathOf, type PathKind } from '../net/paths'
import { ApiError, ErrorCode } from '../api/errors'
import type { AccountT, GroupSummaryT, LinkSummaryT, MemberT, MessageT, PeerInfoT, ReplicaKeysT } from '../api/contract'
import { base64urlDecode, base64urlEncode } from '../bytes'
import type { GroupInfoView, MemberView, StoredMessage } from '../groups/groups'
import type { ReplicaKeys, ShareLinkSummary } from '../protocol/group'
import type { AccountInfo } from '../storage'

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
    state: m.state,
    ...(m.unreadable ? { unreadable: m.unreadable } : {})
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
    createdAt: g.createdAt,
    ...(g.damaged ? { damaged: true as const } : {})
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

const PATH_RANK: Record<PathKind, number> = { lan: 0, direct: 1, webrtc: 2, relayed: 3 }

export function peersOf(connections: Connection[]): PeerInfoT[] {
  const byPeer = new Map<string, PeerInfoT>()
  for (const c of connections) {
    const id = c.remotePeer.toString()
    const addr = c.remoteAddr.toString()
    const existing = byPeer.get(id)
    const rtt = (c as unknown as { rtt?: number }).rtt
    const path = pathOf(c)
    if (existing) {
      existing.addrs.push(addr)
      if (existing.path === undefined || PATH_RANK[path] < PATH_RANK[existing.path]) existing.path = path
      for (const t of transportsOf(addr)) if (!existing.transports.includes(t)) existing.transports.push(t)
      continue
    }
    byPeer.set(id, {
      peerId: id,
      addrs: [addr],
      transports: transportsOf(addr),
      direction: c.direction === 'inbound' ? 'inbound' : 'outbound',
      path,
      ...(typeof rtt === 'number' && Number.isFinite(rtt) ? { latencyMs: rtt } : {})
    })
  }
  return [...byPeer.values()]
}

export function toApiMember(m: MemberView): MemberT {
  return {
    memberPk: base64urlEncode(m.memberPk),
    devices: m.devices.map(base64urlEncode),
    me: m.me,
    ...(m.displayName ? { name: m.displayName } : {}),
    // The alias resolver this member disclosed (spec "Alias Identity"), when it did.
    ...(m.aliasResolver ? { alias: base64urlEncode(m.aliasResolver) } : {})
  }
}

export function toApiReplicaKeys(r: ReplicaKeys): ReplicaKeysT {
  return {
    groupPk: base64urlEncode(r.groupPk),
    signPub: base64urlEncode(r.signPub),
    linkKey: base64urlEncode(r.linkKey),
    ...(r.linkKeySig ? { linkKeySig: base64urlEncode(r.linkKeySig) } : {})
  }
}

export function fromApiReplicaKeys(r: ReplicaKeysT): ReplicaKeys {
  const sig = r.linkKeySig === undefined ? undefined : base64urlDecode(r.linkKeySig)
  if (r.linkKeySig !== undefined && (!sig || sig.length !== 64)) throw new ApiError(ErrorCode.INVALID_PARAMS, 'linkKeySig: expected 64 bytes')
  return { groupPk: key(r.groupPk), signPub: key(r.signPub), linkKey: key(r.linkKey), ...(sig ? { linkKeySig: sig } : {}) }
}

export function toApiLinkSummary(l: ShareLinkSummary): LinkSummaryT {
  return {
    kind: l.kind,
    ...(l.name !== undefined ? { name: l.name } : {}),
    ...(l.accountPk ? { accountPk: base64urlEncode(l.accountPk) } : {}),
    ...(l.groupPk ? { groupPk: base64urlEncode(l.groupPk) } : {})
  }
}
