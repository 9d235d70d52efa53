/**
 * The groups engine's payload layer against weshnet's own bytes (tests/vectors/wesh-go.json, computed by
 * tests/vectors/go from weshnet's and berty's code): every GroupEnvelope and MessageEnvelope opens with
 * our open functions, and our seal functions, fed the same seeds and weshnet's nonces, give identical bytes.
 */
import { describe, expect, it } from 'vitest'
import { ed25519PublicFromSeed } from '../../../../core/crypto'
import {
  decodeAppMessage,
  encodeEncryptedMessage,
  groupInfoBody,
  groupSecretsFrom,
  initMemberBody,
  memberDeviceBody,
  memberProfileBody,
  MetadataType,
  openMessageHeaders,
  openMessageWithChain,
  openMetadataEvent,
  receiverChainFrom,
  sealMessage,
  sealMetadataEvent,
  deviceSecretBody,
  openDeviceSecret,
  type GroupKind,
  type GroupSecrets,
  type MetadataEventBody
} from '../../../../core/protocol/group'
import vectors from '../../../vectors/wesh-go.json'

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'))
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const inputs = vectors.groupInputs
const KIND: Record<string, GroupKind> = { multi: 'multi', account: 'account', contact: 'contact' }

function secretsOf(name: string): GroupSecrets {
  const g = (inputs.groups as Record<string, { publicKey: string; secret: string }>)[name]
  if (!g) throw new Error(name)
  return groupSecretsFrom(KIND[name] as GroupKind, hex(g.publicKey), hex(g.secret))
}

const device = { seed: hex(inputs.deviceSeed), pk: hex(inputs.devicePk) }
const multi = secretsOf('multi')

type Envelope = (typeof vectors.groupEnvelopes)[number] & { appMessage?: string; displayName?: string; sentDate?: number }

/** What our engine would write for each vector, built with our builders from the vector's seeds. */
function ours(v: Envelope): MetadataEventBody {
  const payload = hex(v.payload)
  switch (v.name) {
    case 'MemberDeviceAdded':
      return { type: MetadataType.MEMBER_DEVICE, body: memberDeviceBody(hex(inputs.memberSeed), device.pk) }
    case 'DeviceChainKeyAdded':
      return {
        type: MetadataType.DEVICE_SECRET,
        body: deviceSecretBody(device, hex(inputs.destMemberPk), { chainKey: hex(inputs.deviceChainKey.chainKey), counter: inputs.deviceChainKey.counter }, multi.groupPk)
      }
    case 'AliasResolverAdded':
      // weshnet's SendAliasProof: empty resolver and proof.
      return { type: MetadataType.ALIAS, body: { resolver: new Uint8Array(0), proof: new Uint8Array(0) } }
    case 'InitialMemberAnnounced':
      return { type: MetadataType.INIT_MEMBER, body: initMemberBody(hex(inputs.groupSeed), device.pk) }
    case 'GroupMetadataPayloadSent':
      return { type: MetadataType.APP_METADATA, body: { kind: 'other', message: new TextEncoder().encode('app metadata payload') } }
    case 'GroupMetadataPayloadSent/SetGroupInfo':
      return { type: MetadataType.APP_METADATA, body: groupInfoBody(v.displayName as string, v.sentDate) }
    case 'GroupMetadataPayloadSent/SetUserInfo':
      return { type: MetadataType.APP_METADATA, body: memberProfileBody(v.displayName as string, v.sentDate) }
    default:
      // Pass-through events: the weshnet payload as given.
      return { type: v.eventType, body: { payload } } as MetadataEventBody
  }
}

