/**
 * `berty://` deep links without Electron: which strings are invitations, where they hide in a
 * second instance's argv, and the queue that joins them one at a time after the user agrees.
 * `deep-link.ts` binds this to `open-url`, `second-instance` and native dialogs.
 *
 * Only `berty://group#<base64url>` is accepted (PROTOCOL.md "Share links"): no other scheme or
 * host, no whitespace or control characters, at most {@link MAX_DEEP_LINK_CHARS} characters.
 * The node's `group:join` still checks the payload (encoding, signatures); this filter only keeps
 * arbitrary strings from reaching it. An invitation is as sensitive as the group, so the URL is
 * never logged: logs get its length and the reason it was refused.
 *
 * Any web page can open a `berty://` link, so a link never joins silently: the user confirms each.
 */

/** Same values as `core/protocol/group/invitation.ts` (a unit test pins them equal). */
export const DEEP_LINK_PREFIX = 'berty://group#'
export const MAX_DEEP_LINK_CHARS = 2048
/** Links waiting for the user beyond this are dropped: a page cannot stack up dialogs. */
export const MAX_PENDING_DEEP_LINKS = 3

export type DeepLinkRefusal = 'not-a-string' | 'too-long' | 'wrong-scheme' | 'not-an-invitation' | 'bad-payload'

export type DeepLinkParse = { ok: true; url: string } | { ok: false; reason: DeepLinkRefusal }

// Host compared case-insensitively (URL hosts are); some launchers add a slash before the fragment.
const INVITATION_RE = /^berty:\/\/group\/?#([A-Za-z0-9_-]+)$/i

/** Validates a deep link; on success returns it in canonical form `berty://group#<payload>`. */
export function parseDeepLink(raw: unknown): DeepLinkParse {
  if (typeof raw !== 'string') return { ok: false, reason: 'not-a-string' }
  if (raw.length > MAX_DEEP_LINK_CHARS) return { ok: false, reason: 'too-long' }
  if (!/^berty:/i.test(raw)) return { ok: false, reason: 'wrong-scheme' }
  if (!/^berty:\/\/group\/?#/i.test(raw)) return { ok: false, reason: 'not-an-invitation' }
  const match = INVITATION_RE.exec(raw)
  if (!match?.[1]) return { ok: false, reason: 'bad-payload' }
  return { ok: true, url: DEEP_LINK_PREFIX + match[1] }
}

/**
 * The deep link in a (second) instance's command line, if any (Windows and Linux pass the URL as
 * an argument). Only arguments that start with `berty:` are considered; switches and paths are not.
 */
export function deepLinkArgument(argv: readonly string[]): string | undefined {
  return argv.find((arg) => typeof arg === 'string' && /^berty:/i.test(arg))
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
  /** On failure, an error code of the API and a message fit for the user. */
  code?: string
  message?: string
}

export interface DeepLinkQueueDeps {
  /** Asks the user; resolves true to join. */
  confirm(): Promise<boolean>
  /** Joins through the node (`group:join`); never throws. */
  join(url: string): Promise<JoinOutcome>
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

  const handle = async (url: string): Promise<void> => {
    try {
      let accepted = false
      try {
        accepted = await deps.confirm()
      } catch {
        accepted = false
      }
      if (!accepted) {
        deps.log?.('info', 'deep link: the user declined to join')
        return
      }
      const outcome = await deps.join(url).catch(
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
      chain = chain.then(() => handle(parsed.url))
      return true
    },
    idle: () => chain
  }
}
