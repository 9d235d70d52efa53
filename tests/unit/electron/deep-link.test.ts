import { describe, expect, it } from 'vitest'
import { GROUP_INVITATION_PREFIX, MAX_INVITATION_URL_LENGTH } from '../../../core/protocol/group/invitation'
import goLinks from '../../vectors/links-go.json'
import {
  DEEP_LINK_PREFIX,
  MAX_DEEP_LINK_CHARS,
  createDeepLinkQueue,
  deepLinkFromArgv,
  parseDeepLink,
  type JoinOutcome
} from '../../../electron/main/deep-link-logic'

const PAYLOAD = 'CAESIK' + 'a'.repeat(200) + '-_09'
const LINK = `berty://group#${PAYLOAD}`
// Links berty/berty's bertylinks produced (tests/vectors/links-go.json).
const GO_GROUP_QR = `BERTY://PB/${goLinks.blobs.validGroupInternalBlob}`
const GO_CONTACT_QR = `BERTY://PB/${goLinks.blobs.validContactInternalBlob}`
const GO_GROUP_WEB = `https://berty.tech/id#group/${goLinks.blobs.validGroupBlob}/name=random-group-34191`
const GO_CONTACT_WEB = `https://berty.tech/id#contact/${goLinks.blobs.validContactBlob}/name=Alice`

