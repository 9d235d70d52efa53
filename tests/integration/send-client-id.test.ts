/**
 * A send or a group creation made again under the same name (`message:send`, `group:create`
 * clientId) makes no second message or group. For a send: the
 * window whose connection dropped, or whose call timed out, before the answer sends again safely;
 * so does one after the node was killed in the middle (a real daemon, kill -9 while 200 sends are on
 * their way, then all 200 sent again: each message once).
 */
import { describe, expect, it } from 'vitest'
import { startDaemonProcess } from '../support/daemon-process'
import { daemonLab } from '../support/daemon-lab'
import { allMessages, pairInGroup, poll, texts } from './helpers'

const lab = daemonLab()

describe('message:send with a clientId', () => {
  it('answers the first message again, concurrently, after a restart, and the other member gets it once', async () => {
    const { a: ann, b: ben, groupPk } = await pairInGroup(['ann-cid', 'ben-cid'])
    const first = await ann.call('message:send', { groupPk, text: 'one', clientId: 'send-0001' })
    expect(await ann.call('message:send', { groupPk, text: 'one', clientId: 'send-0001' })).toEqual(first)
    // Three at once under one name (a retry while the first is still on its way): one message.
    const racing = await Promise.all([1, 2, 3].map(() => ann.call('message:send', { groupPk, text: 'two', clientId: 'send-0002' })))
    expect(new Set(racing.map((r) => r.id)).size).toBe(1)
    // Another name, or none: a new message, even with the same text.
    const other = await ann.call('message:send', { groupPk, text: 'two', clientId: 'send-0003' })
    const plain = await ann.call('message:send', { groupPk, text: 'two' })
    expect(new Set([first.id, racing[0]!.id, other.id, plain.id]).size).toBe(4)
    // The name is kept with the message: after a restart it still answers it.
    await ann.restart()
    expect(await ann.call('message:send', { groupPk, text: 'one', clientId: 'send-0001' })).toEqual(first)
    // A name is per group: Ben may use the same one for his own message.
    const bens = await ben.call('message:send', { groupPk, text: 'three', clientId: 'send-0001' })
    expect(bens.id).not.toBe(first.id)
    for (const t of [ann, ben]) await poll(`${t.name}'s copy`, async () => (await texts(t, groupPk)).length >= 5)
    expect((await texts(ben, groupPk)).sort()).toEqual(['one', 'three', 'two', 'two', 'two'])
    expect((await texts(ann, groupPk)).sort()).toEqual(['one', 'three', 'two', 'two', 'two'])
    for (const bad of ['short', 'has space in it', 'x'.repeat(65), 'emoji-😀-name']) {
      await expect(ann.call('message:send', { groupPk, text: 'no', clientId: bad })).rejects.toMatchObject({ code: 'INVALID_PARAMS' })
    }
  }, 120_000)

  it('kill -9 while 200 named sends are on their way, then all 200 again: each message exactly once', async () => {
    const dir = lab.tempDir('berty-cid-')
    let d = await startDaemonProcess(dir)
    lab.running.push(d)
    await d.call('account:create', { displayName: 'Ann' })
    const { groupPk } = await d.call('group:create', { name: 'notes' })
    const names = Array.from({ length: 200 }, (_, i) => `retry-${String(i).padStart(4, '0')}`)
    const answered = new Map<string, string>()
    let onFifth!: () => void
    const fifth = new Promise<void>((resolve) => (onFifth = resolve))
    const calls = names.map((clientId, i) =>
      d.call('message:send', { groupPk, text: `note ${i}`, clientId }).then(
        (r) => {
          answered.set(clientId, r.id)
          if (answered.size === 5) onFifth()
        },
        () => undefined
      )
    )
    // Killed the moment the fifth answer arrives: the rest are in flight, committed or not.
    await fifth
    await d.kill9()
    lab.running.splice(lab.running.indexOf(d), 1)
    await Promise.all(calls)
    expect(answered.size).toBeLessThan(200)
    d = await startDaemonProcess(dir)
    lab.running.push(d)
    // Committed before the kill: every answered send, and maybe some whose answer never left.
    const committed = (await allMessages(d, groupPk)).length
    expect(committed).toBeGreaterThanOrEqual(answered.size)
    const again = new Map<string, string>()
    for (const [i, clientId] of names.entries()) again.set(clientId, (await d.call('message:send', { groupPk, text: `note ${i}`, clientId })).id)
    // What was answered before the kill is answered with the same id.
    for (const [clientId, id] of answered) expect(again.get(clientId)).toBe(id)
    const listed = await allMessages(d, groupPk)
    expect(listed.map((m) => m.text).sort()).toEqual(names.map((_, i) => `note ${i}`).sort())
    expect(new Set(listed.map((m) => m.id))).toEqual(new Set(again.values()))
    console.log(`kill -9 with 200 named sends on their way: ${answered.size} answered before the kill, ${committed} committed; after sending all 200 again, ${listed.length} messages, each once`)
  }, 120_000)

  it('group:create under one name: one group, at once, after a restart, and after kill -9 at any moment of the creation', async () => {
    const { a: ann } = await pairInGroup(['ann-gcid', 'ben-gcid'])
    const before = (await ann.call('group:list', {})).length
    const first = await ann.call('group:create', { name: 'Trip', clientId: 'create-0001' })
    const racing = await Promise.all([1, 2, 3].map(() => ann.call('group:create', { name: 'Trip', clientId: 'create-0001' })))
    expect(racing).toEqual([first, first, first])
    await ann.restart()
    expect(await ann.call('group:create', { name: 'Trip', clientId: 'create-0001' })).toEqual(first)
    const other = await ann.call('group:create', { name: 'Trip', clientId: 'create-0002' })
    expect(other.groupPk).not.toBe(first.groupPk)
    expect((await ann.call('group:list', {})).length).toBe(before + 2)
    await expect(ann.call('group:create', { name: 'Trip', clientId: 'no' })).rejects.toMatchObject({ code: 'INVALID_PARAMS' })

    // A real daemon killed at a growing moment of a named creation, restarted, asked again: one
    // complete group every time (a creation cut short is removed at start, then made anew).
    const dir = lab.tempDir('berty-gcid-')
    let d = await startDaemonProcess(dir)
    lab.running.push(d)
    await d.call('account:create', { displayName: 'Ann' })
    const base = (await d.call('group:list', {})).length
    const outcomes: string[] = []
    for (let round = 0; round < 5; round++) {
      const clientId = `kill-create-${round}`
      const call = d.call('group:create', { name: `Round ${round}`, clientId }).then(
        () => 'answered',
        () => 'lost'
      )
      await new Promise((r) => setTimeout(r, [0, 10, 20, 40, 80][round]))
      await d.kill9()
      lab.running.splice(lab.running.indexOf(d), 1)
      outcomes.push(await call)
      d = await startDaemonProcess(dir)
      lab.running.push(d)
      const kept = (await d.call('group:list', {})).some((g) => g.name === `Round ${round}`)
      outcomes[round] += kept ? ' (kept)' : ' (not kept)'
      const { groupPk } = await d.call('group:create', { name: `Round ${round}`, clientId })
      const named = (await d.call('group:list', {})).filter((g) => g.name === `Round ${round}`)
      expect(named.map((g) => g.groupPk)).toEqual([groupPk])
      // Complete: it has its owner and can be shared.
      expect((await d.call('group:members', { groupPk })).length).toBe(1)
      await d.call('group:invite', { groupPk })
    }
    expect((await d.call('group:list', {})).length).toBe(base + 5)
    console.log(`kill -9 in a named group:create ×5, killed 0/10/20/40/80 ms into it (its answer; the group after restart: ${outcomes.join(', ')}): one complete group each time`)
  }, 180_000)
})
