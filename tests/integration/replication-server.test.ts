// Issue 13, replication server: a real `--replication-server` daemon (its own process) serves a
// group at a member's request, token-gated, and carries messages between members that are never
// online together. It stores what it cannot read, cannot forge, and refuses clearly.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { multiaddr } from '@multiformats/multiaddr'
import { afterEach, describe, expect, it } from 'vitest'
import { FramedStream } from '../../core/net/lp-stream'
import { decodeReply, encodeRequest, MAX_REPLICATION_FRAME_BYTES, REPLICATION_PROTOCOL } from '../../core/net/replication'
import { EVENT_GROUP_REPLICATING } from '../../core/replication/member'
import { filesUnder, leaks } from '../support/canary'
import { startDaemonProcess, type DaemonProcess } from '../support/daemon-process'
import { issueToken, tokenCli } from '../support/replication-cli'
import { allMessageIds, gpkOf, logSize, noDiscovery, pairInGroup, poll, startNode, stopAll, until } from './helpers'

const daemons: DaemonProcess[] = []
const dirs: string[] = []
afterEach(async () => {
  for (const d of daemons.splice(0)) await d.stop()
  await stopAll()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})


async function startServer(): Promise<{ r: DaemonProcess; dir: string; addr: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'berty-it-replication-server-'))
  dirs.push(dir)
  const r = await startDaemonProcess(dir, { args: ['--replication-server'] })
  daemons.push(r)
  const addr = r.ready.addrs.find((a) => a.startsWith('/ip4/127.0.0.1/tcp/'))!
  return { r, dir, addr }
}

async function servedEntries(r: DaemonProcess, groupPk: string): Promise<number | undefined> {
  return (await r.call('replica:status', {})).groups.find((g) => g.groupPk === groupPk)?.entries
}

