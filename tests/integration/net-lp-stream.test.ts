/**
 * Length-prefixed request → frames protocol over libp2p 3 streams, two nodes on loopback TCP.
 */
import { getEventListeners } from 'node:events'
import { afterEach, describe, expect, it } from 'vitest'
import { node, serveNumberedFrames, stopNodes, u32 } from '../support/loopback-nodes'
import { requestFrames, serveFrames } from '../../core/net/lp-stream'
import { NetError } from '../../core/net/errors'

const PROTOCOL = '/berty/test-frames/1.0.0'
afterEach(stopNodes)

async function collect(it: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = []
  for await (const f of it) out.push(f)
  return out
}


describe('net: lp-stream frames over libp2p 3', () => {
  it('streams N frames in order, with backpressure, and ends on END', async () => {
    const [server, client] = [await node(), await node()]
    await serveNumberedFrames(server, PROTOCOL, 4096)
    const frames = await collect(requestFrames(client, server.getMultiaddrs(), PROTOCOL, u32(2000)))
    expect(frames).toHaveLength(2000)
    expect(frames.every((f, i) => f.length === 4096 && f[0] === i % 251)).toBe(true)
  })

  it('a long stream of frames leaves no listener per write on the request\'s signal', async () => {
    // libp2p's wait for 'drain' (p-event) keeps its abort listener on the signal it is given until that
    // signal fires: given the request's own, every write that waited added one for the whole stream.
    const [server, client] = [await node(), await node()]
    let most = 0
    await serveFrames(server, PROTOCOL, async function* (_req, _conn, signal) {
      for (let i = 0; i < 2000; i++) {
        most = Math.max(most, getEventListeners(signal, 'abort').length)
        yield new Uint8Array(4096).fill(i % 251)
      }
    })
    const frames = await collect(requestFrames(client, server.getMultiaddrs(), PROTOCOL, u32(0)))
    expect(frames).toHaveLength(2000)
    expect(most).toBeLessThanOrEqual(2)
  })

  it('rejects a frame over the cap with ERR_MESSAGE_TOO_LARGE', async () => {
    const [server, client] = [await node(), await node()]
    await serveFrames(server, PROTOCOL, function* () {
      yield new Uint8Array(10)
      yield new Uint8Array(2048)
    })
    const seen: Uint8Array[] = []
    const err = await (async () => {
      for await (const f of requestFrames(client, server.getMultiaddrs(), PROTOCOL, u32(0), { maxFrameBytes: 1024 })) seen.push(f)
    })().catch((e) => e)
    expect(seen).toHaveLength(1)
    expect(err).toBeInstanceOf(NetError)
    expect(err.code).toBe('ERR_MESSAGE_TOO_LARGE')
  })

  it('times out with ERR_TIMEOUT when the responder stalls, and the responder sees its stream reset', async () => {
    const [server, client] = [await node(), await node()]
    let gaveUp!: () => void
    const responderGaveUp = { promise: new Promise<void>((r) => (gaveUp = r)), resolve: () => gaveUp() }
    await serveFrames(server, PROTOCOL, async function* (_req, _conn, signal) {
      yield new Uint8Array([1])
      // Stall until the exchange is torn down (the requester's reset aborts `signal`), never a sleep.
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }))
      responderGaveUp.resolve()
    }, { timeoutMs: 20_000 })
    const t0 = Date.now()
    const err = await collect(requestFrames(client, server.getMultiaddrs(), PROTOCOL, u32(0), { timeoutMs: 300 })).catch((e) => e)
    expect(err).toBeInstanceOf(NetError)
    expect(err.code).toBe('ERR_TIMEOUT')
    await responderGaveUp.promise
    expect(Date.now() - t0).toBeLessThan(10_000)
  })

  it('the responder caps the request size and resets the stream', async () => {
    const [server, client] = [await node(), await node()]
    let called = false
    await serveFrames(server, PROTOCOL, function* () {
      called = true
      yield new Uint8Array(0)
    }, { maxRequestBytes: 16 })
    const err = await collect(requestFrames(client, server.getMultiaddrs(), PROTOCOL, new Uint8Array(100))).catch((e) => e)
    expect(err).toBeInstanceOf(Error)
    expect(called).toBe(false)
  })

  it('honours the caller’s AbortSignal', async () => {
    const [server, client] = [await node(), await node()]
    await serveFrames(server, PROTOCOL, async function* (_req, _conn, signal) {
      yield new Uint8Array([1])
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }))
    }, { timeoutMs: 2_000 })
    const controller = new AbortController()
    const err = await (async () => {
      for await (const _ of requestFrames(client, server.getMultiaddrs(), PROTOCOL, u32(0), { signal: controller.signal })) controller.abort()
    })().catch((e) => e)
    expect(err?.name).toBe('AbortError')
  })
})
