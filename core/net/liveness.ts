/**
 * Dead-connection detection that a busy node survives (in place of libp2p's connection monitor).
 *
 * libp2p's monitor pings every connection and aborts it on the first ping that misses its timeout.
 * A ping waits behind everything queued on its connection and behind the node's own event loop, so
 * a busy node (a 50-member join, a large catch-up) lost every connection at once: 1,763 aborted in
 * one 50-member run, all gossip in flight with them, then minutes of reconnecting and pulling. Here a
 * connection is aborted only when `failures` pings in a row have failed, the next asked at once
 * after a miss: one slow turn is not death, and a dead link still goes within an interval plus
 * `failures` timeouts. Pings are libp2p's own protocol (`/ipfs/ping/1.0.0`, answered by
 * @libp2p/ping and by go-libp2p; the DHT pings on it too, one stream at a time, and a heartbeat
 * that finds the DHT's ping open skips). A peer that does not speak it answered
 * multistream-select, so it is alive.
 */
import type { ComponentLogger, Connection, Logger, Startable, Stream } from '@libp2p/interface'
import { byteStream } from '@libp2p/utils'
import { equalBytes, randomBytes } from '../crypto'

export const PING_PROTOCOL = '/ipfs/ping/1.0.0'
const PING_BYTES = 32
/** A deadline timer that fires this late means our own event loop was stalled: not the peer's miss. */
const OWN_STALL_MS = 1_000
const OWN_STALL = 'OwnStallError'

export interface LivenessInit {
  /** How often every connection is pinged. */
  intervalMs: number
  /** How long one ping may take (kept below `intervalMs`). */
  timeoutMs: number
  /** Pings failed in a row before the connection is aborted. */
  failures: number
}

export interface LivenessComponents {
  connectionManager: { getConnections(): Connection[] }
  logger: ComponentLogger
}

interface ConnState {
  running: boolean
  failed: number
}

export class Liveness implements Startable {
  private timer: ReturnType<typeof setInterval> | undefined
  private stopped = false
  /**
   * Ends each ping in flight, on stop. A set rather than one 'abort' listener per ping on the stop
   * signal: a node pings all its connections at once, and past ten listeners Node warned of a leak
   * at every heartbeat (50 members in one process).
   */
  private readonly inFlight = new Set<(err: Error) => void>()
  private readonly states = new WeakMap<Connection, ConnState>()
  private readonly log: Logger

  constructor(private readonly components: LivenessComponents, private readonly init: LivenessInit) {
    if (!(init.timeoutMs > 0 && init.intervalMs > init.timeoutMs && Number.isInteger(init.failures) && init.failures >= 1)) {
      throw new RangeError('liveness: need 0 < timeoutMs < intervalMs and an integer failures >= 1')
    }
    this.log = components.logger.forComponent('berty:liveness')
  }

  readonly [Symbol.toStringTag] = 'berty/liveness'

  start(): void {
    this.stopped = false
    this.timer = setInterval(() => {
      for (const conn of this.components.connectionManager.getConnections()) void this.watch(conn)
    }, this.init.intervalMs)
    this.timer.unref?.()
  }

  stop(): void {
    clearInterval(this.timer)
    this.timer = undefined
    this.stopped = true
    for (const end of [...this.inFlight]) end(new Error('stopping'))
  }

  /**
   * One heartbeat for `conn`: a ping, and after a miss the next one at once rather than at the next
   * heartbeat, until an answer or the abort. A dead link goes within one interval plus `failures`
   * timeouts; a live one must stay silent `failures × timeoutMs` in a row to be cut.
   */
  private async watch(conn: Connection): Promise<void> {
    for (let i = 0; i < this.init.failures; i++) {
      if ((await this.probe(conn)) !== 'missed' || conn.status !== 'open' || this.stopped) return
      // missed, not aborted yet: ask again now
    }
  }

  /** Pings `conn` once; aborts it when this is its `failures`-th failed ping in a row. Says whether it answered. */
  async check(conn: Connection): Promise<boolean> {
    return (await this.probe(conn)) === 'answered'
  }

