// The sender side of an unreadable message: a member first handed this device's chain key past one of
// its pending messages cannot read it — reported once per member and message; the message stays
// pending (only a hand-over from further back could still cover it).
import { describe, expect, it } from 'vitest'
import { DeliveryTracker } from '../../../core/groups/delivery'
import type { OpenGroup } from '../../../core/groups/types'
import { keyId } from '../../../core/protocol/group'

function group(members: string[]): OpenGroup {
  const me = new Uint8Array(32).fill(9)
  return {
    me: { memberPk: me },
    state: { members: new Map([[keyId(me), {}], ...members.map((m) => [m, {}] as const)]) },
    handedOver: new Map(),
    secretsPosted: new Set(),
    undelivered: []
  } as unknown as OpenGroup
}

describe('delivery: messages a member can never read', () => {
  it('reports own pending messages before the first counter handed to a member, once', () => {
    const delivered: string[] = []
    const unreadable: Array<[string, string]> = []
    const t = new DeliveryTracker(
      (_g, id) => delivered.push(id),
      (_g, id, member) => unreadable.push([id, member])
    )
    const g = group(['bb'])
    t.sent(g, 'm1', 1, true)
    t.sent(g, 'm2', 2, true)
    t.sent(g, 'm3', 5, true)
    // bb is first handed the key at counter 3: m1 and m2 are out of its reach, m3 is covered.
    t.handedOver(g, 'bb', 3)
    expect(unreadable).toEqual([
      ['m1', 'bb'],
      ['m2', 'bb']
    ])
    expect(delivered).toEqual(['m3'])
    expect(g.undelivered.map((p) => p.id)).toEqual(['m1', 'm2'])
    // A second hand-over to the same member reports nothing new.
    t.handedOver(g, 'bb', 3)
    expect(unreadable).toHaveLength(2)
  })

  it('reports nothing when the hand-over starts at or before every pending message', () => {
    const unreadable: string[] = []
    const t = new DeliveryTracker(() => {}, (_g, id) => unreadable.push(id))
    const g = group(['bb'])
    t.sent(g, 'm1', 4, false)
    t.handedOver(g, 'bb', 4)
    expect(unreadable).toEqual([])
    expect(g.undelivered.map((p) => p.id)).toEqual(['m1'])
  })
})
