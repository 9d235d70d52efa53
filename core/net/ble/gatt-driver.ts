/**
 * {@link BleDriver} over a {@link GattBackend}: discovery by advertisement, the weshnet peer-id exchange
 * (peer-id-exchange.ts) in both roles, and {@link GattLink}s for the transport.
 *
 * Claims: every remote input is bounded — advertised ids are validated and the peer table is capped
 * (`maxPeers`), per-central handshake state is capped (`maxSessions`), a write to the writer before the
 * exchange completes, or a malformed id, drops that central; the central-side exchange has a deadline.
 * Disclaims: L2CAP CoC is not negotiated yet: this driver always advertises PSM 0 and ignores the
 * remote's PSM, which is weshnet's "no L2CAP" path (BertyDevice_darwin.m `negotiateL2cap`).
 */
import { TypedEventEmitter } from '@libp2p/interface'
import { silentLogger, type Logger } from '../../log'
import { ATT_HEADER_BYTES, PEER_ID_CHAR_UUID, WRITER_CHAR_UUID, MAX_PEER_ID_BYTES } from './constants'
import { BleError, type BleCapabilities, type BleDriver, type BleDriverEvents, type BleLink, type BleStatus } from './driver'
import type { Advertisement, GattBackend, GattServerHandlers } from './gatt'
import { GattLink } from './gatt-link'
import { isPeerIdString } from './multiaddr'
import { PeerIdAssembler, decodePeerIdReadValue, encodePeerIdReadValue, peerIdWrites } from './peer-id-exchange'
import { deadline } from '../deadline'

export interface GattDriverInit {
  log?: Logger
  /** A peer not heard for this long is lost. Default 10 s. */
  lostAfterMs?: number
  /** Most peers remembered from advertisements. Default 256. */
  maxPeers?: number
  /** Most centrals mid-exchange or connected at once. Default 32. */
  maxSessions?: number
  /** Deadline of the central-side exchange (connect, id writes, read, subscribe). Default 10 s. */
  handshakeTimeoutMs?: number
  /** Link send window (see gatt-link.ts). */
  window?: number
  /** How long `dial` waits for a not-yet-heard device to advertise. Default 3 s. */
  discoveryWaitMs?: number
}

interface SeenPeer {
  address: string
  lastSeen: number
}

interface Session {
  assembler: PeerIdAssembler
  remotePeerId?: string
  link?: GattLink
}

const utf8 = new TextDecoder('utf-8', { fatal: false })

export class GattDriver extends TypedEventEmitter<BleDriverEvents> implements BleDriver {
  readonly name: string
  readonly capabilities: BleCapabilities
  readonly #backend: GattBackend
  readonly #log: Logger
  readonly #lostAfterMs: number
  readonly #maxPeers: number
  readonly #maxSessions: number
  readonly #handshakeTimeoutMs: number
  readonly #window: number | undefined
  readonly #discoveryWaitMs: number
  readonly #peers = new Map<string, SeenPeer>()
  readonly #sessions = new Map<string, Session>()
  readonly #links = new Set<GattLink>()
  #localPeerId: string | undefined
  #sweep: ReturnType<typeof setInterval> | undefined
  #droppedAdverts = 0

  constructor(backend: GattBackend, init: GattDriverInit = {}) {
    super()
    this.#backend = backend
    this.name = backend.name
    this.capabilities = backend.capabilities
    this.#log = init.log ?? silentLogger
    this.#lostAfterMs = init.lostAfterMs ?? 10_000
    this.#maxPeers = init.maxPeers ?? 256
    this.#maxSessions = init.maxSessions ?? 32
    this.#handshakeTimeoutMs = init.handshakeTimeoutMs ?? 10_000
    this.#window = init.window
    this.#discoveryWaitMs = init.discoveryWaitMs ?? 3_000
    backend.onStatus = (status) => {
      this.safeDispatchEvent('status', { detail: status })
      if (status.state !== 'ready') this.#dropAll(new BleError('ERR_BLE_LINK_CLOSED', `radio ${status.state}`))
    }
  }

  status(): BleStatus {
    return this.#backend.status()
  }

