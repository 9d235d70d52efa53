import { describe, expect, it } from 'vitest'
import { memberKeyForGroup, secretboxOpenWithNonce, secretboxSealWithNonce } from '../../../../core/crypto'
import { signBytes } from '../../../../core/protocol/group/codec'
import {
  aliasBody,
  aliasResolver,
  contactGroup,
  createMultiMemberGroup,
  deviceSecretBody,
  groupFromInvitation,
  groupInfoBody,
  initMemberBody,
  memberDeviceBody,
  memberProfileBody,
  MetadataType,
  newSenderChain,
  openDeviceSecret,
  openMetadataEvent,
  sealMetadataEvent,
  shareableChainKey,
  verifyAliasProof,
  type MetadataEventBody
} from '../../../../core/protocol/group'
import { EventType, GroupEnvelope, GroupMetadata } from '../../../../core/protocol/proto/wesh'
import { expectGroupError, flipByte, newAccount, newDevice } from './helpers'

function setup() {
  const { secrets, groupSeed } = createMultiMemberGroup()
  const alice = newAccount()
  const aliceMember = memberKeyForGroup(alice.aliasSeed, secrets.groupPk)
  const device = newDevice()
  return { secrets, groupSeed, alice, aliceMember, device }
}

describe('metadata events', () => {
  it('seal/open round-trips every type', () => {
    const { secrets, groupSeed, alice, aliceMember, device } = setup()
    const bob = newAccount()
    const bobMember = memberKeyForGroup(bob.aliasSeed, secrets.groupPk)
    const chain = newSenderChain()
    const events: MetadataEventBody[] = [
      { type: MetadataType.INIT_MEMBER, body: initMemberBody(groupSeed, device.pk) },
      { type: MetadataType.MEMBER_DEVICE, body: memberDeviceBody(aliceMember.memberSeed, device.pk) },
      { type: MetadataType.DEVICE_SECRET, body: deviceSecretBody(device, bobMember.memberPk, shareableChainKey(chain), secrets.groupPk) },
      { type: MetadataType.ALIAS, body: aliasBody(alice.aliasSeed, secrets.groupPk, aliceMember.memberPk) },
      { type: MetadataType.APP_METADATA, body: groupInfoBody('Climbing club 🧗') },
      { type: MetadataType.APP_METADATA, body: memberProfileBody('Alice 🧗', 1_700_000_000_000) }
    ]
    for (const ev of events) {
      const sealed = sealMetadataEvent(secrets, device, ev)
      const opened = openMetadataEvent(secrets, sealed)
      expect(opened.type).toBe(ev.type)
      expect(opened.body).toEqual(ev.body)
      expect(opened.devicePk).toEqual(device.pk)
      expect(opened.sig.length).toBe(64)
    }
    // A member who joined through the invitation opens them too.
    const joined = groupFromInvitation({
      groupPk: secrets.groupPk,
      secret: secrets.secret,
      secretSig: secrets.secretSig as Uint8Array
    })
    expect(openMetadataEvent(joined, sealMetadataEvent(secrets, device, events[0] as MetadataEventBody)).type).toBe(302)
  })

  it('tampering anywhere → ERR_DECRYPT; another group → ERR_DECRYPT', () => {
    const { secrets, device } = setup()
    const sealed = sealMetadataEvent(secrets, device, { type: MetadataType.APP_METADATA, body: groupInfoBody('x') })
    // Nonce bytes (2..25) and box bytes (past the 2-byte header of the event field).
    for (const i of [2, 10, 25, 30, 40, sealed.length - 1]) {
      expectGroupError(() => openMetadataEvent(secrets, flipByte(sealed, i)), 'ERR_DECRYPT')
    }
    expectGroupError(() => openMetadataEvent(secrets, sealed.subarray(0, 20)), 'ERR_MALFORMED')
    expectGroupError(() => openMetadataEvent(createMultiMemberGroup().secrets, sealed), 'ERR_DECRYPT')
    expectGroupError(() => openMetadataEvent(secrets, new Uint8Array(100_000)), 'ERR_TOO_LARGE')
  })

  /** Re-seals a GroupMetadata with edits, as an insider holding the group secret could. */
  function reseal(secrets: ReturnType<typeof setup>['secrets'], sealed: Uint8Array, edit: (w: GroupMetadata) => void, raw?: (b: Uint8Array) => Uint8Array): Uint8Array {
    const env = GroupEnvelope.decode(sealed)
    const clear = secretboxOpenWithNonce(secrets.secret, env.nonce, env.event)
    const w = GroupMetadata.decode(clear)
    edit(w)
    const bytes = raw ? raw(GroupMetadata.encode(w)) : GroupMetadata.encode(w)
    return GroupEnvelope.encode({ nonce: env.nonce, event: secretboxSealWithNonce(secrets.secret, env.nonce, bytes) })
  }

  it('wrong signature → ERR_BAD_SIGNATURE (sig over the payload, by the payload device)', () => {
    const { secrets, device } = setup()
    const sealed = sealed0(secrets, device)
    const other = newDevice()
    expectGroupError(() => openMetadataEvent(secrets, reseal(secrets, sealed, (w) => { w.sig = flipByte(w.sig, 3) })), 'ERR_BAD_SIGNATURE')
    // Signed by another device than the one the payload names.
    expectGroupError(() => openMetadataEvent(secrets, reseal(secrets, sealed, (w) => { w.sig = signBytes(other.seed, w.payload) })), 'ERR_BAD_SIGNATURE')
    // The same payload under another group's secret opens (weshnet signs the payload only): the
    // signature still names and binds its own device, which the reducer must find in the group.
    const g2 = createMultiMemberGroup().secrets
    const env = GroupEnvelope.decode(sealed)
    const moved = GroupEnvelope.encode({ nonce: env.nonce, event: secretboxSealWithNonce(g2.secret, env.nonce, secretboxOpenWithNonce(secrets.secret, env.nonce, env.event)) })
    expect(openMetadataEvent(g2, moved).devicePk).toEqual(device.pk)
  })

  it('unsupported types, missing fields and broken protobuf → ERR_MALFORMED; unknown fields are skipped as Go does', () => {
    const { secrets, device } = setup()
    const sealed = sealed0(secrets, device)
    // A type weshnet knows but this engine does not carry (admin role granted).
    expectGroupError(() => openMetadataEvent(secrets, reseal(secrets, sealed, (w) => { w.eventType = EventType.EventTypeMultiMemberGroupAdminRoleGranted })), 'ERR_MALFORMED')
    // Relabelled as a member device event: its payload does not decode as one.
    expectGroupError(() => openMetadataEvent(secrets, reseal(secrets, sealed, (w) => { w.eventType = EventType.EventTypeGroupMemberDeviceAdded })), 'ERR_MALFORMED')
    expectGroupError(() => openMetadataEvent(secrets, reseal(secrets, sealed, (w) => { w.sig = new Uint8Array(0) })), 'ERR_MALFORMED')
    // An unknown field Go may add (field 15) is skipped, the event still opens.
    const extra = reseal(secrets, sealed, () => {}, (b) => new Uint8Array([...b, 0x78, 0x01]))
    expect(openMetadataEvent(secrets, extra).type).toBe(MetadataType.APP_METADATA)
    // Field number 0 is what Go refuses: so do we.
    expectGroupError(() => openMetadataEvent(secrets, reseal(secrets, sealed, () => {}, (b) => new Uint8Array([...b, 0x00, 0x01]))), 'ERR_MALFORMED')
    const env = GroupEnvelope.decode(sealed)
    const junk = GroupEnvelope.encode({ nonce: env.nonce, event: secretboxSealWithNonce(secrets.secret, env.nonce, new Uint8Array([0xff, 0xff])) })
    expectGroupError(() => openMetadataEvent(secrets, junk), 'ERR_MALFORMED')
  })

  function sealed0(secrets: ReturnType<typeof setup>['secrets'], device: ReturnType<typeof newDevice>): Uint8Array {
    return sealMetadataEvent(secrets, device, { type: MetadataType.APP_METADATA, body: groupInfoBody('club') })
  }

  it('INIT_MEMBER needs the Group ID signature and names the author device', () => {
    const { secrets, groupSeed, device } = setup()
    const forged = initMemberBody(newDevice().seed, device.pk)
    expectGroupError(() => sealMetadataEvent(secrets, device, { type: MetadataType.INIT_MEMBER, body: forged }), 'ERR_BAD_SIGNATURE')
    expectGroupError(() => sealMetadataEvent(secrets, device, { type: MetadataType.INIT_MEMBER, body: initMemberBody(groupSeed, newDevice().pk) }), 'ERR_MALFORMED')
  })

  it('MEMBER_DEVICE: memberSig by memberPk over the device key (as weshnet), for the author device only', () => {
    const { secrets, aliceMember, device } = setup()
    const other = newDevice()
    const good = memberDeviceBody(aliceMember.memberSeed, device.pk)
    expect(good.memberSig).toEqual(signBytes(aliceMember.memberSeed, device.pk))
    expectGroupError(() => sealMetadataEvent(secrets, device, {
      type: MetadataType.MEMBER_DEVICE, body: { ...good, memberSig: flipByte(good.memberSig, 0) }
    }), 'ERR_BAD_SIGNATURE')
    // A device cannot register another device.
    expectGroupError(() => sealMetadataEvent(secrets, other, { type: MetadataType.MEMBER_DEVICE, body: good }), 'ERR_MALFORMED')
    expectGroupError(() => sealMetadataEvent(secrets, { seed: other.seed, pk: device.pk }, { type: MetadataType.APP_METADATA, body: groupInfoBody('x') }), 'ERR_MALFORMED')
  })

  it('DEVICE_SECRET opens for every device of the addressed member, never for another member', () => {
    const { secrets } = setup()
    const bob = newAccount()
    const carol = newAccount()
    // Two devices of Bob's account derive the same member key independently.
    const bobOnPhone = memberKeyForGroup(bob.aliasSeed, secrets.groupPk)
    const bobOnLaptop = memberKeyForGroup(bob.aliasSeed, secrets.groupPk)
    expect(bobOnPhone.memberPk).toEqual(bobOnLaptop.memberPk)
    const carolMember = memberKeyForGroup(carol.aliasSeed, secrets.groupPk)

    const aliceDevice = newDevice()
    const chain = newSenderChain()
    const dck = shareableChainKey(chain)
    const sealed = sealMetadataEvent(secrets, aliceDevice, {
      type: MetadataType.DEVICE_SECRET,
      body: deviceSecretBody(aliceDevice, bobOnPhone.memberPk, dck, secrets.groupPk)
    })
    const ev = openMetadataEvent(secrets, sealed)
    if (ev.type !== MetadataType.DEVICE_SECRET) throw new Error('type')
    const gpk = secrets.groupPk
    expect(openDeviceSecret(ev.body, bobOnPhone.memberSeed, gpk)).toEqual(dck)
    expect(openDeviceSecret(ev.body, bobOnLaptop.memberSeed, gpk, bobOnLaptop.memberPk)).toEqual(dck)
    expectGroupError(() => openDeviceSecret(ev.body, carolMember.memberSeed, gpk), 'ERR_DECRYPT')
    expectGroupError(() => openDeviceSecret(ev.body, carolMember.memberSeed, gpk, carolMember.memberPk), 'ERR_NOT_ADDRESSED')
    // Re-addressing the box to Carol does not help her.
    expectGroupError(() => openDeviceSecret({ ...ev.body, receiverMemberPk: carolMember.memberPk }, carolMember.memberSeed, gpk), 'ERR_DECRYPT')
    // A box claimed by another sender device does not open; nor under another group's nonce.
    expectGroupError(() => openDeviceSecret({ ...ev.body, senderDevicePk: newDevice().pk }, bobOnPhone.memberSeed, gpk), 'ERR_DECRYPT')
    expectGroupError(() => openDeviceSecret(ev.body, bobOnPhone.memberSeed, createMultiMemberGroup().secrets.groupPk), 'ERR_DECRYPT')
    // The sender must be the author device.
    expectGroupError(() => sealMetadataEvent(secrets, newDevice(), { type: MetadataType.DEVICE_SECRET, body: ev.body }), 'ERR_MALFORMED')
  })

  it('read by a device: a chain key between two other devices is skipped before its signature; its own and those addressed to it are checked', () => {
    const { secrets } = setup()
    const [bob, carol] = [newAccount(), newAccount()]
    const [bobMember, carolMember] = [bob, carol].map((a) => memberKeyForGroup(a.aliasSeed, secrets.groupPk))
    const [aliceDevice, carolDevice] = [newDevice(), newDevice()]
    const toBob = sealMetadataEvent(secrets, aliceDevice, {
      type: MetadataType.DEVICE_SECRET,
      body: deviceSecretBody(aliceDevice, bobMember!.memberPk, shareableChainKey(newSenderChain()), secrets.groupPk)
    })
    const forged = reseal(secrets, toBob, (w) => { w.sig = flipByte(w.sig, 3) })
    // Carol reads Alice's key for Bob: nothing for her, even forged (state.ts ignores it).
    const carolReads = { devicePk: carolDevice.pk, memberPk: carolMember!.memberPk }
    expect(openMetadataEvent(secrets, toBob, carolReads)).toBeNull()
    expect(openMetadataEvent(secrets, forged, carolReads)).toBeNull()
    // Bob, the receiver, and Alice, the author, check it.
    const bobReads = { devicePk: newDevice().pk, memberPk: bobMember!.memberPk }
    expect(openMetadataEvent(secrets, toBob, bobReads)?.type).toBe(MetadataType.DEVICE_SECRET)
    expectGroupError(() => openMetadataEvent(secrets, forged, bobReads), 'ERR_BAD_SIGNATURE')
    expectGroupError(() => openMetadataEvent(secrets, forged, { devicePk: aliceDevice.pk, memberPk: carolMember!.memberPk }), 'ERR_BAD_SIGNATURE')
    // Other types are always checked.
    const other = reseal(secrets, sealed0(secrets, carolDevice), (w) => { w.sig = flipByte(w.sig, 3) })
    expectGroupError(() => openMetadataEvent(secrets, other, carolReads), 'ERR_BAD_SIGNATURE')
  })

  it('ALIAS: resolver = HMAC-SHA256(aliasPk, groupPk), proof verifies only for the right alias and group', () => {
    const { secrets, alice } = setup()
    const member = new Uint8Array(32).fill(5)
    const body = aliasBody(alice.aliasSeed, secrets.groupPk, member)
    expect(body.resolver).toEqual(aliasResolver(alice.aliasPk, secrets.groupPk))
    expect(verifyAliasProof(alice.aliasPk, secrets.groupPk, member, body.resolver, body.proof)).toBe(true)
    expect(verifyAliasProof(newAccount().aliasPk, secrets.groupPk, member, body.resolver, body.proof)).toBe(false)
    // Bound to the disclosing member: another member reposting it does not verify.
    expect(verifyAliasProof(alice.aliasPk, secrets.groupPk, new Uint8Array(32).fill(6), body.resolver, body.proof)).toBe(false)
    const g2 = createMultiMemberGroup().secrets
    expect(verifyAliasProof(alice.aliasPk, g2.groupPk, member, body.resolver, body.proof)).toBe(false)
    expect(verifyAliasProof(alice.aliasPk, secrets.groupPk, member, body.resolver, flipByte(body.proof, 1))).toBe(false)
    expect(verifyAliasProof(alice.aliasPk, secrets.groupPk, member, body.resolver, new Uint8Array(2))).toBe(false)
    // Scoped to the group: another group gets an unlinkable resolver.
    expect(aliasResolver(alice.aliasPk, g2.groupPk)).not.toEqual(body.resolver)
  })

  it('SetGroupInfo name caps', () => {
    const { secrets, device } = setup()
    expect(groupInfoBody('a'.repeat(64))).toMatchObject({ kind: 'group-info', name: 'a'.repeat(64) })
    expect(groupInfoBody('😀'.repeat(64))).toMatchObject({ name: '😀'.repeat(64) })
    expectGroupError(() => groupInfoBody('a'.repeat(65)), 'ERR_TOO_LARGE')
    expectGroupError(() => groupInfoBody('bad\nname'), 'ERR_MALFORMED')
    expectGroupError(() => groupInfoBody('\ud800'), 'ERR_MALFORMED')
    expectGroupError(() => sealMetadataEvent(secrets, device, { type: MetadataType.APP_METADATA, body: { kind: 'group-info', name: 'x'.repeat(100), sentAtMs: 0 } }), 'ERR_TOO_LARGE')
  })

  it('works for contact groups too', () => {
    const a = newAccount()
    const b = newAccount()
    const ga = contactGroup(a.accountSeed, b.accountPk)
    const gb = contactGroup(b.accountSeed, a.accountPk)
    const d = newDevice()
    const sealed = sealMetadataEvent(ga, d, { type: MetadataType.MEMBER_DEVICE, body: memberDeviceBody(a.accountSeed, d.pk) })
    expect(openMetadataEvent(gb, sealed).type).toBe(MetadataType.MEMBER_DEVICE)
  })
})

describe('SetUserInfo (member profile)', () => {
  it('refuses empty, oversized and control-character names', () => {
    expect(() => memberProfileBody('')).toThrow()
    expect(() => memberProfileBody('x'.repeat(65))).toThrow()
    expect(() => memberProfileBody('  ')).toThrow()
    expect(() => memberProfileBody('bad\u0007name')).toThrow()
    expect(() => memberProfileBody('evil\u202egnp.exe')).toThrow()
    expect(memberProfileBody('Bob')).toEqual({ kind: 'member-profile', displayName: 'Bob', sentAtMs: 0 })
  })
})
