/**
 * TEST FIXTURE, not the node: a `BertyService` whose handlers return fixed schema-valid
 * values, so the carrier tests exercise the real `Dispatcher` and the real contract schemas
 * without libp2p, storage or crypto. Records every call and lets a test emit events and hold
 * a call open.
 */
import { EventEmitter } from 'node:events'
import type { EventName, MethodName } from '../../../core/api/channels'
import type { EventPayload, MessageT, SettingsT } from '../../../core/api/contract'
import { ApiError, ErrorCode } from '../../../core/api/errors'
import { Dispatcher, type ApiHandlers, type CallContext } from '../../../core/service/dispatch'
import type { BertyService, EventListener } from '../../../core/service/service'

export const KEY_A = 'A'.repeat(43)
export const KEY_B = 'B'.repeat(43)
/** group:get on this key throws NOT_FOUND (an ApiError from a handler). */
export const KEY_MISSING = 'M'.repeat(43)
/** group:get on this key throws a plain Error (an internal failure). */
export const KEY_BROKEN = 'X'.repeat(43)

export const sampleMessage: MessageT = {
  id: 'bafy-entry-1',
  text: 'hello',
  sender: KEY_B,
  mine: false,
  sentAt: 1_700_000_000_000,
  lamport: 1,
  state: 'received'
}

export interface FixtureService extends BertyService {
  readonly dispatcher: Dispatcher
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void
  /** Resolves with the params of the next call of `method` reaching its handler. */
  nextCall(method: MethodName): Promise<unknown>
  /** How many calls of `method` reached its handler so far. */
  callCount(method: MethodName): number
  /** While set, node:info waits for this promise before answering. */
  gate: Promise<void> | undefined
  stopped: boolean
}

