/**
 * Wire constants of Berty's BLE proximity transport. Provenance: berty/weshnet at
 * d735e1d4f7235c630dfa27d6cf8de4a7ee98fb87 — `pkg/ble-driver/const.go` (multiaddr code and name),
 * `pkg/ble-driver/BleManager_darwin.m` (GATT UUIDs, characteristic properties, PSM read value),
 * `pkg/ble-driver/BertyDevice_darwin.m` (EOD marker, L2CAP handshake sizes).
 */

/** Multiaddr protocol `/ble/<peer id>`: code 0x0042, variable size, value = the peer id string's UTF-8. */
export const BLE_PROTOCOL_CODE = 0x0042
export const BLE_PROTOCOL_NAME = 'ble'

/** Primary service advertised by every Berty device. */
export const BERTY_SERVICE_UUID = '00004240-0000-1000-8000-00805f9b34fb'
/** Peer-id characteristic: read | write. Central writes its id then `EOD`; a read returns PSM ‖ peripheral id. */
export const PEER_ID_CHAR_UUID = '00004241-0000-1000-8000-00805f9b34fb'
/** Writer characteristic: write (central → peripheral) | notify (peripheral → central). Carries raw libp2p bytes. */
export const WRITER_CHAR_UUID = '00004242-0000-1000-8000-00805f9b34fb'

/** 16-bit short forms, as noble and BlueZ report them. */
export const BERTY_SERVICE_UUID16 = '4240'

/** End-of-data marker written to the peer-id characteristic after the (chunked) peer id. */
export const EOD = new TextEncoder().encode('EOD')

/** ATT header bytes of a write request / notification: the usable payload is ATT_MTU − 3. */
export const ATT_HEADER_BYTES = 3
/** ATT_MTU every BLE link starts with (Bluetooth Core, Vol 3, Part F, 3.2.8). */
export const ATT_DEFAULT_MTU = 23
/** Largest ATT_MTU (512-byte attribute values + header). */
export const ATT_MAX_MTU = 517

/** L2CAP CoC: write buffer size and size of the random echo test (weshnet BertyDevice_darwin.m). */
export const L2CAP_BUFFER = 4096
export const L2CAP_HANDSHAKE_BYTES = 1024

/**
 * Longest peer id string we accept over the air. An Ed25519 id is 52 characters in base58btc
 * ("12D3Koo…"), an RSA-2048 one 46 ("Qm…"), a CIDv1 base32 form up to 62; anything near this cap is abuse.
 */
export const MAX_PEER_ID_BYTES = 128
