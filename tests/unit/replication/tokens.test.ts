// Replication tokens: standard EdDSA JWTs (jose), checked here also with node:crypto's Ed25519 and
// by hand-made hostile tokens (alg none, HMAC with the public key, tampered claims).
import { createHmac, createPublicKey, verify as nodeVerify } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { base64urlEncode } from '../../../core/bytes'
import { ed25519PublicFromSeed, randomBytes } from '../../../core/crypto'
import { issueToken, peekJti, verifyToken } from '../../../core/replication/tokens'

const seed = randomBytes(32)
const pub = ed25519PublicFromSeed(seed)
const audience = '12D3KooWServer'
const hour = 3_600_000

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url')
const codeOf = async (p: Promise<unknown>) => p.then(() => 'accepted', (e: { code?: string }) => e.code)

describe('replication tokens', () => {
  it('round-trips claims and is a standard EdDSA JWT (verified with node:crypto too)', async () => {
    const now = Date.now()
    const { token, claims } = await issueToken(seed, { audience, expiresAt: now + hour, quotaGroups: 3, quotaBytes: 1_000_000, now })
    const [h, p, s] = token.split('.') as [string, string, string]
    expect(JSON.parse(Buffer.from(h, 'base64url').toString())).toEqual({ alg: 'EdDSA', typ: 'JWT' })
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString())
    expect(payload).toMatchObject({ aud: audience, iss: audience, jti: claims.jti, quota_groups: 3, quota_bytes: 1_000_000 })
    expect(payload.exp).toBe(Math.floor((now + hour) / 1000))
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: base64urlEncode(pub) }, format: 'jwk' })
    expect(nodeVerify(null, Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url'))).toBe(true)
    expect(await verifyToken(token, pub, { audience })).toEqual(claims)
    expect(peekJti(token)).toBe(claims.jti)
  })

  it('refuses expired, foreign-audience, foreign-key and tampered tokens with clear codes', async () => {
    const now = Date.now()
    const { token } = await issueToken(seed, { audience, expiresAt: now + 2000, now })
    expect(await codeOf(verifyToken(token, pub, { audience, now: now + 5000 }))).toBe('ERR_TOKEN_EXPIRED')
    expect(await codeOf(verifyToken(token, pub, { audience: '12D3KooWOther' }))).toBe('ERR_TOKEN_AUDIENCE')
    expect(await codeOf(verifyToken(token, ed25519PublicFromSeed(randomBytes(32)), { audience }))).toBe('ERR_TOKEN_INVALID')
    const [h, p, s] = token.split('.') as [string, string, string]
    const more = b64({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), quota_groups: 1_000_000 })
    expect(await codeOf(verifyToken(`${h}.${more}.${s}`, pub, { audience }))).toBe('ERR_TOKEN_INVALID')
    expect(await codeOf(verifyToken('', pub, { audience }))).toBe('ERR_TOKEN_MISSING')
    expect(await codeOf(verifyToken('x'.repeat(5000), pub, { audience }))).toBe('ERR_TOKEN_INVALID')
  })

  it('accepts no other algorithm: alg none, HMAC keyed with the public key', async () => {
    const claims = { aud: audience, iss: audience, jti: 'aaaaaaaaaaaaaaaaaaaaaa', exp: Math.floor(Date.now() / 1000) + 3600 }
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`
    expect(await codeOf(verifyToken(none, pub, { audience }))).toBe('ERR_TOKEN_INVALID')
    const signing = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`
    const mac = createHmac('sha256', Buffer.from(pub)).update(signing).digest('base64url')
    expect(await codeOf(verifyToken(`${signing}.${mac}`, pub, { audience }))).toBe('ERR_TOKEN_INVALID')
  })

  it('requires an expiry and an id, and well-formed quotas', async () => {
    const { token } = await issueToken(seed, { audience, expiresAt: Date.now() + hour })
    expect(await codeOf(verifyToken(token, pub, { audience }))).toBe('accepted')
    await expect(issueToken(seed, { audience, expiresAt: Date.now() - 1 })).rejects.toThrow(RangeError)
    expect(peekJti('not a token')).toBeUndefined()
  })
})
