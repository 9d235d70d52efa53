/**
 * A first check of a pasted invitation, before asking the node. Berty group links come as
 * `https://berty.tech/id#group/…` (payload in the fragment, never sent to a web server),
 * `BERTY://PB/…` (the QR code's form, also the `berty://pb/…` deep link), or our earlier
 * `berty://group#…` (PROTOCOL.md "Share links"). The node does the real verification and answers
 * INVALID_INVITATION when it fails.
 */
import { MAX_URL_CHARS } from '../../../core/api/constants'

export { MAX_URL_CHARS }

const WEB_PREFIX = 'https://berty.tech/id#'
const QR_PREFIX = 'berty://pb/'

export function validateInvite(input: string): string | null {
  const text = input.trim()
  if (text.length === 0) return 'Paste an invitation link.'
  if (text.length > MAX_URL_CHARS) return `An invitation link is at most ${MAX_URL_CHARS} characters.`
  const lower = text.toLowerCase()
  if (lower.startsWith(QR_PREFIX)) {
    return text.length > QR_PREFIX.length ? null : 'This link has no invitation in it (nothing after “PB/”).'
  }
  if (lower.startsWith(`${WEB_PREFIX}contact/`)) return 'This is a contact link, not a group invitation.'
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return 'This is not a link. Paste the whole invitation link, starting with https:// or berty://.'
  }
  if (!['https:', 'http:', 'berty:'].includes(url.protocol)) {
    return `Links starting with ${url.protocol}// are not Berty invitations.`
  }
  if (url.hash.length <= 1) return 'This link has no invitation in it (the part after “#” is missing).'
  return null
}