describe('parseDeepLink', () => {
  it('uses the same prefix and length cap as the invitation codec', () => {
    expect(DEEP_LINK_PREFIX).toBe(GROUP_INVITATION_PREFIX)
    expect(MAX_DEEP_LINK_CHARS).toBe(MAX_INVITATION_URL_LENGTH)
  })

  it('accepts berty://group#<base64url> and canonicalizes harmless variants', () => {
    expect(parseDeepLink(LINK)).toEqual({ ok: true, url: LINK })
    expect(parseDeepLink(`BERTY://Group#${PAYLOAD}`)).toEqual({ ok: true, url: LINK })
    expect(parseDeepLink(`berty://group/#${PAYLOAD}`)).toEqual({ ok: true, url: LINK })
  })

  it('accepts Berty group links: berty://pb deep link and QR form, web link', () => {
    expect(parseDeepLink(GO_GROUP_QR)).toEqual({ ok: true, url: GO_GROUP_QR })
    expect(parseDeepLink(`berty://pb/${goLinks.blobs.validGroupInternalBlob}`)).toEqual({ ok: true, url: GO_GROUP_QR })
    expect(parseDeepLink(`Berty://Pb/${goLinks.blobs.validGroupInternalBlob}`)).toEqual({ ok: true, url: GO_GROUP_QR })
    expect(parseDeepLink(GO_GROUP_WEB)).toEqual({ ok: true, url: GO_GROUP_WEB })
    const bare = `https://berty.tech/id#group/${goLinks.blobs.validGroupBlob}`
    expect(parseDeepLink(bare)).toEqual({ ok: true, url: bare })
    expect(parseDeepLink(bare.replace('https://berty.tech', 'HTTPS://Berty.Tech'))).toEqual({ ok: true, url: bare })
  })

  it('accepts Berty contact links (web, QR, berty://pb) for a contact request', () => {
    expect(parseDeepLink(GO_CONTACT_QR)).toEqual({ ok: true, url: GO_CONTACT_QR, kind: 'contact' })
    expect(parseDeepLink(GO_CONTACT_QR.replace('BERTY://PB/', 'berty://pb/'))).toEqual({ ok: true, url: GO_CONTACT_QR, kind: 'contact' })
    expect(parseDeepLink(GO_CONTACT_WEB)).toEqual({ ok: true, url: GO_CONTACT_WEB, kind: 'contact' })
    expect(parseDeepLink(`${GO_CONTACT_WEB} x`)).toEqual({ ok: false, reason: 'bad-payload' })
  })

  it('refuses damaged Berty links and other kinds', () => {
    const cases: [unknown, string][] = [
      ['https://berty.tech/id#message/abc', 'not-a-group'],
      ['berty://pb/', 'bad-payload'],
      [`${GO_GROUP_QR.slice(0, -10)}`, 'bad-payload'],
      [GO_GROUP_QR.toLowerCase(), 'bad-payload'],
      [`${GO_GROUP_QR} `, 'bad-payload'],
      [`${GO_GROUP_QR}?x`, 'bad-payload'],
      [`https://berty.tech/id#group/${PAYLOAD}`, 'bad-payload'],
      [`${GO_GROUP_WEB} x`, 'bad-payload'],
      [`${GO_GROUP_WEB}\n`, 'bad-payload'],
      [`${GO_GROUP_WEB}#x`, 'bad-payload'],
      ['https://berty.tech/id#group/', 'bad-payload']
    ]
    for (const [raw, reason] of cases) expect(parseDeepLink(raw), String(raw)).toEqual({ ok: false, reason })
  })

  it('refuses other schemes, hosts and shapes', () => {
    const cases: [unknown, string][] = [
      [undefined, 'not-a-string'],
      [42, 'not-a-string'],
      [`https://berty.tech.evil/id#group/${goLinks.blobs.validGroupBlob}`, 'wrong-scheme'],
      [`http://berty.tech/id#group/${goLinks.blobs.validGroupBlob}`, 'wrong-scheme'],
      [`file:///etc/passwd#${PAYLOAD}`, 'wrong-scheme'],
      [`javascript:alert(1)//berty://group#${PAYLOAD}`, 'wrong-scheme'],
      [` ${LINK}`, 'wrong-scheme'],
      [`berty://contact#${PAYLOAD}`, 'not-an-invitation'],
      [`berty://group.evil#${PAYLOAD}`, 'not-an-invitation'],
      [`berty://group?x=1#${PAYLOAD}`, 'not-an-invitation'],
      [`berty:group#${PAYLOAD}`, 'not-an-invitation'],
      ['berty://group#', 'bad-payload'],
      [`${LINK} `, 'bad-payload'],
      [`${LINK}\n`, 'bad-payload'],
      [`${LINK}\u0000`, 'bad-payload'],
      [`${LINK}=`, 'bad-payload'],
      [`${LINK}/`, 'bad-payload'],
      [`berty://group#abc%20def`, 'bad-payload'],
      [`berty://group#${PAYLOAD}#again`, 'bad-payload']
    ]
    for (const [raw, reason] of cases) expect(parseDeepLink(raw), String(raw)).toEqual({ ok: false, reason })
  })

  it('caps the length', () => {
    const atCap = DEEP_LINK_PREFIX + 'A'.repeat(MAX_DEEP_LINK_CHARS - DEEP_LINK_PREFIX.length)
    expect(parseDeepLink(atCap).ok).toBe(true)
    expect(parseDeepLink(`${atCap}A`)).toEqual({ ok: false, reason: 'too-long' })
  })
})

describe('deepLinkFromArgv', () => {
  it('finds the link among Chromium switches and paths (second-instance argv)', () => {
    const argv = ['/opt/Berty/berty', '--allow-file-access-from-files', '--original-process-start-time=1', LINK]
    expect(deepLinkFromArgv(argv)).toEqual({ ok: true, url: LINK })
    expect(deepLinkFromArgv(['C:\\Berty\\Berty.exe', '--', LINK])).toEqual({ ok: true, url: LINK })
    expect(deepLinkFromArgv(['/opt/Berty/berty', '--no-sandbox', GO_GROUP_WEB])).toEqual({ ok: true, url: GO_GROUP_WEB })
    expect(deepLinkFromArgv(['/opt/Berty/berty', GO_GROUP_QR])).toEqual({ ok: true, url: GO_GROUP_QR })
  })

  it('reports a refused berty: argument, and nothing when there is none', () => {
    expect(deepLinkFromArgv(['berty', 'berty://contact#x'])).toEqual({ ok: false, reason: 'not-an-invitation' })
    expect(deepLinkFromArgv(['/usr/bin/berty', '--hidden', `--url=${LINK}`])).toBeUndefined()
    expect(deepLinkFromArgv([])).toBeUndefined()
  })
})

