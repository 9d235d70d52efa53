/**
 * A simulated BLE radio for tests, demos and benches: devices in one process share a medium that imposes
 * BLE-like limits, and each device exposes the same {@link GattBackend} surface as the hardware drivers,
 * so the peer-id exchange and links above it are the production code.
 *
 * Model (per connection and direction): a packet of n bytes occupies the air for n / `rate` seconds
 * after the previous one, then arrives `latencyMs` later; a write's ATT response comes back another
 * `latencyMs` later. `rate` is the effective goodput of a link (ATT overhead included), so a link never
 * carries more than `rate` bytes/s each way. Advertisements go out every `advertiseIntervalMs`; each
 * is lost with probability `discoveryLoss`. Two devices hear each other only while `inRange(a, b)`;
 * moving out of range drops their connections (a supervision timeout) with an error on both sides.
 *
 * Disclaims: no airtime sharing between links, no interference model, no L2CAP.
 */
import { BleError, type BleCapabilities, type BleStatus } from './driver'
import { ATT_HEADER_BYTES, PEER_ID_CHAR_UUID, WRITER_CHAR_UUID } from './constants'
import type { Advertisement, GattBackend, GattCentralBackend, GattClient, GattPeripheralBackend, GattServerHandlers } from './gatt'

export interface SimRadioOptions {
  /** ATT_MTU every connection negotiates. Default 185 (a payload of 182 bytes). */
  mtu?: number
  /** Bytes per second per connection and direction. Default 100 000. */
  rate?: number
  /** One-way latency in ms. Default 5. */
  latencyMs?: number
  /** Probability that one advertisement is not heard. Default 0. */
  discoveryLoss?: number
  /** Default 100 ms. */
  advertiseIntervalMs?: number
  /** Who hears whom, by device label. Default: everyone. */
  inRange?: (a: string, b: string) => boolean
  /** Source of randomness for discovery loss (tests pass a seeded one). */
  random?: () => number
}

/** Server-side handlers may answer asynchronously (the cross-process sim relays them over a socket). */
export interface SimServerHandlers {
  onWrite(central: string, charUuid: string, data: Uint8Array): boolean | Promise<boolean>
  onRead(central: string, charUuid: string): Uint8Array | undefined | Promise<Uint8Array | undefined>
  onSubscribe(central: string, charUuid: string): void
  onDisconnect(central: string, error?: Error): void
}

type Step = () => void | Promise<void>

const EARLY_MS = 1

/** One direction of one connection: airtime accounting and in-order delivery. */
class Pipe {
  #busyUntil = 0
  #queue: Array<{ at: number; step: Step }> = []
  #timer: ReturnType<typeof setTimeout> | undefined
  #running = false
  #dead = false

  constructor(private readonly radio: SimRadio) {}

  /** Schedules `step` to run when `bytes` have crossed the air, in order with every earlier packet. */
  send(bytes: number, step: Step): void {
    if (this.#dead) return
    const now = performance.now()
    this.#busyUntil = Math.max(now, this.#busyUntil) + (bytes * 1000) / this.radio.rate
    this.#queue.push({ at: this.#busyUntil + this.radio.latencyMs, step })
    this.#pump()
  }

  kill(): void {
    this.#dead = true
    this.#queue = []
    clearTimeout(this.#timer)
  }

  #pump(): void {
    if (this.#running || this.#timer != null) return
    const head = this.#queue[0]
    if (head == null) return
    const wait = head.at - performance.now()
    // Timers are millisecond-grained: anything due within EARLY_MS runs now rather than a timer late.
    if (wait > EARLY_MS) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined
        this.#pump()
      }, Math.ceil(wait))
      return
    }
    this.#running = true
    void (async () => {
      while (!this.#dead) {
        const next = this.#queue[0]
        if (next == null || next.at - performance.now() > EARLY_MS) break
        this.#queue.shift()
        try {
          await next.step()
        } catch {
          // Steps settle their own promises; nothing to do here.
        }
      }
      this.#running = false
      this.#pump()
    })()
  }
}

