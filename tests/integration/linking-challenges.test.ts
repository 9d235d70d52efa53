// The spec's three linking challenges besides the PIN path of linking.test.ts: QR (B shows its
// fingerprint, A's user scans or pastes it; a wrong scan costs a try), fingerprint (both show it, both
// confirm; `acceptFingerprint` is the scripted form), and a third device linked from B rather than A.
import { afterEach, describe, expect, it } from 'vitest'
import { gpkOf, startNode, stopAll, texts, until, type TestNode } from './helpers'
import { linkWithPin } from './linking-helpers'

afterEach(stopAll)

function lastChallenge(a: TestNode, from = 0): Promise<{ kind: string; pin?: string; fingerprint?: string; triesLeft: number }> {
  return until(a, () => {
    const e = [...a.events.slice(from)].reverse().find((x) => x.event === 'device:challenge')
    return e?.payload as { kind: string; pin?: string; fingerprint?: string; triesLeft: number } | undefined
  })
}

describe('linking challenges', () => {
  it('QR: A compares the scanned fingerprint; a wrong scan costs a try, the right one links', async () => {
    const [a, b] = [await startNode('a'), await startNode('b')]
    await a.call('account:create', { displayName: 'Alice' })
    const { link, qr } = await a.call('device:invite', { challenge: 'qr' })
    // The QR form carries the same invitation (no secret in either): B may use it as well.
    expect(qr.startsWith('BERTY://DL/')).toBe(true)
    expect(link.startsWith('https://berty.tech/id#device-link/')).toBe(true)
    const challenge = await b.call('device:link', { link: qr })
    expect(challenge.kind).toBe('qr')
    expect(challenge.fingerprint).toMatch(/^[0-9A-F]{4}( [0-9A-F]{4}){9}$/)
    const shown = await lastChallenge(a)
    expect(shown).toMatchObject({ kind: 'qr', fingerprint: challenge.fingerprint, triesLeft: 3 })
    expect(shown.pin).toBeUndefined()

    const from = a.events.length
    await a.call('device:challenge:confirm', { fingerprint: '0000 '.repeat(10) })
    expect((await lastChallenge(a, from)).triesLeft).toBe(2)
    expect(await b.call('account:get', {})).toBeNull()

    // Scanned text may come in any case, without spaces.
    await a.call('device:challenge:confirm', { fingerprint: challenge.fingerprint.replace(/ /g, '').toLowerCase() })
    await until(b, async () => (await b.call('account:get', {}))?.accountPk)
    expect((await b.call('account:get', {}))?.accountPk).toBe((await a.call('account:get', {}))?.accountPk)
    await until(a, () => a.events.some((e) => e.event === 'device:linked'))
  })

  it('fingerprint: scripted on B (acceptFingerprint) and confirmed on A', async () => {
    const [a, b] = [await startNode('a'), await startNode('b')]
    await a.call('account:create', { displayName: 'Alice' })
    const { fingerprint } = await b.call('device:fingerprint', {})
    // Stable until the link: the device key is made once (spec step 1) and kept.
    expect((await b.call('device:fingerprint', {})).fingerprint).toBe(fingerprint)
    const { link } = await a.call('device:invite', {})
    const challenge = await b.call('device:link', { link, acceptFingerprint: fingerprint })
    expect(challenge).toMatchObject({ kind: 'fingerprint', fingerprint, inviterSees: fingerprint })
    expect(await lastChallenge(a)).toMatchObject({ kind: 'fingerprint', fingerprint })
    await a.call('device:challenge:confirm', { fingerprint })
    await until(b, async () => (await b.call('account:get', {}))?.accountPk)
    expect((await b.call('account:get', {}))?.devicePk).not.toBe((await a.call('account:get', {}))?.devicePk)
  })

  it('fingerprint: a mismatch on A refuses at once, and nothing is linked', async () => {
    const [a, b] = [await startNode('a'), await startNode('b')]
    await a.call('account:create', { displayName: 'Alice' })
    const { fingerprint } = await b.call('device:fingerprint', {})
    const { link } = await a.call('device:invite', { challenge: 'fingerprint' })
    const challenge = await b.call('device:link', { link })
    expect(challenge.kind).toBe('fingerprint')
    const answer = b.call('device:challenge:answer', { fingerprint })
    await lastChallenge(a)
    await a.call('device:challenge:confirm', { fingerprint: 'FFFF '.repeat(10) })
    await expect(answer).rejects.toMatchObject({ code: 'LINK_REFUSED' })
    expect(await b.call('account:get', {})).toBeNull()
    await until(a, () => a.events.some((e) => e.event === 'device:failed'))
    // B's own side refuses a fingerprint that is not its own, before anything is sent.
    const again = await a.call('device:invite', {})
    await expect(b.call('device:link', { link: again.link, acceptFingerprint: 'ABCD '.repeat(10) })).rejects.toMatchObject({ code: 'LINK_REFUSED' })
    expect(await b.call('account:get', {})).toBeNull()
  })

  it('a third device linked from B (not A) holds the account and its groups', async () => {
    const [a, b, c] = [await startNode('a'), await startNode('b'), await startNode('c')]
    await a.call('account:create', { displayName: 'Alice' })
    const { groupPk } = await a.call('group:create', { name: 'Three' })
    await linkWithPin(a, b)
    await until(b, () => b.node.groups.has(gpkOf(groupPk)))
    await linkWithPin(b, c)
    expect((await c.call('account:get', {}))?.accountPk).toBe((await a.call('account:get', {}))?.accountPk)
    await until(c, () => c.node.groups.has(gpkOf(groupPk)))
    await c.call('message:send', { groupPk, text: 'from C' })
    for (const t of [a, b]) {
      const m = await until(t, async () => (await t.call('message:list', { groupPk })).messages.find((x) => x.text === 'from C'))
      expect(m.mine).toBe(true)
    }
    await until(c, async () => (await c.call('device:list', {})).length === 3)
    expect(await texts(c, groupPk)).toContain('from C')
  })
})
