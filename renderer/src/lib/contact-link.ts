/**
 * A first check of a pasted contact link before asking the node, which does the real decoding and
 * answers INVALID_INVITATION, SELF_CONTACT, ALREADY_CONTACT or BLOCKED.
 */
import { MAX_URL_CHARS } from '../../../core/api/constants'

export function validateContactLink(input: string): string | null {
  const text = input.trim()
  if (text.length === 0) return 'Paste a contact link.'
  if (text.length > MAX_URL_CHARS) return `A contact link is at most ${MAX_URL_CHARS} characters.`
  const lower = text.toLowerCase()
  if (lower.startsWith('https://berty.tech/id#group/')) return 'This is a group invitation: use “Join” in the conversation list.'
  if (lower.startsWith('https://berty.tech/id#contact/')) return null
  if (lower.startsWith('berty://pb/')) return text.length > 'berty://pb/'.length ? null : 'This link has nothing after “PB/”.'
  return 'A contact link starts with https://berty.tech/id#contact/ or BERTY://PB/.'
}

/** One line per error code of the contacts methods. */
export const CONTACT_ERROR_TEXT: Record<string, string> = {
  INVALID_INVITATION: 'This contact link is not valid (incomplete or damaged).',
  SELF_CONTACT: 'This is your own contact link.',
  ALREADY_CONTACT: 'This person is already a contact.',
  BLOCKED: 'You blocked this account.'
}
