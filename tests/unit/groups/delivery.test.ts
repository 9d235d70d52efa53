// `delivered` only when a peer took the message AND every other member holds this device's chain
// key at or before its counter (core/groups/delivery.ts).
import { describe, expect, it } from 'vitest'
import { DeliveryTracker } from '../../../core/groups/delivery'
import type { OpenGroup } from '../../../core/groups/types'
import { keyId } from '../../../core/protocol/group'

function group(memberIds: string[], me: Uint8Array): OpenGroup {
  return {
    me: { memberPk: me },
    state: { members: new Map([[keyId(me), {}], ...memberIds.map((m) => [m, {}] as const)]) },
    handedOver: new Map(),
    undelivered: [],
    secretsPosted: new Set()
  } as unknown as OpenGroup
}

describe('DeliveryTracker', () => {
  const me = new Uint8Array(32).fill(1)

  it('waits for every other member to be covered and for a peer to take the message', () => {
    const delivered: string[] = []
    const t = new DeliveryTracker((_g, id) => delivered.push(id))
    const g = group(['bb', 'cc'], me)
    t.sent(g, 'm5', 5, true)
    t.sent(g, 'm6', 6, false)
    expect(delivered).toEqual([])
    t.handedOver(g, 'bb', 0)
    expect(delivered).toEqual([])
    // Handed at 6: covers m6 onwards, not m5 (sent before the key C was given).
    t.handedOver(g, 'cc', 6)
    expect(delivered).toEqual([])
    t.served(g, ['m6'])
    expect(delivered).toEqual(['m6'])
    // An earlier key for C (a hand-over from further back) covers m5 too.
    t.handedOver(g, 'cc', 2)
    expect(delivered).toEqual(['m6', 'm5'])
  })

  it('counts a member addressed in an earlier session as covered for new sends', () => {
    const delivered: string[] = []
    const t = new DeliveryTracker((_g, id) => delivered.push(id))
    const g = group(['bb'], me)
    g.secretsPosted.add('bb')
    t.sent(g, 'm1', 1, true)
    expect(delivered).toEqual(['m1'])
  })

  it('alone in a group, a message that no peer took stays sent', () => {
    const delivered: string[] = []
    const t = new DeliveryTracker((_g, id) => delivered.push(id))
    const g = group([], me)
    t.sent(g, 'm1', 1, false)
    expect(delivered).toEqual([])
  })
})
