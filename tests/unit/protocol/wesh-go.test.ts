/**
 * weshnet's own envelopes (tests/vectors/wesh-go.json, computed by tests/vectors/go from weshnet code)
 * opened with our crypto and the protons codec of weshnet's protocoltypes.proto (core/protocol/proto/wesh.ts),
 * and re-encoded byte for byte. This is what the groups engine must produce and accept.
 */
import { describe, expect, it } from 'vitest'
import * as c from '../../../core/crypto'
import { assertProtoWellFormed } from '../../../core/protocol/proto-check'
import { WeshDecodeError, decodeWesh } from '../../../core/protocol/wesh-codec'
import * as W from '../../../core/protocol/proto/wesh'
import vectors from '../../vectors/wesh-go.json'

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'))
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const inputs = vectors.groupInputs
const groups = inputs.groups as Record<string, { publicKey: string; secret: string; encoded: string }>

/** Codec per EventType name, as weshnet's events.go eventTypesMapper. */
const PAYLOADS: Record<string, { decode(b: Uint8Array): unknown; encode(m: never): Uint8Array }> = {
  EventTypeGroupMemberDeviceAdded: W.GroupMemberDeviceAdded,
  EventTypeGroupDeviceChainKeyAdded: W.GroupDeviceChainKeyAdded,
  EventTypeMultiMemberGroupAliasResolverAdded: W.MultiMemberGroupAliasResolverAdded,
  EventTypeMultiMemberGroupInitialMemberAnnounced: W.MultiMemberGroupInitialMemberAnnounced,
  EventTypeGroupMetadataPayloadSent: W.GroupMetadataPayloadSent,
  EventTypeContactAliasKeyAdded: W.ContactAliasKeyAdded,
  EventTypeAccountGroupJoined: W.AccountGroupJoined,
  EventTypeAccountGroupLeft: W.AccountGroupLeft,
  EventTypeAccountContactRequestDisabled: W.AccountContactRequestDisabled,
  EventTypeAccountContactRequestEnabled: W.AccountContactRequestEnabled,
  EventTypeAccountContactRequestReferenceReset: W.AccountContactRequestReferenceReset,
  EventTypeAccountContactRequestOutgoingEnqueued: W.AccountContactRequestOutgoingEnqueued,
  EventTypeAccountContactRequestOutgoingSent: W.AccountContactRequestOutgoingSent,
  EventTypeAccountContactRequestIncomingReceived: W.AccountContactRequestIncomingReceived,
  EventTypeAccountContactRequestIncomingDiscarded: W.AccountContactRequestIncomingDiscarded,
  EventTypeAccountContactRequestIncomingAccepted: W.AccountContactRequestIncomingAccepted,
  EventTypeAccountContactBlocked: W.AccountContactBlocked,
  EventTypeAccountContactUnblocked: W.AccountContactUnblocked
}

describe('GroupEnvelope per metadata event type (weshnet events.go sealGroupEnvelope)', () => {
  it('covers the group events the issue names and the account events', () => {
    const names = vectors.groupEnvelopes.map((e) => e.name)
    for (const n of ['MemberDeviceAdded', 'DeviceChainKeyAdded', 'AliasResolverAdded', 'InitialMemberAnnounced', 'GroupMetadataPayloadSent']) {
      expect(names).toContain(n)
    }
    expect(vectors.groupEnvelopes.find((e) => e.name === 'GroupMetadataPayloadSent')?.eventType).toBe(1001)
  })

  for (const v of vectors.groupEnvelopes) {
    it(`${v.name} (${v.eventType}) opens, verifies and re-encodes byte for byte`, () => {
      const group = groups[v.group] as (typeof groups)[string]
      const bytes = hex(v.envelope)
      assertProtoWellFormed(bytes)
      const env = W.GroupEnvelope.decode(bytes)
      expect(toHex(env.nonce)).toBe(v.nonce)
      const clear = c.secretboxOpenWithNonce(hex(group.secret), env.nonce, env.event)
      expect(toHex(clear)).toBe(v.groupMetadata)
      const meta = W.GroupMetadata.decode(clear)
      expect(meta.eventType).toBe(v.eventTypeName)
      expect(toHex(meta.payload)).toBe(v.payload)
      expect(meta.protocolMetadata).toEqual({})

      const codec = PAYLOADS[v.eventTypeName]
      expect(codec, v.eventTypeName).toBeDefined()
      const payload = codec?.decode(meta.payload)
      expect(toHex((codec as NonNullable<typeof codec>).encode(payload as never))).toBe(v.payload)

      const signer = v.signedBy === 'group' ? hex(group.publicKey) : hex(inputs.devicePk)
      expect(c.ed25519Verify(signer, meta.payload, meta.sig)).toBe(true)

      // Our encoder + our secretbox give Go's exact bytes.
      expect(toHex(W.GroupMetadata.encode(meta))).toBe(v.groupMetadata)
      const sealed = c.secretboxSealWithNonce(hex(group.secret), env.nonce, W.GroupMetadata.encode(meta))
      expect(toHex(W.GroupEnvelope.encode({ nonce: env.nonce, event: sealed }))).toBe(v.envelope)
    })
  }

  it('the DeviceChainKeyAdded payload opens for the destination member (chain_key.go box, nonce = groupPK[0:24])', () => {
    const g = groups.multi as (typeof groups)[string]
    const memberSecret = c.edSeedToX25519Secret(hex(inputs.destMemberSeed))
    const devicePub = c.edPublicToX25519Public(hex(inputs.devicePk))
    const clear = c.naclBoxOpenWithNonce(devicePub, memberSecret, hex(g.publicKey).subarray(0, 24), hex(inputs.deviceChainKeyBox))
    expect(toHex(clear)).toBe(inputs.deviceChainKey.encoded)
    const dck = W.DeviceChainKey.decode(clear)
    expect(toHex(dck.chainKey)).toBe(inputs.deviceChainKey.chainKey)
    expect(dck.counter).toBe(BigInt(inputs.deviceChainKey.counter))
  })

  it('the Group message (in AccountGroupJoined) round-trips', () => {
    const multi = inputs.groups.multi
    const g = W.Group.decode(hex(multi.encoded))
    expect(toHex(g.publicKey)).toBe(multi.publicKey)
    expect(toHex(c.groupLinkKey(g.secret, g.publicKey))).toBe(multi.linkKey)
    expect(c.ed25519Verify(g.publicKey, c.groupLinkKey(g.secret, g.publicKey), g.linkKeySig)).toBe(true)
    expect(toHex(W.Group.encode(g))).toBe(multi.encoded)
  })
})

