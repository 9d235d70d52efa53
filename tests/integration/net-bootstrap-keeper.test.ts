// A bootstrap peer that is down when the node starts (the user's own server restarting, a laptop
// opening the app before its network is up) is dialled again until it answers (core/net/peer-keeper.ts).
// Before, it was dialled once at start and never again: the node stayed without it until its next start.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startDaemonProcess, type DaemonProcess } from '../support/daemon-process'
import { freePort } from '../support/replica-crash-scenario'
import { noDiscovery, poll, startNode, stopAll } from './helpers'

const daemons: DaemonProcess[] = []
const dirs: string[] = []
afterEach(async () => {
  for (const d of daemons.splice(0)) await d.kill9().catch(() => undefined)
  await stopAll()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('bootstrap peers are kept dialled', () => {
  it('a bootstrap peer down at start is reached once it is up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berty-it-bootstrap-'))
    dirs.push(dir)
    const listen = [`/ip4/127.0.0.1/tcp/${await freePort()}`]
    // Its address and peer id, then down.
    let server = await startDaemonProcess(dir, { listen })
    const addr = server.ready.addrs.find((a) => a.startsWith(listen[0]!))!
    await server.kill9()
    const x = await startNode('x', { bootstrap: [addr] })
    await noDiscovery(x)
    await new Promise((res) => setTimeout(res, 8_000))
    expect(x.node.libp2p.getConnections()).toEqual([])
    server = await startDaemonProcess(dir, { listen })
    daemons.push(server)
    // Before: never (the one dial at start had failed).
    await poll('the node reaches its bootstrap peer', () => x.node.libp2p.getConnections().some((c) => c.remotePeer.toString() === server.ready.peerId), 45_000)
  }, 120_000)
})
