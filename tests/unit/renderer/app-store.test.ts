import { describe, expect, it, vi } from 'vitest'
import type { AccountT, EventName, EventPayload, GroupSummaryT, MessageT, MethodName, Params, Result } from '../../../core/api'
import { ApiCallError } from '../../../renderer/src/api/errors'
import type { AppClient, ConnectionInfo } from '../../../renderer/src/api/types'
import { createAppStore, type AppStore } from '../../../renderer/src/store/app-store'

type Handlers = { [M in MethodName]?: (params: Params<M>) => Result<M> | Promise<Result<M>> }

function fakeClient(handlers: Handlers) {
  const listeners = new Map<string, Set<(p: unknown) => void>>()
  const connListeners = new Set<(i: ConnectionInfo) => void>()
  let info: ConnectionInfo = { state: 'open', attempt: 0 }
  const calls: { method: MethodName; params: unknown }[] = []
  const client: AppClient = {
    carrier: 'ws',
    async call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> {
      calls.push({ method, params })
      const h = handlers[method] as ((p: Params<M>) => Result<M> | Promise<Result<M>>) | undefined
      if (!h) throw new ApiCallError('UNKNOWN_METHOD', method)
      return await h(params)
    },
    on<E extends EventName>(event: E, l: (p: EventPayload<E>) => void) {
      let set = listeners.get(event)
      if (!set) listeners.set(event, (set = new Set()))
      set.add(l as (p: unknown) => void)
      return () => set.delete(l as (p: unknown) => void)
    },
    connection: () => info,
    onConnection(l) {
      connListeners.add(l)
      return () => connListeners.delete(l)
    },
    reconnectNow() {},
    close() {}
  }
  return {
    client,
    calls,
    callsOf: (m: MethodName) => calls.filter((c) => c.method === m).map((c) => c.params),
    emit<E extends EventName>(event: E, payload: EventPayload<E>) {
      for (const l of listeners.get(event) ?? []) l(payload)
    },
    setConnection(next: ConnectionInfo) {
      info = next
      for (const l of connListeners) l(info)
    }
  }
}

const PK = (c: string) => c.repeat(43)
const G1 = PK('a')
const G2 = PK('b')

const account: AccountT = { accountPk: PK('c'), devicePk: PK('d'), displayName: 'Alice', createdAt: 1 }

function msg(id: string, lamport: number, extra: Partial<MessageT> = {}): MessageT {
  return { id, lamport, text: `t-${id}`, sender: PK('e'), mine: false, sentAt: 1000 + lamport, state: 'received', ...extra }
}

function group(groupPk: string, extra: Partial<GroupSummaryT> = {}): GroupSummaryT {
  return { groupPk, name: `g-${groupPk[0]}`, kind: 'multi', memberCount: 2, unread: 0, createdAt: 10, ...extra }
}

const baseHandlers = (): Handlers => ({
  'account:get': () => account,
  'group:list': () => [group(G1), group(G2, { createdAt: 20 })],
  'group:get': ({ groupPk }) => group(groupPk),
  'settings:get': () => ({ notifications: true, keepRunningInBackground: true, startAtLogin: false }),
  'node:info': () => ({ peerId: '12D3KooWtest', addrs: ['/ip4/127.0.0.1/tcp/1'], version: '0.1.0', ready: true, damaged: null, repair: null }),
  'peer:list': () => [],
  'group:members': () => [],
  'group:markRead': () => ({ unread: 0 }),
  'message:list': () => ({ messages: [], hasMore: false })
})

const ids = (store: AppStore, pk: string) => (store.getState().chats[pk]?.messages ?? []).map((m) => m.id)

async function started(handlers: Handlers) {
  const fake = fakeClient(handlers)
  const store = createAppStore(fake.client, { retryDelay: () => 0, pageSize: 3 })
  const stop = store.getState().actions.start()
  return { fake, store, stop }
}

