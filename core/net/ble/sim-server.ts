/**
 * `npm run ble-sim -- --socket PATH [--mtu N] [--rate BYTES_PER_S] [--latency MS] [--loss P] [--range FILE]`
 *
 * The cross-process radio: one {@link SimRadio} shared by every daemon attached with
 * `--ble sim:PATH[#LABEL]`. Each connection on the Unix socket is one device (sim-wire.ts protocol).
 * `--range FILE` is JSON `{ "inRange": [["alice", "bob"], ["bob", "carol"]] }` (pairs of labels that
 * hear each other; without it everyone does); SIGHUP re-reads it, dropping links now out of range.
 * stdout gets JSON lines: `{"event":"ready","socket":…}` then `{"event":"range",…}` after each reload.
 */
import { chmodSync, existsSync, lstatSync, readFileSync, unlinkSync } from 'node:fs'
import { createServer, type Server, type Socket } from 'node:net'
import { parseArgs } from 'node:util'
import { pathToFileURL } from 'node:url'
import type { GattClient } from './gatt'
import { SimRadio, type SimDevice, type SimRadioOptions, type SimServerHandlers } from './sim-radio'
import { FrameDecoder, encodeFrame, type SimMessage } from './sim-wire'

export interface SimServerOptions extends SimRadioOptions {
  socket: string
  /** Range file path (see module doc). */
  range?: string
  /** Deadline for a device to answer a GATT request relayed to it. Default 5 s. */
  answerTimeoutMs?: number
}

export interface SimServer {
  readonly radio: SimRadio
  /** Re-reads the range file. */
  reloadRange(): void
  close(): Promise<void>
}

export function readRangeFile(path: string): (a: string, b: string) => boolean {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as { inRange?: unknown }
  if (!Array.isArray(parsed.inRange)) throw new TypeError(`${path}: expected { "inRange": [[a, b], …] }`)
  const pairs = new Set<string>()
  for (const pair of parsed.inRange as unknown[]) {
    if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((x) => typeof x === 'string')) throw new TypeError(`${path}: bad pair ${JSON.stringify(pair)}`)
    pairs.add(`${pair[0]}\n${pair[1]}`)
    pairs.add(`${pair[1]}\n${pair[0]}`)
  }
  return (a, b) => pairs.has(`${a}\n${b}`)
}

