/**
 * Berty deep links without Electron: which strings are group invitations or contact links, where they hide in a
 * second instance's argv, and the queue that joins them one at a time after the user agrees.
 * `deep-link.ts` binds this to `open-url`, `second-instance` and native dialogs.
 *
 * Accepted (PROTOCOL.md "Share links"; berty/berty `bertylinks`), group invitations and contact links:
 * - `berty://pb/<QR alphabet>` (any case for the prefix): the deep link of Berty's QR form, decoded
 *   here far enough to know it is a group or a contact (`kind: 'contact'`, sent to `contact:request`);
 * - `https://berty.tech/id#group/<base58>[/name=…]` and `…#contact/…`: the web links (passed on a command line);
 * - `berty://group#<base64url>`: our earlier form, for a transition (drop with the node's support).
 * No whitespace or control characters, at most {@link MAX_DEEP_LINK_CHARS} characters. The node's
 * `group:join` still checks the payload (encoding, signatures); this filter only keeps arbitrary
 * strings from reaching it. An invitation is as sensitive as the group, so the URL is never logged:
 * logs get its length and the reason it was refused.
 *
 * Any web page can open a `berty://` link, so a link never joins silently: the user confirms each.
 */
import { BertyLinkError, unmarshalBertyLink } from '../../core/protocol/links'
import { BertyLink } from '../../core/protocol/proto/berty-link'

/** Same values as `core/protocol/group/invitation.ts` (a unit test pins them equal). */
export const DEEP_LINK_PREFIX = 'berty://group#'
export const MAX_DEEP_LINK_CHARS = 4096
/** Links waiting for the user beyond this are dropped: a page cannot stack up dialogs. */
export const MAX_PENDING_DEEP_LINKS = 3

/** Canonical prefixes of Berty's two forms (bertylinks `MarshalLink`). */
export const QR_LINK_PREFIX = 'BERTY://PB/'
export const WEB_GROUP_LINK_PREFIX = 'https://berty.tech/id#group/'
export const WEB_CONTACT_LINK_PREFIX = 'https://berty.tech/id#contact/'

export type DeepLinkRefusal = 'not-a-string' | 'too-long' | 'wrong-scheme' | 'not-an-invitation' | 'not-a-group' | 'bad-payload'

/** `kind` is set for contact links only; everything else accepted is a group invitation. */
export type DeepLinkParse = { ok: true; url: string; kind?: 'contact' } | { ok: false; reason: DeepLinkRefusal }

// Hosts compared case-insensitively (URL hosts are); some launchers add a slash before the fragment.
const LEGACY_RE = /^berty:\/\/group\/?#([A-Za-z0-9_-]+)$/i
// The QR alphabet of bertylinks (case-sensitive payload; '/' is one of its letters).
const QR_RE = /^berty:\/\/pb\/([A-Z0-9$*.:/-]+)$/i
const QR_PAYLOAD_RE = /^[A-Z0-9$*.:/-]+$/
// Base58 payload, then what Go's url.Values.Encode writes (`name=…`, percent-escaped).
const WEB_RE = /^https:\/\/berty\.tech\/id#group\/([1-9A-HJ-NP-Za-km-z]+)(\/[A-Za-z0-9_.~%+=&/-]*)?$/i
const WEB_CONTACT_RE = /^https:\/\/berty\.tech\/id#contact\/([1-9A-HJ-NP-Za-km-z]+)(\/[A-Za-z0-9_.~%+=&/-]*)?$/i
const WEB_ANY_RE = /^https:\/\/berty\.tech\/id#/i

