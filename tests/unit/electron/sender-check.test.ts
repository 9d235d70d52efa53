import { pathToFileURL } from 'node:url'
import { describe, expect, it, vi } from 'vitest'
import { IPC_EVENT_CHANNEL } from '../../../core/api/channels'
import type { EventName } from '../../../core/api/channels'
import { Dispatcher } from '../../../core/service/dispatch'
import { forwardEvents, makeIpcHandler, type IpcInvokeEventLike } from '../../../electron/main/ipc-handler'
import { isTrustedSender, type SenderInfo, type TrustPolicy } from '../../../electron/main/sender-check'
import { KEY_A, createFixtureService, sampleMessage } from '../daemon/fixture-service'

const rendererFileUrl = pathToFileURL('/opt/berty/resources/app/out/renderer/index.html').href
const WIN = 7
const prod: TrustPolicy = { rendererFileUrl, trustedWebContentsIds: new Set([WIN]) }
const dev: TrustPolicy = { allowedOrigins: ['http://localhost:5173'], trustedWebContentsIds: [WIN] }

const ours: SenderInfo = { frameUrl: rendererFileUrl, isMainFrame: true, webContentsId: WIN }

describe('isTrustedSender', () => {
  it('accepts our window top frame on our renderer (hash and query ignored)', () => {
    expect(isTrustedSender(ours, prod)).toBe(true)
    expect(isTrustedSender({ ...ours, frameUrl: `${rendererFileUrl}#/group/abc` }, prod)).toBe(true)
    expect(isTrustedSender({ ...ours, frameUrl: `${rendererFileUrl}?x=1` }, prod)).toBe(true)
    expect(isTrustedSender({ ...ours, frameUrl: 'http://localhost:5173/#/x' }, dev)).toBe(true)
  })

  it('refuses iframes, other webContents, other documents and special schemes', () => {
    const refused: [string, SenderInfo, TrustPolicy][] = [
      ['iframe with our own url', { ...ours, isMainFrame: false }, prod],
      ['another webContents', { ...ours, webContentsId: WIN + 1 }, prod],
      ['destroyed frame', { ...ours, frameUrl: undefined }, prod],
      ['another file', { ...ours, frameUrl: pathToFileURL('/tmp/evil.html').href }, prod],
      ['sibling file in the build', { ...ours, frameUrl: rendererFileUrl.replace('index.html', 'other.html') }, prod],
      ['traversal look-alike', { ...ours, frameUrl: rendererFileUrl.replace('/out/renderer/', '/out/renderer/x/../../renderer2/') }, prod],
      ['other origin', { ...ours, frameUrl: 'https://evil.example/' }, prod],
      ['devtools', { ...ours, frameUrl: 'devtools://devtools/bundled/inspector.html' }, prod],
      ['about:blank', { ...ours, frameUrl: 'about:blank' }, prod],
      ['chrome-error', { ...ours, frameUrl: 'chrome-error://chromewebdata/' }, prod],
      ['data url', { ...ours, frameUrl: 'data:text/html,<script>1</script>' }, prod],
      ['garbage', { ...ours, frameUrl: 'not a url' }, prod],
      ['file url in dev mode', ours, dev],
      ['dev port look-alike', { ...ours, frameUrl: 'http://localhost:5174/' }, dev],
      ['dev host look-alike', { ...ours, frameUrl: 'http://localhost.evil.example:5173/' }, dev],
      ['dev userinfo trick', { ...ours, frameUrl: 'http://localhost:5173@evil.example/' }, dev],
      ['dev iframe', { ...ours, frameUrl: 'http://localhost:5173/', isMainFrame: false }, dev],
      ['dev server origin in production', { ...ours, frameUrl: 'http://localhost:5173/' }, prod]
    ]
    for (const [name, sender, policy] of refused) expect(isTrustedSender(sender, policy), name).toBe(false)
  })
})

function fakeEvent(frame: { url: string; parent: unknown } | null, webContentsId = WIN): IpcInvokeEventLike {
  return { senderFrame: frame, sender: { id: webContentsId } }
}

