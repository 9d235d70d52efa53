// Pass-through weshnet events in the metadata log (core/protocol/group/wesh-events.ts): posted by a
// member, verified and listed in log order by every member, kept across a restart, announced on
// the engine's bus; refused in the wrong kind of group, with another device's device_pk, with a
// payload that is not the type's weshnet message, or with a type the log does not carry.
import { afterEach, describe, expect, it } from 'vitest'
import { AccountContactRequestEnabled, AccountGroupLeft, GroupReplicating } from '../../core/protocol/proto/wesh'
import type { WeshEventRecord } from '../../core/groups/types'
import { connect, gpkOf, startNode, stopAll, until, untilEngine } from './helpers'

afterEach(stopAll)

describe('pass-through weshnet events', () => {
  it('carries account events in the account group, in order, across a restart', async () => {
    const a = await startNode('a')
    await a.call('account:create', { displayName: 'A' })
    const groups = () => a.node.groups
    const accountPk = groups().accountGroupPk()!
    expect(accountPk).toBeDefined()
    const devicePk = groups().myDevicePk(accountPk)
    const announced: WeshEventRecord[] = []
    groups().on((e) => {
      if (e.type === 'wesh-event') announced.push(e.event)
    })
    await groups().appendWeshEvent(accountPk, 104, AccountContactRequestEnabled.encode({ devicePk }))
    await groups().appendWeshEvent(accountPk, 102, AccountGroupLeft.encode({ devicePk, groupPk: new Uint8Array(32).fill(7) }))
    await untilEngine(a, () => groups().weshEvents(accountPk).length === 2)
    expect(groups().weshEvents(accountPk).map((e) => e.eventType)).toEqual([104, 102])
    expect(groups().weshEvents(accountPk, 102)).toHaveLength(1)
    expect(AccountGroupLeft.decode(groups().weshEvents(accountPk, 102)[0]!.payload).groupPk).toEqual(new Uint8Array(32).fill(7))
    expect(announced.map((e) => e.eventType)).toEqual([104, 102])

    await a.restart()
    expect(a.node.groups.weshEvents(accountPk).map((e) => e.eventType)).toEqual([104, 102])
  })

  it('refuses events in the wrong group kind, from another device, malformed, or of a type the log does not carry', async () => {
    const a = await startNode('a')
    await a.call('account:create', { displayName: 'A' })
    const groups = a.node.groups
    const accountPk = groups.accountGroupPk()!
    const devicePk = groups.myDevicePk(accountPk)
    const { groupPk } = await a.call('group:create', { name: 'Club' })
    const gpk = gpkOf(groupPk)
    const myDeviceInGroup = groups.myDevicePk(gpk)
    // Account events belong to the account group only.
    await expect(groups.appendWeshEvent(gpk, 104, AccountContactRequestEnabled.encode({ devicePk: myDeviceInGroup }))).rejects.toThrow(/do not belong in a multi group/)
    // device_pk must be the author device.
    await expect(groups.appendWeshEvent(accountPk, 104, AccountContactRequestEnabled.encode({ devicePk: new Uint8Array(32).fill(1) }))).rejects.toThrow(/author device/)
    // Not a well-formed message of that type (field 1 as a varint instead of bytes).
    await expect(groups.appendWeshEvent(accountPk, 104, Uint8Array.of(0x08, 0x01))).rejects.toThrow()
    // Types the engine interprets itself (or does not know) are not pass-through.
    await expect(groups.appendWeshEvent(accountPk, 1, AccountContactRequestEnabled.encode({ devicePk }))).rejects.toThrow(/cannot be posted/)
    await expect(groups.appendWeshEvent(accountPk, 999, AccountContactRequestEnabled.encode({ devicePk }))).rejects.toThrow(/cannot be posted/)
    expect(groups.weshEvents(accountPk)).toEqual([])
    expect(groups.weshEvents(gpk)).toEqual([])
  })

  it('shows a GroupReplicating event of one member to the others', async () => {
    const [a, b] = [await startNode('a'), await startNode('b')]
    await a.call('account:create', { displayName: 'A' })
    await b.call('account:create', { displayName: 'B' })
    const { groupPk } = await a.call('group:create', { name: 'Club' })
    const { url } = await a.call('group:invite', { groupPk })
    await connect(b, a)
    await b.call('group:join', { url })
    const gpk = gpkOf(groupPk)
    const devicePk = a.node.groups.myDevicePk(gpk)
    await a.node.groups.appendWeshEvent(gpk, 403, GroupReplicating.encode({ devicePk, authenticationUrl: '', replicationServer: '/ip4/127.0.0.1/tcp/4001' }))
    const seen = await until(b, () => b.node.groups.weshEvents(gpk, 403)[0])
    expect(GroupReplicating.decode(seen.payload).replicationServer).toBe('/ip4/127.0.0.1/tcp/4001')
    expect(seen.devicePk).toEqual(devicePk)
  })

  it('fills an empty device_pk, returns the entry id, and announces the event on the other member', async () => {
    const [a, b] = [await startNode('a'), await startNode('b')]
    await a.call('account:create', { displayName: 'A' })
    await b.call('account:create', { displayName: 'B' })
    const { groupPk } = await a.call('group:create', { name: 'Club' })
    const { url } = await a.call('group:invite', { groupPk })
    await connect(b, a)
    await b.call('group:join', { url })
    const gpk = gpkOf(groupPk)
    await until(b, () => b.node.groups.members(gpk).length === 2)
    const heard: WeshEventRecord[] = []
    b.node.groups.on((e) => {
      if (e.type === 'wesh-event') heard.push(e.event)
    })
    const payload = GroupReplicating.encode({ devicePk: new Uint8Array(0), authenticationUrl: 'https://auth.example', replicationServer: '/dns4/replica.example/tcp/4040' })
    const id = await a.node.groups.appendWeshEvent(gpk, 403, payload)
    const seen = await until(b, () => heard.find((e) => e.entryId === id))
    expect(seen.devicePk).toEqual(a.node.groups.myDevicePk(gpk))
    expect(GroupReplicating.decode(seen.payload).devicePk).toEqual(a.node.groups.myDevicePk(gpk))
    expect(b.node.groups.weshEvents(gpk, 403).map((e) => e.entryId)).toEqual([id])
    // The list is a copy: callers cannot alter the engine's.
    b.node.groups.weshEvents(gpk)[0]!.payload.fill(0)
    expect(GroupReplicating.decode(b.node.groups.weshEvents(gpk)[0]!.payload).replicationServer).toBe('/dns4/replica.example/tcp/4040')
    expect(a.warnings).toEqual([])
    expect(b.warnings).toEqual([])
  })
})
