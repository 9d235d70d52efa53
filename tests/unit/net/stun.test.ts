/**
 * The STUN Binding responder (core/net/stun.ts) against RFC 5769's sample IPv4 response (§2.2): the
 * XOR-MAPPED-ADDRESS bytes for 192.0.2.1:32853 and the transaction id come from the RFC, not from our code.
 * FINGERPRINT is checked as RFC 8489 §14.7 defines it (CRC-32 of the message before it, XOR 0x5354554e).
 */
import { createSocket } from 'node:dgram'
import { crc32 } from 'node:zlib'
import { multiaddr } from '@multiformats/multiaddr'
import { describe, expect, it } from 'vitest'
import { StunServer, stunBindingResponse, stunUrlsOf } from '../../../core/net/stun'

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex')
// RFC 5769 §2.2: transaction id and the XOR-MAPPED-ADDRESS attribute of the sample IPv4 response.
const TXID = hex('b7 e7 a7 01 bc 34 d6 86 fa 87 df ae')
const RFC_XOR_MAPPED = hex('00 20 00 08 00 01 a1 47 e1 12 a6 43')

function request(txid: Buffer, extra = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(20)
  head.writeUInt16BE(0x0001, 0)
  head.writeUInt16BE(extra.length, 2)
  head.writeUInt32BE(0x2112a442, 4)
  txid.copy(head, 8)
  return Buffer.concat([head, extra])
}

describe('STUN binding responder', () => {
  it('answers a Binding request with the RFC 5769 XOR-MAPPED-ADDRESS and a valid FINGERPRINT', () => {
    // A SOFTWARE attribute in the request (as clients send) changes nothing in the answer.
    const res = stunBindingResponse(request(TXID, hex('80 22 00 04 74 65 73 74')), '192.0.2.1', 32853)!
    expect(res.readUInt16BE(0)).toBe(0x0101)
    expect(res.readUInt16BE(2)).toBe(res.length - 20)
    expect(res.subarray(8, 20)).toEqual(TXID)
    expect(res.subarray(20, 32)).toEqual(RFC_XOR_MAPPED)
    expect(res.readUInt16BE(32)).toBe(0x8028)
    expect(res.readUInt32BE(36)).toBe((crc32(res.subarray(0, 32)) ^ 0x5354554e) >>> 0)
  })

  it('ignores what is not a well-formed Binding request', () => {
    const ok = request(TXID)
    expect(stunBindingResponse(ok.subarray(0, 19), '192.0.2.1', 1)).toBeUndefined()
    const wrongType = Buffer.from(ok)
    wrongType.writeUInt16BE(0x0101, 0)
    expect(stunBindingResponse(wrongType, '192.0.2.1', 1)).toBeUndefined()
    const wrongCookie = Buffer.from(ok)
    wrongCookie.writeUInt32BE(0x2112a443, 4)
    expect(stunBindingResponse(wrongCookie, '192.0.2.1', 1)).toBeUndefined()
    const badLength = Buffer.from(ok)
    badLength.writeUInt16BE(4, 2)
    expect(stunBindingResponse(badLength, '192.0.2.1', 1)).toBeUndefined()
    expect(stunBindingResponse(request(TXID, Buffer.alloc(600)), '192.0.2.1', 1)).toBeUndefined()
  })

  it('serves over UDP and rate-limits each source', async () => {
    const server = new StunServer({ perSourcePerSecond: 3 })
    const port = 20_000 + Math.floor(Math.random() * 20_000)
    await server.serve('127.0.0.1', port)
    const client = createSocket('udp4')
    const answers: Buffer[] = []
    client.on('message', (m) => answers.push(m))
    await new Promise<void>((r) => client.bind(0, '127.0.0.1', r))
    for (let i = 0; i < 6; i++) client.send(request(TXID), port, '127.0.0.1')
    await new Promise((r) => setTimeout(r, 300))
    const clientPort = client.address().port
    client.close()
    server.close()
    expect(answers.length).toBe(3)
    expect(server.refused).toBe(3)
    const mapped = answers[0]!
    expect(mapped.readUInt16BE(26) ^ 0x2112).toBe(clientPort)
    expect((mapped.readUInt32BE(28) ^ 0x2112a442) >>> 0).toBe(0x7f000001)
  })

  it('derives STUN URLs from relay addresses only (never a third party)', () => {
    expect(stunUrlsOf([
      multiaddr('/ip4/11.213.0.1/tcp/4001/p2p/12D3KooWHFrmLWTTDD4NodngtRMEVYgxrsDMp4F9kAbV3eyYQ7ZK'),
      multiaddr('/ip4/11.213.0.1/tcp/4001/p2p/12D3KooWHFrmLWTTDD4NodngtRMEVYgxrsDMp4F9kAbV3eyYQ7ZK/p2p-circuit'),
      multiaddr('/dns4/relay.example/tcp/4001')
    ])).toEqual(['stun:11.213.0.1:4001'])
  })
})
