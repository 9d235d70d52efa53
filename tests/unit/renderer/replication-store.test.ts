import { describe, expect, it } from 'vitest'
import type { GroupReplicaT, MethodName, Params, Result } from '../../../core/api'
import { ApiCallError } from '../../../renderer/src/api/errors'
import { checkServerAddress, createReplicationStore } from '../../../renderer/src/store/replication-store'

const G = 'a'.repeat(43)
const SERVER = '/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN'

function client(handlers: { [M in MethodName]?: (p: Params<M>) => Promise<Result<M>> }) {
  const calls: Array<{ method: MethodName; params: unknown }> = []
  return {
    calls,
    client: {
      async call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> {
        calls.push({ method, params })
        const h = handlers[method] as ((p: Params<M>) => Promise<Result<M>>) | undefined
        if (!h) throw new ApiCallError('UNKNOWN_METHOD', method)
        return h(params)
      }
    }
  }
}

describe('replication store', () => {
  it('checks the server address before calling the node', async () => {
    expect(checkServerAddress('')).toMatch(/Enter/)
    expect(checkServerAddress('ip4/1.2.3.4')).toMatch(/starts with/)
    expect(checkServerAddress('/ip4/1.2.3.4/tcp/1')).toMatch(/p2p/)
    expect(checkServerAddress(SERVER)).toBeNull()
    const c = client({})
    const store = createReplicationStore(c.client)
    expect(await store.getState().actions.addReplica(G, '/ip4/1.2.3.4/tcp/1', 'tok')).toMatch(/p2p/)
    expect(await store.getState().actions.addReplica(G, SERVER, '  ')).toMatch(/token/)
    expect(c.calls).toEqual([])
  })

  it('adds a server, then lists it; a refusal shows the server’s reason', async () => {
    const listed: GroupReplicaT[] = []
    let refuse: ApiCallError | undefined
    const c = client({
      'replica:add': async (p) => {
        if (refuse) throw refuse
        const r = { peerId: 'peer', server: p.server, addedAt: 1, source: 'local' as const }
        listed.push(r)
        return r
      },
      'replica:list': async () => [...listed]
    })
    const store = createReplicationStore(c.client)
    expect(await store.getState().actions.addReplica(G, ` ${SERVER} `, ' tok ')).toBeNull()
    expect(c.calls[0]).toEqual({ method: 'replica:add', params: { groupPk: G, server: SERVER, token: 'tok' } })
    expect(store.getState().replicas[G]).toEqual([{ peerId: 'peer', server: SERVER, addedAt: 1, source: 'local' }])
    expect(store.getState().adding[G]).toBeUndefined()

    refuse = new ApiCallError('UNAUTHORIZED', 'the token has expired (ERR_TOKEN_EXPIRED)')
    expect(await store.getState().actions.addReplica(G, SERVER, 'tok')).toBe('The server refused the token: the token has expired (ERR_TOKEN_EXPIRED)')
    refuse = new ApiCallError('QUOTA_EXCEEDED', "the token's quota of 1 group(s) is used up (ERR_QUOTA_EXCEEDED)")
    expect(await store.getState().actions.addReplica(G, SERVER, 'tok')).toMatch(/^The server has no room under this token/)
  })

  it('loads the replica status, keeping the last error', async () => {
    let fail = false
    const c = client({
      'replica:status': async () => {
        if (fail) throw new ApiCallError('NOT_READY', 'starting')
        return { server: true, groups: [], totals: { groups: 0, entries: 0, bytes: 0 }, warnings: ['w'] }
      }
    })
    const store = createReplicationStore(c.client)
    await store.getState().actions.loadStatus()
    expect(store.getState().status?.warnings).toEqual(['w'])
    fail = true
    await store.getState().actions.loadStatus()
    expect(store.getState().statusError).toMatch(/starting/)
  })
})