  async start(localPeerId: string): Promise<void> {
    if (this.#localPeerId != null) throw new BleError('ERR_BLE_PROTOCOL', 'driver already started')
    if (!isPeerIdString(localPeerId)) throw new TypeError('localPeerId: not a peer id')
    const status = this.#backend.status()
    if (status.state !== 'ready') {
      throw new BleError('ERR_BLE_UNSUPPORTED', `${this.name}: ${status.state}${status.reason != null ? ` (${status.reason})` : ''}`)
    }
    this.#localPeerId = localPeerId
    await this.#backend.peripheral?.start(localPeerId, this.#serverHandlers())
    await this.#backend.central?.startScanning((ad) => this.#onAdvertisement(ad))
    this.#sweep = setInterval(() => this.#sweepLost(), Math.max(50, Math.floor(this.#lostAfterMs / 4)))
    this.#sweep.unref?.()
  }

  async stop(): Promise<void> {
    if (this.#localPeerId == null) return
    this.#localPeerId = undefined
    clearInterval(this.#sweep)
    this.#dropAll(undefined)
    await this.#backend.central?.stopScanning()
    await this.#backend.peripheral?.stop()
    for (const peerId of [...this.#peers.keys()]) this.#lose(peerId)
  }

  async dial(peerId: string, options: { signal?: AbortSignal } = {}): Promise<BleLink> {
    const local = this.#localPeerId
    if (local == null) throw new BleError('ERR_BLE_NOT_STARTED', 'driver not started')
    const central = this.#backend.central
    if (central == null) throw new BleError('ERR_BLE_UNSUPPORTED', `${this.name}: no central role`)
    const seen = this.#peers.get(peerId) ?? (await this.#awaitFound(peerId, options.signal))
    const signal = deadline(this.#handshakeTimeoutMs, options.signal)
    const client = await central.connect(seen.address, { signal })
    let link: GattLink | undefined
    client.onDisconnect = (error) => link?.disconnected(error)
    try {
      const maxPayload = client.attMtu - ATT_HEADER_BYTES
      for (const write of peerIdWrites(local, maxPayload)) await raceAbort(client.write(PEER_ID_CHAR_UUID, write), signal)
      const { peerId: claimed } = decodePeerIdReadValue(await raceAbort(client.read(PEER_ID_CHAR_UUID), signal))
      if (claimed !== peerId) throw new BleError('ERR_BLE_HANDSHAKE', 'device answered with another peer id')
      const created = new GattLink({
        remotePeerId: peerId,
        direction: 'outbound',
        mtu: maxPayload,
        sendRaw: (chunk) => client.write(WRITER_CHAR_UUID, chunk),
        disconnect: () => client.disconnect(),
        onEnd: () => this.#ended(created),
        ...(this.#window != null ? { window: this.#window } : {})
      })
      await raceAbort(client.subscribe(WRITER_CHAR_UUID, (data) => created.deliver(data)), signal)
      link = created
      this.#links.add(created)
      return created
    } catch (err) {
      client.disconnect()
      if (signal.aborted && options.signal?.aborted !== true) throw new BleError('ERR_BLE_TIMEOUT', 'peer-id exchange timed out', { cause: err })
      throw err
    }
  }


  /** A dial may come right after start, before the first advertisement: wait a little for it. */
  async #awaitFound(peerId: string, signal?: AbortSignal): Promise<SeenPeer> {
    signal?.throwIfAborted()
    return await new Promise<SeenPeer>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer)
        this.removeEventListener('peer:found', onFound)
        signal?.removeEventListener('abort', onAbort)
      }
      const onFound = (evt: CustomEvent<{ peerId: string }>): void => {
        const seen = this.#peers.get(peerId)
        if (evt.detail.peerId !== peerId || seen == null) return
        done()
        resolve(seen)
      }
      const onAbort = (): void => {
        done()
        reject(signal?.reason)
      }
      const timer = setTimeout(() => {
        done()
        reject(new BleError('ERR_BLE_PEER_NOT_FOUND', 'peer not in range'))
      }, this.#discoveryWaitMs)
      this.addEventListener('peer:found', onFound)
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  }

  /** Forgets the peer with its last link, so its next advertisement is a fresh `peer:found` (redial). */
  #ended(link: GattLink): void {
    this.#links.delete(link)
    for (const other of this.#links) if (other.remotePeerId === link.remotePeerId) return
    this.#peers.delete(link.remotePeerId)
  }

  #serverHandlers(): GattServerHandlers {
    return {
      onWrite: (central, charUuid, data) => this.#onWrite(central, charUuid, data),
      onRead: (central, charUuid) => {
        const s = this.#sessions.get(central)
        // weshnet answers CBATTErrorReadNotPermitted until the central has written its id.
        if (charUuid !== PEER_ID_CHAR_UUID || s?.remotePeerId == null || this.#localPeerId == null) return undefined
        return encodePeerIdReadValue(0, this.#localPeerId)
      },
      onSubscribe: (central, charUuid) => {
        const s = this.#sessions.get(central)
        const peripheral = this.#backend.peripheral
        if (charUuid !== WRITER_CHAR_UUID || peripheral == null) return
        if (s?.remotePeerId == null) {
          this.#reject(central, 'subscribed before the peer-id exchange')
          return
        }
        if (s.link != null) return
        const link = new GattLink({
          remotePeerId: s.remotePeerId,
          direction: 'inbound',
          mtu: peripheral.attMtu(central) - ATT_HEADER_BYTES,
          sendRaw: (chunk) => peripheral.notify(central, WRITER_CHAR_UUID, chunk),
          disconnect: () => peripheral.disconnect(central),
          onEnd: () => this.#ended(link),
          ...(this.#window != null ? { window: this.#window } : {})
        })
        s.link = link
        this.#links.add(link)
        this.safeDispatchEvent('link', { detail: link })
      },
      onDisconnect: (central, error) => {
        const s = this.#sessions.get(central)
        this.#sessions.delete(central)
        s?.link?.disconnected(error)
      }
    }
  }

  #onWrite(central: string, charUuid: string, data: Uint8Array): boolean {
    let s = this.#sessions.get(central)
    if (charUuid === PEER_ID_CHAR_UUID) {
      if (s == null) {
        if (this.#sessions.size >= this.#maxSessions) {
          this.#reject(central, 'too many centrals')
          return false
        }
        s = { assembler: new PeerIdAssembler() }
        this.#sessions.set(central, s)
      }
      if (s.link != null) {
        this.#reject(central, 'peer id written on a connected link')
        return false
      }
      try {
        const id = s.assembler.push(data)
        if (id != null) s.remotePeerId = id
        return true
      } catch (err) {
        this.#reject(central, err instanceof Error ? err.message : 'bad peer id')
        return false
      }
    }
    if (charUuid === WRITER_CHAR_UUID) {
      if (s?.link == null) {
        this.#reject(central, 'data before the peer-id exchange')
        return false
      }
      s.link.deliver(data)
      return true
    }
    this.#reject(central, 'write to an unknown characteristic')
    return false
  }

  #reject(central: string, why: string): void {
    this.#log('warn', 'ble: dropping central', { reason: why })
    const s = this.#sessions.get(central)
    this.#sessions.delete(central)
    s?.link?.abort(new BleError('ERR_BLE_PROTOCOL', why))
    this.#backend.peripheral?.disconnect(central)
  }

  #onAdvertisement(ad: Advertisement): void {
    const local = this.#localPeerId
    if (local == null) return
    const now = Date.now()
    const cheap = ad.localName != null ? this.#peers.get(ad.localName) : undefined
    if (cheap != null) {
      cheap.lastSeen = now
      cheap.address = ad.address
      return
    }
    const id = advertisedPeerId(ad)
    if (id == null || id === local) return
    const known = this.#peers.get(id)
    if (known != null) {
      known.lastSeen = now
      known.address = ad.address
      return
    }
    if (this.#peers.size >= this.#maxPeers) {
      // A flood of forged advertisements must not grow memory or the log: count, log every 1000th.
      if (this.#droppedAdverts++ % 1000 === 0) this.#log('warn', 'ble: peer table full; ignoring new peers', { maxPeers: this.#maxPeers, dropped: this.#droppedAdverts })
      return
    }
    this.#peers.set(id, { address: ad.address, lastSeen: now })
    this.safeDispatchEvent('peer:found', { detail: { peerId: id } })
  }

  #sweepLost(): void {
    const cutoff = Date.now() - this.#lostAfterMs
    for (const [peerId, seen] of this.#peers) if (seen.lastSeen < cutoff) this.#lose(peerId)
  }

  #lose(peerId: string): void {
    if (!this.#peers.delete(peerId)) return
    this.safeDispatchEvent('peer:lost', { detail: { peerId } })
  }

  #dropAll(error: Error | undefined): void {
    for (const link of [...this.#links]) {
      if (error != null) link.abort(error)
      else void link.close()
    }
    this.#sessions.clear()
  }
}

/** The peer id a Berty advertisement carries: the local name (iOS) or `4240` service data (Android). */
export function advertisedPeerId(ad: Advertisement): string | undefined {
  let raw = ad.localName
  if (raw == null && ad.serviceData != null && ad.serviceData.length <= MAX_PEER_ID_BYTES) raw = utf8.decode(ad.serviceData)
  if (raw == null || raw.length > MAX_PEER_ID_BYTES) return undefined
  return isPeerIdString(raw) ? raw : undefined
}

async function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  signal.throwIfAborted()
  return await new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}
