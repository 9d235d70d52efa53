// Issue 13, the replication device as a headless daemon: `npm run headless -- --data DIR --link URL --replica`
// (scripted here with `--accept-fingerprint`, as a server is linked): the real daemon process and CLI link
// as a replica of the account, serve its group, report it in `replica:status`, and refuse what an account does.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { toHex } from '../../core/bytes'
import { createBertyNode } from '../../core/node'
import { fileKeyProvider } from '../../core/storage/keystore'
import { startDaemonProcess, type DaemonProcess } from '../support/daemon-process'
import { poll, startNode, stopAll, until } from './helpers'

const daemons: DaemonProcess[] = []
const dirs: string[] = []
afterEach(async () => {
  for (const d of daemons.splice(0)) await d.stop()
  await stopAll()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('replication device daemon', () => {
  it('--link URL --replica links the daemon as a replica that serves the account group and refuses to send', { timeout: 240_000 }, async () => {
    const a = await startNode('a')
    await a.call('account:create', { displayName: 'Ops' })
    const { groupPk } = await a.call('group:create', { name: 'Servers' })

    const dir = mkdtempSync(join(tmpdir(), 'berty-it-replica-daemon-'))
    dirs.push(dir)
    const pre = await createBertyNode({ dataDir: dir, encryptionKey: fileKeyProvider(join(dir, 'key')), listen: ['/ip4/127.0.0.1/tcp/0'], webrtc: false })
    const fingerprint = await pre.linking.ownFingerprint()
    await pre.stop()

    const { link } = await a.call('device:invite', { role: 'replica' })
    const seen = a.events.length
    const r = await startDaemonProcess(dir, { args: ['--replica', '--link', link, '--accept-fingerprint', fingerprint] })
    daemons.push(r)
    await until(a, () => a.events.slice(seen).some((e) => e.event === 'device:challenge'), 60_000)
    await a.call('device:challenge:confirm', { fingerprint })
    await until(a, async () => (await a.call('device:list', {})).some((d) => d.role === 'replica'), 60_000)

    const status = await poll('the daemon serves the group', async () => {
      const s = await r.call('replica:status', {})
      return s.groups.some((g) => g.groupPk === groupPk) ? s : undefined
    })
    expect(status.replicaOf?.accountPk).toBe(toHex(a.node.accounts.get()!.accountPk))
    expect(status.server).toBe(true)
    await expect(r.call('message:send', { groupPk, text: 'x' })).rejects.toMatchObject({ code: 'REPLICA_DEVICE' })
    await expect(r.call('device:invite', {})).rejects.toMatchObject({ code: 'REPLICA_DEVICE' })
    expect(await r.call('account:get', {})).toBeNull()
  })
})
