/**
 * Dead-connection detection (core/net/liveness.ts): a connection is aborted only after `failures`
 * missed pings in a row, never at the first late one; an answer resets the count.
 */
import type { Connection, Stream } from '@libp2p/interface'
import { byteStream } from '@libp2p/utils'
import { afterEach, describe, expect, it } from 'vitest'
import type { BertyLibp2p } from '../../core/net/libp2p'
import { node, stopNodes } from '../support/loopback-nodes'
import { Liveness, PING_PROTOCOL } from '../../core/net/liveness'

afterEach(stopNodes)

/** `a` connected to `b`, whose ping handler answers only while `answering.on` (else it holds the stream, silent). */
async function pair(): Promise<{ a: BertyLibp2p; conn: Connection; answering: { on: boolean }; probe: Liveness }> {
  const [a, b] = [await node(), await node()]
  const answering = { on: true }
  await b.unhandle(PING_PROTOCOL)
  await b.handle(
    PING_PROTOCOL,
    async (stream: Stream) => {
      if (!answering.on) return // never answers; the pinger times out
      const bytes = byteStream(stream)
      const got = await bytes.read({ bytes: 32 })
      await bytes.write(got.subarray())
      await stream.close()
    },
    { runOnLimitedConnection: true }
  )
  const conn = await a.dial(b.getMultiaddrs())
  const probe = new Liveness({ connectionManager: { getConnections: () => a.getConnections() }, logger: a.logger }, { intervalMs: 1_000, timeoutMs: 300, failures: 3 })
  probe.start()
  return { a, conn, answering, probe }
}

describe('net: liveness', () => {
  it('keeps a connection through two missed pings and aborts it at the third in a row', async () => {
    const { conn, answering, probe } = await pair()
    try {
      answering.on = false
      expect(await probe.check(conn)).toBe(false)
      expect(await probe.check(conn)).toBe(false)
      expect(conn.status).toBe('open')
      expect(await probe.check(conn)).toBe(false)
      expect(conn.status).not.toBe('open')
    } finally {
      probe.stop()
    }
  })

  it('an answer resets the count: misses that are not in a row never abort', async () => {
    const { conn, answering, probe } = await pair()
    try {
      for (const on of [false, false, true, false, false, true, false, false]) {
        answering.on = on
        expect(await probe.check(conn)).toBe(on)
      }
      expect(conn.status).toBe('open')
      expect(conn.rtt).toBeGreaterThanOrEqual(0)
    } finally {
      probe.stop()
    }
  })

  it('the heartbeat asks again at once after a miss, not at the next heartbeat', async () => {
    const [a, b] = [await node(), await node()]
    await b.unhandle(PING_PROTOCOL)
    await b.handle(PING_PROTOCOL, () => {}, { runOnLimitedConnection: true }) // never answers
    const conn = await a.dial(b.getMultiaddrs())
    // When each miss is logged (the DHT's own pings share the protocol, one stream at a time, so the
    // first heartbeats may find theirs still open and skip: the misses are timed, not the start).
    const misses: number[] = []
    const logger = {
      forComponent: (name: string) => {
        const log = a.logger.forComponent(name)
        return Object.assign((format: string, ...args: unknown[]) => {
          if (format.startsWith('ping ')) misses.push(Date.now())
          log(format, ...args)
        }, log)
      }
    }
    const probe = new Liveness({ connectionManager: { getConnections: () => a.getConnections() }, logger }, { intervalMs: 2_000, timeoutMs: 300, failures: 3 })
    const closed = new Promise<void>((resolve) => conn.addEventListener('close', () => resolve(), { once: true }))
    probe.start()
    try {
      await closed
      expect(conn.status).not.toBe('open')
      expect(misses).toHaveLength(3)
      // Two more timeouts (300 ms each) after the first miss; waiting for heartbeats would be 4 s.
      expect(misses[2]! - misses[0]!).toBeLessThan(1_500)
    } finally {
      probe.stop()
    }
  })

  it('a ping whose deadline our own stalled event loop overran is not counted as the peer’s miss', async () => {
    const { conn, answering, probe } = await pair()
    try {
      answering.on = false
      for (let i = 0; i < 3; i++) {
        const pinging = probe.check(conn)
        const until = Date.now() + 1_600 // the 300 ms deadline fires 1.3 s late
        while (Date.now() < until) {
          // this node's event loop is busy
        }
        expect(await pinging).toBe(false)
      }
      expect(conn.status).toBe('open')
      // The same silence without the stall: misses, aborted. The DHT's own ping to this silent peer
      // holds the protocol's one stream until it gives up, and checks skip meanwhile.
      for (const end = Date.now() + 30_000; conn.status === 'open' && Date.now() < end; ) {
        await probe.check(conn)
        await new Promise((r) => setTimeout(r, 100))
      }
      expect(conn.status).not.toBe('open')
    } finally {
      probe.stop()
    }
  })

  it('stop ends every ping in flight at once, and a dozen at a time raise no listener-leak warning', async () => {
    const a = await node()
    const silent = await Promise.all(Array.from({ length: 12 }, () => node()))
    let arrived = 0
    let allArrived!: () => void
    const waiting = new Promise<void>((r) => (allArrived = r))
    for (const b of silent) {
      await b.unhandle(PING_PROTOCOL)
      // Holds the stream, silent.
      await b.handle(PING_PROTOCOL, async () => {
        if (++arrived === silent.length) allArrived()
      }, { runOnLimitedConnection: true })
    }
    const conns = await Promise.all(silent.map((b) => a.dial(b.getMultiaddrs())))
    const probe = new Liveness({ connectionManager: { getConnections: () => a.getConnections() }, logger: a.logger }, { intervalMs: 60_000, timeoutMs: 30_000, failures: 2 })
    const warnings: Error[] = []
    const onWarning = (w: Error): void => {
      warnings.push(w)
    }
    process.on('warning', onWarning)
    try {
      probe.start()
      const checks = conns.map((c) => probe.check(c))
      await waiting // every ping stream open at its silent peer
      const t0 = Date.now()
      probe.stop()
      expect(await Promise.all(checks)).toEqual(conns.map(() => false))
      expect(Date.now() - t0).toBeLessThan(5_000) // not the 30 s deadline
      await new Promise((r) => setImmediate(r)) // warnings are emitted on the next tick
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([])
      for (const c of conns) expect(c.status).toBe('open') // stopping is not a miss
    } finally {
      process.off('warning', onWarning)
      probe.stop()
    }
  })

  it('refuses settings where a ping could outlive its interval', () => {
    const components = { connectionManager: { getConnections: () => [] }, logger: { forComponent: () => Object.assign(() => {}, { error: () => {}, trace: () => {}, enabled: false }) } }
    expect(() => new Liveness(components as never, { intervalMs: 1_000, timeoutMs: 1_000, failures: 3 })).toThrow(RangeError)
    expect(() => new Liveness(components as never, { intervalMs: 1_000, timeoutMs: 500, failures: 0 })).toThrow(RangeError)
  })

  it('nodes run it in place of libp2p’s connection monitor', async () => {
    const a = await node()
    expect(a.services.liveness).toBeInstanceOf(Liveness)
  })
})
