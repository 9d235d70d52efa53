/** Names of the contacts methods and events (contract-contacts.ts), spread into channels.ts. */
export const CONTACT_METHOD_NAMES = [
  'contact:share',
  'contact:request',
  'contact:list',
  'contact:get',
  'contact:accept',
  'contact:decline',
  'contact:block',
  'contact:cancel',
  'contact:unblock',
  'contact:settings',
  'contact:reset-link'
] as const

export const CONTACT_EVENT_NAMES = ['contact:requested', 'contact:updated'] as const
