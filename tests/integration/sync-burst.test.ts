// A peer connected while a member writes a long burst receives it live, without waiting for a
// later heads exchange (test nodes run without anti-entropy, so nothing else would bring it).
import { afterEach, describe, expect, it } from 'vitest'
import { connect, gpkOf, logSize, noDiscovery, startNode, stopAll, untilEngine } from './helpers'

afterEach(stopAll)

const N = Number(process.env.SYNC_BURST_N ?? 500)

describe('live burst', () => {
  it(`a replica connected during a burst of ${N} messages gets them all live`, async () => {
    const a = await startNode('a')
    const r = await startNode('replica')
    await Promise.all([a, r].map(noDiscovery))
    await a.call('account:create', { displayName: 'Alice' })
    const { groupPk } = await a.call('group:create', { name: 'Burst' })
    const gpk = gpkOf(groupPk)
    await connect(r, a)
    const keys = await a.call('group:replicaKeys', { groupPk })
    await r.call('replica:serve', keys)
    await untilEngine(r, () => logSize(r, gpk, 'meta') === logSize(a, gpk, 'meta'))
    const t0 = performance.now()
    for (let i = 0; i < N; i++) await a.call('message:send', { groupPk, text: `m${i}` })
    const sent = performance.now() - t0
    let last = -1
    const t1 = performance.now()
    await untilEngine(r, () => {
      const n = logSize(r, gpk, 'msg')
      if (n !== last) last = n
      return n === N
    }, 120_000).catch((e) => {
      throw new Error(`replica holds ${last}/${N} (${String(e)})`)
    })
    console.log(`burst: sent ${N} in ${sent.toFixed(0)} ms; replica complete ${(performance.now() - t1).toFixed(0)} ms after; counters`, JSON.stringify(r.node.sync.counters))
    expect(r.warnings).toEqual([])
  }, 300_000)

  it(`a replica that connects in the middle of a burst of ${N} messages gets them all`, async () => {
    const a = await startNode('a')
    const r = await startNode('replica')
    await Promise.all([a, r].map(noDiscovery))
    await a.call('account:create', { displayName: 'Alice' })
    const { groupPk } = await a.call('group:create', { name: 'Burst' })
    const gpk = gpkOf(groupPk)
    await r.call('replica:serve', await a.call('group:replicaKeys', { groupPk }))
    const t0 = performance.now()
    let connecting: Promise<void> | undefined
    for (let i = 0; i < N; i++) {
      if (i === Math.floor(N / 3)) connecting = connect(r, a)
      if (process.env.SYNC_BURST_DEBUG && i % 500 === 0) {
        const ps = (x: typeof a) => x.node.libp2p.services.pubsub as unknown as { getSubscribers(t: string): unknown[]; getMeshPeers(t: string): unknown[] }
        const topic = a.node.groups.topics(gpk).msg
        console.log(i, 'a subs', ps(a).getSubscribers(topic).length, 'a mesh', ps(a).getMeshPeers(topic).length, 'r subs', ps(r).getSubscribers(topic).length, 'conns', a.node.libp2p.getConnections().length, 'r msgs', logSize(r, gpk, 'msg'), 'r gossipIn', r.node.sync.counters.gossipIn)
      }
      await a.call('message:send', { groupPk, text: `m${i}` })
    }
    await connecting
    const sent = performance.now() - t0
    let last = -1
    const t1 = performance.now()
    await untilEngine(r, () => {
      last = logSize(r, gpk, 'msg')
      return last === N
    }, 120_000).catch((e) => {
      throw new Error(`replica holds ${last}/${N} (${String(e)})`)
    })
    console.log(`mid-burst: sent ${N} in ${sent.toFixed(0)} ms; replica complete ${(performance.now() - t1).toFixed(0)} ms after; counters`, JSON.stringify(r.node.sync.counters))
    expect(r.warnings).toEqual([])
  }, 300_000)
})
