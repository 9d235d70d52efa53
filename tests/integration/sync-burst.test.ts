// A peer connected while a member writes a long burst receives it live, without waiting for a
// later heads exchange (test nodes run without anti-entropy, so nothing else would bring it).
// The burst is written the way a script or bot would: each send awaited, in a tight loop.
import { afterEach, describe, expect, it } from 'vitest'
import { connect, gpkOf, logSize, noDiscovery, startNode, stopAll, untilEngine, type TestNode } from './helpers'

afterEach(stopAll)

const N = Number(process.env.SYNC_BURST_N ?? 500)

/** A writer with a new group, and a replica already serving it (not yet connected). */
async function writerAndReplica(): Promise<{ a: TestNode; r: TestNode; groupPk: string; gpk: Uint8Array }> {
  const a = await startNode('a')
  const r = await startNode('replica')
  await Promise.all([a, r].map(noDiscovery))
  await a.call('account:create', { displayName: 'Alice' })
  const { groupPk } = await a.call('group:create', { name: 'Burst' })
  await r.call('replica:serve', await a.call('group:replicaKeys', { groupPk }))
  return { a, r, groupPk, gpk: gpkOf(groupPk) }
}

/** Waits until the replica holds all N messages; says how many it had otherwise. */
async function holdsAll(r: TestNode, gpk: Uint8Array, label: string, sentMs: number): Promise<void> {
  const t1 = performance.now()
  await untilEngine(r, () => logSize(r, gpk, 'msg') === N, 120_000).catch((e: unknown) => {
    throw new Error(`replica holds ${logSize(r, gpk, 'msg')}/${N} (${String(e)})`)
  })
  console.log(`${label}: sent ${N} in ${sentMs.toFixed(0)} ms; replica complete ${(performance.now() - t1).toFixed(0)} ms after; counters`, JSON.stringify(r.node.sync.counters))
}

describe('live burst', () => {
  it(`a replica connected during a burst of ${N} messages gets them all live`, async () => {
    const { a, r, groupPk, gpk } = await writerAndReplica()
    await connect(r, a)
    await untilEngine(r, () => logSize(r, gpk, 'meta') === logSize(a, gpk, 'meta'))
    const t0 = performance.now()
    for (let i = 0; i < N; i++) await a.call('message:send', { groupPk, text: `m${i}` })
    await holdsAll(r, gpk, 'burst', performance.now() - t0)
    expect(r.warnings).toEqual([])
  }, 300_000)

  it(`a replica that connects in the middle of a burst of ${N} messages gets them all`, async () => {
    const { a, r, groupPk, gpk } = await writerAndReplica()
    const t0 = performance.now()
    let connecting: Promise<void> | undefined
    for (let i = 0; i < N; i++) {
      // The dial starts mid-burst, as a person's device coming online would.
      if (i === Math.floor(N / 3)) connecting = connect(r, a)
      await a.call('message:send', { groupPk, text: `m${i}` })
    }
    await connecting
    await holdsAll(r, gpk, 'mid-burst', performance.now() - t0)
    expect(r.warnings).toEqual([])
  }, 300_000)
})