class SimConnection {
  readonly id: string
  readonly up: Pipe
  readonly down: Pipe
  subscribed: ((data: Uint8Array) => void) | undefined
  /** False once the connection is gone; `closing` refuses new packets while queued ones drain. */
  open = true
  closing = false
  /** Rejecters of requests still waiting for an answer; a dropped connection fails them all. */
  readonly waiting = new Set<(err: Error) => void>()

  /** Wraps a request so a disconnect rejects it instead of leaving it pending forever. */
  track<T>(run: (resolve: (v: T) => void, reject: (e: Error) => void) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const fail = (err: Error): void => {
        this.waiting.delete(fail)
        reject(err)
      }
      this.waiting.add(fail)
      run(
        (v) => {
          this.waiting.delete(fail)
          resolve(v)
        },
        fail
      )
    })
  }
  client: SimClient | undefined

  constructor(radio: SimRadio, readonly central: SimDevice, readonly peripheral: SimDevice, n: number) {
    this.id = `${central.address}#${n}`
    this.up = new Pipe(radio)
    this.down = new Pipe(radio)
  }
}

class SimClient implements GattClient {
  onDisconnect: ((error?: Error) => void) | undefined
  constructor(private readonly radio: SimRadio, private readonly conn: SimConnection) {}

  get attMtu(): number {
    return this.radio.mtu
  }

  write(charUuid: string, data: Uint8Array): Promise<void> {
    const copy = data.slice()
    return this.conn.track<void>((resolve, reject) => {
      if (!this.conn.open || this.conn.closing) return reject(new BleError('ERR_BLE_LINK_CLOSED', 'not connected'))
      if (copy.length > this.radio.mtu - ATT_HEADER_BYTES) return reject(new BleError('ERR_BLE_FRAME_TOO_LARGE', 'ATT: invalid attribute value length'))
      this.conn.up.send(copy.length + ATT_HEADER_BYTES, async () => {
        const ok = await this.conn.peripheral.handleWrite(this.conn, charUuid, copy)
        this.conn.down.send(1, () => (ok ? resolve() : reject(new BleError('ERR_BLE_PROTOCOL', 'ATT: write not permitted'))))
      })
    })
  }

  read(charUuid: string): Promise<Uint8Array> {
    return this.conn.track<Uint8Array>((resolve, reject) => {
      if (!this.conn.open || this.conn.closing) return reject(new BleError('ERR_BLE_LINK_CLOSED', 'not connected'))
      this.conn.up.send(ATT_HEADER_BYTES, async () => {
        const value = await this.conn.peripheral.handleRead(this.conn, charUuid)
        this.conn.down.send((value?.length ?? 0) + 1, () => (value != null ? resolve(value) : reject(new BleError('ERR_BLE_PROTOCOL', 'ATT: read not permitted'))))
      })
    })
  }

  subscribe(charUuid: string, onNotify: (data: Uint8Array) => void): Promise<void> {
    return this.conn.track<void>((resolve, reject) => {
      if (!this.conn.open || this.conn.closing) return reject(new BleError('ERR_BLE_LINK_CLOSED', 'not connected'))
      if (charUuid !== WRITER_CHAR_UUID) return reject(new BleError('ERR_BLE_PROTOCOL', 'ATT: not notifiable'))
      this.conn.up.send(ATT_HEADER_BYTES + 2, () => {
        this.conn.subscribed = onNotify
        this.conn.peripheral.handlers?.onSubscribe(this.conn.id, charUuid)
        this.conn.down.send(1, () => resolve())
      })
    })
  }

  disconnect(): void {
    this.radio.disconnect(this.conn, 'central')
  }
}

/** One simulated BLE device: both roles, always `ready`. */
export class SimDevice implements GattBackend {
  readonly name = 'sim'
  readonly capabilities: BleCapabilities = { central: true, peripheral: true, l2cap: false }
  onStatus: ((status: BleStatus) => void) | undefined
  readonly central: GattCentralBackend
  readonly peripheral: GattPeripheralBackend
  advertising: string | undefined
  handlers: SimServerHandlers | undefined
  scanning: ((ad: Advertisement) => void) | undefined
  readonly connections = new Map<string, SimConnection>()

