/**
 * Replication tokens: standard JWTs (RFC 7519) signed with EdDSA (Ed25519, RFC 8037) by the `jose`
 * library, under the server's own token key (kept sealed in the token book, core/storage/token-store.ts).
 *
 * Claims: `iss` and `aud` = the server's libp2p peer id (a token for one server is refused by
 * another), `exp` (required), `iat`, `jti` (random, what revocation names), and the quotas
 * `quota_groups` (how many groups this token may have served) and `quota_bytes` (how many bytes
 * those groups may hold together). Only `alg: EdDSA` is accepted; `none` and HMAC never are.
 * Disclaims: a token is a bearer secret: whoever holds it may use it until it expires or is
 * revoked; it does not name the member who uses it.
 */
import { errors as joseErrors, importJWK, jwtVerify, SignJWT, type JWTPayload } from 'jose'

type JoseKey = Awaited<ReturnType<typeof importJWK>>
import { base64urlDecode, base64urlEncode } from '../bytes'
import { ed25519PublicFromSeed, randomBytes } from '../crypto'
import { ReplicationError } from './errors'

export const TOKEN_ALG = 'EdDSA'
/** Tokens are short strings; anything longer is refused before parsing. */
export const MAX_TOKEN_CHARS = 2048
const JTI_RE = /^[A-Za-z0-9_-]{16,64}$/

export interface TokenClaims {
  jti: string
  audience: string
  issuedAt: number
  /** Unix ms. */
  expiresAt: number
  quotaGroups?: number
  quotaBytes?: number
}

export interface IssueOptions {
  audience: string
  /** Unix ms. */
  expiresAt: number
  quotaGroups?: number
  quotaBytes?: number
  now?: number
}

async function privateKey(seed: Uint8Array): Promise<JoseKey> {
  const x = base64urlEncode(ed25519PublicFromSeed(seed))
  return importJWK({ kty: 'OKP', crv: 'Ed25519', d: base64urlEncode(seed), x }, TOKEN_ALG)
}

async function publicKey(pub: Uint8Array): Promise<JoseKey> {
  return importJWK({ kty: 'OKP', crv: 'Ed25519', x: base64urlEncode(pub) }, TOKEN_ALG)
}

export function newJti(): string {
  return base64urlEncode(randomBytes(16))
}

export async function issueToken(seed: Uint8Array, opts: IssueOptions): Promise<{ token: string; claims: TokenClaims }> {
  const now = opts.now ?? Date.now()
  if (!(opts.expiresAt > now)) throw new RangeError('expiresAt must be in the future')
  const claims: TokenClaims = {
    jti: newJti(),
    audience: opts.audience,
    issuedAt: Math.floor(now / 1000) * 1000,
    expiresAt: Math.floor(opts.expiresAt / 1000) * 1000,
    ...(opts.quotaGroups !== undefined ? { quotaGroups: opts.quotaGroups } : {}),
    ...(opts.quotaBytes !== undefined ? { quotaBytes: opts.quotaBytes } : {})
  }
  const payload: JWTPayload = {
    ...(claims.quotaGroups !== undefined ? { quota_groups: claims.quotaGroups } : {}),
    ...(claims.quotaBytes !== undefined ? { quota_bytes: claims.quotaBytes } : {})
  }
  const token = await new SignJWT(payload)
    .setProtectedHeader({ alg: TOKEN_ALG, typ: 'JWT' })
    .setIssuer(opts.audience)
    .setAudience(opts.audience)
    .setJti(claims.jti)
    .setIssuedAt(claims.issuedAt / 1000)
    .setExpirationTime(claims.expiresAt / 1000)
    .sign(await privateKey(seed))
  return { token, claims }
}

function quota(v: unknown, name: string): number | undefined {
  if (v === undefined) return undefined
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new ReplicationError('ERR_TOKEN_INVALID', `token claim ${name} is not a non-negative integer`)
  return v
}

/**
 * Verifies signature, algorithm, audience and expiry; returns the claims. Revocation and quotas are
 * the caller's (they need the server's state). Errors are `ReplicationError`s with a clear code.
 */
export async function verifyToken(token: string, serverPub: Uint8Array, opts: { audience: string; now?: number }): Promise<TokenClaims> {
  if (typeof token !== 'string' || token.length === 0) throw new ReplicationError('ERR_TOKEN_MISSING', 'a replication token is required')
  if (token.length > MAX_TOKEN_CHARS) throw new ReplicationError('ERR_TOKEN_INVALID', 'the token is too long')
  let payload: JWTPayload
  try {
    ;({ payload } = await jwtVerify(token, await publicKey(serverPub), {
      algorithms: [TOKEN_ALG],
      audience: opts.audience,
      issuer: opts.audience,
      requiredClaims: ['exp', 'jti'],
      ...(opts.now !== undefined ? { currentDate: new Date(opts.now) } : {})
    }))
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) throw new ReplicationError('ERR_TOKEN_EXPIRED', 'the token has expired')
    if (err instanceof joseErrors.JWTClaimValidationFailed && (err.claim === 'aud' || err.claim === 'iss')) {
      throw new ReplicationError('ERR_TOKEN_AUDIENCE', 'the token was issued for another replication server')
    }
    throw new ReplicationError('ERR_TOKEN_INVALID', 'the token is not a valid token of this replication server')
  }
  const jti = payload.jti
  if (typeof jti !== 'string' || !JTI_RE.test(jti)) throw new ReplicationError('ERR_TOKEN_INVALID', 'the token has no valid id')
  const quotaGroups = quota(payload.quota_groups, 'quota_groups')
  const quotaBytes = quota(payload.quota_bytes, 'quota_bytes')
  return {
    jti,
    audience: opts.audience,
    issuedAt: (payload.iat ?? 0) * 1000,
    expiresAt: (payload.exp as number) * 1000,
    ...(quotaGroups !== undefined ? { quotaGroups } : {}),
    ...(quotaBytes !== undefined ? { quotaBytes } : {})
  }
}

/** The jti a token carries, read without verifying (for `--revoke-token TOKEN`); undefined if unreadable. */
export function peekJti(token: string): string | undefined {
  const parts = token.split('.')
  if (parts.length !== 3 || token.length > MAX_TOKEN_CHARS) return undefined
  try {
    const bytes = base64urlDecode(parts[1] as string)
    if (!bytes) return undefined
    const payload = JSON.parse(new TextDecoder().decode(bytes)) as { jti?: unknown }
    return typeof payload.jti === 'string' && JTI_RE.test(payload.jti) ? payload.jti : undefined
  } catch {
    return undefined
  }
}

/** The `exp` claim of a token (Unix ms), read without verifying: for a holder that cannot verify it (the account's devices). */
export function peekExpiry(token: string): number | undefined {
  const parts = token.split('.')
  if (parts.length !== 3 || token.length > MAX_TOKEN_CHARS) return undefined
  try {
    const bytes = base64urlDecode(parts[1] as string)
    if (!bytes) return undefined
    const payload = JSON.parse(new TextDecoder().decode(bytes)) as { exp?: unknown }
    return typeof payload.exp === 'number' && Number.isFinite(payload.exp) ? payload.exp * 1000 : undefined
  } catch {
    return undefined
  }
}
