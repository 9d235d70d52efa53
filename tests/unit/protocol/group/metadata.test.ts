import { describe, expect, it } from 'vitest'
import { concatBytes, memberKeyForGroup, secretboxOpen, secretboxSeal } from '../../../../core/crypto'
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
  memberLeaveBody,
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
import { MetadataEventWire } from '../../../../core/protocol/proto/group'
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
      { type: MetadataType.INIT_MEMBER, body: initMemberBody(groupSeed, aliceMember.memberPk) },
      { type: MetadataType.MEMBER_DEVICE, body: memberDeviceBody(secrets.groupPk, aliceMember.memberSeed, device.pk) },
      { type: MetadataType.DEVICE_SECRET, body: deviceSecretBody(device, bobMember.memberPk, shareableChainKey(chain)) },
      { type: MetadataType.ALIAS, body: aliasBody(alice.aliasSeed, secrets.groupPk, aliceMember.memberPk) },
      { type: MetadataType.GROUP_INFO, body: groupInfoBody('Climbing club 🧗') },
      { type: MetadataType.MEMBER_LEAVE, body: memberLeaveBody(device.pk) },
      { type: MetadataType.MEMBER_PROFILE, body: memberProfileBody('Alice 🧗') }
    ]
    for (const ev of events) {
      const sealed = sealMetadataEvent(secrets, device, ev)
      const opened = openMetadataEvent(secrets, sealed)
      expect(opened.type).toBe(ev.type)
      expect(opened.body).toEqual(ev.body)
      expect(opened.devicePk).toEqual(device.pk)
      expect(opened.deviceSig.length).toBe(64)
    }
    // A member who joined through the invitation opens them too.
    const joined = groupFromInvitation({
      groupPk: secrets.groupPk,
      secret: secrets.secret,
      secretSig: secrets.secretSig as Uint8Array
    })
    expect(openMetadataEvent(joined, sealMetadataEvent(secrets, device, events[0] as MetadataEventBody)).type).toBe(1)
  })

  it('tampering anywhere → ERR_DECRYPT; another group → ERR_DECRYPT', () => {
    const { secrets, device } = setup()
    const sealed = sealMetadataEvent(secrets, device, { type: MetadataType.GROUP_INFO, body: groupInfoBody('x') })
    for (const i of [0, 10, 24, 30, sealed.length - 1]) {
      expectGroupError(() => openMetadataEvent(secrets, flipByte(sealed, i)), 'ERR_DECRYPT')
    }
    expectGroupError(() => openMetadataEvent(secrets, sealed.subarray(0, 20)), 'ERR_DECRYPT')
    expectGroupError(() => openMetadataEvent(createMultiMemberGroup().secrets, sealed), 'ERR_DECRYPT')
    expectGroupError(() => openMetadataEvent(secrets, new Uint8Array(100_000)), 'ERR_TOO_LARGE')
  })

  /** Re-seals a wire event with edits, as an insider holding the group secret could. */
  function reseal(secrets: ReturnType<typeof setup>['secrets'], sealed: Uint8Array, edit: (w: MetadataEventWire) => void): Uint8Array {
    const w = MetadataEventWire.decode(secretboxOpen(secrets.secret, sealed))
    edit(w)
    return secretboxSeal(secrets.secret, MetadataEventWire.encode(w))
  }

  it('wrong device signature → ERR_BAD_SIGNATURE', () => {
    const { secrets, device } = setup()
    const sealed = sealMetadataEvent(secrets, device, { type: MetadataType.GROUP_INFO, body: groupInfoBody('club') })
    const other = newDevice()
    expectGroupError(() => openMetadataEvent(secrets, reseal(secrets, sealed, (w) => { w.devicePk = other.pk as Uint8Array<ArrayBuffer> })), 'ERR_BAD_SIGNATURE')
    expectGroupError(() => openMetadataEvent(secrets, reseal(secrets, sealed, (w) => { w.deviceSig = flipByte(w.deviceSig, 3) as Uint8Array<ArrayBuffer> })), 'ERR_BAD_SIGNATURE')
    // The signature binds the type: GROUP_INFO bytes relabelled as another type fail.
    const relabelled = reseal(secrets, sealed, (w) => { w.type = MetadataType.MEMBER_LEAVE })
    expectGroupError(() => openMetadataEvent(secrets, relabelled), 'ERR_BAD_SIGNATURE')
    // And the group: the same wire under another group's secret fails the signature.
    const g2 = createMultiMemberGroup().secrets
    const moved = secretboxSeal(g2.secret, secretboxOpen(secrets.secret, sealed))
    expectGroupError(() => openMetadataEvent(g2, moved), 'ERR_BAD_SIGNATURE')
  })

  it('unknown types, non-canonical bytes and missing fields → ERR_MALFORMED', () => {
    const { secrets, device } = setup()
    // A validly signed event of an unknown type (a later version) is malformed here.
    const unknownType = reseal(secrets, sealed0(secrets, device), (w) => {
      w.type = 99
      w.deviceSig = signBytes(device.seed, concatBytes(new TextEncoder().encode('berty/meta/v1'), secrets.groupPk, new Uint8Array([0, 0, 0, 99]), w.body)) as Uint8Array<ArrayBuffer>
    })
    expectGroupError(() => openMetadataEvent(secrets, unknownType), 'ERR_MALFORMED')
    const sealed = sealMetadataEvent(secrets, device, { type: MetadataType.GROUP_INFO, body: groupInfoBody('club') })
    expectGroupError(() => openMetadataEvent(secrets, reseal(secrets, sealed, (w) => { w.type = 99 })), 'ERR_BAD_SIGNATURE')
    expectGroupError(() => openMetadataEvent(secrets, reseal(secrets, sealed, (w) => { w.devicePk = new Uint8Array(0) })), 'ERR_MALFORMED')
    const wire = secretboxOpen(secrets.secret, sealed)
    const extra = secretboxSeal(secrets.secret, new Uint8Array([...wire, 0x48, 0x01]))
    expectGroupError(() => openMetadataEvent(secrets, extra), 'ERR_MALFORMED')
    expectGroupError(() => openMetadataEvent(secrets, secretboxSeal(secrets.secret, new Uint8Array([0xff, 0xff]))), 'ERR_MALFORMED')
  })

  function sealed0(secrets: ReturnType<typeof setup>['secrets'], device: ReturnType<typeof newDevice>): Uint8Array {
    return sealMetadataEvent(secrets, device, { type: MetadataType.GROUP_INFO, body: groupInfoBody('club') })
  }

  it('INIT_MEMBER needs the Group ID signature', () => {
    const { secrets, aliceMember, device } = setup()
    const forged = initMemberBody(newDevice().seed, aliceMember.memberPk)
    expectGroupError(() => sealMetadataEvent(secrets, device, { type: MetadataType.INIT_MEMBER, body: forged }), 'ERR_BAD_SIGNATURE')
  })

  it('MEMBER_DEVICE: memberSig by memberPk over groupPk ‖ devicePk, for the author device only', () => {
    const { secrets, aliceMember, device } = setup()
    const other = newDevice()
    const good = memberDeviceBody(secrets.groupPk, aliceMember.memberSeed, device.pk)
    expectGroupError(() => sealMetadataEvent(secrets, device, {
      type: MetadataType.MEMBER_DEVICE, body: { ...good, memberSig: flipByte(good.memberSig, 0) }
    }), 'ERR_BAD_SIGNATURE')
    // Another group's member device entry does not verify here.
    const g2 = createMultiMemberGroup().secrets
    expectGroupError(() => sealMetadataEvent(secrets, device, {
      type: MetadataType.MEMBER_DEVICE, body: memberDeviceBody(g2.groupPk, aliceMember.memberSeed, device.pk)
    }), 'ERR_BAD_SIGNATURE')
    // A device cannot register another device.
    expectGroupError(() => sealMetadataEvent(secrets, other, { type: MetadataType.MEMBER_DEVICE, body: good }), 'ERR_MALFORMED')
    expectGroupError(() => sealMetadataEvent(secrets, { seed: other.seed, pk: device.pk }, { type: MetadataType.GROUP_INFO, body: { name: 'x' } }), 'ERR_MALFORMED')
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
      body: deviceSecretBody(aliceDevice, bobOnPhone.memberPk, dck)
    })
    const ev = openMetadataEvent(secrets, sealed)
    if (ev.type !== MetadataType.DEVICE_SECRET) throw new Error('type')
    expect(openDeviceSecret(ev.body, bobOnPhone.memberSeed)).toEqual(dck)
    expect(openDeviceSecret(ev.body, bobOnLaptop.memberSeed, bobOnLaptop.memberPk)).toEqual(dck)
    expectGroupError(() => openDeviceSecret(ev.body, carolMember.memberSeed), 'ERR_DECRYPT')
    expectGroupError(() => openDeviceSecret(ev.body, carolMember.memberSeed, carolMember.memberPk), 'ERR_NOT_ADDRESSED')
    // Re-addressing the box to Carol does not help her.
    expectGroupError(() => openDeviceSecret({ ...ev.body, receiverMemberPk: carolMember.memberPk }, carolMember.memberSeed), 'ERR_DECRYPT')
    // A box claimed by another sender device does not open.
    expectGroupError(() => openDeviceSecret({ ...ev.body, senderDevicePk: newDevice().pk }, bobOnPhone.memberSeed), 'ERR_DECRYPT')
    // The sender must be the author device.
    expectGroupError(() => sealMetadataEvent(secrets, newDevice(), { type: MetadataType.DEVICE_SECRET, body: ev.body }), 'ERR_MALFORMED')
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

  it('GROUP_INFO name caps and MEMBER_LEAVE author rule', () => {
    const { secrets, device } = setup()
    expect(groupInfoBody('a'.repeat(64)).name.length).toBe(64)
    expect(groupInfoBody('😀'.repeat(64)).name.length).toBe(128)
    expectGroupError(() => groupInfoBody('a'.repeat(65)), 'ERR_TOO_LARGE')
    expectGroupError(() => groupInfoBody('bad\nname'), 'ERR_MALFORMED')
    expectGroupError(() => groupInfoBody('\ud800'), 'ERR_MALFORMED')
    expectGroupError(() => sealMetadataEvent(secrets, device, { type: MetadataType.GROUP_INFO, body: { name: 'x'.repeat(100) } }), 'ERR_TOO_LARGE')
    expectGroupError(() => sealMetadataEvent(secrets, device, { type: MetadataType.MEMBER_LEAVE, body: memberLeaveBody(newDevice().pk) }), 'ERR_MALFORMED')
  })

  it('works for contact groups too', () => {
    const a = newAccount()
    const b = newAccount()
    const ga = contactGroup(a.accountSeed, b.accountPk)
    const gb = contactGroup(b.accountSeed, a.accountPk)
    const d = newDevice()
    const sealed = sealMetadataEvent(ga, d, { type: MetadataType.MEMBER_DEVICE, body: memberDeviceBody(ga.groupPk, a.accountSeed, d.pk) })
    expect(openMetadataEvent(gb, sealed).type).toBe(MetadataType.MEMBER_DEVICE)
  })
})

describe('MEMBER_PROFILE', () => {
  it('refuses empty, oversized and control-character names', () => {
    expect(() => memberProfileBody('')).toThrow()
    expect(() => memberProfileBody('x'.repeat(65))).toThrow()
    expect(() => memberProfileBody('  ')).toThrow()
    expect(() => memberProfileBody('bad\u0007name')).toThrow()
    expect(() => memberProfileBody('evil\u202egnp.exe')).toThrow()
    expect(memberProfileBody('Bob')).toEqual({ displayName: 'Bob' })
  })
})