describe('replication server', () => {
  it('offline delivery of 500 messages through a token-gated server that cannot read them', { timeout: 480_000 }, async () => {
    const { r, dir: rDir, addr } = await startServer()
    // Issued while the server runs on that directory (its database is exclusively locked).
    const { token, server } = await issueToken(rDir, ['--quota-groups', '5', '--expires', '1h'])
    expect(server).toBe(r.ready.peerId)

    const canaries = ['CanaryAliceDisplay', 'CanaryBobDisplay', 'CanaryGroupTitle', 'CanaryMessageBody']
    const { a, b, groupPk } = await pairInGroup(['CanaryAliceDisplay', 'CanaryBobDisplay'], 'CanaryGroupTitle')
    const gpk = gpkOf(groupPk)

    const added = await a.call('replica:add', { groupPk, server: addr, token })
    expect(added.peerId).toBe(r.ready.peerId)
    expect(await a.call('replica:list', { groupPk })).toEqual([{ peerId: r.ready.peerId, server: addr, addedAt: added.addedAt, source: 'local' }])
    await poll('server opened the group', async () => (await servedEntries(r, groupPk)) !== undefined)
    // Added again (an answer lost, Add pressed twice): the same server, and no second announcement in
    // the group's log, which every member keeps.
    expect((await a.call('replica:add', { groupPk, server: addr, token })).peerId).toBe(r.ready.peerId)
    expect(a.node.groups.weshEvents(gpk, EVENT_GROUP_REPLICATING)).toHaveLength(1)
    // The other member learns where to fetch from the GroupReplicating event (403) in the metadata.
    await until(b, async () => (await b.call('replica:list', { groupPk })).some((x) => x.peerId === r.ready.peerId && x.source === 'event' && x.server === addr))

    // b goes offline; a writes 500 messages (one carries the canary), the server takes them all.
    await b.stop()
    const sent = Array.from({ length: 500 }, (_, i) => (i === 250 ? `CanaryMessageBody ${i}` : `offline message ${i}`))
    for (const text of sent) await a.call('message:send', { groupPk, text })
    const aEntries = logSize(a, gpk, 'meta') + logSize(a, gpk, 'msg')
    await poll('server holds every entry', async () => (await servedEntries(r, groupPk)) === aEntries, 120_000)
    const aIds = await allMessageIds(a, groupPk)
    expect(aIds).toHaveLength(500)
    await a.stop()

    // b comes back and reaches only the server: dialled by itself from the 403 event it holds.
    const b2 = await startNode('b', { dir: b.dir, key: b.key })
    await noDiscovery(b2)
    await until(b2, () => b2.node.libp2p.getConnections().some((c) => c.remotePeer.toString() === r.ready.peerId))
    expect(b2.node.libp2p.getConnections().map((c) => c.remotePeer.toString())).toEqual([r.ready.peerId])
    await until(b2, async () => (await allMessageIds(b2, groupPk, { readableOnly: true })).length === 500, 120_000)
    expect(await allMessageIds(b2, groupPk)).toEqual(aIds)
    const last = await b2.call('message:list', { groupPk, limit: 500 })
    expect(last.messages.map((m) => m.text)).toEqual(sent.slice(0, 500))
    expect(b2.node.libp2p.getConnections().map((c) => c.remotePeer.toString())).toEqual([r.ready.peerId])

    // Cannot read: the server's API has no message text for the group, and no file holds any canary.
    const status = await r.call('replica:status', {})
    expect(status.server).toBe(true)
    const g = status.groups.find((x) => x.groupPk === groupPk)!
    expect(g.entries).toBe(aEntries)
    expect(g.bytes).toBeGreaterThan(0)
    expect(g.lastSyncAt).toBeGreaterThan(0)
    await expect(r.call('message:list', { groupPk, limit: 500 })).resolves.toEqual({ messages: [], hasMore: false })
    expect((await r.call('group:list', {})).map((x) => x.groupPk)).not.toContain(groupPk)
    // The scan below looks for strings that exist: the member reads every one of them.
    expect((await b2.call('group:get', { groupPk })).name).toBe('CanaryGroupTitle')
    expect((await b2.call('group:members', { groupPk })).map((m) => m.name).sort()).toEqual(['CanaryAliceDisplay', 'CanaryBobDisplay'])
    await b2.stop()
    await r.stop()
    daemons.splice(daemons.indexOf(r), 1)
    expect(filesUnder(rDir).some((f) => f.endsWith('berty.sqlite'))).toBe(true)
    expect(leaks(rDir, canaries)).toEqual([])
  })

  it('refuses bad, expired, revoked, foreign and over-quota tokens and a wrong link key signature, storing nothing', { timeout: 420_000 }, async () => {
    const { r, dir: rDir, addr } = await startServer()
    const { a, groupPk } = await pairInGroup(['Ann', 'Ben'])
    const { groupPk: secondPk } = await a.call('group:create', { name: 'Second' })
    const code = async (p: Promise<unknown>): Promise<string> => {
      try {
        await p
      } catch (err) {
        return `${(err as { code?: string }).code} ${(err as Error).message}`
      }
      return 'accepted'
    }
    const add = (token: string, pk = groupPk) => a.call('replica:add', { groupPk: pk, server: addr, token })

    expect(await code(add('not.a.token'))).toMatch(/^UNAUTHORIZED .*ERR_TOKEN_INVALID/)
    const foreignDir = mkdtempSync(join(tmpdir(), 'berty-it-other-server-'))
    dirs.push(foreignDir)
    expect(await code(add((await issueToken(foreignDir)).token))).toMatch(/^UNAUTHORIZED .*ERR_TOKEN_INVALID/)
    const expiring = await issueToken(rDir, ['--expires', '1s'])
    await new Promise((res) => setTimeout(res, 2100))
    expect(await code(add(expiring.token))).toMatch(/^UNAUTHORIZED .*ERR_TOKEN_EXPIRED/)
    const revoked = await issueToken(rDir)
    expect(await tokenCli(rDir, ['--revoke-token', revoked.token])).toMatchObject({ revoked: revoked.jti, known: true })
    expect(await code(add(revoked.token))).toMatch(/^UNAUTHORIZED .*ERR_TOKEN_REVOKED/)

    // linkKeySig not matching the group key: sent raw (a member's API always sends the real one).
    const keys = a.node.groups.replicaKeys(gpkOf(groupPk))
    const badSig = keys.linkKeySig!.slice()
    badSig[0]! ^= 1
    const good = await issueToken(rDir, ['--quota-groups', '1'])
    const stream = await a.node.libp2p.dialProtocol(multiaddr(addr), REPLICATION_PROTOCOL)
    const framed = new FramedStream(stream, { maxFrameBytes: MAX_REPLICATION_FRAME_BYTES })
    await framed.write(encodeRequest({ ...keys, linkKeySig: badSig, token: good.token }))
    expect(decodeReply(await framed.read())).toMatchObject({ ok: false, code: 'ERR_LINK_KEY_SIG' })
    await stream.close()

    // Nothing stored by any refusal.
    expect((await r.call('replica:status', {})).groups).toEqual([])

    // Quota: one group per token.
    expect(await code(add(good.token))).toBe('accepted')
    expect(await code(add(good.token, secondPk))).toMatch(/^QUOTA_EXCEEDED .*ERR_QUOTA_EXCEEDED/)
    // Asking again for the same group with the same token is not a second group.
    expect(await code(add(good.token))).toBe('accepted')
    expect((await r.call('replica:status', {})).groups.map((g) => g.groupPk)).toEqual([groupPk])

    // Revoking a token in use: refused at once; within seconds the group it held is marked left.
    await tokenCli(rDir, ['--revoke-token', good.jti])
    expect(await code(add(good.token))).toMatch(/ERR_TOKEN_REVOKED/)
    await poll('group marked left', async () => (await r.call('replica:status', {})).groups[0]?.state === 'left', 20_000)
  })
})
