/**
 * Wire compatibility of the discovery codecs: our protons codecs against protobufjs reading the verbatim
 * upstream schemas (tests/vectors/upstream, provenance in tests/vectors/README.md), both directions.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import protobuf from 'protobufjs'
import { describe, expect, it } from 'vitest'
import { tinder } from '../../../core/net/discovery/proto/records'
import { rendezvous } from '../../../core/net/discovery/proto/rendezvous'

const upstream = (name: string): protobuf.Root =>
  protobuf.parse(readFileSync(fileURLToPath(new URL(`../../vectors/upstream/${name}`, import.meta.url)), 'utf8'), { keepCase: true }).root

const rdv = upstream('rendezvous.proto')
const GoMessage = rdv.lookupType('rendezvous.pb.Message')
const rec = upstream('records.proto')
const GoRecords = rec.lookupType('tinder.Records')

const id = Uint8Array.from([0x00, 0x24, 0x08, 0x01, 0x12, 0x20, ...new Uint8Array(32).fill(7)])
const addr = Uint8Array.from([0x04, 10, 213, 1, 2, 0x06, 0x0f, 0xa1])

describe('discovery wire format', () => {
  it('REGISTER, DISCOVER_RESPONSE and DISCOVER_SUBSCRIBE encode as go-libp2p-rendezvous pb.Message', () => {
    const cases: Array<{ ours: rendezvous.Message; go: Record<string, unknown> }> = [
      {
        ours: { type: rendezvous.Message.MessageType.REGISTER, register: { ns: 'point', peer: { id, addrs: [addr, addr] }, ttl: 7200n } },
        go: { register: { ns: 'point', peer: { id, addrs: [addr, addr] }, ttl: 7200 } }
      },
      {
        ours: {
          type: rendezvous.Message.MessageType.DISCOVER_RESPONSE,
          discoverResponse: { registrations: [{ ns: '', peer: { id, addrs: [addr] }, ttl: 60n }], cookie: new Uint8Array(40).fill(1), status: rendezvous.Message.ResponseStatus.OK, statusText: '' }
        },
        go: { type: 4, discoverResponse: { registrations: [{ peer: { id, addrs: [addr] }, ttl: 60 }], cookie: new Uint8Array(40).fill(1) } }
      },
      {
        ours: {
          type: rendezvous.Message.MessageType.DISCOVER_SUBSCRIBE_RESPONSE,
          discoverSubscribeResponse: { subscriptionType: '', subscriptionDetails: '', status: rendezvous.Message.ResponseStatus.E_INTERNAL_ERROR, statusText: 'subscription type not found' }
        },
        go: { type: 101, discoverSubscribeResponse: { status: 300, statusText: 'subscription type not found' } }
      }
    ]
    // Go's proto3 marshalling omits zero values (REGISTER = 0, OK = 0); protobufjs writes what it is given,
    // so the `go` objects leave zeros out.
    for (const c of cases) {
      const goBytes = new Uint8Array(GoMessage.encode(GoMessage.fromObject(c.go)).finish())
      expect(Buffer.from(rendezvous.Message.encode(c.ours)).toString('hex')).toBe(Buffer.from(goBytes).toString('hex'))
      expect(rendezvous.Message.decode(goBytes)).toEqual(c.ours)
    }
  })

  it('RegistrationRecord (DISCOVER_SUBSCRIBE pushes) encodes as go-libp2p-rendezvous pb.RegistrationRecord', () => {
    const GoRecord = rdv.lookupType('rendezvous.pb.RegistrationRecord')
    const ours: rendezvous.RegistrationRecord = { id: '12D3KooWKRyzVWW6ChFjQjK4miCty85Niy49tpPV95XdKu1BcvMA', addrs: [addr], ns: 'point', ttl: 1_780_000_000_123n }
    const goBytes = new Uint8Array(GoRecord.encode(GoRecord.fromObject({ ...ours, ttl: 1_780_000_000_123 })).finish())
    expect(Buffer.from(rendezvous.RegistrationRecord.encode(ours)).toString('hex')).toBe(Buffer.from(goBytes).toString('hex'))
    expect(rendezvous.RegistrationRecord.decode(goBytes)).toEqual(ours)
  })

  it('local records encode as weshnet tinder.Records', () => {
    const ours: tinder.Records = { records: [{ cid: 'cG9pbnQ=', expire: 1_780_000_000n }, { cid: 'b3RoZXI=', expire: 1n }] }
    const goBytes = new Uint8Array(GoRecords.encode(GoRecords.fromObject({ records: [{ cid: 'cG9pbnQ=', expire: 1_780_000_000 }, { cid: 'b3RoZXI=', expire: 1 }] })).finish())
    expect(Buffer.from(tinder.Records.encode(ours)).toString('hex')).toBe(Buffer.from(goBytes).toString('hex'))
    expect(tinder.Records.decode(goBytes)).toEqual(ours)
  })
})
