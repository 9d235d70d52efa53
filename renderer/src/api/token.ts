/**
 * The daemon prints `http://host:port/#token=…`. The fragment never reaches a server; we
 * read the token once, drop it from the address bar (so it does not linger in history or
 * get copied along with the URL), and keep it in sessionStorage so a reload still works
 * for this tab only.
 */
export const TOKEN_STORAGE_KEY = 'berty.apiToken'
const MAX_TOKEN_CHARS = 1024

export interface StorageLike {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
}

export interface TokenEnv {
  /** `location.hash`, with or without the leading '#'. */
  hash: string
  /** `location.pathname + location.search`, used to rebuild the URL without the token. */
  pathAndQuery: string
  /** `history.replaceState(null, '', url)`. */
  replaceUrl(url: string): void
  /** sessionStorage, or null where it is unavailable. */
  storage: StorageLike | null
}

function readStorage(storage: StorageLike | null): string | null {
  try {
    const v = storage?.getItem(TOKEN_STORAGE_KEY) ?? null
    return v && v.length <= MAX_TOKEN_CHARS ? v : null
  } catch {
    return null
  }
}

/** The API token: from the fragment (then removed from it) or from this tab's storage. */
export function takeToken(env: TokenEnv): string | null {
  const raw = env.hash.startsWith('#') ? env.hash.slice(1) : env.hash
  const params = new URLSearchParams(raw)
  if (!params.has('token')) return readStorage(env.storage)

  const token = params.get('token') ?? ''
  params.delete('token')
  const rest = params.toString()
  try {
    env.replaceUrl(env.pathAndQuery + (rest ? `#${rest}` : ''))
  } catch {
    // Some embedders forbid history edits; the token still works.
  }
  if (token.length === 0 || token.length > MAX_TOKEN_CHARS) return readStorage(env.storage)
  try {
    env.storage?.setItem(TOKEN_STORAGE_KEY, token)
  } catch {
    // Storage disabled: the token works until the page is reloaded.
  }
  return token
}

/** `ws(s)://host/api?token=…` for the page's own origin. */
export function apiUrl(protocol: string, host: string, token: string | null): string {
  const scheme = protocol === 'https:' ? 'wss' : 'ws'
  const query = token ? `?token=${encodeURIComponent(token)}` : ''
  return `${scheme}://${host}/api${query}`
}
