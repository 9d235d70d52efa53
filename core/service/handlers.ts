/**
 * The API handlers: contract methods mapped onto the node's parts. Params arrive already
 * validated by the Dispatcher; results are shaped to the contract's result schemas (tests
 * parse them). Domain errors become ApiErrors with stable codes (errors.ts).
 */
import { multiaddr } from '@multiformats/multiaddr'
import { ApiError, ErrorCode } from '../api/errors'
import type { SettingsT } from '../api/contract'
import { base64urlEncode } from '../bytes'
import type { Groups } from '../groups/groups'
import type { ContactManager } from '../contacts/manager'
import type { DeviceLinking } from '../linking/linking'
import { createDeviceHandlers } from './device-handlers'
import type { BertyLibp2p } from '../net/libp2p'
import { createAccountKeys } from '../protocol/account'
import { inspectShareLink } from '../protocol/group'
import type { AccountStore, SettingsStore } from '../storage'
import { createContactHandlers, mapContactError } from './contact-handlers'
import type { ApiHandlers } from './dispatch'
import { mapError } from './errors'
import type { RepairOutcome } from './repair-request'
import { createNetworkHandlers, type NetworkHandlerDeps } from './network-handlers'
import { createReplicationHandlers, type ReplicationHandlerDeps } from './replication-handlers'
import {
  fromApiReplicaKeys,
  key,
  peersOf,
  toApiAccount,
  toApiGroup,
  toApiLinkSummary,
  toApiMember,
  toApiMessage,
  toApiReplicaKeys
} from './mappers'

export const NODE_VERSION = '0.1.0'

export const DEFAULT_SETTINGS: SettingsT = {
  notifications: true,
  keepRunningInBackground: true,
  startAtLogin: false
}

export interface HandlerDeps {
  settings: SettingsStore
  accounts: AccountStore
  groups: Groups
  libp2p: BertyLibp2p
  network: NetworkHandlerDeps
  contacts: ContactManager
  /** Called after `account:create` so the node adopts the new account's keys. */
  onAccountCreated(): Promise<void>
  replication: Omit<ReplicationHandlerDeps, 'groups'>
  linking: DeviceLinking
  /** The damaged-database line (damage-guard.ts) once the file was found damaged in this run, else null. */
  damaged(): string | null
  /** What this start's repair did (repair-request.ts), if one ran. */
  repaired: RepairOutcome | null
  /** Asks for a repair at the next start and has the host restart the node if it can (`node:repair`). */
  requestRepair(): { restarting: boolean }
}

export function createApiHandlers(deps: HandlerDeps): ApiHandlers {
  const { settings, accounts, groups, libp2p } = deps
  const settingsGet = (): SettingsT => {
    const out: SettingsT = { ...DEFAULT_SETTINGS }
    for (const [k, v] of settings.all()) {
      if (k in out) (out as Record<string, boolean>)[k] = v === 'true'
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
      ready: libp2p.status === 'started',
      damaged: deps.damaged(),
      repair: deps.repaired
    })),
    'node:repair': wrap(async () => deps.requestRepair()),
    'account:create': wrap(async ({ displayName }) => {
      if (accounts.exists()) throw new ApiError(ErrorCode.ACCOUNT_EXISTS, 'this node already has an account')
      const info = await accounts.create(createAccountKeys(), { displayName })
      await deps.onAccountCreated()
      return toApiAccount(info)
    }),
    'account:get': wrap(async () => {
      const info = accounts.get()
      return info ? toApiAccount(info) : null
    }),
    'account:renewRendezvousSeed': wrap(async () => {
      if (!accounts.exists()) throw new ApiError(ErrorCode.NO_ACCOUNT, 'create an account first')
      // One source of truth for the seed: the account group's ReferenceReset (contact:reset-link).
      await deps.contacts.resetLink().catch((err: unknown) => {
        throw mapContactError(err)
      })
      return { rendezvousSeedRenewedAt: Date.now() }
    }),
    'group:create': wrap(async ({ name, clientId }) => ({ groupPk: base64urlEncode(await groups.createGroup(name, clientId)) })),
    'group:list': wrap(async () =>
      groups
        .list()
        .filter((g) => g.kind !== 'account' && g.role === 'member' && deps.contacts.listed(g.groupPk, g.kind))
        .map(toApiGroup)
        .sort((a, b) => (b.lastMessage?.sentAt ?? b.createdAt) - (a.lastMessage?.sentAt ?? a.createdAt))
    ),
    'group:get': wrap(async ({ groupPk }) => toApiGroup(groups.get(key(groupPk)))),
    'group:invite': wrap(async ({ groupPk }) => {
      const { url, qr } = groups.invitation(key(groupPk))
      return { url, qr }
    }),
    'group:join': wrap(async ({ url }) => ({ groupPk: base64urlEncode(await groups.join(url.trim())) })),
    'group:markRead': wrap(async ({ groupPk }) => ({ unread: groups.markRead(key(groupPk)) })),
    'group:members': wrap(async ({ groupPk }) => groups.members(key(groupPk)).map(toApiMember)),
    'group:shareAlias': wrap(async ({ groupPk }) => ({ aliasResolver: base64urlEncode(await groups.shareAlias(key(groupPk))) })),
    'group:replicaKeys': wrap(async ({ groupPk }) => toApiReplicaKeys(groups.replicaKeys(key(groupPk)))),
    'replica:serve': wrap(async (params) => ({ groupPk: base64urlEncode(await groups.replicate(fromApiReplicaKeys(params))) })),
    // Pure parsing: nothing is joined or contacted, so any caller may inspect any link.
    'link:inspect': wrap(async ({ url }) => toApiLinkSummary(inspectShareLink(url))),
    'message:send': wrap(async ({ groupPk, text, clientId }) => ({ id: await groups.send(key(groupPk), text, clientId) })),
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
      settings.setMany(Object.entries(patch).flatMap(([k, v]) => (typeof v === 'boolean' ? [[k, String(v)] as const] : [])))
      return settingsGet()
    }),
    ...wrapAll(createNetworkHandlers(deps.network), wrap),
    ...createReplicationHandlers({ groups, ...deps.replication }),
    ...createContactHandlers(deps.contacts, mapError),
    ...createDeviceHandlers(deps.linking, wrap)
  }
}

/** Every handler of a group, through the same error mapping. */
function wrapAll<H extends Record<string, (...a: never[]) => Promise<unknown>>>(
  handlers: H,
  wrap: <A extends unknown[], R>(fn: (...a: A) => Promise<R> | R) => (...a: A) => Promise<R>
): H {
  return Object.fromEntries(Object.entries(handlers).map(([k, fn]) => [k, wrap(fn as (...a: unknown[]) => Promise<unknown>)])) as unknown as H
}
