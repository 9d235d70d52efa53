import { describe, expect, it } from 'vitest'
import type { BertyBridge } from '../../../core/api'
import { createIpcClient } from '../../../renderer/src/api/ipc-client'

function bridge(impl: Record<string, (params: unknown) => Promise<unknown>>): BertyBridge {
  const listeners = new Map<string, Set<(p: unknown) => void>>()
  return {
    ...impl,
    on: (event: string, l: (p: unknown) => void) => {
      let set = listeners.get(event)
      if (!set) listeners.set(event, (set = new Set()))
      set.add(l)
      return () => set.delete(l)
    }
  } as unknown as BertyBridge
}

describe('ipc-client', () => {
  it('unwraps ok envelopes and throws the code of failed ones', async () => {
    const client = createIpcClient(
      bridge({
        'account:get': async () => ({ ok: true, value: null }),
        'group:join': async () => ({ ok: false, error: { code: 'INVALID_INVITATION', message: 'bad link' } }),
        'peer:list': async () => ({ ok: false, error: { code: 'SOMETHING_NEW', message: 'x' } }),
        'node:info': async () => 'garbage'
      })
    )
    expect(client.carrier).toBe('ipc')
    expect(client.connection().state).toBe('open')
    await expect(client.call('account:get', {})).resolves.toBeNull()
    await expect(client.call('group:join', { url: 'u' })).rejects.toMatchObject({ name: 'ApiCallError', code: 'INVALID_INVITATION', message: 'bad link' })
    await expect(client.call('peer:list', {})).rejects.toMatchObject({ code: 'INTERNAL' })
    await expect(client.call('node:info', {})).rejects.toMatchObject({ code: 'INTERNAL' })
  })

  it('reports a channel main has not registered yet as NOT_READY', async () => {
    const client = createIpcClient(
      bridge({
        'account:get': async () => {
          throw new Error("Error invoking remote method 'berty:account:get': Error: No handler registered for 'berty:account:get'")
        }
      })
    )
    await expect(client.call('account:get', {})).rejects.toMatchObject({ code: 'NOT_READY' })
    await expect(client.call('peer:list', {})).rejects.toMatchObject({ code: 'UNKNOWN_METHOD' })
  })
})
