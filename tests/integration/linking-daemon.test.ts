// Scripted linking of a headless daemon (issue 12): the new node's fingerprint is read once, then
// `npm run headless -- --data DIR --link URL --accept-fingerprint HEX` links it; the inviting side
// confirms the same fingerprint. The real daemon process, its CLI and its key file.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createBertyNode } from '../../core/node'
import { fileKeyProvider } from '../../core/storage/keystore'
import { startDaemon, type RunningDaemon } from '../e2e/daemon'
import { startNode, stopAll, until } from './helpers'

const running: RunningDaemon[] = []
afterEach(async () => {
  for (const d of running.splice(0)) {
    await d.stop()
    rmSync(d.dataDir, { recursive: true, force: true })
  }
  await stopAll()
})

describe('scripted linking of a headless daemon', () => {
  it('--link URL --accept-fingerprint HEX links the daemon once A confirms the same fingerprint', async () => {
    const a = await startNode('a')
    await a.call('account:create', { displayName: 'Ops' })
    const { groupPk } = await a.call('group:create', { name: 'Servers' })

    // Step 1 of the spec on the new node: its device key, made once and kept (read here as a script would).
    const dir = mkdtempSync(join(tmpdir(), 'berty-it-daemon-link-'))
    const pre = await createBertyNode({ dataDir: dir, encryptionKey: fileKeyProvider(join(dir, 'key')), listen: ['/ip4/127.0.0.1/tcp/0'], webrtc: false })
    const fingerprint = await pre.linking.ownFingerprint()
    await pre.stop()

    const { link } = await a.call('device:invite', {})
    const seen = a.events.length
    const d = await startDaemon('linked', dir, ['--link', link, '--accept-fingerprint', fingerprint])
    running.push(d)
    const shown = await until(a, () => a.events.slice(seen).find((e) => e.event === 'device:challenge')?.payload as { kind: string; fingerprint?: string } | undefined, 60_000)
    expect(shown).toMatchObject({ kind: 'fingerprint', fingerprint })
    await a.call('device:challenge:confirm', { fingerprint })
    await until(a, () => a.events.some((e) => e.event === 'device:linked'), 60_000)
    await until(a, async () => (await a.call('device:list', {})).length === 2, 60_000)
    // The daemon joined the account's group as the same member.
    await until(a, async () => (await a.call('group:members', { groupPk }))[0]?.devices.length === 2, 60_000)
    expect(d.logs.join('\n')).toMatch(/linked to the account/)
    // Nothing secret in the daemon's log.
    const seed = Buffer.from(await a.node.accounts.getAccountSeed()).toString('hex')
    expect(d.logs.join('\n')).not.toContain(seed)
  }, 180_000)
})
