// After a peer is killed (-9) and comes straight back on the same data directory, live gossip
// resumes in both directions at once: messages written the moment the reconnect returns arrive
// without waiting for anti-entropy (test nodes run without it).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, it } from 'vitest'
import { startDaemonProcess, type DaemonProcess } from '../support/daemon-process'
import { gpkOf, poll, startNode, stopAll, until } from './helpers'

const running: DaemonProcess[] = []
const dirs: string[] = []
afterEach(async () => {
  for (const d of running.splice(0)) await d.kill9().catch(() => {})
  await stopAll()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('live gossip after kill -9', () => {
  it('resumes both ways right after the crashed peer comes back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berty-crash-gossip-'))
    dirs.push(dir)
    let a = await startDaemonProcess(join(dir, 'a'))
    running.push(a)
    await a.call('account:create', { displayName: 'Ann' })
    const { groupPk } = await a.call('group:create', { name: 'Crash' })
    const { url } = await a.call('group:invite', { groupPk })
    const b = await startNode('b')
    await b.call('account:create', { displayName: 'Ben' })
    await b.call('peer:connect', { multiaddr: a.ready.addrs[0]! })
    await b.call('group:join', { url })
    await until(b, () => b.node.groups.chainCount(gpkOf(groupPk)) === 2)
    for (let round = 0; round < 2; round++) {
      await a.kill9()
      running.splice(running.indexOf(a), 1)
      a = await startDaemonProcess(join(dir, 'a'))
      running.push(a)
      await b.call('peer:connect', { multiaddr: a.ready.addrs[0]! })
      const fromB = `b→a ${round}`
      const fromA = `a→b ${round}`
      await b.call('message:send', { groupPk, text: fromB })
      await a.call('message:send', { groupPk, text: fromA })
      await until(b, async () => (await b.call('message:list', { groupPk, limit: 500 })).messages.some((m) => m.text === fromA), 20_000)
      // `a` is another process: its API is polled.
      await poll(`round ${round}: a receives b's message`, async () => (await a.call('message:list', { groupPk, limit: 500 })).messages.some((m) => m.text === fromB), 20_000)
    }
  }, 240_000)
})
