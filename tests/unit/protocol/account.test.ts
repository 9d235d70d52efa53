import { describe, expect, it } from 'vitest'
import { ed25519PublicFromSeed, rendezvousPeriodStart, rendezvousPoint } from '../../../core/crypto'
import {
  createAccountKeys,
  createDeviceSeed,
  publicRendezvousPoint,
  RENDEZVOUS_SEED_LENGTH
} from '../../../core/protocol/account'

describe('createAccountKeys (spec "Account Creation")', () => {
  it('generates four independent 32-byte secrets and their public keys', () => {
    const { secrets, publics } = createAccountKeys()
    const all = [secrets.accountSeed, secrets.aliasSeed, secrets.deviceSeed, secrets.rendezvousSeed]
    for (const s of all) expect(s).toHaveLength(32)
    expect(secrets.rendezvousSeed).toHaveLength(RENDEZVOUS_SEED_LENGTH)
    expect(new Set(all.map((s) => Buffer.from(s).toString('hex'))).size).toBe(4)
    expect(publics.accountPk).toEqual(ed25519PublicFromSeed(secrets.accountSeed))
    expect(publics.aliasPk).toEqual(ed25519PublicFromSeed(secrets.aliasSeed))
    expect(publics.devicePk).toEqual(ed25519PublicFromSeed(secrets.deviceSeed))
  })

  it('never repeats', () => {
    const a = createAccountKeys()
    const b = createAccountKeys()
    expect(a.publics.accountPk).not.toEqual(b.publics.accountPk)
    expect(createDeviceSeed()).not.toEqual(createDeviceSeed())
  })
})

describe('publicRendezvousPoint (PROTOCOL.md "Rendezvous point")', () => {
  const { secrets, publics } = createAccountKeys()
  const now = 1_700_000_000

  it('is rendezvousPoint(topic = ASCII of base64-std(accountPk), seed = rdv seed, periodStart), as weshnet', () => {
    const topic = new TextEncoder().encode(Buffer.from(publics.accountPk).toString('base64'))
    expect(publicRendezvousPoint(publics.accountPk, secrets.rendezvousSeed, now)).toEqual(
      rendezvousPoint(topic, secrets.rendezvousSeed, rendezvousPeriodStart(now))
    )
  })

  it('is stable within a period and changes with the period and the seed', () => {
    const p = publicRendezvousPoint(publics.accountPk, secrets.rendezvousSeed, now)
    const start = rendezvousPeriodStart(now)
    expect(publicRendezvousPoint(publics.accountPk, secrets.rendezvousSeed, start)).toEqual(p)
    expect(publicRendezvousPoint(publics.accountPk, secrets.rendezvousSeed, start + 86_400)).not.toEqual(p)
    expect(publicRendezvousPoint(publics.accountPk, createAccountKeys().secrets.rendezvousSeed, now)).not.toEqual(p)
  })

  it('rejects an account key that is not 32 bytes', () => {
    expect(() => publicRendezvousPoint(publics.accountPk.subarray(1), secrets.rendezvousSeed, now)).toThrow(/accountPk must be 32 bytes/)
  })
})
