/** Shared fixtures for the group protocol tests: accounts, devices and error assertions. */
import { expect } from 'vitest'
import { ed25519PublicFromSeed, memberKeyForGroup, randomBytes } from '../../../../core/crypto'
import { GroupProtocolError, type GroupProtocolErrorCode, type GroupSecrets, type Me } from '../../../../core/protocol/group'

export interface TestAccount {
  accountSeed: Uint8Array
  accountPk: Uint8Array
  aliasSeed: Uint8Array
  aliasPk: Uint8Array
}

export interface TestDevice {
  seed: Uint8Array
  pk: Uint8Array
}

export function newAccount(): TestAccount {
  const accountSeed = randomBytes(32)
  const aliasSeed = randomBytes(32)
  return { accountSeed, accountPk: ed25519PublicFromSeed(accountSeed), aliasSeed, aliasPk: ed25519PublicFromSeed(aliasSeed) }
}

export function newDevice(): TestDevice {
  const seed = randomBytes(32)
  return { seed, pk: ed25519PublicFromSeed(seed) }
}

/** The `me` of a device of `account` in a multi-member group. */
export function meFor(account: TestAccount, device: TestDevice, secrets: GroupSecrets): Me {
  const { memberSeed, memberPk } = memberKeyForGroup(account.aliasSeed, secrets.groupPk)
  return { memberSeed, memberPk, deviceSeed: device.seed, devicePk: device.pk }
}

export function expectGroupError(fn: () => unknown, code: GroupProtocolErrorCode): GroupProtocolError {
  let thrown: unknown
  try {
    fn()
  } catch (err) {
    thrown = err
  }
  expect(thrown, `expected GroupProtocolError ${code}`).toBeInstanceOf(GroupProtocolError)
  const e = thrown as GroupProtocolError
  expect(e.name).toBe('GroupProtocolError')
  expect(e.code).toBe(code)
  return e
}

export function flipByte(bytes: Uint8Array, index: number): Uint8Array {
  const out = bytes.slice()
  const i = index < 0 ? out.length + index : index
  out[i] = (out[i] as number) ^ 0x01
  return out
}

/** Deterministic Fisher–Yates with a seeded LCG, so a failing order can be replayed. */
export function shuffle<T>(items: T[], seed: number): T[] {
  const out = items.slice()
  let s = seed >>> 0
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    const j = s % (i + 1)
    const tmp = out[i] as T
    out[i] = out[j] as T
    out[j] = tmp
  }
  return out
}
