// Issue "Reliability", crash: kill -9 the real daemon process at a random moment while it sends.
// Every message whose `message:send` returned is there after the restart, reaches the other
// member readable, in the same order on both; the database opens cleanly; no counter is reused
// (a reused counter would leave the twin undecryptable on the receiver).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { startDaemonProcess, type DaemonProcess } from '../support/daemon-process'
import { gpkOf, startNode, stopAll, until } from './helpers'

const dir = mkdtempSync(join(tmpdir(), 'berty-crash-'))
const running: DaemonProcess[] = []
afterEach(async () => {
  for (const d of running.splice(0)) await d.kill9().catch(() => {})
  await stopAll()
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 10)

describe('reliability: kill -9 while sending', () => {
  it(`${ROUNDS} rounds: 0 lost, 0 duplicated, 0 misordered, no counter reused`, async () => {
    const dataDir = join(dir, 'a')
    const tokenFile = join(dir, 'token')
    let a = await startDaemonProcess(dataDir, { tokenFile })
    running.push(a)
    await a.call('account:create', { displayName: 'Ann' })
    const { groupPk } = await a.call('group:create', { name: 'Crash' })
    const { url } = await a.call('group:invite', { groupPk })
    const b = await startNode('b')
    await b.call('account:create', { displayName: 'Ben' })
    await b.call('peer:connect', { multiaddr: `${a.ready.addrs[0]!}` })
    await b.call('group:join', { url })
    await until(b, () => b.node.groups.chainCount(gpkOf(groupPk)) === 2)

    const confirmed: string[] = []
    const report: string[] = []
    for (let round = 0; round < ROUNDS; round++) {
      let stop = false
      const sending = (async () => {
        for (let i = 0; !stop; i++) {
          const text = `r${round}-m${i}`
          try {
            await a.call('message:send', { groupPk, text })
            confirmed.push(text)
          } catch {
            return // the process died under this call: it may or may not have landed
          }
        }
      })()
      await new Promise((r) => setTimeout(r, 100 + Math.floor(Math.random() * 900)))
      stop = true
      await a.kill9()
      running.splice(running.indexOf(a), 1)
      await sending
      a = await startDaemonProcess(dataDir, { tokenFile })
      running.push(a)
      const list = (await a.call('message:list', { groupPk, limit: 500 })).messages
      const present = new Set(list.map((m) => m.text))
      const lost = confirmed.filter((t) => !present.has(t))
      await b.call('peer:connect', { multiaddr: `${a.ready.addrs[0]!}` })
      // What A has after the restart (every confirmed message, and maybe one whose call died with
      // the process) is what B must end with, in the same order.
      const aIds = list.map((m) => m.id)
      let onB = (await b.call('message:list', { groupPk, limit: 500 })).messages
      await until(b, async () => {
        onB = (await b.call('message:list', { groupPk, limit: 500 })).messages
        return aIds.every((id) => onB.some((m) => m.id === id))
      }, 60_000).catch(() => undefined)
      const dup = onB.length - new Set(onB.map((m) => m.text)).size
      const missingOnB = aIds.filter((id) => !onB.some((m) => m.id === id)).length
      const misordered = JSON.stringify(onB.map((m) => m.id)) === JSON.stringify(aIds) ? 0 : 1
      report.push(
        `round ${round}: confirmed ${confirmed.length}, on A after restart ${list.length}, on B ${onB.length}, lost ${lost.length}, not delivered ${missingOnB}, duplicated ${dup}, misordered ${misordered}`
      )
      expect(lost).toEqual([])
      expect(missingOnB).toBe(0)
      expect(dup).toBe(0)
      expect(misordered).toBe(0)
    }
    // No counter reused: the receiver could open every entry of the sender's device.
    const undecryptable = b.node.db.sql
      .prepare("SELECT count(*) AS n FROM log_processed WHERE group_pk = ? AND log = 'msg' AND status != 'ok'")
      .get(gpkOf(groupPk)) as { n: number }
    report.push(`entries B could not open: ${undecryptable.n}`)
    console.log(report.join('\n'))
    expect(undecryptable.n).toBe(0)
  }, 900_000)
})