describe('app store: boot', () => {
  it('without an account, onboarding; creating one loads everything', async () => {
    let acct: AccountT | null = null
    const { fake, store } = await started({
      ...baseHandlers(),
      'account:get': () => acct,
      'account:create': ({ displayName }) => (acct = { ...account, displayName })
    })
    await vi.waitFor(() => expect(store.getState().phase).toBe('onboarding'))
    const created = store.getState().actions.createAccount('  Bob ')
    expect(store.getState().pending['account:create']).toBeDefined()
    await created
    expect(fake.callsOf('account:create')).toEqual([{ displayName: 'Bob' }])
    expect(store.getState().phase).toBe('ready')
    expect(store.getState().pending['account:create']).toBeUndefined()
    await vi.waitFor(() => expect(store.getState().groups).toHaveLength(2))
    // Newest activity first.
    expect(store.getState().groups.map((g) => g.groupPk)).toEqual([G2, G1])
    expect(store.getState().settings?.notifications).toBe(true)
    expect(store.getState().node?.peerId).toBe('12D3KooWtest')
  })

  it('retries while the node is not ready', async () => {
    let n = 0
    const { store } = await started({
      ...baseHandlers(),
      'account:get': () => {
        if (++n < 3) throw new ApiCallError('NOT_READY', 'starting')
        return account
      }
    })
    await vi.waitFor(() => expect(store.getState().phase).toBe('ready'))
    expect(n).toBe(3)
    expect(store.getState().bootError).toBeUndefined()
  })

  it('a node that could not start shows why, once, and is not asked again', async () => {
    let n = 0
    const why = '/data/node is in use by another Berty process (a headless node or another copy of the app): stop it, then start again'
    const { store } = await started({
      'account:get': () => {
        n++
        throw new ApiCallError('START_FAILED', why)
      }
    })
    await vi.waitFor(() => expect(store.getState().phase).toBe('failed'))
    expect(store.getState().bootError).toBe(why)
    // Here a NOT_READY answer is asked again at once (retryDelay 0); this one never.
    await new Promise((r) => setTimeout(r, 100))
    expect(n).toBe(1)
  })

  it('a database found damaged: the line from node:info at boot, or from the event later, stays shown', async () => {
    const why = 'the database in /data/node is damaged (database disk image is malformed): some of your data cannot be read or saved; nothing was deleted'
    const { fake, store } = await started(baseHandlers())
    await vi.waitFor(() => expect(store.getState().node?.peerId).toBe('12D3KooWtest'))
    expect(store.getState().damaged).toBeUndefined()
    fake.emit('node:damaged', { message: why })
    expect(store.getState().damaged).toBe(why)
    // A later node:info from before the damage (damaged: null) does not hide it.
    await store.getState().actions.refreshNode()
    expect(store.getState().damaged).toBe(why)

    const late = await started({ ...baseHandlers(), 'node:info': () => ({ peerId: '12D3KooWtest', addrs: [], version: '0.1.0', ready: true, damaged: why, repair: null }) })
    await vi.waitFor(() => expect(late.store.getState().damaged).toBe(why))
  })

  it('a conversation list or a page that cannot be loaded says why instead of looking empty, until one loads', async () => {
    const why = 'the database in /data/node is damaged (database disk image is malformed)'
    let failing = true
    const { store } = await started({
      ...baseHandlers(),
      'group:list': () => {
        if (failing) throw new ApiCallError('DATA_DAMAGED', why)
        return [group(G1)]
      },
      'message:list': () => {
        if (failing) throw new ApiCallError('DATA_DAMAGED', why)
        return { messages: [msg('m1', 1)], hasMore: false }
      }
    })
    await vi.waitFor(() => expect(store.getState().groupsError).toBe(why))
    expect(store.getState().groups).toEqual([])
    await store.getState().actions.loadLatest(G1)
    expect(store.getState().chats[G1]).toMatchObject({ loaded: false, loadingLatest: false, loadError: why })
    failing = false
    await store.getState().actions.refreshAll()
    await store.getState().actions.loadLatest(G1)
    expect(store.getState().groupsError).toBeUndefined()
    expect(store.getState().chats[G1]).toMatchObject({ loaded: true })
    expect(store.getState().chats[G1]!.loadError).toBeUndefined()
  })

  it('an account record that cannot be read (DATA_DAMAGED) is final, like a failed start', async () => {
    let n = 0
    const why = 'the database in /data/node is damaged (database disk image is malformed): some of your data cannot be read or saved'
    const { store } = await started({
      'account:get': () => {
        n++
        throw new ApiCallError('DATA_DAMAGED', why)
      }
    })
    await vi.waitFor(() => expect(store.getState().phase).toBe('failed'))
    expect(store.getState().bootError).toBe(why)
    await new Promise((r) => setTimeout(r, 100))
    expect(n).toBe(1)
  })

  it('a refused token shows the unauthorized screen', async () => {
    const { store } = await started({
      'account:get': () => {
        throw new ApiCallError('UNAUTHORIZED', 'unauthorized: missing or wrong token')
      }
    })
    await vi.waitFor(() => expect(store.getState().phase).toBe('unauthorized'))
  })
})

