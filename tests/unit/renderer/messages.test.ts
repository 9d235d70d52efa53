import { describe, expect, it } from 'vitest'
import type { MessageT } from '../../../core/api'
import { applyLatestPage, applyOlderPage, compareMessages, mergeMessages } from '../../../renderer/src/store/messages'

function msg(id: string, lamport: number, extra: Partial<MessageT> = {}): MessageT {
  return { id, lamport, text: `t-${id}`, sender: 's', mine: false, sentAt: 1000 + lamport, state: 'received', ...extra }
}

const ids = (ms: readonly MessageT[]): string[] => ms.map((m) => m.id)

describe('message order', () => {
  it('orders by Lamport time, then id, never by wall-clock', () => {
    const a = msg('b', 1, { sentAt: 9_999 })
    const b = msg('a', 2, { sentAt: 1 })
    const c = msg('c', 2, { sentAt: 0 })
    expect([c, b, a].sort(compareMessages).map((m) => m.id)).toEqual(['b', 'a', 'c'])
  })
})

describe('mergeMessages', () => {
  it('appends a live message, prepends an older page, interleaves otherwise', () => {
    const base = [msg('m2', 2), msg('m4', 4)]
    expect(ids(mergeMessages(base, [msg('m5', 5)]))).toEqual(['m2', 'm4', 'm5'])
    expect(ids(mergeMessages(base, [msg('m1', 1), msg('m0', 0)]))).toEqual(['m0', 'm1', 'm2', 'm4'])
    expect(ids(mergeMessages(base, [msg('m3', 3), msg('m9', 9), msg('m1', 1)]))).toEqual(['m1', 'm2', 'm3', 'm4', 'm9'])
    expect(ids(mergeMessages([], [msg('x', 3), msg('y', 1)]))).toEqual(['y', 'x'])
  })

  it('never duplicates an id, whether already held or repeated in the input', () => {
    const base = [msg('m1', 1), msg('m2', 2)]
    const out = mergeMessages(base, [msg('m2', 2), msg('m3', 3), msg('m3', 3), msg('m1', 1)])
    expect(ids(out)).toEqual(['m1', 'm2', 'm3'])
  })

  it('returns the same array when nothing changed (stable for selectors)', () => {
    const base = [msg('m1', 1), msg('m2', 2)]
    expect(mergeMessages(base, [])).toBe(base)
    expect(mergeMessages(base, [msg('m2', 2)])).toBe(base)
  })

  it('applies updates in place and never steps a delivery state back', () => {
    const base = [msg('m1', 1, { mine: true, state: 'sending' }), msg('m2', 2)]
    const sent = mergeMessages(base, [msg('m1', 1, { mine: true, state: 'sent' })])
    expect(sent[0]?.state).toBe('sent')
    expect(base[0]?.state).toBe('sending')
    const delivered = mergeMessages(sent, [msg('m1', 1, { mine: true, state: 'delivered' })])
    expect(delivered[0]?.state).toBe('delivered')
    // A page fetched before the update arrives after it.
    const stale = mergeMessages(delivered, [msg('m1', 1, { mine: true, state: 'sent' })])
    expect(stale[0]?.state).toBe('delivered')
    expect(stale).toBe(delivered)
  })

  it('keeps thousands of messages ordered', () => {
    const all = Array.from({ length: 3000 }, (_, i) => msg(`id${String(i).padStart(5, '0')}`, Math.floor(i / 3)))
    const shuffled = [...all].sort(() => Math.random() - 0.5)
    let acc: MessageT[] = []
    for (let i = 0; i < shuffled.length; i += 100) acc = mergeMessages(acc, shuffled.slice(i, i + 100))
    expect(ids(acc)).toEqual(ids(all))
  })
})

describe('paging', () => {
  it('first page: live events that raced the fetch are kept, held older ones keep their hasMore', () => {
    const live = { messages: [msg('m9', 9)], hasMore: true }
    const w = applyLatestPage(live, [msg('m7', 7), msg('m8', 8)], true)
    expect(ids(w.messages)).toEqual(['m7', 'm8', 'm9'])
    expect(w.hasMore).toBe(true)
    expect(applyLatestPage({ messages: [], hasMore: true }, [msg('m1', 1)], false).hasMore).toBe(false)
    expect(applyLatestPage({ messages: [], hasMore: true }, [], false)).toEqual({ messages: [], hasMore: false })
  })

  it('after a disconnect: a page that reaches back to the gap fills it', () => {
    const held = { messages: [msg('m1', 1), msg('m2', 2), msg('m3', 3)], hasMore: false, gapAfter: { lamport: 3, id: 'm3' } }
    const w = applyLatestPage(held, [msg('m3', 3), msg('m4', 4), msg('m5', 5)], true)
    expect(ids(w.messages)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5'])
    expect(w.hasMore).toBe(false)
    expect(w.gapAfter).toBeUndefined()
  })

  it('after a disconnect: a page that starts past the gap replaces what was held before it', () => {
    const held = {
      messages: [msg('m1', 1), msg('m2', 2), msg('m3', 3), msg('m20', 20)],
      hasMore: false,
      gapAfter: { lamport: 3, id: 'm3' }
    }
    const w = applyLatestPage(held, [msg('m10', 10), msg('m11', 11)], true)
    // m4..m9 were missed: keeping m1..m3 would hide the hole. m20 came live after the page.
    expect(ids(w.messages)).toEqual(['m10', 'm11', 'm20'])
    expect(w.hasMore).toBe(true)
  })

  it('older pages are prepended and decide hasMore', () => {
    const w = applyOlderPage({ messages: [msg('m5', 5)], hasMore: true }, [msg('m3', 3), msg('m4', 4)], false)
    expect(ids(w.messages)).toEqual(['m3', 'm4', 'm5'])
    expect(w.hasMore).toBe(false)
  })
})