describe('the first three MessageEnvelopes of a device chain (secret_store_messages.go SealEnvelope)', () => {
  const g = groups.multi as (typeof groups)[string]
  let chainKey = hex(inputs.deviceChainKey.chainKey)

  for (const [i, v] of vectors.messageEnvelopes.entries()) {
    it(`message ${i + 1}: counter ${v.counter}, ratchet, body and headers match`, () => {
      expect(toHex(chainKey)).toBe(v.chainKeyBefore)
      const step = c.deriveNextKeys(chainKey, hex(g.publicKey))
      expect(toHex(step.messageKey)).toBe(v.messageKey)

      const env = W.MessageEnvelope.decode(hex(v.envelope))
      expect(toHex(env.nonce)).toBe(v.headersNonce)
      const headersClear = c.secretboxOpenWithNonce(hex(g.secret), env.nonce, env.messageHeaders)
      expect(toHex(headersClear)).toBe(v.headers)
      const headers = W.MessageHeaders.decode(headersClear)
      expect(headers.counter).toBe(BigInt(v.counter))
      expect(toHex(headers.devicePk)).toBe(inputs.devicePk)

      const body = c.openMessageBody(step.messageKey, v.counter, env.message)
      expect(toHex(body)).toBe(v.encryptedMessage)
      expect(c.ed25519Verify(headers.devicePk, body, headers.sig)).toBe(true)
      expect(toHex(W.EncryptedMessage.decode(body).plaintext)).toBe(v.plaintext)

      // Byte-exact re-encoding with our codecs and crypto.
      expect(toHex(W.MessageHeaders.encode(headers))).toBe(v.headers)
      const again = W.MessageEnvelope.encode({
        messageHeaders: c.secretboxSealWithNonce(hex(g.secret), env.nonce, W.MessageHeaders.encode(headers)),
        message: c.sealMessageBody(step.messageKey, v.counter, body),
        nonce: env.nonce
      })
      expect(toHex(again)).toBe(v.envelope)
      chainKey = step.chainKey
    })
  }
})

describe('wesh.proto decoders tolerate unknown fields and reject what Go rejects', () => {
  it('skips an unknown field, refuses field number 0', () => {
    const env = hex((vectors.groupEnvelopes[0] as { envelope: string }).envelope)
    const withUnknown = new Uint8Array([...env, 0xf8, 0x07, 0x01]) // field 127, varint 1
    assertProtoWellFormed(withUnknown)
    expect(toHex(W.GroupEnvelope.decode(withUnknown).nonce)).toBe(toHex(W.GroupEnvelope.decode(env).nonce))
    expect(() => assertProtoWellFormed(new Uint8Array([...env, 0x00, 0x01]))).toThrow()
  })
})

describe('wesh decoders fuzzed: a typed WeshDecodeError, never a crash', () => {
  const samples: Array<[string, Parameters<typeof decodeWesh>[0], Uint8Array]> = [
    ...vectors.groupEnvelopes.slice(0, 6).map((v) => [`GroupEnvelope ${v.name}`, W.GroupEnvelope, hex(v.envelope)] as [string, Parameters<typeof decodeWesh>[0], Uint8Array]),
    ...vectors.groupEnvelopes.slice(0, 6).map((v) => [`GroupMetadata ${v.name}`, W.GroupMetadata, hex(v.groupMetadata)] as [string, Parameters<typeof decodeWesh>[0], Uint8Array]),
    ...vectors.messageEnvelopes.map((v) => [`MessageHeaders ${v.counter}`, W.MessageHeaders, hex(v.headers)] as [string, Parameters<typeof decodeWesh>[0], Uint8Array]),
    ['Group', W.Group, hex(inputs.groups.multi.encoded)],
    ['ShareableContact', W.ShareableContact, hex(vectors.contactRequest.shareableContact.encoded)]
  ]

  function survives(codec: Parameters<typeof decodeWesh>[0], bytes: Uint8Array, maxBytes?: number): void {
    try {
      decodeWesh(codec, bytes, maxBytes === undefined ? {} : { maxBytes })
    } catch (err) {
      expect(err).toBeInstanceOf(WeshDecodeError)
    }
  }

  for (const [name, codec, bytes] of samples) {
    it(name, () => {
      for (let n = 0; n < bytes.length; n++) survives(codec, bytes.subarray(0, n))
      for (let i = 0; i < bytes.length * 8; i++) {
        const m = bytes.slice()
        m[i >> 3] = (m[i >> 3] as number) ^ (1 << (i & 7))
        survives(codec, m)
      }
      expect(() => decodeWesh(codec, bytes, { maxBytes: bytes.length - 1 })).toThrow(WeshDecodeError)
    })
  }
})
