// The daemon bundle (tests/support/daemon-bundle.ts, used by the multi-process join bench) is the
// same daemon as core/daemon/cli.ts run through tsx: two daemons started from it meet, one joins the
// other's group, each reads what the other wrote (storage with its native addon, libp2p, group sync,
// the ratchet and the signature checks all ran in the bundled code), and a second daemon on the same
// data directory is refused as the sources refuse it.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { buildDaemonBundle } from '../support/daemon-bundle'
import { startDaemonProcess, type DaemonProcess } from '../support/daemon-process'
import { poll } from './helpers'

const running: DaemonProcess[] = []
const dirs: string[] = []
afterEach(async () => {
  for (const d of running.splice(0)) await d.stop().catch(() => {})
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('daemon bundle', () => {
  it('runs a group between two bundled daemons and keeps the one-process-per-directory lock', async () => {
    const entry = buildDaemonBundle()
    const dir = mkdtempSync(join(tmpdir(), 'berty-bundle-'))
    dirs.push(dir)
    const backends: string[] = []
    const workers: string[] = []
    const onStderr = (l: string): void => {
      if (l.includes('verify workers')) workers.push(...((JSON.parse(l) as { backends?: string[] }).backends ?? []))
      if (!l.includes('secretbox backend')) return
      const line = JSON.parse(l) as { backend?: string; curve?: string }
      backends.push(`${line.backend ?? '?'}/${line.curve ?? '?'}`)
    }
    const [a, b] = await Promise.all([
      startDaemonProcess(join(dir, 'a'), { entry, onStderr }),
      startDaemonProcess(join(dir, 'b'), { entry, onStderr })
    ])
    running.push(a, b)
    // sodium-native stays external and its prebuild loads from node_modules (core/crypto/sodium.ts):
    // secretbox and the curve provider both on libsodium.
    expect(backends).toEqual(['sodium/sodium', 'sodium/sodium'])
    // The verify workers load it too, from the path the bundle resolves (workers report at start).
    await poll('the verify workers report their backend', () => workers.length >= 2, 10_000)
    expect(new Set(workers)).toEqual(new Set(['sodium']))
    await a.call('account:create', { displayName: 'Ann' })
    await b.call('account:create', { displayName: 'Ben' })
    const { groupPk } = await a.call('group:create', { name: 'Bundled' })
    const { url } = await a.call('group:invite', { groupPk })
    await b.call('peer:connect', { multiaddr: a.ready.addrs.find((x) => x.includes('/tcp/') && !x.includes('/ws'))! })
    await b.call('group:join', { url })
    await a.call('message:send', { groupPk, text: 'from ann' })
    await b.call('message:send', { groupPk, text: 'from ben' })
    const reads = async (d: DaemonProcess, text: string) =>
      (await d.call('message:list', { groupPk, limit: 50 })).messages.some((m) => m.text === text && m.unreadable === undefined)
    await poll('ben reads ann', () => reads(b, 'from ann'), 60_000)
    await poll('ann reads ben', () => reads(a, 'from ben'), 60_000)
    expect((await a.call('group:members', { groupPk })).length).toBe(2)

    await expect(startDaemonProcess(join(dir, 'a'), { entry, readyTimeoutMs: 30_000 })).rejects.toThrow(/exited with 1 before ready/)
  }, 180_000)
})
