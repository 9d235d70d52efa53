/**
 * A {@link BleLink} over one GATT connection: the central writes the writer characteristic, the
 * peripheral notifies it. Up to `window` sends are in flight (the backend queues them in order); a
 * failed send or a dropped connection ends the link with an error.
 */
import { BleError, type BleLink, type BleLinkCloseEvent } from './driver'

export interface GattLinkInit {
  remotePeerId: string
  direction: 'inbound' | 'outbound'
  mtu: number
  /** Sends one chunk over the radio. */
  sendRaw: (chunk: Uint8Array) => Promise<void>
  /** Tears the radio connection down. */
  disconnect: () => void
  /** Sends in flight before `send` waits. Default 16. */
  window?: number
  /** Bytes held for a link whose `onData` is not yet set. Default 256 KiB. */
  maxPending?: number
  /** The driver's bookkeeping hook, called when the link ends (before `onClose`). */
  onEnd?: () => void
}

export class GattLink implements BleLink {
  readonly remotePeerId: string
  readonly direction: 'inbound' | 'outbound'
  readonly mtu: number
  readonly path = 'gatt' as const
  onClose: ((event: BleLinkCloseEvent) => void) | undefined
  readonly #init: GattLinkInit
  readonly #window: number
  readonly #inFlight = new Set<Promise<void>>()
  #onData: ((chunk: Uint8Array) => void) | undefined
  #pending: Uint8Array[] = []
  #pendingBytes = 0
  #closed = false
  #error: Error | undefined
  #markEnded!: () => void
  readonly #ended = new Promise<void>((resolve) => {
    this.#markEnded = resolve
  })

  constructor(init: GattLinkInit) {
    this.#init = init
    this.remotePeerId = init.remotePeerId
    this.direction = init.direction
    this.mtu = init.mtu
    this.#window = init.window ?? 16
  }

  get closed(): boolean {
    return this.#closed
  }

  get onData(): ((chunk: Uint8Array) => void) | undefined {
    return this.#onData
  }

  set onData(fn: ((chunk: Uint8Array) => void) | undefined) {
    this.#onData = fn
    if (fn == null) return
    const pending = this.#pending
    this.#pending = []
    this.#pendingBytes = 0
    for (const c of pending) fn(c)
  }

  async send(chunk: Uint8Array): Promise<void> {
    if (this.#closed) throw this.#error ?? new BleError('ERR_BLE_LINK_CLOSED', 'link closed')
    if (chunk.length === 0) return
    if (chunk.length > this.mtu) throw new BleError('ERR_BLE_FRAME_TOO_LARGE', `chunk of ${chunk.length} bytes over MTU ${this.mtu}`)
    const p = this.#init.sendRaw(chunk).then(
      () => void this.#inFlight.delete(p),
      (err: unknown) => {
        this.#inFlight.delete(p)
        this.#end(err instanceof Error ? err : new BleError('ERR_BLE_LINK_CLOSED', String(err)), true)
      }
    )
    this.#inFlight.add(p)
    while (this.#inFlight.size >= this.#window && !this.#closed) await Promise.race([...this.#inFlight, this.#ended])
    if (this.#closed && this.#error != null) throw this.#error
  }

  /** Called by the driver for each chunk received on this link. */
  deliver(chunk: Uint8Array): void {
    if (this.#closed) return
    if (this.#onData != null) {
      this.#onData(chunk)
      return
    }
    this.#pendingBytes += chunk.length
    if (this.#pendingBytes > (this.#init.maxPending ?? 256 * 1024)) {
      this.abort(new BleError('ERR_BLE_PROTOCOL', 'too much data before the link was claimed'))
      return
    }
    this.#pending.push(chunk)
  }

  async close(): Promise<void> {
    if (this.#closed) return
    while (this.#inFlight.size > 0 && !this.#closed) await Promise.race([...this.#inFlight, this.#ended])
    this.#end(undefined, true)
  }

  abort(error: Error): void {
    this.#end(error, true)
  }

  /** Called by the driver when the radio connection ended (remote close or loss). */
  disconnected(error?: Error): void {
    this.#end(error, false)
  }

  #end(error: Error | undefined, local: boolean): void {
    if (this.#closed) return
    this.#closed = true
    this.#error = error
    this.#pending = []
    this.#markEnded()
    this.#init.onEnd?.()
    if (local) {
      try {
        this.#init.disconnect()
      } catch {
        // Already gone: the backend reports the disconnect through its own path.
      }
    }
    this.onClose?.(error != null ? { error } : {})
  }
}
