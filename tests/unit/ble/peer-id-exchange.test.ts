/**
 * The GATT peer-id exchange and `/ble` multiaddr against weshnet's own definitions
 * (berty/weshnet d735e1d4f7235c630dfa27d6cf8de4a7ee98fb87):
 * - pkg/ble-driver/const.go: ProtocolCode = 0x0042, ProtocolName = "ble",
 *   DefaultAddr = "/ble/Qmeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee";
 * - pkg/ble-driver/multiaddr.go: Size -1 (varint length), value bytes = []byte(peerIDString);
 * - BleManager_darwin.m: SERVICE_UUID 00004240-…, PEER_ID_UUID 00004241-…, WRITER_UUID 00004242-…;
 *   the read value is NSSwapHostIntToBig(psm) (4 bytes) followed by the local PID's UTF-8;
 * - BertyDevice_darwin.m: the id is written in chunks of maximumWriteValueLength, then "EOD".
 */
import { multiaddr } from '@multiformats/multiaddr'
import { describe, expect, it } from 'vitest'
import { BERTY_SERVICE_UUID, BLE_PROTOCOL_CODE, EOD, PEER_ID_CHAR_UUID, WRITER_CHAR_UUID } from '../../../core/net/ble/constants'
import { BLE_DEFAULT_LISTEN, bleAddr, blePeerIdOf, registerBleProtocol } from '../../../core/net/ble/multiaddr'
import { PeerIdAssembler, decodePeerIdReadValue, encodePeerIdReadValue, peerIdWrites } from '../../../core/net/ble/peer-id-exchange'

const PID = '12D3KooWQYvQFXnEWKQJFZBo5gYPw1ziswMvLg3Hk7k6AptMANNa'
const utf8 = new TextEncoder()

describe('weshnet wire constants', () => {
  it('match const.go and BleManager_darwin.m', () => {
    expect(BLE_PROTOCOL_CODE).toBe(0x0042)
    expect(BLE_DEFAULT_LISTEN).toBe('/ble/Qmeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee')
    expect(BERTY_SERVICE_UUID).toBe('00004240-0000-1000-8000-00805F9B34FB'.toLowerCase())
    expect(PEER_ID_CHAR_UUID).toBe('00004241-0000-1000-8000-00805F9B34FB'.toLowerCase())
    expect(WRITER_CHAR_UUID).toBe('00004242-0000-1000-8000-00805F9B34FB'.toLowerCase())
    expect(new TextDecoder().decode(EOD)).toBe('EOD')
  })

  it('encodes /ble/<id> as varint(0x42) ‖ varint(len) ‖ the id string, like go-multiaddr with multiaddr.go', () => {
    registerBleProtocol()
    const ma = bleAddr(PID)
    const id = utf8.encode(PID)
    expect([...ma.bytes]).toEqual([0x42, id.length, ...id])
    expect(multiaddr(ma.bytes).toString()).toBe(`/ble/${PID}`)
    expect(blePeerIdOf(multiaddr(`/ble/${PID}/p2p/${PID}`))).toBe(PID)
    expect(() => multiaddr('/ble/not-a-peer-id')).toThrow()
  })
})

describe('peer-id exchange', () => {
  it('writes the id in MTU-sized chunks then EOD', () => {
    const writes = peerIdWrites(PID, 20)
    expect(writes.slice(0, -1).every((w) => w.length <= 20)).toBe(true)
    expect(Buffer.concat(writes.slice(0, -1)).toString()).toBe(PID)
    expect(writes.at(-1)).toEqual(EOD)
  })

  it('assembles the id on EOD and rejects overlong or invalid ids', () => {
    const a = new PeerIdAssembler()
    let got: string | undefined
    for (const w of peerIdWrites(PID, 20)) got = a.push(w) ?? got
    expect(got).toBe(PID)
    const b = new PeerIdAssembler()
    expect(() => {
      for (let i = 0; i < 20; i++) b.push(new Uint8Array(20).fill(0x41))
    }).toThrow(/longer than/)
    const c = new PeerIdAssembler()
    c.push(utf8.encode('garbage'))
    expect(() => c.push(EOD)).toThrow(/does not parse/)
  })

  it('read value: big-endian PSM then the id, as didReceiveReadRequest builds it', () => {
    const v = encodePeerIdReadValue(0x0081, PID)
    expect([...v.subarray(0, 4)]).toEqual([0, 0, 0, 0x81])
    expect(Buffer.from(v.subarray(4)).toString()).toBe(PID)
    expect(decodePeerIdReadValue(v)).toEqual({ psm: 0x81, peerId: PID })
    // iOS reads it with stringWithUTF8String: a trailing NUL is tolerated.
    expect(decodePeerIdReadValue(new Uint8Array([...v, 0])).peerId).toBe(PID)
    expect(() => decodePeerIdReadValue(new Uint8Array(3))).toThrow()
    expect(() => decodePeerIdReadValue(new Uint8Array([0, 0, 0, 0, ...utf8.encode('x'.repeat(200))]))).toThrow()
  })
})
