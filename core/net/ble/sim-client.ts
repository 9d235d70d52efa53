/**
 * A {@link GattBackend} whose radio is the cross-process simulator (sim-server.ts): the daemon side of
 * `--ble sim:PATH[#LABEL]`. Every GATT operation is relayed over the Unix socket; requests the radio
 * makes of our peripheral (writes, reads) are answered by the {@link GattDriver}'s handlers.
 */
import { connect as netConnect, type Socket } from 'node:net'
import { BleError, type BleCapabilities, type BleStatus } from './driver'
import type { Advertisement, GattBackend, GattCentralBackend, GattClient, GattPeripheralBackend, GattServerHandlers } from './gatt'
import { FrameDecoder, encodeFrame, type SimMessage } from './sim-wire'

type Reply = { ok: boolean; error?: string; conn?: string; payload: Uint8Array }

class RemoteClient implements GattClient {
  onDisconnect: ((error?: Error) => void) | undefined
  notify: ((data: Uint8Array) => void) | undefined
  constructor(private readonly backend: SimSocketBackend, readonly conn: string, readonly attMtu: number) {}

  async write(char: string, data: Uint8Array): Promise<void> {
    await this.backend.request((id) => ({ t: 'write', id, conn: this.conn, char }), data)
  }

  async read(char: string): Promise<Uint8Array> {
    return (await this.backend.request((id) => ({ t: 'read', id, conn: this.conn, char }))).payload
  }

  async subscribe(char: string, onNotify: (data: Uint8Array) => void): Promise<void> {
    this.notify = onNotify
    await this.backend.request((id) => ({ t: 'subscribe', id, conn: this.conn, char }))
  }

  disconnect(): void {
    this.backend.send({ t: 'disconnect', conn: this.conn })
  }
}

export class SimSocketBackend implements GattBackend {
  readonly name = 'sim'
  readonly capabilities: BleCapabilities = { central: true, peripheral: true, l2cap: false }
  onStatus: ((status: BleStatus) => void) | undefined
  readonly central: GattCentralBackend
  readonly peripheral: GattPeripheralBackend
  #status: BleStatus = { state: 'ready' }
  #mtu = 23
  #nextId = 1
  readonly #pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>()
  readonly #clients = new Map<string, RemoteClient>()
  #handlers: GattServerHandlers | undefined
  #onAdvert: ((ad: Advertisement) => void) | undefined

  constructor(private readonly socket: Socket) {
    const decoder = new FrameDecoder()
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const { msg, payload } of decoder.push(chunk)) this.#handle(msg, payload)
      } catch (err) {
        socket.destroy(err instanceof Error ? err : new Error(String(err)))
      }
    })
    socket.on('close', () => this.#down('radio simulator disconnected'))
    socket.on('error', () => {})
    this.central = {
      startScanning: async (onAdvertisement) => {
        this.#onAdvert = onAdvertisement
        this.send({ t: 'scan', on: true })
      },
      stopScanning: async () => {
        this.#onAdvert = undefined
        this.send({ t: 'scan', on: false })
      },
      connect: async (address) => {
        const r = await this.request((id) => ({ t: 'connect', id, address }))
        if (r.conn == null) throw new BleError('ERR_BLE_PROTOCOL', 'simulator gave no connection id')
        const client = new RemoteClient(this, r.conn, this.#mtu)
        this.#clients.set(r.conn, client)
        return client
      }
    }
    this.peripheral = {
      start: async (localName, handlers) => {
        this.#handlers = handlers
        this.send({ t: 'advertise', name: localName })
      },
      stop: async () => {
        this.#handlers = undefined
        this.send({ t: 'advertise' })
      },
      notify: async (central, char, data) => {
        await this.request((id) => ({ t: 'notify', id, central, char }), data)
      },
      attMtu: () => this.#mtu,
      disconnect: (central) => this.send({ t: 'drop', central })
    }
  }

  /** Opens the socket and attaches a device called `label` (the range file's name for it). */
  static async connect(path: string, label: string): Promise<SimSocketBackend> {
    const socket = netConnect(path)
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve)
      socket.once('error', reject)
    })
    const backend = new SimSocketBackend(socket)
    const welcome = new Promise<void>((resolve, reject) => {
      backend.#welcomed = resolve
      setTimeout(() => reject(new BleError('ERR_BLE_TIMEOUT', 'radio simulator did not answer')), 5_000).unref()
    })
    backend.send({ t: 'hello', label })
    await welcome
    return backend
  }

  #welcomed: (() => void) | undefined

  status(): BleStatus {
    return this.#status
  }

  close(): void {
    this.socket.destroy()
  }

  send(msg: SimMessage, payload?: Uint8Array): void {
    if (!this.socket.destroyed) this.socket.write(encodeFrame(msg, payload))
  }

  request(msg: (id: number) => SimMessage, payload?: Uint8Array): Promise<Reply> {
    return new Promise((resolve, reject) => {
      if (this.socket.destroyed) return reject(new BleError('ERR_BLE_LINK_CLOSED', 'radio simulator disconnected'))
      const id = this.#nextId++
      this.#pending.set(id, {
        resolve: (r) => (r.ok ? resolve(r) : reject(new BleError('ERR_BLE_PROTOCOL', r.error ?? 'GATT request failed'))),
        reject
      })
      this.send(msg(id), payload)
    })
  }

  #handle(msg: SimMessage, payload: Uint8Array): void {
    switch (msg.t) {
      case 'welcome':
        this.#mtu = msg.mtu
        this.#welcomed?.()
        return
      case 'advert':
        this.#onAdvert?.({ address: msg.address, localName: msg.name })
        return
      case 'reply': {
        const p = this.#pending.get(msg.id)
        this.#pending.delete(msg.id)
        p?.resolve({ ok: msg.ok, ...(msg.error != null ? { error: msg.error } : {}), ...(msg.conn != null ? { conn: msg.conn } : {}), payload })
        return
      }
      case 'on-write': {
        const ok = this.#handlers?.onWrite(msg.central, msg.char, payload) ?? false
        this.send({ t: 'answer', id: msg.id, ok })
        return
      }
      case 'on-read': {
        const value = this.#handlers?.onRead(msg.central, msg.char)
        this.send({ t: 'answer', id: msg.id, ok: value != null }, value)
        return
      }
      case 'on-subscribe':
        this.#handlers?.onSubscribe(msg.central, msg.char)
        return
      case 'on-disconnect':
        this.#handlers?.onDisconnect(msg.central, msg.error != null ? new BleError('ERR_BLE_LINK_CLOSED', msg.error) : undefined)
        return
      case 'notification':
        this.#clients.get(msg.conn)?.notify?.(payload)
        return
      case 'disconnected': {
        const client = this.#clients.get(msg.conn)
        this.#clients.delete(msg.conn)
        client?.onDisconnect?.(msg.error != null ? new BleError('ERR_BLE_LINK_CLOSED', msg.error) : undefined)
        return
      }
      default:
        throw new BleError('ERR_BLE_PROTOCOL', `unexpected simulator message ${msg.t}`)
    }
  }

  #down(reason: string): void {
    if (this.#status.state !== 'ready') return
    this.#status = { state: 'powered-off', reason }
    const err = new BleError('ERR_BLE_LINK_CLOSED', reason)
    for (const p of this.#pending.values()) p.reject(err)
    this.#pending.clear()
    for (const c of this.#clients.values()) c.onDisconnect?.(err)
    this.#clients.clear()
    this.onStatus?.(this.#status)
  }
}
