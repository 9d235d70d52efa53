/**
 * The `/ble/<peer id>` multiaddr protocol as weshnet registers it (pkg/ble-driver/multiaddr.go): code
 * 0x0042, variable size, the value's bytes are the peer id *string* (not its multihash), and both the
 * string and the binary codec reject anything that is not a peer id. Registration is process-wide
 * (`@multiformats/multiaddr`'s registry) and idempotent.
 */
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr, registry, type Multiaddr } from '@multiformats/multiaddr'
import { BLE_PROTOCOL_CODE, BLE_PROTOCOL_NAME, MAX_PEER_ID_BYTES } from './constants'

const utf8 = new TextEncoder()
const fromUtf8 = new TextDecoder('utf-8', { fatal: true })

/** True when `s` is a peer id string we accept (bounded length, parses as a libp2p peer id). */
export function isPeerIdString(s: string): boolean {
  if (s.length === 0 || s.length > MAX_PEER_ID_BYTES) return false
  try {
    peerIdFromString(s)
    return true
  } catch {
    return false
  }
}

function checkPeerId(s: string): string {
  if (!isPeerIdString(s)) throw new TypeError(`/${BLE_PROTOCOL_NAME}: not a peer id`)
  return s
}

let registered = false

/** Adds `/ble` to the multiaddr registry (once per process). */
export function registerBleProtocol(): void {
  if (registered) return
  let known = false
  try {
    known = registry.getProtocol(BLE_PROTOCOL_CODE).name === BLE_PROTOCOL_NAME
  } catch {
    known = false
  }
  if (!known) {
    registry.addProtocol({
      code: BLE_PROTOCOL_CODE,
      name: BLE_PROTOCOL_NAME,
      size: -1,
      validate: (value: string) => void checkPeerId(value),
      valueToBytes: (value: string) => utf8.encode(checkPeerId(value)) as Uint8Array<ArrayBuffer>,
      bytesToValue: (bytes: Uint8Array) => checkPeerId(fromUtf8.decode(bytes))
    })
  }
  registered = true
}

/** `/ble/<peerId>` */
export function bleAddr(peerId: string): Multiaddr {
  registerBleProtocol()
  return multiaddr(`/${BLE_PROTOCOL_NAME}/${checkPeerId(peerId)}`)
}

/** The peer id of a `/ble/<id>[/p2p/<id>]` address, or undefined if it is not one (or the two ids differ). */
export function blePeerIdOf(ma: Multiaddr): string | undefined {
  const parts = ma.getComponents()
  const first = parts[0]
  if (first?.code !== BLE_PROTOCOL_CODE || first.value == null) return undefined
  if (parts.length === 1) return first.value
  if (parts.length === 2 && parts[1]?.name === 'p2p' && parts[1].value === first.value) return first.value
  return undefined
}

/**
 * weshnet's placeholder listen address (pkg/ble-driver/const.go `DefaultAddr`): listening on it means
 * "on `/ble/<our own id>`", which a config can name before the peer id is known.
 */
export const BLE_DEFAULT_LISTEN = `/${BLE_PROTOCOL_NAME}/Qmeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee`

/** Listen addresses: {@link BLE_DEFAULT_LISTEN} or `/ble/<our id>`. */
export function isBleListenAddr(ma: Multiaddr, localPeerId?: string): boolean {
  const parts = ma.getComponents()
  if (parts.length !== 1 || parts[0]?.code !== BLE_PROTOCOL_CODE) return false
  if (ma.toString() === BLE_DEFAULT_LISTEN) return true
  return localPeerId == null || parts[0].value === localPeerId
}
