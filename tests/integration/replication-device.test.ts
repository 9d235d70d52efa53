// Issue 13, replication DEVICE: a node linked to an account with the replica role (no secret) serves the
// account's groups as the account's full devices push them (core/replication/device.ts), carries
// messages between members that are never online together, cannot read, cannot forge, and refuses
// every action of an account.
import { afterEach, describe, expect, it } from 'vitest'
import { toHex } from '../../core/bytes'
import { ed25519PublicFromSeed, randomBytes } from '../../core/crypto'
import { GroupLog } from '../../core/groups/group-log'
import { GroupsError, logIdFor, topicFor } from '../../core/groups/groups'
import { peekJti } from '../../core/replication/tokens'
import { SqliteOrbitStorage } from '../../core/storage'
import { filesUnder, leaks } from '../support/canary'
import { issueTokenFor, revokeTokenIn } from '../support/replication-cli'
import { allMessageIds, connect, gpkOf, logSize, noDiscovery, pairInGroup, poll, startNode, stopAll, until, untilWarned, type TestNode } from './helpers'
import { linkWithPin, pinOf } from './linking-helpers'

afterEach(stopAll)

/** Links `r` (started with replicaDevice) to `a`'s account as its replica, through a replica invitation and the PIN. */
async function linkReplica(a: TestNode, r: TestNode): Promise<void> {
  await connect(a, r)
  const seen = a.events.length
  const { link } = await a.call('device:invite', { role: 'replica' })
  const challenge = await r.call('device:link', { link, role: 'replica' })
  expect(challenge.kind).toBe('pin')
  expect(await r.call('device:challenge:answer', { pin: await pinOf(a, seen) })).toEqual({ linked: true })
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p
  } catch (err) {
    return `${(err as { code?: string }).code}`
  }
  return 'accepted'
}

