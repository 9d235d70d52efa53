/**
 * A clean stop in the middle of a burst of sends (the window sends, the app quits): 150 sends are
 * dispatched and the stop starts at once, one turn later or two, while they are sealed and committed.
 * The stop waits for them, then stores the sender chain where the last sealed message left it
 * (ChainKeeper.release). No message key may be used twice across the restart: the member reads every
 * answered message, none is unreadable, none comes twice (a chain stored behind a used counter shows
 * here as unreadable or missing messages after the restart).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { allMessages, connect, pairInGroup, poll, stopAll } from './helpers'

afterEach(stopAll)

describe('groups: stopped while sending', () => {
  it('sends in flight at a clean stop: after the restart, every answered message read once, none unreadable', async () => {
    const { a, b, groupPk } = await pairInGroup(['A', 'B'], 'Quit mid-burst')
    const answered: string[] = []
    for (let round = 0; round < 3; round++) {
      // 150 sends at once, not awaited.
      const sends = Array.from({ length: 150 }, (_, i) => {
        const text = `round ${round} message ${i}`
        return a.call('message:send', { groupPk, text }).then(
          () => void answered.push(text),
          () => undefined
        )
      })
      // The stop starts at once, after one turn, after two: early, middle, late in the burst.
      for (let t = 0; t < round; t++) await new Promise((r) => setImmediate(r))
      await a.restart()
      await Promise.all(sends)
      await connect(a, b)
    }
    for (let i = 0; i < 10; i++) {
      await a.call('message:send', { groupPk, text: `after ${i}` })
      answered.push(`after ${i}`)
    }
    const readable = async () => (await allMessages(b, groupPk)).filter((m) => m.unreadable === undefined).map((m) => m.text)
    await poll('B reads every answered message', async () => (await readable()).length >= answered.length, 60_000)
    const got = await allMessages(b, groupPk)
    expect(got.filter((m) => m.unreadable !== undefined)).toHaveLength(0)
    const texts = got.map((m) => m.text)
    expect(new Set(texts).size).toBe(texts.length)
    for (const t of answered) expect(texts).toContain(t)
    console.log(`stopped while sending ×3: ${answered.length} answered (of ${3 * 150 + 10}), B holds ${texts.length}, unreadable 0, duplicated 0`)
  }, 180_000)
})
