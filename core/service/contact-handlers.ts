/**
 * API handlers of the contacts methods (core/api/contract-contacts.ts) over the contact manager
 * (core/contacts/manager.ts), the contacts mapper and error mapping, and the bridge of contact events
 * to API events. Merged into `createApiHandlers` with one line.
 */
import type { ContactT } from '../api/contract-contacts'
import { ApiError, ErrorCode } from '../api/errors'
import { base64urlEncode } from '../bytes'
import type { ContactManager } from '../contacts/manager'
import { ContactError, type ContactView } from '../contacts/types'
import type { Logger } from '../log'
import type { ApiHandlers } from './dispatch'
import { key } from './mappers'
import type { EventListener } from './service'

type ContactHandlers = { [M in keyof ApiHandlers as M extends `contact:${string}` ? M : never]: ApiHandlers[M] }

export function toApiContact(c: ContactView): ContactT {
  return {
    accountPk: base64urlEncode(c.accountPk),
    displayName: c.displayName,
    state: c.state,
    fingerprint: c.fingerprint,
    ...(c.groupPk !== undefined ? { groupPk: base64urlEncode(c.groupPk) } : {}),
    sent: c.sent,
    ...(c.error !== undefined ? { error: c.error } : {})
  }
}

export function mapContactError(err: unknown): unknown {
  if (!(err instanceof ContactError)) return err
  switch (err.code) {
    case 'ERR_BAD_LINK':
      return new ApiError(ErrorCode.INVALID_INVITATION, err.message)
    case 'ERR_SELF':
      return new ApiError(ErrorCode.SELF_CONTACT, err.message)
    case 'ERR_ALREADY_CONTACT':
      return new ApiError(ErrorCode.ALREADY_CONTACT, err.message)
    case 'ERR_BLOCKED':
      return new ApiError(ErrorCode.BLOCKED, err.message)
    case 'ERR_NOT_FOUND':
      return new ApiError(ErrorCode.NOT_FOUND, err.message)
    case 'ERR_NO_ACCOUNT':
      return new ApiError(ErrorCode.NO_ACCOUNT, err.message)
    default:
      return new ApiError(ErrorCode.INVALID_PARAMS, err.message)
  }
}

export function createContactHandlers(contacts: ContactManager, mapError: (err: unknown) => unknown): ContactHandlers {
  const wrap =
    <A extends unknown[], R>(fn: (...a: A) => Promise<R> | R) =>
    async (...a: A): Promise<R> => {
      try {
        return await fn(...a)
      } catch (err) {
        throw mapError(mapContactError(err))
      }
    }
  return {
    'contact:share': wrap(async () => ({ ...contacts.share(), requestsEnabled: contacts.requestsEnabled() })),
    'contact:request': wrap(async ({ link }) => toApiContact(await contacts.request(link))),
    'contact:list': wrap(async () => contacts.list().map(toApiContact)),
    'contact:get': wrap(async ({ accountPk }) => {
      const d = contacts.details(key(accountPk))
      return {
        ...toApiContact(d.contact),
        sharedGroups: d.sharedGroups.map((g) => ({
          groupPk: base64urlEncode(g.groupPk),
          name: g.name,
          kind: g.kind,
          ...(g.memberPk !== undefined ? { memberPk: base64urlEncode(g.memberPk) } : {})
        })),
        aliasKnown: d.aliasKnown
      }
    }),
    'contact:accept': wrap(async ({ accountPk }) => toApiContact(await contacts.accept(key(accountPk)))),
    'contact:decline': wrap(async ({ accountPk }) => toApiContact(await contacts.decline(key(accountPk)))),
    'contact:block': wrap(async ({ accountPk }) => toApiContact(await contacts.block(key(accountPk)))),
    'contact:cancel': wrap(async ({ accountPk }) => {
      await contacts.cancel(key(accountPk))
      return {}
    }),
    'contact:unblock': wrap(async ({ accountPk }) => {
      await contacts.unblock(key(accountPk))
      return {}
    }),
    'contact:settings': wrap(async ({ requestsEnabled }) => ({
      requestsEnabled: requestsEnabled === undefined ? contacts.requestsEnabled() : await contacts.setRequestsEnabled(requestsEnabled)
    })),
    'contact:reset-link': wrap(async () => contacts.resetLink())
  }
}

/** Contact events → `contact:requested` / `contact:updated` API events. */
export function bridgeContactEvents(contacts: ContactManager, log: Logger): { onEvent(listener: EventListener): () => void; close(): void } {
  const listeners = new Set<EventListener>()
  const emit: EventListener = (event, payload) => {
    for (const l of listeners) {
      try {
        l(event, payload)
      } catch (err) {
        log('error', 'node: event listener failed', { event, error: String(err) })
      }
    }
  }
  const off = contacts.on((e) => {
    if (e.type === 'removed') {
      emit('contact:updated', { accountPk: base64urlEncode(e.accountPk), removed: true })
      return
    }
    const contact = toApiContact(e.contact)
    if (e.type === 'requested') emit('contact:requested', { contact })
    else emit('contact:updated', { contact, accountPk: contact.accountPk })
  })
  return {
    onEvent(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    close() {
      off()
      listeners.clear()
    }
  }
}
