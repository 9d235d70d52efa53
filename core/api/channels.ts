/**
 * The names of every API method and event, as plain data with no dependencies, so the
 * sandboxed preload can expose one function per method without bundling the schemas.
 * `contract.ts` is checked against these lists at compile time.
 */
import { CONTACT_EVENT_NAMES, CONTACT_METHOD_NAMES } from './channels-contacts'
import { DEVICE_EVENT_NAMES, DEVICE_METHOD_NAMES } from './channels-devices'

export const METHOD_NAMES = [
  'node:info',
  'node:repair',
  'account:create',
  'account:get',
  'account:renewRendezvousSeed',
  'group:create',
  'group:list',
  'group:get',
  'group:invite',
  'group:join',
  'group:markRead',
  'group:members',
  'group:shareAlias',
  'group:replicaKeys',
  'replica:serve',
  'link:inspect',
  'message:send',
  'message:list',
  'peer:connect',
  'peer:list',
  'settings:get',
  'settings:set',
  ...DEVICE_METHOD_NAMES,
  'network:status',
  'network:settings:get',
  'network:settings:set',
  'replica:add',
  'replica:list',
  'replica:remove',
  'replica:status',
  ...CONTACT_METHOD_NAMES
] as const

export const EVENT_NAMES = [
  'message:received',
  'message:updated',
  'message:unreadable',
  'group:updated',
  'peer:updated',
  'sync:progress',
  'node:damaged',
  ...CONTACT_EVENT_NAMES,
  ...DEVICE_EVENT_NAMES
] as const

export type MethodName = (typeof METHOD_NAMES)[number]
export type EventName = (typeof EVENT_NAMES)[number]

/** IPC channel carrying method M; events travel on `berty:event`. */
export const ipcChannel = (method: MethodName): string => `berty:${method}`
export const IPC_EVENT_CHANNEL = 'berty:event'