export function createFixtureService(): FixtureService {
  const bus = new EventEmitter()
  const calls = new EventEmitter()
  let settings: SettingsT = { notifications: true, keepRunningInBackground: false, startAtLogin: false }
  const group = { groupPk: KEY_A, name: 'friends', kind: 'multi' as const, memberCount: 2, unread: 0, createdAt: 1_700_000_000_000 }
  const account = { accountPk: KEY_A, devicePk: KEY_B, displayName: 'alice', createdAt: 1_700_000_000_000 }

  const counts = new Map<MethodName, number>()
  const record = (method: MethodName, params: unknown): void => {
    counts.set(method, (counts.get(method) ?? 0) + 1)
    calls.emit(method, params)
  }

  const fixture: FixtureService = {
    gate: undefined,
    stopped: false,
    handlers: undefined as unknown as ApiHandlers,
    dispatcher: undefined as unknown as Dispatcher,
    onEvent(listener: EventListener) {
      const l = (event: EventName, payload: unknown) => listener(event, payload as never)
      bus.on('event', l)
      return () => bus.off('event', l)
    },
    emit(event, payload) {
      bus.emit('event', event, payload)
    },
    callCount: (method) => counts.get(method) ?? 0,
    nextCall(method) {
      return new Promise((resolve) => calls.once(method, resolve))
    },
    peerId: () => '12D3KooWFixture',
    addrs: () => ['/ip4/127.0.0.1/tcp/4001'],
    async stop() {
      fixture.stopped = true
    }
  }

  const reach = { lan: true, dht: true, rendezvousServers: [] as string[], relays: [] as string[], ble: false }
  const contact = { accountPk: KEY_B, displayName: 'bob', state: 'outgoing' as const, fingerprint: '00000 00000 00000 00000 00000 00000', sent: false }
  const handlers: ApiHandlers = {
    'node:info': async (p: unknown, _ctx: CallContext) => {
      record('node:info', p)
      if (fixture.gate) await fixture.gate
      return { peerId: '12D3KooWFixture', addrs: ['/ip4/127.0.0.1/tcp/4001'], version: '0.1.0', ready: true, damaged: null, repair: null }
    },
    'node:repair': async (p) => (record('node:repair', p), { restarting: false }),
    'account:create': async (p) => (record('account:create', p), { ...account, displayName: p.displayName }),
    'account:get': async (p) => (record('account:get', p), account),
    'account:renewRendezvousSeed': async (p) => (record('account:renewRendezvousSeed', p), { rendezvousSeedRenewedAt: 1 }),
    'group:create': async (p) => (record('group:create', p), { groupPk: KEY_A }),
    'group:list': async (p) => (record('group:list', p), [group]),
    'group:get': async (p) => {
      record('group:get', p)
      if (p.groupPk === KEY_MISSING) throw new ApiError(ErrorCode.NOT_FOUND, 'no such group')
      if (p.groupPk === KEY_BROKEN) throw new Error('database exploded: secret detail')
      return group
    },
    'group:invite': async (p) => (record('group:invite', p), { url: 'https://berty.tech/id#group/xyz', qr: 'BERTY://PB/XYZ' }),
    'group:join': async (p) => (record('group:join', p), { groupPk: KEY_A }),
    'group:markRead': async (p) => (record('group:markRead', p), { unread: 0 }),
    'group:members': async (p) => (record('group:members', p), [{ memberPk: KEY_A, devices: [KEY_B], me: true }]),
    'group:shareAlias': async (p) => (record('group:shareAlias', p), { aliasResolver: KEY_B }),
    'group:replicaKeys': async (p) => (record('group:replicaKeys', p), { groupPk: KEY_A, signPub: KEY_B, linkKey: KEY_B }),
    'replica:serve': async (p) => (record('replica:serve', p), { groupPk: p.groupPk }),
    'link:inspect': async (p) => (record('link:inspect', p), { kind: 'group' as const, name: 'friends', groupPk: KEY_A }),
    'message:send': async (p) => (record('message:send', p), { id: 'bafy-entry-2' }),
    'message:list': async (p) => (record('message:list', p), { messages: [sampleMessage], hasMore: false }),
    'peer:connect': async (p) => (record('peer:connect', p), { peerId: '12D3KooWOther' }),
    'peer:list': async (p) => (record('peer:list', p), []),
    'settings:get': async (p) => (record('settings:get', p), settings),
    'settings:set': async (p) => {
      record('settings:set', p)
      settings = { ...settings, ...p }
      return settings
    },
    'device:invite': async (p) => (record('device:invite', p), { link: 'https://berty.tech/id#device-link/xyz', qr: 'BERTY://DL/XYZ', expiresAt: 1 }),
    'device:link': async (p) => (record('device:link', p), { kind: 'pin' as const, fingerprint: 'ABCD', pinDigits: 6, triesLeft: 3 }),
    'device:challenge:answer': async (p) => (record('device:challenge:answer', p), { linked: true }),
    'device:challenge:confirm': async (p) => (record('device:challenge:confirm', p), { ok: true as const }),
    'device:link:cancel': async (p) => (record('device:link:cancel', p), { ok: true as const }),
    'device:fingerprint': async (p) => (record('device:fingerprint', p), { fingerprint: 'ABCD' }),
    'device:list': async (p) => (record('device:list', p), [{ devicePk: KEY_B, current: true }]),
    'device:rename': async (p) => (record('device:rename', p), { devicePk: p.devicePk, name: p.name, current: true }),
    'network:status': async (p) => (
      record('network:status', p), { drivers: [], advertised: 0, watched: 0, ble: null, servesRendezvous: false, servesRelay: false, relays: [] }
    ),
    'network:settings:get': async (p) => (record('network:settings:get', p), { ...reach, restartRequired: false }),
    'network:settings:set': async (p) => (record('network:settings:set', p), { ...reach, ...p, restartRequired: true }),
    'replica:add': async (p) => (record('replica:add', p), { peerId: '12D3KooWOther', server: p.server, addedAt: 1, source: 'local' as const }),
    'replica:list': async (p) => (record('replica:list', p), []),
    'replica:remove': async (p) => (record('replica:remove', p), { removed: true }),
    'replica:status': async (p) => (record('replica:status', p), { server: false, groups: [], totals: { groups: 0, entries: 0, bytes: 0 }, warnings: [] }),
    'contact:share': async (p) => (record('contact:share', p), { link: 'https://berty.tech/id#contact/xyz', qr: 'BERTY://PB/XYZ', requestsEnabled: true }),
    'contact:request': async (p) => (record('contact:request', p), contact),
    'contact:list': async (p) => (record('contact:list', p), [contact]),
    'contact:accept': async (p) => (record('contact:accept', p), { ...contact, state: 'accepted' as const }),
    'contact:decline': async (p) => (record('contact:decline', p), { ...contact, state: 'declined' as const }),
    'contact:block': async (p) => (record('contact:block', p), { ...contact, state: 'blocked' as const }),
    'contact:cancel': async (p) => (record('contact:cancel', p), {}),
    'contact:get': async (p) => (record('contact:get', p), { ...contact, sharedGroups: [], aliasKnown: false }),
    'contact:unblock': async (p) => (record('contact:unblock', p), {}),
    'contact:settings': async (p) => (record('contact:settings', p), { requestsEnabled: p.requestsEnabled ?? true }),
    'contact:reset-link': async (p) => (record('contact:reset-link', p), { link: 'https://berty.tech/id#contact/new', qr: 'BERTY://PB/NEW' })
  }
  Object.assign(fixture, { handlers, dispatcher: new Dispatcher(handlers) })
  return fixture
}