export async function startSimServer(options: SimServerOptions): Promise<SimServer> {
  const radio = new SimRadio({ ...options, ...(options.range != null ? { inRange: readRangeFile(options.range) } : {}) })
  if (existsSync(options.socket)) {
    // A stale socket from a crashed run; anything else at that path is not ours to delete.
    if (!lstatSync(options.socket).isSocket()) throw new Error(`${options.socket} exists and is not a socket`)
    unlinkSync(options.socket)
  }
  const sockets = new Set<Socket>()
  const server: Server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    serveDevice(radio, socket, options.answerTimeoutMs ?? 5_000)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.socket, () => resolve())
  })
  chmodSync(options.socket, 0o600)
  return {
    radio,
    reloadRange() {
      if (options.range != null) radio.setInRange(readRangeFile(options.range))
    },
    async close() {
      for (const s of sockets) s.destroy()
      radio.close()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

function serveDevice(radio: SimRadio, socket: Socket, answerTimeoutMs: number): void {
  let device: SimDevice | undefined
  const decoder = new FrameDecoder()
  const clients = new Map<string, GattClient>()
  const answers = new Map<number, (ok: boolean, payload?: Uint8Array) => void>()
  let nextId = 1
  let nextConn = 1
  const send = (msg: SimMessage, payload?: Uint8Array): void => {
    if (!socket.destroyed) socket.write(encodeFrame(msg, payload))
  }
  const ask = (msg: (id: number) => SimMessage, payload?: Uint8Array): Promise<{ ok: boolean; payload?: Uint8Array }> =>
    new Promise((resolve) => {
      const id = nextId++
      const timer = setTimeout(() => {
        answers.delete(id)
        resolve({ ok: false })
      }, answerTimeoutMs)
      answers.set(id, (ok, value) => {
        clearTimeout(timer)
        answers.delete(id)
        resolve({ ok, ...(value != null ? { payload: value } : {}) })
      })
      send(msg(id), payload)
    })
  const handlers: SimServerHandlers = {
    onWrite: async (central, char, data) => (await ask((id) => ({ t: 'on-write', id, central, char }), data)).ok,
    onRead: async (central, char) => {
      const r = await ask((id) => ({ t: 'on-read', id, central, char }))
      return r.ok ? r.payload : undefined
    },
    onSubscribe: (central, char) => send({ t: 'on-subscribe', central, char }),
    onDisconnect: (central, error) => send({ t: 'on-disconnect', central, ...(error != null ? { error: error.message } : {}) })
  }
  const reply = (id: number, p: Promise<Uint8Array | string | void>): void => {
    p.then(
      (v) => (v instanceof Uint8Array ? send({ t: 'reply', id, ok: true }, v) : send({ t: 'reply', id, ok: true, ...(typeof v === 'string' ? { conn: v } : {}) })),
      (err: unknown) => send({ t: 'reply', id, ok: false, error: String(err instanceof Error ? err.message : err).slice(0, 500) })
    )
  }
  const handle = (msg: SimMessage, payload: Uint8Array): void => {
    if (msg.t === 'hello') {
      if (device != null) throw new Error('second hello')
      device = radio.attach(msg.label)
      send({ t: 'welcome', address: device.address, mtu: radio.mtu })
      return
    }
    const d = device
    if (d == null) throw new Error('hello first')
    switch (msg.t) {
      case 'advertise':
        d.serveWith(msg.name, msg.name != null ? handlers : undefined)
        return
      case 'scan':
        if (msg.on) void d.central.startScanning((ad) => send({ t: 'advert', address: ad.address, name: ad.localName ?? '' }))
        else void d.central.stopScanning()
        return
      case 'connect':
        reply(msg.id, d.central.connect(msg.address).then((client) => {
          const conn = `c${nextConn++}`
          clients.set(conn, client)
          client.onDisconnect = (error) => {
            clients.delete(conn)
            send({ t: 'disconnected', conn, ...(error != null ? { error: error.message } : {}) })
          }
          return conn
        }))
        return
      case 'write':
        reply(msg.id, withClient(msg.conn, (c) => c.write(msg.char, payload)))
        return
      case 'read':
        reply(msg.id, withClient(msg.conn, (c) => c.read(msg.char)))
        return
      case 'subscribe': {
        const conn = msg.conn
        reply(msg.id, withClient(conn, (c) => c.subscribe(msg.char, (data) => send({ t: 'notification', conn }, data))))
        return
      }
      case 'disconnect':
        clients.get(msg.conn)?.disconnect()
        return
      case 'notify':
        reply(msg.id, d.peripheral.notify(msg.central, msg.char, payload))
        return
      case 'drop':
        d.peripheral.disconnect(msg.central)
        return
      case 'answer':
        answers.get(msg.id)?.(msg.ok, payload.length > 0 ? payload : undefined)
        return
      default:
        throw new Error(`unexpected message ${msg.t}`)
    }
  }
  const withClient = <T>(conn: string, fn: (c: GattClient) => Promise<T>): Promise<T> => {
    const c = clients.get(conn)
    return c != null ? fn(c) : Promise.reject(new Error('not connected'))
  }
  socket.on('data', (chunk: Buffer) => {
    try {
      for (const { msg, payload } of decoder.push(chunk)) handle(msg, payload)
    } catch (err) {
      process.stderr.write(`${JSON.stringify({ level: 'warn', msg: 'ble-sim: dropping device', error: String(err).slice(0, 200) })}\n`)
      socket.destroy()
    }
  })
  socket.on('close', () => {
    for (const resolve of answers.values()) resolve(false)
    device?.detach()
  })
  socket.on('error', () => socket.destroy())
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    strict: true,
    options: {
      socket: { type: 'string' },
      mtu: { type: 'string' },
      rate: { type: 'string' },
      latency: { type: 'string' },
      loss: { type: 'string' },
      range: { type: 'string' }
    }
  })
  if (values.socket == null) {
    process.stderr.write('usage: npm run ble-sim -- --socket PATH [--mtu N] [--rate BYTES_PER_S] [--latency MS] [--loss P] [--range FILE]\n')
    process.exit(2)
  }
  const num = (v: string | undefined, name: string): number | undefined => {
    if (v == null) return undefined
    const n = Number(v)
    if (!Number.isFinite(n)) {
      process.stderr.write(`--${name}: not a number: ${v}\n`)
      process.exit(2)
    }
    return n
  }
  const mtu = num(values.mtu, 'mtu')
  const rate = num(values.rate, 'rate')
  const latencyMs = num(values.latency, 'latency')
  const discoveryLoss = num(values.loss, 'loss')
  const sim = await startSimServer({
    socket: values.socket,
    ...(values.range != null ? { range: values.range } : {}),
    ...(mtu != null ? { mtu } : {}),
    ...(rate != null ? { rate } : {}),
    ...(latencyMs != null ? { latencyMs } : {}),
    ...(discoveryLoss != null ? { discoveryLoss } : {})
  })
  const out = (o: Record<string, unknown>): boolean => process.stdout.write(`${JSON.stringify(o)}\n`)
  out({ event: 'ready', socket: values.socket, mtu: sim.radio.mtu, rate: sim.radio.rate, latencyMs: sim.radio.latencyMs })
  process.on('SIGHUP', () => {
    try {
      sim.reloadRange()
      out({ event: 'range', ok: true })
    } catch (err) {
      out({ event: 'range', ok: false, error: String(err) })
    }
  })
  const stop = (): void => void sim.close().then(() => process.exit(0))
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err: unknown) => {
    process.stderr.write(`ble-sim: ${String(err)}\n`)
    process.exit(1)
  })
}
