// A replication device's API: the account's actions are refused with REPLICA_DEVICE; reading stays open;
// `device:link` is open until the node is linked.
import { describe, expect, it } from 'vitest'
import { ErrorCode } from '../../../core/api/errors'
import type { ApiHandlers } from '../../../core/service/dispatch'
import { guardReplicaDevice, REPLICA_REFUSED_METHODS } from '../../../core/service/replica-guard'

describe('replica guard', () => {
  it('refuses the account actions, lets reads through, and device:link only until linked', async () => {
    const calls: string[] = []
    const handlers = new Proxy({} as ApiHandlers, {
      get: (_t, method: string) => async () => {
        calls.push(method)
        return 'ok'
      }
    })
    let linked = false
    const guarded = guardReplicaDevice({ ...Object.fromEntries([...REPLICA_REFUSED_METHODS, 'replica:status', 'node:info'].map((m) => [m, handlers[m as keyof ApiHandlers]])) } as ApiHandlers, { linked: () => linked })
    const call = (m: string) => (guarded as unknown as Record<string, () => Promise<unknown>>)[m]!()
    await expect(call('device:link')).resolves.toBe('ok')
    linked = true
    for (const m of REPLICA_REFUSED_METHODS) await expect(call(m)).rejects.toMatchObject({ code: ErrorCode.REPLICA_DEVICE, message: expect.stringMatching(/replication device/) })
    await expect(call('replica:status')).resolves.toBe('ok')
    await expect(call('node:info')).resolves.toBe('ok')
    expect(calls).toEqual(['device:link', 'replica:status', 'node:info'])
    expect(REPLICA_REFUSED_METHODS).toEqual(expect.arrayContaining(['contact:request', 'device:invite', 'message:send', 'account:create', 'group:create']))
  })
})