  /** `none`: no ping went out (one is running, or the connection is closing), or it proved nothing. */
  private async probe(conn: Connection): Promise<'answered' | 'missed' | 'none'> {
    let state = this.states.get(conn)
    if (!state) {
      state = { running: false, failed: 0 }
      this.states.set(conn, state)
    }
    // Still waiting behind a busy connection or event loop: neither an answer nor a miss yet.
    if (state.running || conn.status !== 'open') return 'none'
    state.running = true
    try {
      conn.rtt = await this.ping(conn)
      state.failed = 0
      return 'answered'
    } catch (err) {
      if (this.stopped || conn.status !== 'open') return 'none'
      if ((err as Error).name === 'UnsupportedProtocolError') {
        state.failed = 0 // it answered multistream-select: alive
        return 'answered'
      }
      // Another ping (the DHT's, through libp2p's ping service: one stream at a time) runs on it: not a miss.
      if ((err as Error).name === 'TooManyOutboundProtocolStreamsError') {
        this.log('not counted, the ping to %p: another ping stream is open on the connection', conn.remotePeer)
        return 'none'
      }
      if ((err as Error).name === OWN_STALL) {
        this.log('not counted, the ping to %p: %s', conn.remotePeer, (err as Error).message)
        return 'none'
      }
      state.failed++
      this.log('ping %d/%d to %p failed: %s', state.failed, this.init.failures, conn.remotePeer, (err as Error).message)
      if (state.failed >= this.init.failures) {
        this.log.error('aborting the connection to %p: %d pings in a row failed', conn.remotePeer, state.failed)
        conn.abort(err instanceof Error ? err : new Error(String(err)))
      }
      return 'missed'
    } finally {
      state.running = false
    }
  }

  /**
   * One ping, bounded by `timeoutMs` whatever the calls under it do. The deadline is our own timer on
   * a controller held here: in the daemon, a composed `AbortSignal.any([AbortSignal.timeout(…)])`
   * never fired (nothing held the timeout signal), and the ping, and with it every later heartbeat
   * of that connection, hung for good: a dead link was never found.
   */
  private async ping(conn: Connection): Promise<number> {
    if (this.stopped) throw new Error('stopping')
    const controller = new AbortController()
    const timeout = Object.assign(new Error(`no answer in ${this.init.timeoutMs} ms`), { name: 'TimeoutError' })
    const ownStall = Object.assign(new Error('this node\'s event loop stalled past the deadline'), { name: OWN_STALL })
    let expire!: (err: Error) => void
    const expired = new Promise<never>((_resolve, reject) => (expire = reject))
    expired.catch(() => undefined)
    const end = (err: Error): void => {
      controller.abort(err)
      expire(err)
    }
    const due = Date.now() + this.init.timeoutMs
    // Our own event loop stalled past the deadline (the answer may sit unread in a socket buffer):
    // that proves nothing about the peer.
    const timer = setTimeout(() => end(Date.now() - due > OWN_STALL_MS ? ownStall : timeout), this.init.timeoutMs)
    this.inFlight.add(end)
    const { signal } = controller
    let stream: Stream | undefined
    try {
      return await Promise.race([
        expired,
        (async () => {
          const opened = await conn.newStream(PING_PROTOCOL, { signal, runOnLimitedConnection: true })
          if (signal.aborted) {
            // Opened after the deadline (the race is over): nobody else will close it.
            opened.abort(signal.reason instanceof Error ? signal.reason : timeout)
            throw timeout
          }
          stream = opened
          const bytes = byteStream(opened)
          const sent = randomBytes(PING_BYTES)
          const start = Date.now()
          const [, echo] = await Promise.all([bytes.write(sent, { signal }), bytes.read({ bytes: PING_BYTES, signal })])
          if (!equalBytes(echo.subarray(), sent)) throw new Error('ping answered with other bytes')
          const rtt = Date.now() - start
          await opened.close({ signal })
          return rtt
        })()
      ])
    } catch (err) {
      stream?.abort(err instanceof Error ? err : new Error(String(err)))
      throw err
    } finally {
      clearTimeout(timer)
      this.inFlight.delete(end)
    }
  }
}

export function liveness(init: LivenessInit): (components: LivenessComponents) => Liveness {
  return (components) => new Liveness(components, init)
}
