// Device linking faults (issue 12): expired, reused and unknown invitations, wrong PINs until the
// invitation dies, a third device racing B, B already holding an account, B going away mid-link, A
// restarting mid-link. Each ends with a clear error, no account on B, and A's invitation dead.
import { afterEach, describe, expect, it } from 'vitest'
import { decodeDeviceLink, encodeDeviceLink } from '../../core/protocol/device-link'
import { connect, disconnect, startNode, stopAll, until, type TestNode } from './helpers'
import { hasNoAccount, linkWithPin, pinOf } from './linking-helpers'

afterEach(stopAll)

const failed = (t: TestNode, side: string) => until(t, () => t.events.find((e) => e.event === 'device:failed' && (e.payload as { side: string }).side === side)?.payload as { code: string; message: string } | undefined)

async function alice(): Promise<TestNode> {
  const a = await startNode('a')
  await a.call('account:create', { displayName: 'Alice' })
  return a
}

describe('device linking faults', () => {
  it('an expired invitation is refused by B before dialing, and by A when B forges the expiry', async () => {
    const [a, b] = [await alice(), await startNode('b')]
    const { link } = await a.call('device:invite', { ttlSeconds: 10 })
    const inv = decodeDeviceLink(link)
    const past = encodeDeviceLink({ ...inv, expiresAt: Date.now() - 1000 }).web
    await expect(b.call('device:link', { link: past })).rejects.toMatchObject({ code: 'INVALID_INVITATION', message: expect.stringMatching(/expired/) })
    // A keeps its own clock: a link rewritten to expire later is still dead on A.
    await new Promise((r) => setTimeout(r, 10_500))
    const forged = encodeDeviceLink({ ...inv, expiresAt: Date.now() + 600_000 }).web
    await expect(b.call('device:link', { link: forged })).rejects.toMatchObject({ code: 'INVALID_INVITATION', message: expect.stringMatching(/expired/) })
    await hasNoAccount(b)
    await expect(b.call('device:link', { link: 'https://berty.tech/id#device-link/0OIl' })).rejects.toMatchObject({ code: 'INVALID_INVITATION' })
  })

  it('a used invitation is refused to the next device', async () => {
    const [a, b, c] = [await alice(), await startNode('b'), await startNode('c')]
    const seen = a.events.length
    const { link } = await a.call('device:invite', {})
    await b.call('device:link', { link })
    await b.call('device:challenge:answer', { pin: await pinOf(a, seen) })
    await expect(c.call('device:link', { link })).rejects.toMatchObject({ code: 'INVALID_INVITATION', message: expect.stringMatching(/already used/) })
    await hasNoAccount(c)
  })

  it('wrong PINs: tries count down, then the invitation dies and B holds nothing', async () => {
    const [a, b] = [await alice(), await startNode('b')]
    const { link } = await a.call('device:invite', {})
    await b.call('device:link', { link })
    const pin = await pinOf(a)
    const wrong = pin === '000000' ? '111111' : '000000'
    expect(await b.call('device:challenge:answer', { pin: wrong })).toEqual({ linked: false, triesLeft: 2 })
    expect(await b.call('device:challenge:answer', { pin: wrong })).toEqual({ linked: false, triesLeft: 1 })
    await expect(b.call('device:challenge:answer', { pin: wrong })).rejects.toMatchObject({ code: 'LINK_REFUSED', message: expect.stringMatching(/too many/) })
    await expect(b.call('device:challenge:answer', { pin })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await hasNoAccount(b)
    expect((await failed(a, 'inviter')).code).toBe('ERR_LINK_REFUSED')
    await expect(b.call('device:link', { link })).rejects.toMatchObject({ code: 'INVALID_INVITATION' })
    // A fresh invitation still works.
    await linkWithPin(a, b)
  })

  it('a third device racing B with the same invitation is refused; B links', async () => {
    const [a, b, c] = [await alice(), await startNode('b'), await startNode('c')]
    const { link } = await a.call('device:invite', {})
    const [rb, rc] = await Promise.allSettled([b.call('device:link', { link }), c.call('device:link', { link })])
    const [winner, loser, lost] = rb.status === 'fulfilled' ? [b, c, rc] : [c, b, rb]
    expect(lost.status).toBe('rejected')
    expect((lost as PromiseRejectedResult).reason).toMatchObject({ code: 'INVALID_INVITATION', message: expect.stringMatching(/another device/) })
    expect(await winner.call('device:challenge:answer', { pin: await pinOf(a) })).toEqual({ linked: true })
    await hasNoAccount(loser)
  })

  it('a device with an account refuses to link (one account per data directory)', async () => {
    const [a, b] = [await alice(), await startNode('b')]
    await b.call('account:create', { displayName: 'Bob' })
    const { link } = await a.call('device:invite', {})
    await expect(b.call('device:link', { link })).rejects.toMatchObject({ code: 'ACCOUNT_EXISTS' })
    expect((await b.call('account:get', {}))?.displayName).toBe('Bob')
  })

  it('B going away mid-link: A fails the session cleanly, B holds nothing and links again', async () => {
    const [a, b] = [await alice(), await startNode('b')]
    const { link } = await a.call('device:invite', {})
    await b.call('device:link', { link })
    const pin = await pinOf(a)
    // The connection drops (no goodbye): both sides end the session.
    await disconnect(a, b)
    expect((await failed(a, 'inviter')).code).toBe('ERR_LINK_UNREACHABLE')
    await expect(b.call('device:challenge:answer', { pin })).rejects.toMatchObject({ code: 'NETWORK' })
    await hasNoAccount(b)
    // A stopping B (a restart) cancels its session; after it, B still has nothing.
    const second = await a.call('device:invite', {})
    await b.call('device:link', { link: second.link })
    await b.restart()
    await hasNoAccount(b)
    await expect(b.call('device:link', { link })).rejects.toMatchObject({ code: 'INVALID_INVITATION' })
    await linkWithPin(a, b)
  })

  it('A restarting mid-link: B fails cleanly with no account; the old link is unknown to A; a new one works', async () => {
    const [a, b] = [await alice(), await startNode('b')]
    const { link } = await a.call('device:invite', {})
    await b.call('device:link', { link })
    const pin = await pinOf(a)
    await a.restart()
    await expect(b.call('device:challenge:answer', { pin })).rejects.toMatchObject({ code: 'NETWORK' })
    expect((await failed(b, 'joiner')).message).toMatch(/went away/)
    await hasNoAccount(b)
    // A listens on new ports after its restart: B finds it (here: dials it; in the field: peer routing).
    await connect(b, a)
    await expect(b.call('device:link', { link })).rejects.toMatchObject({ code: 'INVALID_INVITATION', message: expect.stringMatching(/restarted/) })
    await linkWithPin(a, b)
    expect((await b.call('account:get', {}))?.accountPk).toBe((await a.call('account:get', {}))?.accountPk)
  })
})
