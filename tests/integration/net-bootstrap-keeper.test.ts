// A bootstrap peer that is down when the node starts (the user's own server restarting, a laptop
// opening the app before its network is up) is dialled again until it answers (core/net/peer-keeper.ts).
// Before, it was dialled once at start and never again: the node stayed without it until its next start.
import { describe, expect, it } from 'vitest'
import { daemonLab } from '../support/daemon-lab'
import { freePort, startDaemonProcess } from '../support/daemon-process'
import { noDiscovery, poll, startNode } from './helpers'

const lab = daemonLab()

describe('bootstrap peers are kept dialled', () => {
  it('a bootstrap peer down at start is reached once it is up', async () => {
    const dir = lab.tempDir('berty-it-bootstrap-')
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
    lab.running.push(server)
    // Before: never (the one dial at start had failed).
    await poll('the node reaches its bootstrap peer', () => x.node.libp2p.getConnections().some((c) => c.remotePeer.toString() === server.ready.peerId), 45_000)
  }, 120_000)
})