  constructor(private readonly radio: SimRadio, readonly address: string, readonly label: string) {
    this.central = {
      startScanning: async (onAdvertisement) => {
        this.scanning = onAdvertisement
      },
      stopScanning: async () => {
        this.scanning = undefined
      },
      connect: (address, options) => radio.connect(this, address, options?.signal)
    }
    this.peripheral = {
      start: async (localName, handlers: GattServerHandlers) => {
        this.handlers = handlers
        this.advertising = localName
      },
      stop: async () => {
        this.advertising = undefined
        this.handlers = undefined
        for (const conn of [...this.connections.values()]) if (conn.peripheral === this) radio.disconnect(conn, 'peripheral')
      },
      notify: (central, charUuid, data) => this.notify(central, charUuid, data),
      attMtu: () => radio.mtu,
      disconnect: (central) => {
        const conn = this.connections.get(central)
        if (conn != null) radio.disconnect(conn, 'peripheral')
      }
    }
  }

  /** Advertises `name` with async handlers (the cross-process sim), or stops with `undefined`. */
  serveWith(name: string | undefined, handlers: SimServerHandlers | undefined): void {
    this.advertising = name
    this.handlers = handlers
    if (name == null) for (const conn of [...this.connections.values()]) if (conn.peripheral === this) this.radio.disconnect(conn, 'peripheral')
  }

  status(): BleStatus {
    return { state: 'ready' }
  }

  async handleWrite(conn: SimConnection, charUuid: string, data: Uint8Array): Promise<boolean> {
    if (!conn.open || this.handlers == null) return false
    return await this.handlers.onWrite(conn.id, charUuid, data)
  }

  async handleRead(conn: SimConnection, charUuid: string): Promise<Uint8Array | undefined> {
    if (!conn.open || this.handlers == null) return undefined
    if (charUuid !== PEER_ID_CHAR_UUID) return undefined
    return await this.handlers.onRead(conn.id, charUuid)
  }

  notify(central: string, charUuid: string, data: Uint8Array): Promise<void> {
    const conn = this.connections.get(central)
    const copy = data.slice()
    if (conn == null) return Promise.reject(new BleError('ERR_BLE_LINK_CLOSED', 'not connected'))
    return conn.track<void>((resolve, reject) => {
      if (!conn.open || conn.closing) return reject(new BleError('ERR_BLE_LINK_CLOSED', 'not connected'))
      if (charUuid !== WRITER_CHAR_UUID || conn.subscribed == null) return reject(new BleError('ERR_BLE_PROTOCOL', 'central not subscribed'))
      if (copy.length > this.radio.mtu - ATT_HEADER_BYTES) return reject(new BleError('ERR_BLE_FRAME_TOO_LARGE', 'notification over MTU'))
      const deliver = conn.subscribed
      conn.down.send(copy.length + ATT_HEADER_BYTES, () => {
        deliver(copy)
        resolve()
      })
    })
  }

  /** Leaves the medium: every connection drops, as if powered off. */
  detach(): void {
    this.radio.detach(this)
  }
}

export class SimRadio {
  readonly mtu: number
  readonly rate: number
  readonly latencyMs: number
  readonly discoveryLoss: number
  #inRange: (a: string, b: string) => boolean
  readonly #random: () => number
  readonly #devices = new Map<string, SimDevice>()
  readonly #timer: ReturnType<typeof setInterval>
  #n = 0

  constructor(options: SimRadioOptions = {}) {
    this.mtu = options.mtu ?? 185
    this.rate = options.rate ?? 100_000
    this.latencyMs = options.latencyMs ?? 5
    this.discoveryLoss = options.discoveryLoss ?? 0
    this.#inRange = options.inRange ?? (() => true)
    this.#random = options.random ?? Math.random
    if (!(this.mtu >= 23 && this.mtu <= 517)) throw new RangeError(`mtu must be 23..517, got ${this.mtu}`)
    if (!(this.rate > 0)) throw new RangeError(`rate must be > 0, got ${this.rate}`)
    if (!(this.latencyMs >= 0)) throw new RangeError(`latencyMs must be ≥ 0, got ${this.latencyMs}`)
    if (!(this.discoveryLoss >= 0 && this.discoveryLoss < 1)) throw new RangeError('discoveryLoss must be in [0, 1)')
    this.#timer = setInterval(() => this.#advertise(), options.advertiseIntervalMs ?? 100)
    this.#timer.unref?.()
  }

