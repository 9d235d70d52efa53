// kill -9 of a replication server (a real `--replication-server` daemon, restarted on its port, as a
// home server comes back after a power loss) while a member writes: after each restart the server
// catches up with everything written, and the other member, offline throughout, then reads every
// message from the server alone, in the writer's order, though the server is killed once more in the
// middle of that catch-up. Shared by the test (every count 0) and
// `npm run bench -- reliability` (RELIABILITY=crash-replica, which prints them).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { allMessageIds, gpkOf, logSize, noDiscovery, pairInGroup, poll, startNode, stopAll, until, type TestNode } from '../integration/helpers'
import { freePort, startDaemonProcess, type DaemonProcess } from './daemon-process'
import { count, READABLE, type ScenarioCounts } from './reliability-scenarios'
import { issueToken } from './replication-cli'

/**
 * A replication server daemon on `dir` and a loopback port of its own (`start` starts it again there,
 * pushed on `running`), and Ann and Ben in a group it serves: Ben knows it from Ann's GroupReplicating
 * event, then goes offline.
 */
export async function serverAndAbsentMember(
  dir: string,
  running: DaemonProcess[]
): Promise<{ start: () => Promise<DaemonProcess>; r: DaemonProcess; a: TestNode; b: TestNode; groupPk: string; gpk: Uint8Array }> {
  const listen = [`/ip4/127.0.0.1/tcp/${await freePort()}`]
  const start = async (): Promise<DaemonProcess> => {
    const d = await startDaemonProcess(dir, { args: ['--replication-server'], listen })
    running.push(d)
    return d
  }
  const r = await start()
  const addr = r.ready.addrs.find((x) => x.startsWith('/ip4/127.0.0.1/tcp/'))!
  const { token } = await issueToken(dir, ['--quota-groups', '5', '--expires', '1h'])
  const { a, b, groupPk } = await pairInGroup(['Ann', 'Ben'])
  await a.call('replica:add', { groupPk, server: addr, token })
  await until(b, async () => (await b.call('replica:list', { groupPk })).some((x) => x.peerId === r.ready.peerId))
  await b.stop()
  return { start, r, a, b, groupPk, gpk: gpkOf(groupPk) }
}

export async function crashReplicaScenario(rounds = 5): Promise<ScenarioCounts & { behind: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'berty-crash-replica-'))
  const running: DaemonProcess[] = []
  try {
    const lab = await serverAndAbsentMember(dir, running)
    const { start, a, b, groupPk, gpk } = lab
    let r = lab.r
    const held = async (): Promise<number | undefined> => (await r.call('replica:status', {})).groups.find((g) => g.groupPk === groupPk)?.entries
    // Rounds in which the restarted server did not catch up with the writer within a minute.
    let behind = 0
    let written = 0
    const perRound: string[] = []
    for (let round = 0; round < rounds; round++) {
      let stop = false
      const sending = (async () => {
        while (!stop) {
          await a.call('message:send', { groupPk, text: `r${round}-m${written}` })
          written++
        }
      })()
      const at = 100 + Math.floor(Math.random() * 900)
      await new Promise((res) => setTimeout(res, at))
      await r.kill9()
      running.splice(running.indexOf(r), 1)
      // The member goes on writing while the server is down.
      await new Promise((res) => setTimeout(res, 200))
      stop = true
      await sending
      r = await start()
      const entries = logSize(a, gpk, 'meta') + logSize(a, gpk, 'msg')
      const ok = await poll('the server catches up', async () => (await held()) === entries, 60_000).then(() => true, () => false)
      if (!ok) behind++
      perRound.push(`${round}:${at}ms/${written}${ok ? '' : ' (behind)'}`)
    }
    const aIds = await allMessageIds(a, groupPk)
    await a.stop()
    // Ben comes back and reaches only the server (dialled from the replica event he holds).
    const b2 = await startNode('b', { dir: b.dir, key: b.key })
    await noDiscovery(b2)
    const readable = (): number =>
      b2.node.db.sql.prepare<[Uint8Array], { n: number }>('SELECT count(*) AS n FROM messages WHERE group_pk = ? AND unreadable IS NULL').get(gpk)!.n
    // And once more while it serves Ben's catch-up (a few hundred ms in: mid-backlog).
    const servingAt = 50 + Math.floor(Math.random() * 550)
    await new Promise((res) => setTimeout(res, servingAt))
    const readBeforeKill = readable()
    await r.kill9()
    running.splice(running.indexOf(r), 1)
    r = await start()
    // Polled on a count, not on every node event: paging the whole conversation per event of a
    // catch-up of thousands is the test's own quadratic load.
    await poll('Ben reads them all', () => readable() >= aIds.length, 120_000).catch(() => undefined)
    const onB = await allMessageIds(b2, groupPk, READABLE)
    const annId = a.node.libp2p.peerId.toString()
    const conns = b2.node.libp2p.getConnections()
    const peers = conns.map((c) => c.remotePeer.toString())
    // Anyone else named with how it came (a stray of a test running beside this one, dialling a
    // loopback port it once knew, shows as an inbound connection of an unknown peer).
    const others = conns
      .filter((c) => c.remotePeer.toString() !== r.ready.peerId)
      .map((c) => `${c.remotePeer.toString() === annId ? 'Ann' : `unknown ${c.remotePeer.toString()}`} ${c.direction} ${c.remoteAddr.toString()}`)
    const detail = `kill -9 of the server ×${rounds} while Ann writes (round:ms into the round/messages written) ${perRound.join(' ')}, then once ${servingAt} ms into Ben's catch-up (${readBeforeKill} read by then); Ben's peers ${peers.every((p) => p === r.ready.peerId) ? 'none but the server' : `the server ${peers.length - others.length}×, ${JSON.stringify(others)}`}`
    return { ...count('kill -9 of a replication server', new Set(aIds), [aIds, onB], detail), behind }
  } finally {
    for (const d of running) await d.kill9().catch(() => undefined)
    await stopAll()
    rmSync(dir, { recursive: true, force: true })
  }
}