describe('createDeepLinkQueue', () => {
  const setup = (answers: boolean[], outcome: JoinOutcome = { ok: true, groupName: 'friends' }) => {
    const joined: string[] = []
    const reports: JoinOutcome[] = []
    const logs: { level: string; msg: string; data?: Record<string, unknown> }[] = []
    let asked = 0
    const queue = createDeepLinkQueue({
      confirm: async () => answers[asked++] ?? false,
      join: async (url) => {
        joined.push(url)
        return outcome
      },
      report: (o) => reports.push(o),
      log: (level, msg, data) => logs.push({ level, msg, ...(data ? { data } : {}) })
    })
    return { queue, joined, reports, logs, asked: () => asked }
  }

  it('joins after the user confirms, and reports the outcome', async () => {
    const t = setup([true, true])
    expect(t.queue.push(`berty://group/#${PAYLOAD}`)).toBe(true)
    await t.queue.idle()
    expect(t.joined).toEqual([LINK])
    expect(t.reports).toEqual([{ ok: true, groupName: 'friends' }])
    t.reports.length = 0
    expect(t.queue.push(`berty://pb/${goLinks.blobs.validGroupInternalBlob}`)).toBe(true)
    await t.queue.idle()
    expect(t.joined).toEqual([LINK, GO_GROUP_QR])
    expect(t.reports).toEqual([{ ok: true, groupName: 'friends' }])
  })

  it('does nothing when the user declines', async () => {
    const t = setup([false])
    t.queue.push(LINK)
    await t.queue.idle()
    expect(t.joined).toEqual([])
    expect(t.reports).toEqual([])
  })

  it('refuses invalid links without asking and never logs the URL', async () => {
    const t = setup([true])
    expect(t.queue.push('https://evil.example/#x')).toBe(false)
    expect(t.queue.push(`berty://group#${'secret'.repeat(3)}!`)).toBe(false)
    await t.queue.idle()
    expect(t.asked()).toBe(0)
    expect(JSON.stringify(t.logs)).not.toContain('secret')
    expect(JSON.stringify(t.logs)).not.toContain('evil')
    expect(t.logs[0]).toMatchObject({ level: 'warn', data: { reason: 'wrong-scheme' } })
  })

  it('ignores a duplicate of a pending link and bounds the backlog', async () => {
    const t = setup([true, true, true, true, true])
    expect(t.queue.push(LINK)).toBe(true)
    expect(t.queue.push(LINK)).toBe(false)
    expect(t.queue.push(`${LINK}B`)).toBe(true)
    expect(t.queue.push(`${LINK}C`)).toBe(true)
    expect(t.queue.push(`${LINK}D`)).toBe(false)
    await t.queue.idle()
    expect(t.joined).toEqual([LINK, `${LINK}B`, `${LINK}C`])
    // Once handled, the same link may be opened again.
    expect(t.queue.push(LINK)).toBe(true)
    await t.queue.idle()
    expect(t.joined).toHaveLength(4)
  })

  it('a failing join or dialog is reported, not thrown', async () => {
    const failing = setup([true], { ok: false, code: 'NO_ACCOUNT', message: 'no account' })
    failing.queue.push(LINK)
    await failing.queue.idle()
    expect(failing.reports).toEqual([{ ok: false, code: 'NO_ACCOUNT', message: 'no account' }])

    const reports: JoinOutcome[] = []
    const throwing = createDeepLinkQueue({
      confirm: async () => true,
      join: async () => {
        throw new Error('boom')
      },
      report: (o) => reports.push(o)
    })
    throwing.push(LINK)
    await throwing.idle()
    expect(reports).toMatchObject([{ ok: false, code: 'INTERNAL' }])

    let joins = 0
    const brokenDialog = createDeepLinkQueue({
      confirm: async () => {
        throw new Error('no display')
      },
      join: async () => {
        joins++
        return { ok: true }
      },
      report: () => {}
    })
    brokenDialog.push(LINK)
    await brokenDialog.idle()
    expect(joins).toBe(0)
  })
})
