/**
 * The TCP transport as patched (patches/@libp2p+tcp+11.0.28.patch): what a connection writes in one
 * turn leaves the socket in one writev (one per high-water mark's worth when a turn writes more). Unpatched, every buffer was a write of its own: a noise
 * message is two (its length, its ciphertext), so 200 small messages were 400 syscalls and, with
 * TCP_NODELAY, up to 400 TCP segments (`npm run bench -- wire` measures the cost).
 */
import { Socket } from 'node:net'
import type { Stream } from '@libp2p/interface'
import { afterEach, describe, expect, it } from 'vitest'
import { node, stopNodes } from '../support/loopback-nodes'

const PROTOCOL = '/berty/test-cork/1.0.0'
afterEach(stopNodes)

/** Counts what the sockets towards `port` hand to the kernel (`_write` and `_writev` calls) while `run` runs. */
async function kernelWritesTowards(port: number, run: () => Promise<void>): Promise<number> {
  const proto = Socket.prototype as unknown as Record<'_write' | '_writev', (...args: unknown[]) => unknown>
  const original = { _write: proto._write, _writev: proto._writev }
  let writes = 0
  for (const name of ['_write', '_writev'] as const) {
    proto[name] = function (this: Socket, ...args: unknown[]) {
      if (this.remotePort === port) writes++
      return original[name].apply(this, args)
    }
  }
  try {
    await run()
  } finally {
    Object.assign(proto, original)
  }
  return writes
}

describe('net: TCP writes corked per turn', () => {
  it('200 messages sent at once reach the socket in a few writes, every byte in order', async () => {
    const [server, client] = [await node(), await node()]
    const sent = Array.from({ length: 200 }, (_, i) => new Uint8Array(600).fill(i % 251))
    const expected = Buffer.concat(sent)
    const got: Uint8Array[] = []
    let received = 0
    let allReceived!: () => void
    const all = new Promise<void>((resolve) => (allReceived = resolve))
    await server.handle(PROTOCOL, (stream: Stream) => {
      stream.addEventListener('message', (evt) => {
        got.push(evt.data.subarray())
        received += evt.data.byteLength
        if (received >= expected.byteLength) allReceived()
      })
    })
    const stream = await client.dialProtocol(server.getMultiaddrs(), PROTOCOL)
    const port = Number(/\/tcp\/(\d+)/.exec(server.getMultiaddrs()[0]!.toString())![1])
    const writes = await kernelWritesTowards(port, async () => {
      for (const m of sent) {
        // Corked, the socket buffers what the turn writes: past its high-water mark it asks to wait.
        if (!stream.send(m)) await new Promise((r) => stream.addEventListener('drain', r, { once: true }))
      }
      await all
    })
    expect(Buffer.concat(got).equals(expected)).toBe(true)
    // Patched: 8 measured (a writev per 16 KiB, the socket's high-water mark, of the 120 KB).
    // Unpatched: 412 (a length and a ciphertext per noise message, and yamux's own frames).
    expect(writes).toBeLessThan(30)
    await stream.close()
  })
})