/** Params that pass the contract for each method: the "valid call" of each. */
export const validParams: Record<MethodName, unknown> = {
  'node:info': {},
  'node:repair': {},
  'account:create': { displayName: 'alice' },
  'account:get': {},
  'account:renewRendezvousSeed': {},
  'group:create': { name: 'friends' },
  'group:list': {},
  'group:get': { groupPk: KEY_A },
  'group:invite': { groupPk: KEY_A },
  'group:join': { url: 'https://berty.tech/id#group/xyz' },
  'group:markRead': { groupPk: KEY_A },
  'group:members': { groupPk: KEY_A },
  'group:shareAlias': { groupPk: KEY_A },
  'group:replicaKeys': { groupPk: KEY_A },
  'replica:serve': { groupPk: KEY_A, signPub: KEY_B, linkKey: KEY_B },
  'link:inspect': { url: 'https://berty.tech/id#group/xyz/name=friends' },
  'message:send': { groupPk: KEY_A, text: 'hi' },
  'message:list': { groupPk: KEY_A, limit: 10 },
  'peer:connect': { multiaddr: '/ip4/127.0.0.1/tcp/4001' },
  'peer:list': {},
  'device:invite': {},
  'device:link': { link: 'https://berty.tech/id#device-link/xyz' },
  'device:challenge:answer': { pin: '123456' },
  'device:challenge:confirm': {},
  'device:link:cancel': {},
  'device:fingerprint': {},
  'device:list': {},
  'device:rename': { devicePk: KEY_B, name: 'laptop' },
  'network:status': {},
  'network:settings:get': {},
  'network:settings:set': { dht: false },
  'replica:add': { groupPk: KEY_A, server: '/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN', token: 'a.b.c' },
  'replica:list': { groupPk: KEY_A },
  'replica:remove': { groupPk: KEY_A, peerId: '12D3KooWOther' },
  'replica:status': {},
  'settings:get': {},
  'settings:set': { notifications: false },
  'contact:share': {},
  'contact:request': { link: 'https://berty.tech/id#contact/xyz' },
  'contact:list': {},
  'contact:accept': { accountPk: KEY_A },
  'contact:decline': { accountPk: KEY_A },
  'contact:block': { accountPk: KEY_A },
  'contact:cancel': { accountPk: KEY_A },
  'contact:get': { accountPk: KEY_A },
  'contact:unblock': { accountPk: KEY_A },
  'contact:settings': { requestsEnabled: false },
  'contact:reset-link': {}
}