describe('app store: messages', () => {
  it('opening a group loads the newest page and marks it read', async () => {
    const { fake, store } = await started({
      ...baseHandlers(),
      'group:list': () => [group(G1, { unread: 4 })],
      'message:list': () => ({ messages: [msg('m1', 1), msg('m2', 2), msg('m3', 3)], hasMore: true })
    })
    await vi.waitFor(() => expect(store.getState().groups).toHaveLength(1))
    store.getState().actions.openGroup(G1)
    expect(store.getState().view).toEqual({ kind: 'chat', groupPk: G1 })
    await vi.waitFor(() => expect(store.getState().chats[G1]?.loaded).toBe(true))
    expect(ids(store, G1)).toEqual(['m1', 'm2', 'm3'])
    expect(fake.callsOf('message:list')).toEqual([{ groupPk: G1, limit: 3 }])
    expect(fake.callsOf('group:markRead')).toEqual([{ groupPk: G1 }])
    expect(store.getState().groups[0]?.unread).toBe(0)
  })

  it('merges live events by id, in protocol order, and tracks the preview', async () => {
    const { fake, store } = await started({
      ...baseHandlers(),
      'message:list': () => ({ messages: [msg('m1', 1), msg('m3', 3)], hasMore: false })
    })
    await vi.waitFor(() => expect(store.getState().groups).toHaveLength(2))
    store.getState().actions.openGroup(G1)
    await vi.waitFor(() => expect(store.getState().chats[G1]?.loaded).toBe(true))

    fake.emit('message:received', { groupPk: G1, message: msg('m3', 3) }) // duplicate of the page
    fake.emit('message:received', { groupPk: G1, message: msg('m2', 2, { sentAt: 99_999 }) }) // late, clock skewed
    fake.emit('message:received', { groupPk: G1, message: msg('m4', 4) })
    expect(ids(store, G1)).toEqual(['m1', 'm2', 'm3', 'm4'])

    fake.emit('message:updated', { groupPk: G1, message: msg('m2', 2, { sentAt: 99_999, text: 'edited?' }) })
    expect(ids(store, G1)).toEqual(['m1', 'm2', 'm3', 'm4'])
    expect(store.getState().chats[G1]?.messages[1]?.text).toBe('edited?')

    // The preview is the newest by (lamport, id), whatever the wall clock says.
    expect(store.getState().groups.find((g) => g.groupPk === G1)?.lastMessage?.id).toBe('m4')
    // New messages in the open group are marked read.
    expect(fake.callsOf('group:markRead').length).toBeGreaterThanOrEqual(2)
  })

  it('message:unreadable marks my message with the members who can never read it, once each', async () => {
    const { fake, store } = await started({
      ...baseHandlers(),
      'message:list': () => ({ messages: [msg('mine1', 1, { mine: true }), msg('theirs', 2)], hasMore: false })
    })
    await vi.waitFor(() => expect(store.getState().groups).toHaveLength(2))
    store.getState().actions.openGroup(G1)
    await vi.waitFor(() => expect(store.getState().chats[G1]?.loaded).toBe(true))
    const bob = PK('b')
    const carol = PK('c')
    fake.emit('message:unreadable', { groupPk: G1, id: 'mine1', memberPk: bob, reason: 'before-join' })
    fake.emit('message:unreadable', { groupPk: G1, id: 'mine1', memberPk: bob, reason: 'before-join' })
    fake.emit('message:unreadable', { groupPk: G1, id: 'mine1', memberPk: carol, reason: 'before-join' })
    // The receiver's side of the event (a placeholder of someone else's message) adds nothing.
    fake.emit('message:unreadable', { groupPk: G1, id: 'theirs', memberPk: bob, reason: 'before-join' })
    expect(store.getState().chats[G1]?.unreadableBy).toEqual({ mine1: [bob, carol] })
  })

  it('a message for an unknown group fetches that group', async () => {
    const { fake, store } = await started({ ...baseHandlers(), 'group:list': () => [] })
    await vi.waitFor(() => expect(store.getState().phase).toBe('ready'))
    const G3 = PK('f')
    fake.emit('message:received', { groupPk: G3, message: msg('x', 1) })
    await vi.waitFor(() => expect(store.getState().groups.map((g) => g.groupPk)).toEqual([G3]))
  })

  it('scroll-back asks for messages before the oldest held one, then stops', async () => {
    const pages: Record<string, { messages: MessageT[]; hasMore: boolean }> = {
      '': { messages: [msg('m7', 7), msg('m8', 8), msg('m9', 9)], hasMore: true },
      m7: { messages: [msg('m4', 4), msg('m5', 5), msg('m6', 6)], hasMore: true },
      m4: { messages: [msg('m3', 3)], hasMore: false }
    }
    const { fake, store } = await started({
      ...baseHandlers(),
      'message:list': ({ before }) => pages[before ?? ''] ?? { messages: [], hasMore: false }
    })
    await vi.waitFor(() => expect(store.getState().phase).toBe('ready'))
    store.getState().actions.openGroup(G1)
    await vi.waitFor(() => expect(store.getState().chats[G1]?.loaded).toBe(true))
    const { actions } = store.getState()
    const first = actions.loadOlder(G1)
    void actions.loadOlder(G1) // ignored while one is running
    await first
    await actions.loadOlder(G1)
    expect(ids(store, G1)).toEqual(['m3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9'])
    expect(store.getState().chats[G1]?.hasMore).toBe(false)
    await actions.loadOlder(G1)
    expect(fake.callsOf('message:list')).toEqual([
      { groupPk: G1, limit: 3 },
      { groupPk: G1, limit: 3, before: 'm7' },
      { groupPk: G1, limit: 3, before: 'm4' }
    ])
  })

  it('sending shows a pending message until the node lists it, with no duplicate', async () => {
    let release: (() => void) | undefined
    const { fake, store } = await started({
      ...baseHandlers(),
      'message:send': () =>
        new Promise((resolve) => {
          release = () => resolve({ id: 'sent1' })
        })
    })
    await vi.waitFor(() => expect(store.getState().phase).toBe('ready'))
    store.getState().actions.openGroup(G1)
    await vi.waitFor(() => expect(store.getState().chats[G1]?.loaded).toBe(true))

    expect(store.getState().actions.sendMessage(G1, '   ')).toBe(false)
    expect(store.getState().actions.sendMessage(G1, ' hello \n')).toBe(true)
    expect(store.getState().chats[G1]?.pending).toMatchObject([{ text: 'hello', state: 'sending' }])
    await vi.waitFor(() => expect(fake.callsOf('message:send')).toEqual([{ groupPk: G1, text: 'hello', clientId: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/) }]))

    // The node announces our message before message:send answers.
    fake.emit('message:received', { groupPk: G1, message: msg('sent1', 5, { mine: true, text: 'hello', state: 'sending' }) })
    expect(store.getState().chats[G1]?.pending).toEqual([])
    expect(ids(store, G1)).toEqual(['sent1'])
    release?.()
    await vi.waitFor(() => expect(fake.callsOf('message:send')).toHaveLength(1))
    fake.emit('message:updated', { groupPk: G1, message: msg('sent1', 5, { mine: true, text: 'hello', state: 'sent' }) })
    expect(store.getState().chats[G1]?.messages).toMatchObject([{ id: 'sent1', state: 'sent' }])
    expect(store.getState().chats[G1]?.pending).toEqual([])
  })

  it('when the node does not announce a sent message, it is listed from the newest page', async () => {
    let stored: MessageT[] = []
    const { store } = await started({
      ...baseHandlers(),
      'message:send': ({ text }) => {
        stored = [msg('s1', 1, { mine: true, text, state: 'sent' })]
        return { id: 's1' }
      },
      'message:list': () => ({ messages: stored, hasMore: false })
    })
    await vi.waitFor(() => expect(store.getState().phase).toBe('ready'))
    store.getState().actions.openGroup(G1)
    await vi.waitFor(() => expect(store.getState().chats[G1]?.loaded).toBe(true))
    store.getState().actions.sendMessage(G1, 'hi')
    await vi.waitFor(() => expect(ids(store, G1)).toEqual(['s1']))
    expect(store.getState().chats[G1]?.pending).toEqual([])
  })

  it('a failed send stays visible with the error, can be retried, and is reported', async () => {
    let fail = true
    const { store } = await started({
      ...baseHandlers(),
      'message:send': () => {
        if (fail) throw new ApiCallError('TOO_LARGE', 'message is larger than 16384 bytes')
        return { id: 'ok1' }
      }
    })
    await vi.waitFor(() => expect(store.getState().phase).toBe('ready'))
    store.getState().actions.sendMessage(G1, 'x')
    await vi.waitFor(() => expect(store.getState().chats[G1]?.pending[0]?.state).toBe('failed'))
    expect(store.getState().chats[G1]?.pending[0]?.error).toMatch(/16384/)
    expect(store.getState().toasts).toMatchObject([{ kind: 'error', code: 'TOO_LARGE' }])

    fail = false
    const localId = store.getState().chats[G1]?.pending[0]?.localId ?? ''
    store.getState().actions.retryMessage(G1, localId)
    await vi.waitFor(() => expect(store.getState().chats[G1]?.pending[0]?.id).toBe('ok1'))
  })

  it('a send the dropped connection interrupted goes out again under the same clientId once it reopens, and is listed once', async () => {
    const stored = new Map<string, MessageT>()
    let drop = true
    const { fake, store } = await started({
      ...baseHandlers(),
      'message:send': ({ text, clientId }) => {
        // The node keeps it, but the answer is lost with the connection.
        const id = `m-${clientId}`
        if (!stored.has(id)) stored.set(id, msg(id, stored.size + 1, { mine: true, text, state: 'sent' }))
        if (drop) throw new ApiCallError('NETWORK', 'connection lost before message:send answered')
        return { id }
      },
      'message:list': () => ({ messages: [...stored.values()], hasMore: false })
    })
    await vi.waitFor(() => expect(store.getState().phase).toBe('ready'))
    store.getState().actions.openGroup(G1)
    store.getState().actions.sendMessage(G1, 'are you there?')
    await vi.waitFor(() => expect(store.getState().chats[G1]?.pending[0]).toMatchObject({ state: 'failed', interrupted: true }))
    // Not an error to report: it goes out by itself.
    expect(store.getState().toasts).toEqual([])
    fake.setConnection({ state: 'closed', attempt: 1 })
    drop = false
    fake.setConnection({ state: 'open', attempt: 0 })
    await vi.waitFor(() => expect(store.getState().chats[G1]?.pending).toEqual([]))
    const sends = fake.callsOf('message:send') as Array<{ clientId: string }>
    expect(sends).toHaveLength(2)
    expect(sends[1]!.clientId).toBe(sends[0]!.clientId)
    expect(store.getState().chats[G1]!.messages.map((m) => m.text)).toEqual(['are you there?'])
  })

  it('refuses a message over 16 KiB before asking the node', async () => {
    const { fake, store } = await started(baseHandlers())
    await vi.waitFor(() => expect(store.getState().phase).toBe('ready'))
    expect(store.getState().actions.sendMessage(G1, 'é'.repeat(8193))).toBe(false)
    expect(fake.callsOf('message:send')).toEqual([])
    expect(store.getState().toasts[0]?.code).toBe('TOO_LARGE')
  })
})

