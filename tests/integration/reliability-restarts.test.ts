// Issue "Reliability", restarts under traffic: a member restarted 20 times while two others write
// converges every time to exactly what the writers have, in the same order.
import { afterEach, describe, expect, it } from 'vitest'
import { connect, gpkOf, allMessageIds, startNode, stopAll, until } from './helpers'

afterEach(stopAll)

describe('reliability: restarts under traffic', () => {
  it('a member restarted 20 times while others write converges every time', async () => {
    const [a, b, c] = [await startNode('a'), await startNode('b'), await startNode('c')]
    for (const [t, n] of [[a, 'Ann'], [b, 'Ben'], [c, 'Cat']] as const) await t.call('account:create', { displayName: n })
    await connect(a, b)
    await connect(c, a)
    await connect(c, b)
    const { groupPk } = await a.call('group:create', { name: 'Busy' })
    const { url } = await a.call('group:invite', { groupPk })
    await b.call('group:join', { url })
    await c.call('group:join', { url })
    await Promise.all([a, b, c].map((t) => until(t, () => t.node.groups.chainCount(gpkOf(groupPk)) === 3)))

    let writing = true
    let written = 0
    const writer = async (t: typeof a, tag: string) => {
      for (let i = 0; writing; i++) {
        await t.call('message:send', { groupPk, text: `${tag}${i}` })
        written++
        await new Promise((r) => setTimeout(r, 20))
      }
    }
    const writers = Promise.all([writer(a, 'a'), writer(b, 'b')])
    const rounds: string[] = []
    try {
      for (let round = 0; round < 20; round++) {
        await c.restart()
        await connect(c, a)
        await connect(c, b)
        // Converged: C holds every message A held when C came back, in A's order.
        const target = await allMessageIds(a, groupPk)
        await until(c, async () => {
          const mine = await allMessageIds(c, groupPk)
          return target.every((id) => mine.includes(id))
        }, 60_000).catch(async (err: unknown) => {
          const mine = await allMessageIds(c, groupPk)
          throw new Error(`round ${round}: C lacks ${target.filter((id) => !mine.includes(id)).length} of ${target.length}: ${String(err)}`)
        })
        const now = await allMessageIds(c, groupPk)
        expect(now.filter((id) => target.includes(id))).toEqual(target)
        rounds.push(`${round}:${target.length}`)
      }
    } finally {
      writing = false
      await writers.catch(() => undefined)
    }
    // Every confirmed message everywhere, in one order.
    for (const t of [a, b, c]) await until(t, async () => (await allMessageIds(t, groupPk)).length === written, 60_000)
    const final = await allMessageIds(a, groupPk)
    expect(await allMessageIds(b, groupPk)).toEqual(final)
    expect(await allMessageIds(c, groupPk)).toEqual(final)
    console.log(`restarts: 20, messages written meanwhile ${written}, converged after each (round:messages) ${rounds.join(' ')}`)
  }, 600_000)
})
