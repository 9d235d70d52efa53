// Issue 13 + Reach: a member back from offline finds its group's replication device through the group's
// rendezvous point alone (no address of it, never met it): the replica advertises every group it serves
// on the discovery drivers (core/service/group-rendezvous.ts), here a loopback rendezvous server. When the
// replica's token lapses it stops advertising the group.
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { reachOptions } from '../../core/net/reach-config'
import { TOKEN_STORE_FILE, TokenStore } from '../../core/storage'
import { allMessageIds, gpkOf, logSize, noDiscovery, poll, startNode, stopAll, until, type TestNode } from './helpers'
import { pinOf } from './linking-helpers'

afterEach(stopAll)

describe('replication device found through the group rendezvous point', () => {
  it('B, back from offline, knows no address of R, finds it by the group alone and catches up', { timeout: 300_000 }, async () => {
    const server = await startNode('server', { reach: reachOptions({ lan: false, dht: false, serveRendezvous: true, holePunching: false }) })
    const serverAddr = server.node.libp2p.getMultiaddrs()[0]!.toString()
    const viaServer = () => reachOptions({ lan: false, dht: false, holePunching: false, rendezvousServers: [serverAddr] })
    const a = await startNode('a', { reach: viaServer(), bootstrap: [serverAddr] })
    const b = await startNode('b', { reach: viaServer(), bootstrap: [serverAddr] })
    await Promise.all([server, a, b].map(noDiscovery))
    await a.call('account:create', { displayName: 'Ann' })
    await b.call('account:create', { displayName: 'Ben' })
    const { groupPk } = await a.call('group:create', { name: 'Reach' })
    const gpk = gpkOf(groupPk)
    await b.call('group:join', { url: (await a.call('group:invite', { groupPk })).url })
    await Promise.all([a, b].map((t) => until(t, () => t.node.groups.chainCount(gpk) === 2, 60_000)))
    await b.stop()

    // R is linked while B is offline: B never met it. The invitation's address hints bring R to A.
    const r: TestNode = await startNode('r', { replicaDevice: true, reach: viaServer(), bootstrap: [serverAddr] })
    await noDiscovery(r)
    const seen = a.events.length
    const { link } = await a.call('device:invite', { role: 'replica' })
    await r.call('device:link', { link, role: 'replica' })
    expect(await r.call('device:challenge:answer', { pin: await pinOf(a, seen) })).toEqual({ linked: true })
    await poll('R serves the group', () => r.node.groups.has(gpk))
    const sent = Array.from({ length: 50 }, (_, i) => `while B is away ${i}`)
    for (const text of sent) await a.call('message:send', { groupPk, text })
    const aEntries = logSize(a, gpk, 'meta') + logSize(a, gpk, 'msg')
    await poll('R holds every entry', () => logSize(r, gpk, 'meta') + logSize(r, gpk, 'msg') === aEntries, 120_000)
    const aIds = await allMessageIds(a, groupPk)
    const aId = a.node.libp2p.peerId.toString()
    await a.stop()

    const rId = r.node.libp2p.peerId
    const b2 = await startNode('b', { dir: b.dir, key: b.key, reach: viaServer(), bootstrap: [serverAddr] })
    await noDiscovery(b2)
    // B knows no address of R (nothing in its peer store), only the group.
    expect(await b2.node.libp2p.peerStore.has(rId)).toBe(false)
    await until(b2, async () => (await allMessageIds(b2, groupPk, { readableOnly: true })).length === 50, 120_000)
    expect(await allMessageIds(b2, groupPk)).toEqual(aIds)
    expect((await b2.call('message:list', { groupPk, limit: 100 })).messages.map((m) => m.text)).toEqual(sent)
    const peers = b2.node.libp2p.getConnections().map((c) => c.remotePeer.toString())
    expect(peers).toContain(rId.toString())
    expect(peers).not.toContain(aId)

    // The token lapses: R stops advertising what it served under it (the group and the account group: one
    // token per account), and keeps their data until eviction.
    const advertised = r.node.libp2p.services.discovery!.status().advertised
    expect(advertised).toBe(2)
    // The replica's owner revokes the account's token (what `--revoke-token` writes in the token book).
    const book = TokenStore.open(join(r.dir, TOKEN_STORE_FILE))
    const { jti } = book.db.sql.prepare<[], { jti: string }>('SELECT jti FROM issued_tokens').get()!
    book.revoke(jti, Date.now())
    book.close()
    await poll('R stops advertising the lapsed groups', () => r.node.libp2p.services.discovery!.status().advertised === 0, 30_000)
    expect(r.node.groups.has(gpk)).toBe(true)
    expect((await r.call('replica:status', {})).groups.map((g) => g.state)).toEqual(['left', 'left'])
  })
})