describe('metadata: every GroupEnvelope of weshnet opens, and ours are byte-identical', () => {
  it('covers the events the engine writes and the Berty app metadata', () => {
    const names = vectors.groupEnvelopes.map((v) => v.name)
    for (const n of ['MemberDeviceAdded', 'DeviceChainKeyAdded', 'InitialMemberAnnounced', 'GroupMetadataPayloadSent/SetGroupInfo', 'GroupMetadataPayloadSent/SetUserInfo']) {
      expect(names).toContain(n)
    }
  })

  for (const v of vectors.groupEnvelopes as Envelope[]) {
    it(`${v.name} (${v.eventType})`, () => {
      const secrets = secretsOf(v.group)
      const opened = openMetadataEvent(secrets, hex(v.envelope))
      expect(opened.type).toBe(v.eventType)
      expect(toHex(opened.sig)).toBe(v.sig)
      expect(toHex(opened.devicePk)).toBe(inputs.devicePk)

      const sealed = sealMetadataEvent(secrets, device, ours(v), { nonce: hex(v.nonce) })
      expect(toHex(sealed)).toBe(v.envelope)

      if (v.appMessage !== undefined) {
        if (opened.type !== MetadataType.APP_METADATA) throw new Error('type')
        const b = opened.body
        expect(b.kind).toBe(v.name.endsWith('SetGroupInfo') ? 'group-info' : 'member-profile')
        expect(b.kind === 'group-info' ? b.name : b.kind === 'member-profile' ? b.displayName : undefined).toBe(v.displayName)
      }
    })
  }

  it('the chain key Go boxed opens for the destination member with nonce groupPk[0:24]', () => {
    const v = vectors.groupEnvelopes.find((e) => e.name === 'DeviceChainKeyAdded') as Envelope
    const ev = openMetadataEvent(multi, hex(v.envelope))
    if (ev.type !== MetadataType.DEVICE_SECRET) throw new Error('type')
    expect(toHex(ev.body.box)).toBe(inputs.deviceChainKeyBox)
    const dck = openDeviceSecret(ev.body, hex(inputs.destMemberSeed), multi.groupPk, hex(inputs.destMemberPk))
    expect(toHex(dck.chainKey)).toBe(inputs.deviceChainKey.chainKey)
    expect(dck.counter).toBe(inputs.deviceChainKey.counter)
  })

  it('INIT_MEMBER is signed by the group key and names the creator device; MEMBER_DEVICE memberSig is over the device key alone', () => {
    const init = openMetadataEvent(multi, hex((vectors.groupEnvelopes.find((e) => e.name === 'InitialMemberAnnounced') as Envelope).envelope))
    if (init.type !== MetadataType.INIT_MEMBER) throw new Error('type')
    expect(toHex(init.body.memberPk)).toBe(inputs.devicePk)
    const md = openMetadataEvent(multi, hex((vectors.groupEnvelopes.find((e) => e.name === 'MemberDeviceAdded') as Envelope).envelope))
    if (md.type !== MetadataType.MEMBER_DEVICE) throw new Error('type')
    expect(toHex(md.body.memberPk)).toBe(toHex(ed25519PublicFromSeed(hex(inputs.memberSeed))))
  })
})

describe('messages: weshnet MessageEnvelopes open with our chain, and ours are byte-identical', () => {
  const startChain = { chainKey: hex(inputs.deviceChainKey.chainKey), counter: inputs.deviceChainKey.counter }

  it('Berty UserMessages (appMessageEnvelopes): counters 1, 2, 3 as Go numbers them; text and sent date', () => {
    let receiver = receiverChainFrom(startChain)
    let sender = { chainKey: hex(inputs.deviceChainKey.chainKey), counter: inputs.deviceChainKey.counter }
    for (const v of vectors.appMessageEnvelopes) {
      const h = openMessageHeaders(multi, hex(v.envelope))
      expect(h.counter + 1).toBe(v.counter)
      expect(toHex(h.devicePk)).toBe(inputs.devicePk)
      const opened = openMessageWithChain(multi.groupPk, h, receiver)
      expect(opened.payload).toEqual({ appType: 1, text: v.text, sentAtMs: v.sentDate })
      receiver = opened.chain

      const sealed = sealMessage(multi, device, sender, { text: v.text, sentAtMs: v.sentDate }, { nonce: hex(v.headersNonce) })
      expect(sealed.counter + 1).toBe(v.counter)
      expect(toHex(sealed.sealed)).toBe(v.envelope)
      sender = sealed.next
    }
  })

  it('raw plaintexts (messageEnvelopes): headers, ratchet and body open; identical bytes from the same EncryptedMessage', () => {
    let receiver = receiverChainFrom(startChain)
    let sender = { chainKey: hex(inputs.deviceChainKey.chainKey), counter: inputs.deviceChainKey.counter }
    for (const v of vectors.messageEnvelopes) {
      const h = openMessageHeaders(multi, hex(v.envelope))
      expect(h.counter + 1).toBe(v.counter)
      // Not an AppMessage: opened and verified, carried as "nothing to show" (no text).
      const opened = openMessageWithChain(multi.groupPk, h, receiver)
      expect(opened.payload.text).toBeUndefined()
      receiver = opened.chain
      expect(toHex(encodeEncryptedMessage(hex(v.plaintext)))).toBe(v.encryptedMessage)
      const sealed = sealMessage(multi, device, sender, { text: '', sentAtMs: 0 }, { nonce: hex(v.headersNonce), plaintext: hex(v.encryptedMessage) })
      expect(toHex(sealed.sealed)).toBe(v.envelope)
      sender = sealed.next
    }
  })

  it('decodeAppMessage reads what berty MarshalPayload wrote', () => {
    const v = vectors.appMessageEnvelopes[0] as (typeof vectors.appMessageEnvelopes)[number]
    expect(decodeAppMessage(hex(v.appMessage))).toEqual({ appType: 1, text: v.text, sentAtMs: v.sentDate })
  })
})
