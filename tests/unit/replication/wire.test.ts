// The replication request on the wire is weshnet's: our codec's bytes decode with weshnet's own
// message definitions (protobufjs over the .proto text below, copied from berty/weshnet
// api/protocol/replicationtypes/bertyreplication.proto and api/protocol/protocoltypes.proto,
// commit 4aa7314e05a89e97358102149dd30eae4fa67234), and weshnet's bytes decode with ours.
import protobuf from 'protobufjs'
import { describe, expect, it } from 'vitest'
import { randomBytes } from '../../../core/crypto'
import { decodeReply, decodeRequest, encodeReply, encodeRequest } from '../../../core/net/replication'

const WESHNET_PROTO = `
syntax = "proto3";
package weshnet.replication.v1;
enum GroupType { GroupTypeUndefined = 0; GroupTypeAccount = 1; GroupTypeContact = 2; GroupTypeMultiMember = 3; }
message Group {
  bytes public_key = 1;
  bytes secret = 2;
  bytes secret_sig = 3;
  GroupType group_type = 4;
  bytes sign_pub = 5;
  bytes link_key = 6;
  bytes link_key_sig = 7;
}
message ReplicationServiceReplicateGroup {
  message Request { Group group = 1; }
  message Reply { bool ok = 1; }
}
`
const root = protobuf.parse(WESHNET_PROTO, { keepCase: true }).root
const Request = root.lookupType('weshnet.replication.v1.ReplicationServiceReplicateGroup.Request')
const Reply = root.lookupType('weshnet.replication.v1.ReplicationServiceReplicateGroup.Reply')

describe('replication wire format', () => {
  const keys = { groupPk: randomBytes(32), signPub: randomBytes(32), linkKey: randomBytes(32), linkKeySig: randomBytes(64) }

  it("our request is weshnet's ReplicateGroup.Request (the token rides in an extension field)", () => {
    const bytes = encodeRequest({ ...keys, token: 'a.b.c' })
    const msg = Request.toObject(Request.decode(bytes), { bytes: Array }) as { group: Record<string, number[]> }
    expect(msg.group).toEqual({
      public_key: [...keys.groupPk],
      sign_pub: [...keys.signPub],
      link_key: [...keys.linkKey],
      link_key_sig: [...keys.linkKeySig]
    })
  })

  it("weshnet's request (filtered group, no token) decodes with ours; a secret is refused", () => {
    const group = { public_key: keys.groupPk, sign_pub: keys.signPub, link_key: keys.linkKey, link_key_sig: keys.linkKeySig, group_type: 3 }
    // protobufjs writes Node Buffers; the stream layer hands us plain Uint8Arrays.
    const bytes = new Uint8Array(Request.encode(Request.create({ group })).finish())
    const decoded = decodeRequest(bytes)
    expect({ ...decoded, groupPk: new Uint8Array(decoded.groupPk), signPub: new Uint8Array(decoded.signPub), linkKey: new Uint8Array(decoded.linkKey), linkKeySig: new Uint8Array(decoded.linkKeySig!) }).toEqual({ ...keys, token: '' })
    const leaking = Request.encode(Request.create({ group: { ...group, secret: randomBytes(32) } })).finish()
    expect(() => decodeRequest(leaking)).toThrow(/secret/)
  })

  it("replies: weshnet's ok decodes as ok; our refusal is a not-ok reply to weshnet", () => {
    expect(decodeReply(Reply.encode(Reply.create({ ok: true })).finish())).toEqual({ ok: true })
    const refusal = encodeReply({ ok: false, code: 'ERR_TOKEN_EXPIRED', message: 'the token has expired' })
    expect(Reply.toObject(Reply.decode(refusal))).toEqual({})
    expect(decodeReply(refusal)).toEqual({ ok: false, code: 'ERR_TOKEN_EXPIRED', message: 'the token has expired' })
  })
})