describe('makeIpcHandler', () => {
  const setup = () => {
    const service = createFixtureService()
    const dispatcher = new Dispatcher(service.handlers)
    const call = vi.spyOn(dispatcher, 'call')
    const warnings: unknown[] = []
    const deps = {
      dispatcher,
      isTrusted: (s: SenderInfo) => isTrustedSender(s, prod),
      log: (level: string, msg: string, data?: Record<string, unknown>) => {
        if (level === 'warn') warnings.push({ msg, data })
      }
    }
    return { service, call, warnings, deps }
  }

  it('answers our main frame with the dispatcher envelope', async () => {
    const { call, deps } = setup()
    const handler = makeIpcHandler('group:get', deps)
    const res = await handler(fakeEvent({ url: rendererFileUrl, parent: null }), { groupPk: KEY_A })
    expect(res).toMatchObject({ ok: true, value: { groupPk: KEY_A } })
    expect(call).toHaveBeenCalledWith('group:get', { groupPk: KEY_A }, { carrier: 'ipc' })
  })

  it('refuses a foreign frame before the dispatcher sees the call', async () => {
    const { call, warnings, deps, service } = setup()
    const handler = makeIpcHandler('settings:set', deps)
    const topFrame = { url: rendererFileUrl, parent: null }
    for (const event of [
      fakeEvent({ url: rendererFileUrl, parent: topFrame }),
      fakeEvent({ url: 'https://evil.example/', parent: null }),
      fakeEvent({ url: rendererFileUrl, parent: null }, WIN + 1),
      fakeEvent(null)
    ]) {
      const res = await handler(event, { notifications: false })
      expect(res).toEqual({ ok: false, error: { code: 'UNAUTHORIZED', message: expect.any(String) } })
    }
    expect(call).not.toHaveBeenCalled()
    expect(service.callCount('settings:set')).toBe(0)
    expect(warnings).toHaveLength(4)
  })

  it('a frame whose properties throw (destroyed) is refused, not crashed on', async () => {
    const { call, deps } = setup()
    const handler = makeIpcHandler('node:info', deps)
    const destroyed = {
      get url(): string {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed')
      },
      parent: null
    }
    expect(await handler(fakeEvent(destroyed), {})).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } })
    expect(call).not.toHaveBeenCalled()
  })

  it('invalid params → INVALID_PARAMS envelope', async () => {
    const { deps, service } = setup()
    const ok = fakeEvent({ url: rendererFileUrl, parent: null })
    expect(await makeIpcHandler('group:get', deps)(ok, { groupPk: 'short' })).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS' } })
    expect(await makeIpcHandler('settings:set', deps)(ok, { bogus: 1 })).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS' } })
    expect(await makeIpcHandler('message:send', deps)(ok, 'text')).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS' } })
    expect(service.callCount('group:get') + service.callCount('settings:set') + service.callCount('message:send')).toBe(0)
  })

  it('a dispatcher that throws still yields an envelope', async () => {
    const handler = makeIpcHandler('node:info', {
      dispatcher: { call: async () => Promise.reject(new Error('boom')) },
      isTrusted: () => true
    })
    expect(await handler(fakeEvent({ url: rendererFileUrl, parent: null }), {})).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: expect.any(String) }
    })
  })
})

describe('forwardEvents', () => {
  it('sends { event, payload } on the event channel until the window is destroyed', () => {
    const service = createFixtureService()
    const sent: unknown[][] = []
    let destroyed = false
    let onDestroyed: (() => void) | undefined
    const wc = {
      send: (channel: string, ...args: unknown[]) => sent.push([channel, ...args]),
      isDestroyed: () => destroyed,
      once: (_e: 'destroyed', l: () => void) => (onDestroyed = l)
    }
    forwardEvents(service, wc)
    const payload = { groupPk: KEY_A, message: sampleMessage }
    service.emit('message:received', payload)
    expect(sent).toEqual([[IPC_EVENT_CHANNEL, { event: 'message:received' satisfies EventName, payload }]])
    destroyed = true
    onDestroyed?.()
    service.emit('message:received', payload)
    expect(sent).toHaveLength(1)
  })
})
