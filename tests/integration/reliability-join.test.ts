// Issue "Reliability", the join race, as a new user meets it through the API: people join a group by
// its link and write the moment `group:join` returns. Nothing written after (or concurrently with) a
// join may be lost: every member ends with every message, readable, in the same order.
import { afterEach, describe, expect, it } from 'vitest'
import { connect, startNode, stopAll, texts, until, type TestNode } from './helpers'

afterEach(stopAll)

const PER_SENDER = 20

async function writeBurst(t: TestNode, groupPk: string, tag: string): Promise<void> {
  for (let i = 0; i < PER_SENDER; i++) await t.call('message:send', { groupPk, text: `${tag}-${i}` })
}

async function converged(nodes: TestNode[], groupPk: string, expected: number): Promise<string[][]> {
  return Promise.all(
    nodes.map((t) => until(t, async () => {
      const got = await texts(t, groupPk)
      return got.length === expected ? got : undefined
    }, 60_000).catch(async (err: unknown) => {
      const got = await texts(t, groupPk)
      throw new Error(`${t.name} has ${got.length}/${expected} readable messages: ${String(err)}`)
    }))
  )
}

describe('reliability: writing the moment a join returns', () => {
  it('three people, ten rounds: 0 lost, same order everywhere', async () => {
    const [a, b, c] = [await startNode('a'), await startNode('b'), await startNode('c')]
    for (const [t, n] of [[a, 'Ann'], [b, 'Ben'], [c, 'Cat']] as const) await t.call('account:create', { displayName: n })
    await connect(b, a)
    await connect(c, a)
    for (let round = 0; round < 10; round++) {
      const { groupPk } = await a.call('group:create', { name: `Round ${round}` })
      const { url } = await a.call('group:invite', { groupPk })
      const bJoined = b.call('group:join', { url })
      await Promise.all([
        bJoined.then(() => writeBurst(b, groupPk, `b${round}`)),
        c.call('group:join', { url }).then(() => writeBurst(c, groupPk, `c${round}`)),
        bJoined.then(() => writeBurst(a, groupPk, `a${round}`))
      ])
      const [ta, tb, tc] = await converged([a, b, c], groupPk, 3 * PER_SENDER)
      // `delivered` tells the truth and gets there: each sender's messages end delivered once every
      // other member holds its chain key (chain-keeper hand-over) and a peer took them.
      for (const t of [a, b, c]) await until(t, async () => (await t.call('message:list', { groupPk, limit: 500 })).messages.filter((m) => m.mine).every((m) => m.state === 'delivered'), 60_000)
      expect(tb).toEqual(ta)
      expect(tc).toEqual(ta)
      for (const tag of ['a', 'b', 'c']) {
        // Each sender's own order is kept inside the shared order.
        expect(ta!.filter((x) => x.startsWith(`${tag}${round}-`))).toEqual(Array.from({ length: PER_SENDER }, (_, i) => `${tag}${round}-${i}`))
      }
    }
  }, 600_000)

  it('two people: the newcomer and the creator both write at once, nothing lost', async () => {
    const [a, b] = [await startNode('a'), await startNode('b')]
    await a.call('account:create', { displayName: 'Ann' })
    await b.call('account:create', { displayName: 'Ben' })
    await connect(b, a)
    for (let round = 0; round < 5; round++) {
      const { groupPk } = await a.call('group:create', { name: `Pair ${round}` })
      const { url } = await a.call('group:invite', { groupPk })
      const joined = b.call('group:join', { url })
      await Promise.all([joined.then(() => writeBurst(b, groupPk, 'b')), joined.then(() => writeBurst(a, groupPk, 'a'))])
      const [ta, tb] = await converged([a, b], groupPk, 2 * PER_SENDER)
      expect(tb).toEqual(ta)
    }
  }, 300_000)
})
