// Device linking (spec "Linking Devices"): the PIN challenge end to end between real nodes on loopback,
// then account sync: B holds A's account, every group of it (joined as a new device of the same member),
// messages from either device are `mine` on both; a group A creates later reaches B by itself.
import { afterEach, describe, expect, it } from 'vitest'
import { gpkOf, startNode, stopAll, texts, until } from './helpers'
import { linkWithPin } from './linking-helpers'

afterEach(stopAll)

describe('device linking', () => {
  it('links B to A with the PIN: same account, every group, mine on both, later groups follow', async () => {
    const [a, b] = [await startNode('a'), await startNode('b')]
    await a.call('account:create', { displayName: 'Alice' })
    const { groupPk } = await a.call('group:create', { name: 'Before' })
    await a.call('message:send', { groupPk, text: 'from A before the link' })

    await linkWithPin(a, b)
    const accountA = await a.call('account:get', {})
    const accountB = await b.call('account:get', {})
    expect(accountB?.accountPk).toBe(accountA?.accountPk)
    expect(accountB?.displayName).toBe('Alice')
    expect(accountB?.devicePk).not.toBe(accountA?.devicePk)
    await until(a, () => a.events.some((e) => e.event === 'device:linked'))
    expect(b.events.some((e) => e.event === 'device:linked')).toBe(true)

    // B joins the group by itself, as a new device of the same member.
    await until(b, () => b.node.groups.has(gpkOf(groupPk)))
    const membersA = await until(a, async () => {
      const m = await a.call('group:members', { groupPk })
      return m.length === 1 && m[0]!.devices.length === 2 ? m : undefined
    })
    const membersB = await until(b, async () => {
      const m = await b.call('group:members', { groupPk })
      return m.length === 1 && m[0]!.devices.length === 2 ? m : undefined
    })
    expect(membersB[0]!.memberPk).toBe(membersA[0]!.memberPk)
    expect(membersB[0]!.me).toBe(true)
    // A handed its chain key to its own member at creation: B reads A's history.
    await until(b, async () => (await texts(b, groupPk)).includes('from A before the link'))

    await b.call('message:send', { groupPk, text: 'from B' })
    const onA = await until(a, async () => (await a.call('message:list', { groupPk })).messages.find((m) => m.text === 'from B'))
    expect(onA.mine).toBe(true)
    const onB = (await b.call('message:list', { groupPk })).messages.find((m) => m.text === 'from A before the link')
    expect(onB?.mine).toBe(true)

    const later = await a.call('group:create', { name: 'After' })
    await until(b, async () => (await b.call('group:list', {})).some((g) => g.groupPk === later.groupPk && g.name === 'After'))

    // Both list both devices of the account.
    const devicesA = await until(a, async () => {
      const d = await a.call('device:list', {})
      return d.length === 2 ? d : undefined
    })
    expect(devicesA.filter((d) => d.current)).toHaveLength(1)
    expect((await b.call('device:list', {})).length).toBe(2)
    // A names B as B introduced itself; renaming is a local label.
    const other = devicesA.find((d) => !d.current)!
    expect(other.name).toBeTruthy()
    expect(await a.call('device:rename', { devicePk: other.devicePk, name: 'Work laptop' })).toMatchObject({ name: 'Work laptop', current: false })
    expect((await a.call('device:list', {})).find((d) => d.devicePk === other.devicePk)?.name).toBe('Work laptop')

    // No account secret in any log line or API event of either node.
    const seeds = [await a.node.accounts.getAccountSeed(), await a.node.accounts.getAliasSeed()]
    const secrets = seeds.flatMap((x) => [Buffer.from(x).toString('hex'), Buffer.from(x).toString('base64url'), Buffer.from(x).toString('base64')])
    const everything = JSON.stringify([a.warnings, b.warnings, a.events, b.events])
    for (const secret of secrets) expect(everything).not.toContain(secret)
  })
})
