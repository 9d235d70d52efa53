// Issue 13, lapsed tokens on a replication server: a group whose only token EXPIRES stops being served
// (no new entry taken, no longer advertised), keeps its data until eviction, and says so in replica:status.
// (A revoked token: tests/integration/replication-device.test.ts.)
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { wipe } from '../../core/crypto'
import { reachOptions } from '../../core/net/reach-config'
import { loadOrCreateServerKey } from '../../core/replication/server'
import { issueToken } from '../../core/replication/tokens'
import { Keystore, staticKeyProvider, TOKEN_STORE_FILE, TokenStore } from '../../core/storage'
import { connect, gpkOf, logSize, noDiscovery, poll, startNode, stopAll, until, type TestNode } from './helpers'

afterEach(stopAll)

/** A token of `server` that expires in `ms` (signed as `--issue-token` does, through its token book). */
async function shortToken(server: TestNode, ms: number): Promise<string> {
  const book = TokenStore.open(join(server.dir, TOKEN_STORE_FILE))
  try {
    const keystore = new Keystore(book.db, staticKeyProvider(server.key))
    const seed = await loadOrCreateServerKey(keystore)
    const { token } = await issueToken(seed, { audience: server.node.libp2p.peerId.toString(), expiresAt: Date.now() + ms })
    wipe(seed)
    keystore.lock()
    return token
  } finally {
    book.close()
  }
}

describe('lapsed replication tokens', () => {
  it('an expired token stops its group being served and advertised; the data stays; a status line says so', { timeout: 180_000 }, async () => {
    // Discovery through a loopback rendezvous server, so that what the replica advertises can be counted.
    const rdv = await startNode('rendezvous', { reach: reachOptions({ lan: false, dht: false, serveRendezvous: true, holePunching: false }) })
    const rdvAddr = rdv.node.libp2p.getMultiaddrs()[0]!.toString()
    const s = await startNode('server', { replicationServer: { limits: { sweepMs: 250 } }, reach: reachOptions({ lan: false, dht: false, holePunching: false, rendezvousServers: [rdvAddr] }) })
    const a = await startNode('a')
    await Promise.all([a, s, rdv].map(noDiscovery))
    await a.call('account:create', { displayName: 'Ann' })
    const { groupPk } = await a.call('group:create', { name: 'Short' })
    const gpk = gpkOf(groupPk)
    await connect(a, s)
    await a.call('replica:add', { groupPk, server: s.node.libp2p.getMultiaddrs()[0]!.toString(), token: await shortToken(s, 6_000) })
    await a.call('message:send', { groupPk, text: 'in time' })
    const aEntries = (): number => logSize(a, gpk, 'meta') + logSize(a, gpk, 'msg')
    await poll('the server holds the group', () => logSize(s, gpk, 'meta') + logSize(s, gpk, 'msg') === aEntries())
    expect(s.node.replicationServer!.serving(gpk)).toBe(true)
    const advertisedBefore = s.node.libp2p.services.discovery?.status().advertised
    expect(advertisedBefore).toBeGreaterThan(0)

    const status = await poll('the group lapses', async () => {
      const st = await s.call('replica:status', {})
      return st.groups.find((g) => g.groupPk === groupPk)?.state === 'left' ? st : undefined
    }, 30_000)
    expect(status.warnings.some((w) => /lapsed \(its token expired or was revoked\)/.test(w))).toBe(true)
    expect(s.node.replicationServer!.serving(gpk)).toBe(false)
    expect(s.node.libp2p.services.discovery!.status().advertised).toBe(advertisedBefore! - 1)
    const kept = logSize(s, gpk, 'meta') + logSize(s, gpk, 'msg')
    await a.call('message:send', { groupPk, text: 'too late' })
    await until(a, () => aEntries() > kept)
    await new Promise((res) => setTimeout(res, 3000))
    expect(logSize(s, gpk, 'meta') + logSize(s, gpk, 'msg')).toBe(kept)
    expect(s.node.groups.has(gpk)).toBe(true)
  })
})
