/**
 * The group payload openers fuzzed with truncated, oversized and bit-flipped inputs at every layer:
 * the outer envelope (what anyone on the network can send), the clear GroupMetadata / MessageHeaders
 * re-sealed with the group secret (what a member can send), and the payload / plaintext re-signed
 * by the device (what a member device can send). Always a GroupProtocolError or a valid event,
 * never another exception.
 */
import { describe, expect, it } from 'vitest'
import { deriveNextKeys, ed25519Sign, sealMessageBody, secretboxOpenWithNonce, secretboxSealWithNonce } from '../../../../core/crypto'
import {
  GroupProtocolError,
  groupSecretsFrom,
  openMessageHeaders,
  openMessageWithChain,
  openMetadataEvent,
  receiverChainFrom,
  type GroupSecrets
} from '../../../../core/protocol/group'
import { GroupEnvelope, GroupMetadata, MessageEnvelope, MessageHeaders } from '../../../../core/protocol/proto/wesh'
import vectors from '../../../vectors/wesh-go.json'

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'))
const inputs = vectors.groupInputs
const groups = inputs.groups as Record<string, { publicKey: string; secret: string }>
const KIND = { multi: 'multi', account: 'account', contact: 'contact' } as const
const secretsOf = (name: string): GroupSecrets => {
  const g = groups[name] as { publicKey: string; secret: string }
  return groupSecretsFrom(KIND[name as keyof typeof KIND], hex(g.publicKey), hex(g.secret))
}
const multi = secretsOf('multi')
const deviceSeed = hex(inputs.deviceSeed)

/** Every truncation and every single-bit flip of `bytes`. */
function* mutations(bytes: Uint8Array): Generator<Uint8Array> {
  for (let n = 0; n < bytes.length; n++) yield bytes.subarray(0, n)
  for (let i = 0; i < bytes.length * 8; i++) {
    const m = bytes.slice()
    m[i >> 3] = (m[i >> 3] as number) ^ (1 << (i & 7))
    yield m
  }
}

function survives(fn: () => unknown): void {
  try {
    fn()
  } catch (err) {
    if (!(err instanceof GroupProtocolError)) throw err
    expect(err.name).toBe('GroupProtocolError')
  }
}

describe('openMetadataEvent fuzzed', () => {
  const picked = vectors.groupEnvelopes.filter((v) =>
    ['MemberDeviceAdded', 'DeviceChainKeyAdded', 'InitialMemberAnnounced', 'GroupMetadataPayloadSent/SetUserInfo', 'AccountGroupJoined', 'ContactAliasKeyAdded'].includes(v.name)
  )

  for (const v of picked) {
    it(`${v.name}: envelope, clear GroupMetadata, device-signed payload`, () => {
      const secrets = secretsOf(v.group)
      const env = hex(v.envelope)
      for (const m of mutations(env)) survives(() => openMetadataEvent(secrets, m))
      expect(() => openMetadataEvent(secrets, new Uint8Array(70_000))).toThrow(GroupProtocolError)

      const { nonce } = GroupEnvelope.decode(env)
      const reseal = (clear: Uint8Array): Uint8Array => GroupEnvelope.encode({ nonce, event: secretboxSealWithNonce(secrets.secret, nonce, clear) })
      for (const m of mutations(hex(v.groupMetadata))) survives(() => openMetadataEvent(secrets, reseal(m)))

      const meta = GroupMetadata.decode(hex(v.groupMetadata))
      for (const p of mutations(meta.payload)) {
        const sig = v.signedBy === 'group' ? ed25519Sign(hex(inputs.groupSeed), p) : ed25519Sign(deviceSeed, p)
        survives(() => openMetadataEvent(secrets, reseal(GroupMetadata.encode({ ...meta, payload: p, sig }))))
      }
    })
  }
})

describe('message openers fuzzed', () => {
  const v = vectors.appMessageEnvelopes[0] as (typeof vectors.appMessageEnvelopes)[number]
  const chain = { chainKey: hex(inputs.deviceChainKey.chainKey), counter: inputs.deviceChainKey.counter }
  const open = (sealed: Uint8Array): unknown => openMessageWithChain(multi.groupPk, openMessageHeaders(multi, sealed), receiverChainFrom(chain))

  it('envelope, clear headers, device-signed plaintext', () => {
    const env = hex(v.envelope)
    expect(open(env)).toMatchObject({ payload: { text: v.text } })
    for (const m of mutations(env)) survives(() => open(m))
    expect(() => openMessageHeaders(multi, new Uint8Array(70_000))).toThrow(GroupProtocolError)

    const e = MessageEnvelope.decode(env)
    const clearHeaders = secretboxOpenWithNonce(multi.secret, e.nonce, e.messageHeaders)
    for (const m of mutations(clearHeaders)) {
      survives(() => open(MessageEnvelope.encode({ ...e, messageHeaders: secretboxSealWithNonce(multi.secret, e.nonce, m) })))
    }

    // A member device sending malformed plaintexts: body re-encrypted with the right key, re-signed.
    const { messageKey } = deriveNextKeys(chain.chainKey, multi.groupPk)
    const h = MessageHeaders.decode(clearHeaders)
    for (const p of mutations(hex(v.encryptedMessage))) {
      const headers = MessageHeaders.encode({ ...h, sig: ed25519Sign(deviceSeed, p) })
      const sealed = MessageEnvelope.encode({
        nonce: e.nonce,
        messageHeaders: secretboxSealWithNonce(multi.secret, e.nonce, headers),
        message: sealMessageBody(messageKey, 1, p)
      })
      survives(() => open(sealed))
    }
  })
})