/** Validates a deep link; on success returns it in a canonical form for `group:join`. */
export function parseDeepLink(raw: unknown): DeepLinkParse {
  if (typeof raw !== 'string') return { ok: false, reason: 'not-a-string' }
  if (raw.length > MAX_DEEP_LINK_CHARS) return { ok: false, reason: 'too-long' }
  if (WEB_ANY_RE.test(raw)) return parseWeb(raw)
  if (!/^berty:/i.test(raw)) return { ok: false, reason: 'wrong-scheme' }
  if (/^berty:\/\/pb\//i.test(raw)) return parseQr(raw)
  if (!/^berty:\/\/group\/?#/i.test(raw)) return { ok: false, reason: 'not-an-invitation' }
  const match = LEGACY_RE.exec(raw)
  if (!match?.[1]) return { ok: false, reason: 'bad-payload' }
  return { ok: true, url: DEEP_LINK_PREFIX + match[1] }
}

function parseWeb(raw: string): DeepLinkParse {
  if (/^https:\/\/berty\.tech\/id#contact\//i.test(raw)) {
    const contact = WEB_CONTACT_RE.exec(raw)
    if (!contact?.[1]) return { ok: false, reason: 'bad-payload' }
    return { ok: true, url: WEB_CONTACT_LINK_PREFIX + contact[1] + (contact[2] ?? ''), kind: 'contact' }
  }
  if (!/^https:\/\/berty\.tech\/id#group\//i.test(raw)) return { ok: false, reason: 'not-a-group' }
  const match = WEB_RE.exec(raw)
  if (!match?.[1]) return { ok: false, reason: 'bad-payload' }
  return { ok: true, url: WEB_GROUP_LINK_PREFIX + match[1] + (match[2] ?? '') }
}

function parseQr(raw: string): DeepLinkParse {
  const payload = QR_RE.exec(raw)?.[1]
  if (payload === undefined || !QR_PAYLOAD_RE.test(payload)) return { ok: false, reason: 'bad-payload' }
  const url = QR_LINK_PREFIX + payload
  let link: BertyLink
  try {
    link = unmarshalBertyLink(url)
  } catch (err) {
    if (err instanceof BertyLinkError) return { ok: false, reason: 'bad-payload' }
    throw err
  }
  // A passphrase-protected group link is let through: the node tells the user it is not supported yet.
  const group = BertyLink.Kind.GroupV1Kind
  if (link.kind === group || (link.kind === BertyLink.Kind.EncryptedV1Kind && link.encrypted?.kind === group)) return { ok: true, url }
  if (link.kind === BertyLink.Kind.ContactInviteV1Kind) return { ok: true, url, kind: 'contact' }
  return { ok: false, reason: 'not-a-group' }
}

/**
 * The deep link in a (second) instance's command line, if any (Windows and Linux pass the URL as
 * an argument). Only arguments that start with `berty:` or `https://berty.tech/id#` are
 * considered; switches and paths are not.
 */
export function deepLinkArgument(argv: readonly string[]): string | undefined {
  return argv.find((arg) => typeof arg === 'string' && (/^berty:/i.test(arg) || WEB_ANY_RE.test(arg)))
}

/** {@link deepLinkArgument}, validated. */
export function deepLinkFromArgv(argv: readonly string[]): DeepLinkParse | undefined {
  const arg = deepLinkArgument(argv)
  return arg === undefined ? undefined : parseDeepLink(arg)
}

export interface JoinOutcome {
  ok: boolean
  /** On success, the joined group's name when known. */
  groupName?: string
  /** On success of a contact link, the contact's display name. */
  contactName?: string
  /** On failure, an error code of the API and a message fit for the user. */
  code?: string
  message?: string
}

export interface DeepLinkQueueDeps {
  /** Asks the user; resolves true to join (a group) or to send the request (a contact). */
  confirm(kind: 'group' | 'contact'): Promise<boolean>
  /** Joins through the node (`group:join`), or requests the contact (`contact:request`); never throws. */
  join(url: string, kind: 'group' | 'contact'): Promise<JoinOutcome>
  /** Tells the user what happened (joined, refused, failed). */
  report(outcome: JoinOutcome): void
  log?: (level: 'info' | 'warn', msg: string, data?: Record<string, unknown>) => void
  maxPending?: number
}

export interface DeepLinkQueue {
  /** Handles one raw link; returns false when it was refused or dropped. */
  push(raw: unknown): boolean
  /** Settles when everything pushed so far is handled (for tests and shutdown). */
  idle(): Promise<void>
}

/** Serializes links: one dialog at a time, duplicates of a pending link ignored, a bounded backlog. */
export function createDeepLinkQueue(deps: DeepLinkQueueDeps): DeepLinkQueue {
  const maxPending = deps.maxPending ?? MAX_PENDING_DEEP_LINKS
  const pending = new Set<string>()
  let chain: Promise<void> = Promise.resolve()

  const handle = async (url: string, kind: 'group' | 'contact'): Promise<void> => {
    try {
      let accepted = false
      try {
        accepted = await deps.confirm(kind)
      } catch {
        accepted = false
      }
      if (!accepted) {
        deps.log?.('info', 'deep link: the user declined to join')
        return
      }
      const outcome = await deps.join(url, kind).catch(
        (): JoinOutcome => ({ ok: false, code: 'INTERNAL', message: 'Joining the group failed.' })
      )
      deps.log?.(outcome.ok ? 'info' : 'warn', outcome.ok ? 'deep link: joined a group' : 'deep link: join failed', {
        ...(outcome.code ? { code: outcome.code } : {})
      })
      deps.report(outcome)
    } finally {
      pending.delete(url)
    }
  }

  return {
    push(raw) {
      const parsed = parseDeepLink(raw)
      if (!parsed.ok) {
        deps.log?.('warn', 'deep link: refused', {
          reason: parsed.reason,
          length: typeof raw === 'string' ? raw.length : undefined
        })
        return false
      }
      if (pending.has(parsed.url)) return false
      if (pending.size >= maxPending) {
        deps.log?.('warn', 'deep link: too many pending invitations; dropped one', { pending: pending.size })
        return false
      }
      pending.add(parsed.url)
      chain = chain.then(() => handle(parsed.url, parsed.kind ?? 'group'))
      return true
    },
    idle: () => chain
  }
}
