/**
 * The GATT peer-id exchange of weshnet's BLE driver, as pure codecs (berty/weshnet
 * d735e1d4f7235c630dfa27d6cf8de4a7ee98fb87, pkg/ble-driver/BertyDevice_darwin.m `handshake`,
 * `writeToCharacteristic:withEOD:`, `handlePeerID:`; BleManager_darwin.m `didReceiveReadRequest:`):
 *
 * 1. the central writes its peer id (UTF-8) to the peer-id characteristic in chunks of at most
 *    ATT_MTU − 3 bytes, each a write-with-response, then one more write of the 3 bytes `EOD`;
 * 2. the central reads the peer-id characteristic: 4-byte big-endian L2CAP PSM (0 = none) ‖ the
 *    peripheral's peer id (UTF-8). The peripheral refuses the read until step 1 completed;
 * 3. the central subscribes to the writer characteristic; from then on the writer carries raw bytes.
 *
 * Claims: every accumulated byte is capped ({@link MAX_PEER_ID_BYTES}); ids are validated as libp2p peer
 * ids before anyone sees them. Disclaims: the id is a claim; the Noise handshake over the link proves it.
 */
import { BleError } from './driver'
import { EOD, MAX_PEER_ID_BYTES } from './constants'
import { isPeerIdString } from './multiaddr'

const utf8 = new TextEncoder()
const fromUtf8 = new TextDecoder('utf-8', { fatal: true })

/** The writes of step 1: the id in `maxPayload`-byte chunks, then `EOD`. */
export function peerIdWrites(localPeerId: string, maxPayload: number): Uint8Array[] {
  if (!Number.isInteger(maxPayload) || maxPayload < EOD.length) {
    throw new RangeError(`maxPayload must be an integer ≥ ${EOD.length}, got ${maxPayload}`)
  }
  const bytes = utf8.encode(localPeerId)
  const out: Uint8Array[] = []
  for (let i = 0; i < bytes.length; i += maxPayload) out.push(bytes.subarray(i, i + maxPayload))
  out.push(EOD.slice())
  return out
}

function isEod(chunk: Uint8Array): boolean {
  return chunk.length === EOD.length && chunk.every((b, i) => b === EOD[i])
}

/**
 * Peripheral side of step 1: accumulates writes until `EOD`. `push` returns the peer id once complete,
 * `undefined` while more is expected, and throws {@link BleError} `ERR_BLE_HANDSHAKE` on overflow or an
 * invalid id (the caller rejects the write and drops the central, as weshnet does).
 */
export class PeerIdAssembler {
  #chunks: Uint8Array[] = []
  #length = 0

  push(chunk: Uint8Array): string | undefined {
    if (isEod(chunk)) {
      const all = new Uint8Array(this.#length)
      let o = 0
      for (const c of this.#chunks) {
        all.set(c, o)
        o += c.length
      }
      this.#chunks = []
      this.#length = 0
      let id: string
      try {
        id = fromUtf8.decode(all)
      } catch (err) {
        throw new BleError('ERR_BLE_HANDSHAKE', 'peer id is not UTF-8', { cause: err })
      }
      if (!isPeerIdString(id)) throw new BleError('ERR_BLE_HANDSHAKE', 'peer id does not parse')
      return id
    }
    this.#length += chunk.length
    if (this.#length > MAX_PEER_ID_BYTES) {
      this.#chunks = []
      this.#length = 0
      throw new BleError('ERR_BLE_HANDSHAKE', `peer id longer than ${MAX_PEER_ID_BYTES} bytes`)
    }
    this.#chunks.push(chunk.slice())
    return undefined
  }
}

/** Step 2's read value: PSM (u32 big-endian) ‖ UTF-8 peer id. */
export function encodePeerIdReadValue(psm: number, localPeerId: string): Uint8Array {
  if (!Number.isInteger(psm) || psm < 0 || psm > 0xffff) throw new RangeError(`psm must be 0..65535, got ${psm}`)
  const id = utf8.encode(localPeerId)
  const out = new Uint8Array(4 + id.length)
  new DataView(out.buffer).setUint32(0, psm, false)
  out.set(id, 4)
  return out
}

export function decodePeerIdReadValue(value: Uint8Array): { psm: number; peerId: string } {
  if (value.length < 5 || value.length > 4 + MAX_PEER_ID_BYTES) {
    throw new BleError('ERR_BLE_HANDSHAKE', `peer-id read value of ${value.length} bytes`)
  }
  const psm = new DataView(value.buffer, value.byteOffset, value.byteLength).getUint32(0, false)
  // weshnet reads the id with stringWithUTF8String (NUL-terminated); tolerate one trailing NUL.
  let idBytes = value.subarray(4)
  if (idBytes[idBytes.length - 1] === 0) idBytes = idBytes.subarray(0, -1)
  let peerId: string
  try {
    peerId = fromUtf8.decode(idBytes)
  } catch (err) {
    throw new BleError('ERR_BLE_HANDSHAKE', 'peer id is not UTF-8', { cause: err })
  }
  if (!isPeerIdString(peerId)) throw new BleError('ERR_BLE_HANDSHAKE', 'peer id does not parse')
  if (psm > 0xffff) throw new BleError('ERR_BLE_HANDSHAKE', `PSM ${psm} out of range`)
  return { psm, peerId }
}
