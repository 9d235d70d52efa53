import { describe, expect, it } from 'vitest'
import type { MessageT, SettingsT } from '../../../core/api/contract'
import {
  FALLBACK_BODY,
  FALLBACK_TITLE,
  MAX_BODY_CHARS,
  createMessageNotifier,
  notificationText,
  shapeText,
  shouldNotify,
  type NotificationText
} from '../../../electron/main/notification-logic'
import { KEY_A, KEY_B, sampleMessage } from '../daemon/fixture-service'

const on: SettingsT = { notifications: true, keepRunningInBackground: false, startAtLogin: false }
const off: SettingsT = { ...on, notifications: false }

describe('shapeText', () => {
  it('keeps short text, collapses whitespace and trims', () => {
    expect(shapeText('hello', 100)).toBe('hello')
    expect(shapeText('  two\n\nlines\t here  ', 100)).toBe('two lines here')
    expect(shapeText('a\u2028b\u2029c', 100)).toBe('a b c')
  })

  it('truncates to the limit with an ellipsis, counting user-perceived characters', () => {
    const long = 'x'.repeat(250)
    const out = shapeText(long, MAX_BODY_CHARS)
    expect(Array.from(out)).toHaveLength(MAX_BODY_CHARS)
    expect(out.endsWith('…')).toBe(true)
    expect(shapeText('x'.repeat(100), 100)).toBe('x'.repeat(100))

    // 120 family emoji (one grapheme of 7 code points each): no sequence is cut in half.
    const family = '👨‍👩‍👧‍👦'
    const emoji = shapeText(family.repeat(120), 10)
    expect(emoji).toBe(`${family.repeat(9)}…`)
    // Surrogate pairs are never split.
    const cut = shapeText('😀'.repeat(150), 100)
    expect(cut).toBe(`${'😀'.repeat(99)}…`)
  })

  it('strips control and bidi-override characters', () => {
    expect(shapeText('pay \u202Egnp.exe', 100)).toBe('pay gnp.exe')
    expect(shapeText('a\u0000b\u0007c\u009bd\u2066e\u2069f\ufeff', 100)).toBe('abcdef')
  })
})

describe('notificationText', () => {
  it('title = group name, body = shaped message text', () => {
    expect(notificationText('friends', { text: 'hello there' })).toEqual({ title: 'friends', body: 'hello there' })
    const body = notificationText('g', { text: 'word '.repeat(60) }).body
    expect(Array.from(body).length).toBeLessThanOrEqual(MAX_BODY_CHARS)
    expect(body.endsWith('…')).toBe(true)
  })

  it('falls back when the name or text is empty after shaping', () => {
    expect(notificationText(undefined, { text: 'hi' }).title).toBe(FALLBACK_TITLE)
    expect(notificationText('  \u202E ', { text: 'hi' }).title).toBe(FALLBACK_TITLE)
    expect(notificationText('g', { text: '\u0000\n' }).body).toBe(FALLBACK_BODY)
  })
})

describe('shouldNotify', () => {
  const theirs: Pick<MessageT, 'mine'> = { mine: false }
  it('only for messages from others, when enabled and no window is focused', () => {
    expect(shouldNotify(theirs, { settings: on, windowFocused: false })).toBe(true)
    expect(shouldNotify(theirs, { settings: on, windowFocused: true })).toBe(false)
    expect(shouldNotify(theirs, { settings: off, windowFocused: false })).toBe(false)
    expect(shouldNotify({ ...theirs, unreadable: 'before-join' }, { settings: on, windowFocused: false })).toBe(false)
    expect(shouldNotify({ mine: true }, { settings: on, windowFocused: false })).toBe(false)
    expect(shouldNotify(theirs, { settings: undefined, windowFocused: false })).toBe(false)
  })
})

describe('createMessageNotifier', () => {
  const setup = (opts: { focused?: boolean; settings?: SettingsT; name?: string | Error } = {}) => {
    const shown: [string, NotificationText][] = []
    let focused = opts.focused ?? false
    const logs: unknown[] = []
    const listener = createMessageNotifier({
      settings: () => opts.settings ?? on,
      windowFocused: () => focused,
      groupName: async () => {
        if (opts.name instanceof Error) throw opts.name
        return opts.name ?? 'friends'
      },
      show: (groupPk, text) => shown.push([groupPk, text]),
      log: (...args) => logs.push(args)
    })
    return { listener, shown, logs, focus: (f: boolean) => (focused = f) }
  }
  const flush = () => new Promise((r) => setTimeout(r, 0))

  it('shows the group name and text for a received message', async () => {
    const t = setup()
    t.listener('message:received', { groupPk: KEY_A, message: { ...sampleMessage, text: 'see you at 8' } })
    await flush()
    expect(t.shown).toEqual([[KEY_A, { title: 'friends', body: 'see you at 8' }]])
  })

  it('ignores other events, own messages, a focused window and disabled notifications', async () => {
    const t = setup()
    t.listener('message:updated', { groupPk: KEY_A, message: sampleMessage })
    t.listener('message:received', { groupPk: KEY_A, message: { ...sampleMessage, mine: true } })
    t.listener('group:updated', { group: { groupPk: KEY_B, name: 'x', kind: 'multi', memberCount: 1, unread: 0, createdAt: 0 } })
    const focused = setup({ focused: true })
    focused.listener('message:received', { groupPk: KEY_A, message: sampleMessage })
    const disabled = setup({ settings: off })
    disabled.listener('message:received', { groupPk: KEY_A, message: sampleMessage })
    await flush()
    expect([...t.shown, ...focused.shown, ...disabled.shown]).toEqual([])
  })

  it('skips the notification if the window gained focus during the name lookup', async () => {
    const t = setup()
    t.listener('message:received', { groupPk: KEY_A, message: sampleMessage })
    t.focus(true)
    await flush()
    expect(t.shown).toEqual([])
  })

  it('a failed name lookup falls back to the default title; text never reaches the log', async () => {
    const t = setup({ name: new Error('NOT_FOUND') })
    t.listener('message:received', { groupPk: KEY_A, message: { ...sampleMessage, text: 'top secret' } })
    await flush()
    expect(t.shown).toEqual([[KEY_A, { title: FALLBACK_TITLE, body: 'top secret' }]])
    expect(JSON.stringify(t.logs)).not.toContain('top secret')
  })
})
