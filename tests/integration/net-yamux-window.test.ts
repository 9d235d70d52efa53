/**
 * Yamux flow control as patched (patches/@chainsafe+libp2p-yamux+8.0.1.patch): a receiver grants
 * more window once half of it is used, as go-yamux and rust-yamux do, instead of one window-update
 * frame (a noise message, two socket writes) after every data frame it receives.
 */
import { Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { node, serveNumberedFrames, stopNodes, u32 } from '../support/loopback-nodes'
import { requestFrames } from '../../core/net/lp-stream'

const PROTOCOL = '/berty/test-window/1.0.0'
afterEach(stopNodes)


/** Counts the socket writes the client makes towards `port` while `run` runs. */
async function writesTowards(port: number, run: () => Promise<void>): Promise<number> {
  const original = Socket.prototype.write
  let writes = 0
  Socket.prototype.write = function (this: Socket, ...args: Parameters<Socket['write']>) {
    if (this.remotePort === port) writes++
    return original.apply(this, args)
  } as Socket['write']
  try {
    await run()
  } finally {
    Socket.prototype.write = original
  }
  return writes
}

describe('net: yamux window updates', () => {
  it('a receiver of 400 small frames sends a few window updates, not one per frame, and gets every frame', async () => {
    const [server, client] = [await node(), await node()]
    await serveNumberedFrames(server, PROTOCOL, 1024)
    // The connection, its handshake and identify are done before counting.
    for await (const _ of requestFrames(client, server.getMultiaddrs(), PROTOCOL, u32(1))) void _
    const port = Number(/\/tcp\/(\d+)/.exec(server.getMultiaddrs()[0]!.toString())![1])
    const got: Uint8Array[] = []
    const writes = await writesTowards(port, async () => {
      for await (const f of requestFrames(client, server.getMultiaddrs(), PROTOCOL, u32(400))) got.push(f)
    })
    expect(got).toHaveLength(400)
    expect(got.every((f, i) => f.length === 1024 && f[0] === i % 251)).toBe(true)
    // The request, the stream's opening and closing, and an update per half window (400 KiB
    // against a 256 KiB window): 20 writes measured. One update per data frame: 830.
    expect(writes).toBeLessThan(60)
  })
})
