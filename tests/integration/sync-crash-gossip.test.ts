// After a peer is killed (-9) and comes straight back on the same data directory, live gossip
// resumes in both directions at once: messages written the moment the reconnect returns arrive
// without waiting for anti-entropy (test nodes run without it).
import { join } from 'node:path'
import { describe, it } from 'vitest'
import { daemonAndMember } from '../support/crash-scenarios'
import { daemonLab } from '../support/daemon-lab'
import { startDaemonProcess } from '../support/daemon-process'
import { poll, until } from './helpers'

const { running, tempDir } = daemonLab()

describe('live gossip after kill -9', () => {
  it('resumes both ways right after the crashed peer comes back', async () => {
    const dir = tempDir('berty-crash-gossip-')
    const pair = await daemonAndMember(join(dir, 'a'), running)
    const { b, groupPk } = pair
    let a = pair.a
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
