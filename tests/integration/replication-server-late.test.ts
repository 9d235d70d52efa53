// A member back from offline whose only way to its group is a replication server that is not up
// yet when the member starts (the server restarting after a power loss; a laptop that opens the app
// before its network is up): the member keeps dialling the server, with a growing wait, and reads
// everything once it is back. Dialled once at start only, it stayed without its group until its
// next start (found by the kill -9 scenario of a replication server, under a loaded machine).
import { describe, expect, it } from 'vitest'
import { KEEP_WAIT_MIN_MS } from '../../core/net/peer-keeper'
import { daemonLab } from '../support/daemon-lab'
import { serverAndAbsentMember } from '../support/replica-crash-scenario'
import { allMessageIds, logSize, noDiscovery, poll, startNode } from './helpers'

const lab = daemonLab()

describe('replication server: a member that starts while the server is down', () => {
  it('keeps dialling it and reads everything once the server is back', async () => {
    const pair = await serverAndAbsentMember(lab.tempDir('berty-it-replica-late-'), lab.running)
    const { a, b, groupPk, gpk } = pair
    let r = pair.r
    const sent = Array.from({ length: 20 }, (_, i) => `while Ben is away ${i}`)
    for (const text of sent) await a.call('message:send', { groupPk, text })
    const entries = logSize(a, gpk, 'meta') + logSize(a, gpk, 'msg')
    await poll('the server holds everything', async () => (await r.call('replica:status', {})).groups.find((g) => g.groupPk === groupPk)?.entries === entries)
    const aIds = await allMessageIds(a, groupPk)
    await a.stop()

    // The server goes down; Ben starts meanwhile: his first dial fails.
    await r.kill9()
    lab.running.splice(lab.running.indexOf(r), 1)
    const b2 = await startNode('b', { dir: b.dir, key: b.key })
    await noDiscovery(b2)
    await new Promise((res) => setTimeout(res, 2 * KEEP_WAIT_MIN_MS))
    expect(b2.node.libp2p.getConnections()).toEqual([])
    // Back, on its port. Before: Ben never dialled it again (times out).
    r = await pair.start()
    const readable = (): number =>
      b2.node.db.sql.prepare<[Uint8Array], { n: number }>('SELECT count(*) AS n FROM messages WHERE group_pk = ? AND unreadable IS NULL').get(gpk)!.n
    await poll('Ben reads everything from the server', () => readable() === aIds.length, 60_000)
    expect(await allMessageIds(b2, groupPk, { readableOnly: true })).toEqual(aIds)
    expect(b2.node.libp2p.getConnections().map((c) => c.remotePeer.toString())).toEqual([r.ready.peerId])
  }, 300_000)
})