describe('app store: live state', () => {
  it('group:updated replaces the summary and keeps the list sorted by activity', async () => {
    const { fake, store } = await started(baseHandlers())
    await vi.waitFor(() => expect(store.getState().groups).toHaveLength(2))
    fake.emit('group:updated', { group: group(G1, { unread: 3, lastMessage: msg('z', 9, { sentAt: 50 }) }) })
    expect(store.getState().groups.map((g) => [g.groupPk, g.unread])).toEqual([
      [G1, 3],
      [G2, 0]
    ])
  })

  it('the open group is marked read when the node reports unread messages in it', async () => {
    const { fake, store } = await started(baseHandlers())
    await vi.waitFor(() => expect(store.getState().groups).toHaveLength(2))
    store.getState().actions.openGroup(G1)
    await vi.waitFor(() => expect(fake.callsOf('group:markRead')).toHaveLength(1))
    fake.emit('group:updated', { group: group(G1, { unread: 1 }) })
    await vi.waitFor(() => expect(fake.callsOf('group:markRead')).toHaveLength(2))
    expect(store.getState().groups.find((g) => g.groupPk === G1)?.unread).toBe(0)
    // Not for a group in the background, nor while the window is hidden.
    fake.emit('group:updated', { group: group(G2, { unread: 2 }) })
    store.getState().actions.setVisible(false)
    fake.emit('group:updated', { group: group(G1, { unread: 3 }) })
    // The store decides (and calls) synchronously in the event handler; one macrotask turn
    // drains anything it chained.
    await new Promise((r) => setImmediate(r))
    expect(fake.callsOf('group:markRead')).toHaveLength(2)
    store.getState().actions.setVisible(true)
    await vi.waitFor(() => expect(fake.callsOf('group:markRead')).toHaveLength(3))
  })

  it('"Chats" returns to the conversation that was open', async () => {
    const { store } = await started(baseHandlers())
    await vi.waitFor(() => expect(store.getState().groups).toHaveLength(2))
    const { actions } = store.getState()
    actions.showView({ kind: 'home' })
    expect(store.getState().view).toEqual({ kind: 'home' })
    actions.openGroup(G2)
    actions.showView({ kind: 'network' })
    actions.showView({ kind: 'home' })
    expect(store.getState().view).toEqual({ kind: 'chat', groupPk: G2 })
  })

  it('peers, sync progress', async () => {
    const { fake, store } = await started(baseHandlers())
    await vi.waitFor(() => expect(store.getState().phase).toBe('ready'))
    const peer = { peerId: 'p1', addrs: [], transports: ['tcp'], direction: 'outbound' as const, latencyMs: 3 }
    fake.emit('peer:updated', { peers: [peer] })
    expect(store.getState().peers).toEqual([peer])
    fake.emit('sync:progress', { groupPk: G1, log: 'messages', received: 5, total: 10, done: false })
    fake.emit('sync:progress', { groupPk: G1, log: 'metadata', received: 2, done: true })
    expect(store.getState().sync[G1]).toEqual({
      messages: { received: 5, total: 10, done: false },
      metadata: { received: 2, total: undefined, done: true }
    })
  })

  it('a reconnect refetches everything, and a gap too large for one page drops what was held', async () => {
    let serverMessages: MessageT[] = [msg('m1', 1), msg('m2', 2)]
    const { fake, store } = await started({
      ...baseHandlers(),
      'message:list': () => ({ messages: serverMessages.slice(-3), hasMore: serverMessages.length > 3 })
    })
    await vi.waitFor(() => expect(store.getState().phase).toBe('ready'))
    store.getState().actions.openGroup(G1)
    await vi.waitFor(() => expect(ids(store, G1)).toEqual(['m1', 'm2']))

    fake.setConnection({ state: 'closed', attempt: 1, retryAt: 1 })
    expect(store.getState().chats[G1]?.loaded).toBe(false)
    // Missed while offline: m3..m6.
    serverMessages = [...serverMessages, msg('m3', 3), msg('m4', 4), msg('m5', 5), msg('m6', 6)]
    const groupLists = fake.callsOf('group:list').length
    fake.setConnection({ state: 'open', attempt: 0 })
    await vi.waitFor(() => expect(store.getState().chats[G1]?.loaded).toBe(true))
    expect(fake.callsOf('group:list').length).toBe(groupLists + 1)
    expect(ids(store, G1)).toEqual(['m4', 'm5', 'm6'])
    expect(store.getState().chats[G1]?.hasMore).toBe(true)
  })

  it('settings change optimistically and roll back on failure', async () => {
    let fail = false
    const { store } = await started({
      ...baseHandlers(),
      'settings:set': (patch) => {
        if (fail) throw new ApiCallError('INTERNAL', 'disk full')
        return { notifications: true, keepRunningInBackground: true, startAtLogin: false, ...patch }
      }
    })
    await vi.waitFor(() => expect(store.getState().settings).not.toBeNull())
    await store.getState().actions.updateSettings({ startAtLogin: true })
    expect(store.getState().settings?.startAtLogin).toBe(true)
    fail = true
    const p = store.getState().actions.updateSettings({ notifications: false })
    expect(store.getState().settings?.notifications).toBe(false)
    await p
    expect(store.getState().settings?.notifications).toBe(true)
    expect(store.getState().toasts.at(-1)?.message).toMatch(/disk full/)
  })

  it('joining opens the group; an invalid invitation is thrown to the dialog', async () => {
    const { store } = await started({
      ...baseHandlers(),
      'group:join': ({ url }) => {
        if (url.includes('bad')) throw new ApiCallError('INVALID_INVITATION', 'bad signature')
        return { groupPk: G2 }
      }
    })
    await vi.waitFor(() => expect(store.getState().phase).toBe('ready'))
    await expect(store.getState().actions.joinGroup('https://x/#bad')).rejects.toMatchObject({ code: 'INVALID_INVITATION' })
    expect(store.getState().pending['group:join']).toBeUndefined()
    await expect(store.getState().actions.joinGroup(' https://x/#good ')).resolves.toBe(G2)
    expect(store.getState().view).toEqual({ kind: 'chat', groupPk: G2 })
  })
})
