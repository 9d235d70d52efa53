/**
 * A libp2p 3 `MultiaddrConnection` over one {@link BleLink} (the shape of `@libp2p/memory`'s
 * pushable-to-conn.ts): raw bytes only — the upgrader runs Noise and yamux on top.
 *
 * Chunking: `maxMessageSize = link.mtu`, so the abstract stream hands `sendData` MTU-sized chunks.
 * Ordering: one pump sends chunks one after another. Back-pressure: `sendData` reports `canSendMore =
 * false` above {@link HIGH_WATER} queued bytes and 'drain' is dispatched below {@link LOW_WATER}.
 * A link that dies closes this connection with its error (streams on it error); a clean remote
 * disconnect closes it cleanly. GATT has no half-close, so closing our write side closes the link.
 */
import { AbstractMultiaddrConnection } from '@libp2p/utils'
import type { AbortOptions, Logger } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { Uint8ArrayList } from 'uint8arraylist'
import type { SendResult } from '@libp2p/utils'
import type { BleLink } from './driver'

/** Small on purpose: at 100 kB/s every queued KiB is 10 ms of delay for every other stream. */
export const HIGH_WATER = 16 * 1024
export const LOW_WATER = 4 * 1024

export interface BleConnectionInit {
  link: BleLink
  remoteAddr: Multiaddr
  localAddr?: Multiaddr
  log: Logger
  /** Close after this long without traffic. Default: libp2p's. */
  inactivityTimeout?: number
}

export class BleMultiaddrConnection extends AbstractMultiaddrConnection {
  readonly link: BleLink
  #queue: Uint8Array[] = []
  #queuedBytes = 0
  #pumping = false
  #idle: Array<() => void> = []

  constructor(init: BleConnectionInit) {
    super({
      remoteAddr: init.remoteAddr,
      ...(init.localAddr != null ? { localAddr: init.localAddr } : {}),
      direction: init.link.direction,
      log: init.log,
      maxMessageSize: init.link.mtu,
      ...(init.inactivityTimeout != null ? { inactivityTimeout: init.inactivityTimeout } : {})
    })
    this.link = init.link
    init.link.onData = (chunk) => {
      if (this.status === 'open' || this.status === 'closing') this.onData(chunk)
    }
    init.link.onClose = ({ error }) => {
      this.#queue = []
      this.#queuedBytes = 0
      this.#settleIdle()
      if (error != null) this.abort(error)
      else this.onTransportClosed()
    }
  }

  sendData(data: Uint8ArrayList): SendResult {
    for (const buf of data) {
      // Copy: the caller may reuse its buffers once sendData returns.
      this.#queue.push(buf.slice())
      this.#queuedBytes += buf.byteLength
    }
    void this.#pump()
    return { sentBytes: data.byteLength, canSendMore: this.#queuedBytes < HIGH_WATER }
  }

  async #pump(): Promise<void> {
    if (this.#pumping) return
    this.#pumping = true
    try {
      for (let chunk = this.#queue.shift(); chunk != null; chunk = this.#queue.shift()) {
        await this.link.send(chunk)
        this.#queuedBytes -= chunk.byteLength
        if (this.writableNeedsDrain && this.#queuedBytes < LOW_WATER) this.safeDispatchEvent('drain')
      }
    } catch (err) {
      this.abort(err instanceof Error ? err : new Error(String(err)))
    } finally {
      this.#pumping = false
      if (this.#queue.length === 0) this.#settleIdle()
    }
  }

  #settleIdle(): void {
    const waiters = this.#idle
    this.#idle = []
    for (const w of waiters) w()
  }

  async sendClose(options?: AbortOptions): Promise<void> {
    if (this.#pumping || this.#queue.length > 0) {
      await new Promise<void>((resolve, reject) => {
        const onAbort = (): void => reject(options?.signal?.reason)
        options?.signal?.addEventListener('abort', onAbort, { once: true })
        this.#idle.push(() => {
          options?.signal?.removeEventListener('abort', onAbort)
          resolve()
        })
      })
    }
    await this.link.close()
  }

  sendReset(err: Error): void {
    this.link.abort(err)
  }

  sendPause(): void {
    // GATT has no flow control for the reader; the read buffer cap (maxReadBufferLength) bounds memory.
  }

  sendResume(): void {}
}
