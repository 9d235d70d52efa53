/**
 * The radio driver seam of the BLE transport (after weshnet `pkg/proximitytransport/proximitydriver.go`).
 *
 * A driver owns the radio: it advertises the local peer id, scans for other Berty devices, runs the GATT
 * peer-id exchange and hands the transport *links*: ordered, reliable byte pipes to one identified peer,
 * carrying at most `mtu` bytes per `send`. Everything above (chunking, back-pressure, the libp2p
 * connection and its Noise + yamux upgrade) is the transport's job.
 *
 * weshnet's driver is peer-keyed (`SendToPeer(pid)`); ours hands out link objects so that one link is one
 * libp2p connection and a link's death is that connection's death, with no map lookups in between.
 *
 * Disclaims: a link's `remotePeerId` is what the other side *claimed* over the air; only the Noise
 * handshake run over the link proves it (the upgrader checks it against the dialled `/ble/<id>`).
 */
import type { TypedEventTarget } from '@libp2p/interface'

/** What the hardware and OS let this driver do. */
export interface BleCapabilities {
  /** Can scan and connect to peripherals (noble). */
  central: boolean
  /** Can advertise and serve the Berty GATT service (bleno, BlueZ D-Bus). */
  peripheral: boolean
  /** Can open/accept L2CAP connection-oriented channels. */
  l2cap: boolean
}

export type BleState = 'unsupported' | 'powered-off' | 'unauthorized' | 'ready'

/** An honest status line for the Network panel: `reason` says why it is not `ready`. */
export interface BleStatus {
  state: BleState
  reason?: string
}

export interface BlePeerEvent {
  peerId: string
}

export interface BleDriverEvents {
  /** A Berty device advertising `peerId` is in range (repeats are suppressed until it is lost). */
  'peer:found': CustomEvent<BlePeerEvent>
  /** Not heard from for a while, or the radio went down. */
  'peer:lost': CustomEvent<BlePeerEvent>
  /** A remote device completed the peer-id exchange with us as peripheral: a new inbound link. */
  link: CustomEvent<BleLink>
  status: CustomEvent<BleStatus>
}

export interface BleDriver extends TypedEventTarget<BleDriverEvents> {
  /** Short name for logs and the status line, e.g. `sim`, `noble+bluez`. */
  readonly name: string
  readonly capabilities: BleCapabilities
  status(): BleStatus
  /** Powers the radio role(s) up and starts advertising `localPeerId` and scanning. */
  start(localPeerId: string): Promise<void>
  /** Stops advertising and scanning and closes every link. */
  stop(): Promise<void>
  /** Connects (as central) to the device advertising `peerId` and runs the peer-id exchange. */
  dial(peerId: string, options?: { signal?: AbortSignal }): Promise<BleLink>
}

export interface BleLinkCloseEvent {
  /** Set when the link died (radio loss, remote reset, protocol violation) rather than closed cleanly. */
  error?: Error
}

/** One GATT (or L2CAP) connection to one peer, after the peer-id exchange. */
export interface BleLink {
  readonly remotePeerId: string
  readonly direction: 'inbound' | 'outbound'
  /** Largest `send` payload, in bytes (ATT_MTU − 3 over GATT). */
  readonly mtu: number
  /** `l2cap` when the bytes go over an L2CAP CoC channel, else `gatt`. */
  readonly path: 'gatt' | 'l2cap'
  /**
   * Queues `chunk` (≤ `mtu` bytes). Resolves once the radio has room for more; rejects if the link is
   * closed. Chunks arrive in order, or the link closes.
   */
  send(chunk: Uint8Array): Promise<void>
  /** Receives each arriving chunk, in order. Set once, before any data can arrive (the transport does). */
  onData: ((chunk: Uint8Array) => void) | undefined
  /** Called once when the link ends, with `error` unless the close was clean. */
  onClose: ((event: BleLinkCloseEvent) => void) | undefined
  /** Delivers everything queued, then disconnects. */
  close(): Promise<void>
  /** Disconnects now; queued bytes are dropped. */
  abort(error: Error): void
}

/** Errors raised by BLE drivers and the transport; `code` is stable. */
export type BleErrorCode =
  | 'ERR_BLE_UNSUPPORTED'
  | 'ERR_BLE_NOT_STARTED'
  | 'ERR_BLE_PEER_NOT_FOUND'
  | 'ERR_BLE_HANDSHAKE'
  | 'ERR_BLE_LINK_CLOSED'
  | 'ERR_BLE_FRAME_TOO_LARGE'
  | 'ERR_BLE_PROTOCOL'
  | 'ERR_BLE_TIMEOUT'

export class BleError extends Error {
  static readonly NAME = 'BleError'
  override readonly name = BleError.NAME
  readonly code: BleErrorCode

  constructor(code: BleErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
  }
}