  attach(label?: string): SimDevice {
    const address = `sim-${(++this.#n).toString(16).padStart(4, '0')}-${Math.floor(this.#random() * 0xffff).toString(16)}`
    const device = new SimDevice(this, address, label ?? address)
    this.#devices.set(address, device)
    queueMicrotask(() => this.#advertise())
    return device
  }

  /** Changes who hears whom; connections between devices now out of range drop. */
  setInRange(inRange: (a: string, b: string) => boolean): void {
    this.#inRange = inRange
    for (const device of this.#devices.values()) {
      for (const conn of [...device.connections.values()]) {
        if (!this.#inRange(conn.central.label, conn.peripheral.label)) this.disconnect(conn, 'range')
      }
    }
  }

  inRange(a: SimDevice, b: SimDevice): boolean {
    return this.#inRange(a.label, b.label) && this.#inRange(b.label, a.label)
  }

  async connect(central: SimDevice, address: string, signal?: AbortSignal): Promise<GattClient> {
    signal?.throwIfAborted()
    const peripheral = this.#devices.get(address)
    if (peripheral == null || peripheral.advertising == null || !this.inRange(central, peripheral)) {
      throw new BleError('ERR_BLE_PEER_NOT_FOUND', 'no such device in range')
    }
    const conn = new SimConnection(this, central, peripheral, ++this.#n)
    const client = new SimClient(this, conn)
    conn.client = client
    central.connections.set(conn.id, conn)
    peripheral.connections.set(conn.id, conn)
    // Connection setup: one round trip.
    await new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        this.disconnect(conn, 'central')
        reject(signal?.reason)
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      conn.up.send(ATT_HEADER_BYTES, () => conn.down.send(ATT_HEADER_BYTES, () => {
        signal?.removeEventListener('abort', onAbort)
        if (conn.open) resolve()
        else reject(new BleError('ERR_BLE_LINK_CLOSED', 'connection failed'))
      }))
    })
    return client
  }

  /** Ends `conn`. A clean disconnect reaches the other side after queued packets; a range loss at once. */
  disconnect(conn: SimConnection, by: 'central' | 'peripheral' | 'range'): void {
    if (!conn.open) return
    const finish = (error?: Error): void => {
      if (!conn.open) return
      conn.open = false
      conn.central.connections.delete(conn.id)
      conn.peripheral.connections.delete(conn.id)
      conn.up.kill()
      conn.down.kill()
      const gone = error ?? new BleError('ERR_BLE_LINK_CLOSED', 'disconnected')
      for (const fail of [...conn.waiting]) fail(gone)
      conn.client?.onDisconnect?.(error)
      conn.peripheral.handlers?.onDisconnect(conn.id, error)
    }
    if (by === 'range') {
      finish(new BleError('ERR_BLE_LINK_CLOSED', 'supervision timeout (out of range)'))
      return
    }
    if (conn.closing) return
    conn.closing = true
    // The terminate indication travels behind everything already sent in that direction.
    const pipe = by === 'central' ? conn.up : conn.down
    pipe.send(1, () => finish())
  }

  detach(device: SimDevice): void {
    this.#devices.delete(device.address)
    device.advertising = undefined
    device.scanning = undefined
    for (const conn of [...device.connections.values()]) this.disconnect(conn, 'range')
  }

  close(): void {
    clearInterval(this.#timer)
    for (const device of [...this.#devices.values()]) device.detach()
  }

  #advertise(): void {
    for (const adv of this.#devices.values()) {
      if (adv.advertising == null) continue
      for (const scan of this.#devices.values()) {
        if (scan === adv || scan.scanning == null || !this.inRange(scan, adv)) continue
        if (this.discoveryLoss > 0 && this.#random() < this.discoveryLoss) continue
        scan.scanning({ address: adv.address, localName: adv.advertising })
      }
    }
  }
}