describe('replication device', () => {
  it('offline delivery of 500 messages through a replication device that holds no secret and cannot read them', { timeout: 480_000 }, async () => {
    const canaries = ['CanaryAliceDisplay', 'CanaryBobDisplay', 'CanaryGroupTitle', 'CanaryMessageBody']
    const { a, b, groupPk } = await pairInGroup(['CanaryAliceDisplay', 'CanaryBobDisplay'], 'CanaryGroupTitle')
    const gpk = gpkOf(groupPk)
    const r = await startNode('r', { replicaDevice: true })
    await noDiscovery(r)
    await linkReplica(a, r)

    // R knows its account by public key only; A lists it as a replica; the account records R's token (401).
    const status0 = await r.call('replica:status', {})
    expect(status0.replicaOf?.accountPk).toBe(toHex(a.node.accounts.get()!.accountPk))
    expect(r.node.accounts.exists()).toBe(false)
    expect(await r.call('account:get', {})).toBeNull()
    const devices = await poll('A lists the replica', async () => {
      const list = await a.call('device:list', {})
      return list.length === 2 ? list : undefined
    })
    expect(devices.map((d) => d.role).sort()).toEqual(['full', 'replica'])
    const replicaPk = devices.find((d) => d.role === 'replica')!.devicePk
    expect(await a.call('device:rename', { devicePk: replicaPk, name: 'Home server' })).toMatchObject({ name: 'Home server', role: 'replica', current: false })
    expect(a.node.accountReplicas.devices().map((d) => d.peerId)).toEqual([r.node.libp2p.peerId.toString()])

    // A pushes the group (and R serves the account group from the link): both are replicas on R, never members.
    const accountGroup = a.node.groups.accountGroupPk()!
    await poll('R serves the group and the account group', () => r.node.groups.has(gpk) && r.node.groups.has(accountGroup))
    expect(r.node.groups.list().map((g) => g.role)).toEqual(['replica', 'replica'])
    expect(() => r.node.groups.memberSecrets(gpk)).toThrow(GroupsError)

    // b goes offline; a writes 500 messages (one carries the canary), R takes them all.
    await b.stop()
    const sent = Array.from({ length: 500 }, (_, i) => (i === 250 ? `CanaryMessageBody ${i}` : `offline message ${i}`))
    for (const text of sent) await a.call('message:send', { groupPk, text })
    const aEntries = logSize(a, gpk, 'meta') + logSize(a, gpk, 'msg')
    await poll('R holds every entry', () => logSize(r, gpk, 'meta') + logSize(r, gpk, 'msg') === aEntries, 180_000)
    const aIds = await allMessageIds(a, groupPk)
    expect(aIds).toHaveLength(500)
    await a.stop()

    // b comes back and reaches only R.
    const b2 = await startNode('b', { dir: b.dir, key: b.key })
    await noDiscovery(b2)
    await connect(b2, r)
    await until(b2, async () => (await allMessageIds(b2, groupPk, { readableOnly: true })).length === 500, 180_000)
    expect(await allMessageIds(b2, groupPk)).toEqual(aIds)
    const last = await b2.call('message:list', { groupPk, limit: 500 })
    expect(last.messages.map((m) => m.text)).toEqual(sent)
    expect(b2.node.libp2p.getConnections().map((c) => c.remotePeer.toString())).toEqual([r.node.libp2p.peerId.toString()])

    // Cannot read: R's API has no text, its status counts entries only, and no file holds a canary.
    const status = await r.call('replica:status', {})
    expect(status.groups.find((g) => g.groupPk === groupPk)?.entries).toBe(aEntries)
    await expect(r.call('message:list', { groupPk, limit: 500 })).resolves.toEqual({ messages: [], hasMore: false })
    expect(await r.call('group:list', {})).toEqual([])
    expect((await b2.call('group:get', { groupPk })).name).toBe('CanaryGroupTitle')
    expect((await b2.call('group:members', { groupPk })).map((m) => m.name).sort()).toEqual(['CanaryAliceDisplay', 'CanaryBobDisplay'])
    await b2.stop()
    await r.stop()
    expect(filesUnder(r.dir).some((f) => f.endsWith('berty.sqlite'))).toBe(true)
    expect(leaks(r.dir, canaries)).toEqual([])
  })

  it('refuses every action of an account, cannot forge, is linked only through a replica invitation, and stays a replica across restarts', { timeout: 300_000 }, async () => {
    const { a, groupPk } = await pairInGroup(['Ann', 'Ben'], 'Team')
    const gpk = gpkOf(groupPk)

    // A full invitation refuses a replica, and a replica invitation refuses a full device.
    const r0 = await startNode('r0', { replicaDevice: true })
    await connect(a, r0)
    const full = await a.call('device:invite', {})
    expect(await codeOf(r0.call('device:link', { link: full.link, role: 'replica' }))).toBe('LINK_REFUSED')
    const c = await startNode('c')
    await connect(a, c)
    const rep = await a.call('device:invite', { role: 'replica' })
    expect(await codeOf(c.call('device:link', { link: rep.link }))).toBe('LINK_REFUSED')
    // A node not started as a replica cannot link as one.
    expect(await codeOf(c.call('device:link', { link: rep.link, role: 'replica' }))).toBe('INVALID_INVITATION')
    expect(r0.node.groups.list()).toEqual([])
    expect(c.node.accounts.exists()).toBe(false)

    const r = await startNode('r', { replicaDevice: true })
    await linkReplica(a, r)
    await poll('R serves the group', () => r.node.groups.has(gpk))

    const refusals = await Promise.all([
      codeOf(r.call('account:create', { displayName: 'x' })),
      codeOf(r.call('contact:request', { link: (await a.call('contact:share', {})).link })),
      codeOf(r.call('device:invite', {})),
      codeOf(r.call('device:link', { link: rep.link })),
      codeOf(r.call('group:create', { name: 'x' })),
      codeOf(r.call('group:join', { url: (await a.call('group:invite', { groupPk })).url })),
      codeOf(r.call('message:send', { groupPk, text: 'forged' }))
    ])
    expect(refusals).toEqual(Array(7).fill('REPLICA_DEVICE'))

    // Cannot forge: R has no device in any group, so its engine will not sign; and entries it makes with all
    // it holds (the replica keys of the group and of the account group: link key, no signing seed) are
    // rejected by A, in the group and in the account group alike.
    await expect(r.node.groups.appendWeshEvent(gpk, 403, new Uint8Array(0))).rejects.toThrow(/replicas cannot write/)
    const before = await allMessageIds(a, groupPk)
    const accountGroup = a.node.groups.accountGroupPk()!
    const sizes = (pk: Uint8Array): number[] => [logSize(a, pk, 'meta'), logSize(a, pk, 'msg')]
    const sizesBefore = [sizes(gpk), sizes(accountGroup)]
    await connect(a, r)
    const rejected = (): number => a.warnings.filter((w) => w.includes('rejected gossiped entry')).length
    const rejectedBefore = rejected()
    let forged = 0
    for (const pk of [gpk, accountGroup]) {
      const keys = r.node.groups.replicaKeys(pk)
      expect(Object.keys(keys).filter((k) => k !== 'linkKeySig').sort()).toEqual(['groupPk', 'linkKey', 'signPub'])
      for (const kind of ['msg', 'meta'] as const) {
        const signSeed = randomBytes(32)
        const log = await GroupLog.open({
          logId: logIdFor(pk, kind),
          signPub: ed25519PublicFromSeed(signSeed),
          signSeed,
          linkKey: keys.linkKey,
          writerSeed: randomBytes(32),
          storage: {
            entries: new SqliteOrbitStorage(r.node.db, `forged-${forged}:entries`),
            heads: new SqliteOrbitStorage(r.node.db, `forged-${forged}:heads`),
            index: new SqliteOrbitStorage(r.node.db, `forged-${forged}:index`)
          }
        })
        for (let i = 0; i < 5; i++) {
          const { bytes } = await log.append(randomBytes(80))
          await r.node.libp2p.services.pubsub.publish(topicFor(keys.linkKey, kind), bytes).catch(() => {})
          forged++
        }
      }
    }
    await untilWarned(a, () => rejected() >= rejectedBefore + forged)
    expect(forged).toBe(20)
    expect([sizes(gpk), sizes(accountGroup)]).toEqual(sizesBefore)

    // Still a replica after a restart without the option (the token book says so).
    await r.stop()
    const r2 = await startNode('r', { dir: r.dir, key: r.key })
    expect((await r2.call('replica:status', {})).replicaOf?.accountPk).toBe(toHex(a.node.accounts.get()!.accountPk))
    expect(await codeOf(r2.call('message:send', { groupPk, text: 'forged' }))).toBe('REPLICA_DEVICE')
    expect(await allMessageIds(a, groupPk)).toEqual(before)
  })

  it('a full device linked after the replica knows it from the account group (401) and sends it the groups it joins', { timeout: 300_000 }, async () => {
    const a = await startNode('a')
    await a.call('account:create', { displayName: 'Ann' })
    const r = await startNode('r', { replicaDevice: true })
    await linkReplica(a, r)
    const c = await startNode('c')
    await connect(a, c)
    await linkWithPin(a, c)
    await poll('C reads the replica from the account group', () => c.node.accountReplicas.devices().length === 1)
    expect(c.node.accountReplicas.devices()[0]!.peerId).toBe(r.node.libp2p.peerId.toString())
    // A goes away; a group C creates reaches R from C alone.
    await a.stop()
    await connect(c, r)
    const gpk = gpkOf((await c.call('group:create', { name: 'From C' })).groupPk)
    await poll('R serves the group C created', () => r.node.groups.has(gpk))
    expect(r.node.groups.get(gpk).role).toBe('replica')
  })

  it('a revoked replica token lapses its groups: not served, not advertised, data kept, a status line', { timeout: 300_000 }, async () => {
    const { a, groupPk } = await pairInGroup(['Ann', 'Ben'], 'Team')
    const gpk = gpkOf(groupPk)
    const r = await startNode('r', { replicaDevice: true })
    await linkReplica(a, r)
    await poll('R serves the group', () => r.node.groups.has(gpk))
    // A group the account joins after the link reaches R too (A follows the account for it).
    const later = gpkOf((await a.call('group:create', { name: 'Later' })).groupPk)
    await poll('R serves the later group', () => r.node.groups.has(later) && r.node.groups.get(later).role === 'replica')
    await a.call('message:send', { groupPk, text: 'before the lapse' })
    const aEntries = (): number => logSize(a, gpk, 'meta') + logSize(a, gpk, 'msg')
    await poll('R holds the group', () => logSize(r, gpk, 'meta') + logSize(r, gpk, 'msg') === aEntries())
    const kept = logSize(r, gpk, 'meta') + logSize(r, gpk, 'msg')
    expect(r.node.replicationServer!.serving(gpk)).toBe(true)

    // The replica's owner revokes the account's token (what `--revoke-token` writes in the token book).
    const jti = peekJti(a.node.accountReplicas.devices()[0]!.token)!
    revokeTokenIn(r.dir, jti)
    const lapsed = await poll('the group lapses', async () => {
      const s = await r.call('replica:status', {})
      return s.groups.find((g) => g.groupPk === groupPk)?.state === 'left' ? s : undefined
    }, 30_000)
    expect(lapsed.warnings.some((w) => /lapsed/.test(w))).toBe(true)
    expect(r.node.replicationServer!.serving(gpk)).toBe(false)

    // No new entry taken; what it held is kept until eviction.
    await a.call('message:send', { groupPk, text: 'after the lapse' })
    await new Promise((res) => setTimeout(res, 3000))
    expect(aEntries()).toBeGreaterThan(kept)
    expect(logSize(r, gpk, 'meta') + logSize(r, gpk, 'msg')).toBe(kept)
    expect(lapsed.groups.find((g) => g.groupPk === groupPk)?.entries).toBe(kept)

    // A new valid token serves the lapsed group again (from a fresh copy): active, advertised, complete.
    const { token } = await issueTokenFor(r)
    await a.call('replica:add', { groupPk, server: r.node.libp2p.getMultiaddrs()[0]!.toString(), token })
    await poll('the group is served again', async () => (await r.call('replica:status', {})).groups.find((g) => g.groupPk === groupPk)?.state === 'active')
    expect(r.node.replicationServer!.serving(gpk)).toBe(true)
    await poll('R holds the group again', () => logSize(r, gpk, 'meta') + logSize(r, gpk, 'msg') === aEntries())
  })
})
