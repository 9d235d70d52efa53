// Issue "Reach", through the daemon API: two people meet by the invitation link alone. Both know
// only a friend's always-on node serving rendezvous (no peer:connect between them, no shared DHT,
// no LAN): each advertises and watches its groups' rendezvous points there, finds the other, dials
// it, and they chat both ways.
import { afterEach, describe, expect, it } from 'vitest'
import { reachOptions } from '../../core/net/reach-config'
import { gpkOf, noDiscovery, startNode, stopAll, texts, until } from './helpers'

afterEach(stopAll)

describe('reach: joining by the link alone', () => {
  it('finds the group through a rendezvous server and chats both ways', async () => {
    const server = await startNode('server', { reach: reachOptions({ lan: false, dht: false, serveRendezvous: true, holePunching: false }) })
    const serverAddr = `${server.node.libp2p.getMultiaddrs()[0]!.toString()}`
    const viaServer = () => reachOptions({ lan: false, dht: false, holePunching: false, rendezvousServers: [serverAddr] })
    const a = await startNode('a', { reach: viaServer(), bootstrap: [serverAddr] })
    const b = await startNode('b', { reach: viaServer(), bootstrap: [serverAddr] })
    // No DHT anywhere: its self-queries would introduce A and B through the server's routing table.
    await Promise.all([server, a, b].map(noDiscovery))
    await a.call('account:create', { displayName: 'Ann' })
    await b.call('account:create', { displayName: 'Ben' })
    const { groupPk } = await a.call('group:create', { name: 'By link' })
    const { url } = await a.call('group:invite', { groupPk })
    const aId = a.node.libp2p.peerId.toString()
    expect(b.node.libp2p.getConnections().some((c) => c.remotePeer.toString() === aId)).toBe(false)

    await b.call('group:join', { url })
    await until(b, () => b.node.libp2p.getConnections().some((c) => c.remotePeer.toString() === aId), 30_000)
    await Promise.all([a, b].map((t) => until(t, () => t.node.groups.chainCount(gpkOf(groupPk)) === 2, 30_000)))
    await b.call('message:send', { groupPk, text: 'found you' })
    await a.call('message:send', { groupPk, text: 'hello' })
    await Promise.all([a, b].map((t) => until(t, async () => (await texts(t, groupPk)).length === 2, 30_000)))
    expect((await texts(a, groupPk)).sort()).toEqual(['found you', 'hello'])
  }, 120_000)
})
