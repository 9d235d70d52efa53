/**
 * A replication device's API (spec "Replication device": it "is not able to send contact requests or
 * link new devices", and with no group secret it cannot send): every method that acts as the account
 * is refused with `REPLICA_DEVICE` and a message the UI can show as it is. Reading its own status
 * (`replica:status`, `node:info`, `network:*`, `device:list`) stays open.
 */
import { ApiError, ErrorCode } from '../api/errors'
import type { ApiHandlers } from './dispatch'

const REFUSED = {
  'account:create': 'create an account',
  'contact:request': 'send contact requests',
  'contact:accept': 'accept contact requests',
  'contact:decline': 'answer contact requests',
  'contact:cancel': 'cancel contact requests',
  'contact:share': 'share a contact link',
  'contact:reset-link': 'reset the contact link',
  'contact:settings': 'change contact settings',
  'contact:block': 'block contacts',
  'device:invite': 'link devices',
  'device:link': 'link to another account',
  'group:create': 'create groups',
  'group:join': 'join groups',
  'group:invite': 'invite to groups',
  'message:send': 'send messages',
  'replica:add': 'add replication servers'
} as const satisfies Partial<Record<keyof ApiHandlers, string>>

export const REPLICA_REFUSED_METHODS: ReadonlyArray<keyof typeof REFUSED> = Object.keys(REFUSED) as Array<keyof typeof REFUSED>

/**
 * Wraps the handlers of a replication device (`--replica`): the account's actions are refused; `device:link`
 * stays open until the node is linked (that is how it becomes the replica).
 */
export function guardReplicaDevice(handlers: ApiHandlers, state: { linked: () => boolean }): ApiHandlers {
  const out = { ...handlers } as Record<string, unknown>
  for (const method of REPLICA_REFUSED_METHODS) {
    const inner = handlers[method] as (...a: unknown[]) => Promise<unknown>
    out[method] = async (...a: unknown[]): Promise<unknown> => {
      if (method !== 'device:link' || state.linked()) {
        throw new ApiError(ErrorCode.REPLICA_DEVICE, `this node is a replication device: it stores and serves its account's groups without reading them, and cannot ${REFUSED[method]}`)
      }
      return inner(...a)
    }
  }
  return out as ApiHandlers
}
