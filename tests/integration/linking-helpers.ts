// Shared steps of the device-linking integration tests.
import { expect } from 'vitest'
import { until, type TestNode } from './helpers'

/** The PIN A shows for the current challenge (from A's `device:challenge` event). */
export function pinOf(a: TestNode, from = 0): Promise<string> {
  return until(a, () => {
    const e = [...a.events.slice(from)].reverse().find((x) => x.event === 'device:challenge')
    return (e?.payload as { pin?: string } | undefined)?.pin
  })
}

export async function linkWithPin(a: TestNode, b: TestNode): Promise<void> {
  const seen = a.events.length
  const { link } = await a.call('device:invite', {})
  const challenge = await b.call('device:link', { link })
  expect(challenge.kind).toBe('pin')
  const pin = await pinOf(a, seen)
  expect(await b.call('device:challenge:answer', { pin })).toEqual({ linked: true })
}

/** Nothing of an account in B's data directory, seen through the API and the database itself. */
export async function hasNoAccount(b: TestNode): Promise<void> {
  expect(await b.call('account:get', {})).toBeNull()
  expect(b.node.accounts.exists()).toBe(false)
  expect(b.node.groups.list()).toEqual([])
}
