import { describe, expect, it } from 'vitest'
import { contactGroupKeys, wipe } from '../../../../core/crypto'
import {
  accountGroup,
  aliasBody,
  applyMetadataEvent,
  applyMetadataEvents,
  contactAliasIndex,
  contactGroup,
  createGroupState,
  createMultiMemberGroup,
  deviceSecretBody,
  groupInfoBody,
  initMemberBody,
  keyId,
  memberAliasMatches,
  memberDeviceBody,
  memberOfDevice,
  memberProfileBody,
  MetadataType,
  newSenderChain,
  openMessageHeaders,
  openMessageWithChain,
  openMetadataEvent,
  receiverChainFrom,
  sealMessage,
  sealMetadataEvent,
  shareableChainKey,
  type DeviceChainKey,
  type GroupEffect,
  type GroupSecrets,
  type GroupState,
  type Me,
  type MetadataEvent,
  type MetadataEventBody,
  type SenderChain
} from '../../../../core/protocol/group'
import { AccountContactRequestDisabled, GroupReplicating } from '../../../../core/protocol/proto/wesh'
import { meFor, newAccount, newDevice, shuffle, type TestAccount, type TestDevice } from './helpers'

/** One device in the simulation: its own view of the shared metadata log. */
interface SimDevice {
  name: string
  account: TestAccount
  device: TestDevice
  me: Me
  chain: SenderChain
  initial: DeviceChainKey
  state: GroupState
  cursor: number
  received: Map<string, DeviceChainKey>
  rejected: string[]
  joined: boolean
}

/**
 * A shared, totally ordered metadata log (what OrbitDB's Lamport order gives every replica) and
 * devices that post entries and replay the log, acting on the reducer's effects.
 */
class Sim {
  readonly log: Uint8Array[] = []
  private opened: MetadataEvent[] = []
  readonly devices: SimDevice[] = []

  constructor(readonly secrets: GroupSecrets) {}

  addDevice(name: string, account: TestAccount): SimDevice {
    const device = newDevice()
    const chain = newSenderChain()
    const d: SimDevice = {
      name,
      account,
      device,
      me: meFor(account, device, this.secrets),
      chain,
      initial: shareableChainKey(chain),
      state: createGroupState(this.secrets),
      cursor: 0,
      received: new Map(),
      rejected: [],
      joined: false
    }
    this.devices.push(d)
    return d
  }

  post(d: SimDevice, event: MetadataEventBody): void {
    this.log.push(sealMetadataEvent(this.secrets, d.device, event))
  }

  join(d: SimDevice): void {
    this.post(d, { type: MetadataType.MEMBER_DEVICE, body: memberDeviceBody(d.me.memberSeed, d.device.pk) })
    d.joined = true
  }

  private event(i: number): MetadataEvent {
    let ev = this.opened[i]
    if (ev === undefined) {
      ev = openMetadataEvent(this.secrets, this.log[i] as Uint8Array)
      this.opened[i] = ev
    }
    return ev
  }

  /** Applies every entry the device has not seen; returns how many entries it posted. */
  sync(d: SimDevice): number {
    let posted = 0
    while (d.cursor < this.log.length) {
      const { state, effects } = applyMetadataEvent(d.state, this.event(d.cursor), d.me, this.secrets)
      d.state = state
      d.cursor++
      posted += this.act(d, effects)
    }
    return posted
  }

  private act(d: SimDevice, effects: GroupEffect[]): number {
    let posted = 0
    for (const e of effects) {
      if (e.type === 'send-secret') {
        this.post(d, { type: MetadataType.DEVICE_SECRET, body: deviceSecretBody(d.device, e.toMemberPk, shareableChainKey(d.chain), this.secrets.groupPk) })
        posted++
      } else if (e.type === 'chain-key') {
        expect(d.received.has(keyId(e.devicePk))).toBe(false)
        d.received.set(keyId(e.devicePk), { chainKey: e.chainKey, counter: e.counter })
      } else if (e.type === 'rejected') {
        d.rejected.push(e.reason)
      }
    }
    return posted
  }

  settle(): void {
    for (let round = 0; round < 100; round++) {
      let posted = 0
      for (const d of this.devices) posted += this.sync(d)
      if (posted === 0 && this.devices.every((d) => d.cursor === this.log.length)) return
    }
    throw new Error('did not settle')
  }

  expectEveryoneHasEveryChain(): void {
    for (const d of this.devices) {
      const others = this.devices.filter((o) => o !== d)
      expect([...d.received.keys()].sort(), d.name).toEqual(others.map((o) => keyId(o.device.pk)).sort())
      for (const o of others) {
        expect(d.received.get(keyId(o.device.pk)), `${d.name} ← ${o.name}`).toEqual(o.initial)
      }
      expect(d.rejected, d.name).toEqual([])
    }
  }
}

function multiSim(): { sim: Sim; groupSeed: Uint8Array } {
  const { secrets, groupSeed } = createMultiMemberGroup()
  return { sim: new Sim(secrets), groupSeed }
}

describe('metadata reducer', () => {
  it('3 members × 2 devices, joining and syncing in shuffled orders, all exchange chain keys', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const { sim, groupSeed } = multiSim()
      const accounts = [newAccount(), newAccount(), newAccount()]
      const devices = accounts.flatMap((a, i) => [sim.addDevice(`m${i}d0`, a), sim.addDevice(`m${i}d1`, a)])
      const creator = devices[0] as SimDevice
      sim.post(creator, { type: MetadataType.INIT_MEMBER, body: initMemberBody(groupSeed, creator.device.pk) })
      // A random schedule: every device joins once; syncs are sprinkled before and after joins.
      const actions = shuffle([...devices.map((d) => ({ kind: 'join' as const, d })), ...devices.flatMap((d) => [{ kind: 'sync' as const, d }, { kind: 'sync' as const, d }])], seed)
      for (const a of actions) {
        if (a.kind === 'join') sim.join(a.d)
        else sim.sync(a.d)
      }
      sim.settle()
      sim.expectEveryoneHasEveryChain()
      for (const d of devices) {
        expect(d.state.members.size).toBe(3)
        expect(d.state.devices.size).toBe(6)
        expect(d.state.registered).toBe(true)
        expect(d.state.members.get(keyId(creator.me.memberPk))?.isCreator).toBe(true)
        expect(d.state.secretsSentTo.size).toBe(3)
        expect(d.state.pending.length).toBe(0)
      }
      // One DEVICE_SECRET per (device, member): 6 × 3, plus 6 MEMBER_DEVICE and 1 INIT_MEMBER.
      expect(sim.log.length).toBe(1 + 6 + 18)
    }
  })

  it('after the exchange every device reads every other device’s messages', () => {
    const { sim } = multiSim()
    const accounts = [newAccount(), newAccount()]
    const devices = accounts.flatMap((a, i) => [sim.addDevice(`m${i}d0`, a), sim.addDevice(`m${i}d1`, a)])
    for (const d of devices) sim.join(d)
    sim.settle()
    for (const sender of devices) {
      const m = sealMessage(sim.secrets, sender.device, sender.chain, { text: `from ${sender.name}`, sentAtMs: 1 })
      sender.chain = m.next
      for (const reader of devices.filter((r) => r !== sender)) {
        const h = openMessageHeaders(sim.secrets, m.sealed)
        expect(memberOfDevice(reader.state, h.devicePk)).toEqual(sender.me.memberPk)
        const dck = reader.received.get(keyId(h.devicePk)) as DeviceChainKey
        expect(openMessageWithChain(sim.secrets.groupPk, h, receiverChainFrom(dck)).payload.text).toBe(`from ${sender.name}`)
      }
    }
  })

  it('a member joining later gets the current chains and cannot read earlier messages', () => {
    const { sim } = multiSim()
    const a = sim.addDevice('alice', newAccount())
    const b = sim.addDevice('bob', newAccount())
    sim.join(a)
    sim.join(b)
    sim.settle()
    const early = sealMessage(sim.secrets, a.device, a.chain, { text: 'before carol', sentAtMs: 1 })
    a.chain = early.next
    const c = sim.addDevice('carol', newAccount())
    sim.join(c)
    sim.settle()
    const fromAlice = c.received.get(keyId(a.device.pk)) as DeviceChainKey
    expect(fromAlice.counter).toBe(1)
    const h = openMessageHeaders(sim.secrets, early.sealed)
    expect(() => openMessageWithChain(sim.secrets.groupPk, h, receiverChainFrom(fromAlice))).toThrow(/counter 0/)
  })

  // Correctness at 50 members; its speed is measured by `npm run bench -- groups`, not asserted here.
  it('50 members complete the exchange', () => {
    const { sim, groupSeed } = multiSim()
    const devices = Array.from({ length: 50 }, (_, i) => sim.addDevice(`m${i}`, newAccount()))
    sim.post(devices[0] as SimDevice, { type: MetadataType.INIT_MEMBER, body: initMemberBody(groupSeed, (devices[0] as SimDevice).device.pk) })
    wipe(groupSeed)
    for (const d of shuffle(devices, 50)) {
      sim.join(d)
      sim.sync(d)
    }
    sim.settle()
    for (const d of devices) expect(d.received.size).toBe(49)
    expect(sim.log.length).toBe(1 + 50 + 50 * 50)
  }, 300_000)

  it('replaying the log into a fresh state re-emits no send-secret and the same chain keys', () => {
    const { sim } = multiSim()
    const devices = [sim.addDevice('a', newAccount()), sim.addDevice('b', newAccount())]
    for (const d of devices) sim.join(d)
    sim.settle()
    const d = devices[0] as SimDevice
    const events = sim.log.map((sealed) => openMetadataEvent(sim.secrets, sealed))
    const { state, effects } = applyMetadataEvents(createGroupState(sim.secrets), events, d.me, sim.secrets)
    expect(state.secretsSentTo.size).toBe(2)
    expect(effects).toEqual([{ type: 'chain-key', devicePk: (devices[1] as SimDevice).device.pk, ...(devices[1] as SimDevice).initial }])
    // A crash between the effect and the post: the missing secret is re-requested on replay.
    const withoutMine = events.filter((e) => !(e.type === MetadataType.DEVICE_SECRET && keyId(e.devicePk) === keyId(d.device.pk) &&
      keyId(e.body.receiverMemberPk) === keyId((devices[1] as SimDevice).me.memberPk)))
    const again = applyMetadataEvents(createGroupState(sim.secrets), withoutMine, d.me, sim.secrets)
    expect(again.effects.filter((e) => e.type === 'send-secret')).toEqual([{ type: 'send-secret', toMemberPk: (devices[1] as SimDevice).me.memberPk }])

  })

  it('DEVICE_SECRET before its MEMBER_DEVICE waits, then applies', () => {
    const { secrets } = createMultiMemberGroup()
    const bob = newAccount()
    const bobDevice = newDevice()
    const bobMe = meFor(bob, bobDevice, secrets)
    const alice = newAccount()
    const aliceDevice = newDevice()
    const aliceMe = meFor(alice, aliceDevice, secrets)
    const chain = shareableChainKey(newSenderChain())
    const secret = openMetadataEvent(secrets, sealMetadataEvent(secrets, aliceDevice, {
      type: MetadataType.DEVICE_SECRET, body: deviceSecretBody(aliceDevice, bobMe.memberPk, chain, secrets.groupPk)
    }))
    const aliceJoin = openMetadataEvent(secrets, sealMetadataEvent(secrets, aliceDevice, {
      type: MetadataType.MEMBER_DEVICE, body: memberDeviceBody(aliceMe.memberSeed, aliceDevice.pk)
    }))
    let s = createGroupState(secrets)
    let r = applyMetadataEvent(s, secret, bobMe, secrets)
    expect(r.effects).toEqual([])
    expect(r.state.pending.length).toBe(1)
    s = r.state
    r = applyMetadataEvent(s, aliceJoin, bobMe, secrets)
    expect(r.effects).toEqual([{ type: 'chain-key', devicePk: aliceDevice.pk, chainKey: chain.chainKey, counter: 0 }])
    expect(r.state.pending.length).toBe(0)
    // The input state was not mutated (pure reducer).
    expect(s.devices.size).toBe(0)
    expect(s.pending.length).toBe(1)
  })

  it('INIT_MEMBER: MEMBER_DEVICE may come first; a second INIT_MEMBER is rejected; not in contact groups', () => {
    const { secrets, groupSeed } = createMultiMemberGroup()
    const a = newAccount()
    const dev = newDevice()
    const me = meFor(a, dev, secrets)
    const other = meFor(newAccount(), newDevice(), secrets)
    const open = (e: MetadataEventBody, d = dev) => openMetadataEvent(secrets, sealMetadataEvent(secrets, d, e))
    let s = createGroupState(secrets)
    s = applyMetadataEvent(s, open({ type: MetadataType.MEMBER_DEVICE, body: memberDeviceBody(me.memberSeed, dev.pk) }), other, secrets).state
    expect(s.members.get(keyId(me.memberPk))?.isCreator).toBe(false)
    s = applyMetadataEvent(s, open({ type: MetadataType.INIT_MEMBER, body: initMemberBody(groupSeed, dev.pk) }), other, secrets).state
    expect(s.members.get(keyId(me.memberPk))?.isCreator).toBe(true)
    const otherDev = newDevice()
    const second = applyMetadataEvent(s, open({ type: MetadataType.INIT_MEMBER, body: initMemberBody(groupSeed, otherDev.pk) }, otherDev), other, secrets)
    expect(second.state).toBe(s)
    expect(second.effects).toMatchObject([{ type: 'rejected', eventType: MetadataType.INIT_MEMBER }])

    // Contact groups have no Init Member entry, even one signed with the (shared) group seed.
    const peer = newAccount()
    const c = contactGroup(a.accountSeed, peer.accountPk)
    const { groupSeed: contactSeed } = contactGroupKeys(a.accountSeed, peer.accountPk)
    const initInContact = openMetadataEvent(c, sealMetadataEvent(c, dev, { type: MetadataType.INIT_MEMBER, body: initMemberBody(contactSeed, dev.pk) }))
    const rc = applyMetadataEvent(createGroupState(c), initInContact, me, c)
    expect(rc.effects).toMatchObject([{ type: 'rejected', eventType: MetadataType.INIT_MEMBER }])
  })

  it('rejected events never throw and never block later ones', () => {
    const { secrets } = createMultiMemberGroup()
    const bob = meFor(newAccount(), newDevice(), secrets)
    const aDev = newDevice()
    const aMe = meFor(newAccount(), aDev, secrets)
    const open = (e: MetadataEventBody) => openMetadataEvent(secrets, sealMetadataEvent(secrets, aDev, e))
    let s = applyMetadataEvent(createGroupState(secrets),
      open({ type: MetadataType.MEMBER_DEVICE, body: memberDeviceBody(aMe.memberSeed, aDev.pk) }), bob, secrets).state
    // A secret addressed to Bob whose box does not open.
    const good = deviceSecretBody(aDev, bob.memberPk, shareableChainKey(newSenderChain()), secrets.groupPk)
    const broken = open({ type: MetadataType.DEVICE_SECRET, body: { ...good, box: new Uint8Array(good.box.length) } })
    const r1 = applyMetadataEvent(s, broken, bob, secrets)
    expect(r1.state).toBe(s)
    expect(r1.effects).toMatchObject([{ type: 'rejected', eventType: MetadataType.DEVICE_SECRET }])
    // Even a structurally impossible event is only rejected.
    const r2 = applyMetadataEvent(s, { type: 42, devicePk: aDev.pk } as unknown as MetadataEvent, bob, secrets)
    expect(r2.effects[0]?.type).toBe('rejected')
    // Wrong group state.
    expect(applyMetadataEvent(s, broken, bob, createMultiMemberGroup().secrets).effects[0]?.type).toBe('rejected')
    const r3 = applyMetadataEvent(s, open({ type: MetadataType.DEVICE_SECRET, body: good }), bob, secrets)
    expect(r3.effects.map((e) => e.type)).toEqual(['chain-key'])
    s = r3.state
    // A second secret from the same device that does not start earlier is ignored (weshnet: first wins).
    expect(applyMetadataEvent(s, open({ type: MetadataType.DEVICE_SECRET, body: good }), bob, secrets).effects).toEqual([])
  })

  it('a second chain key from the same device surfaces only when it starts earlier (the engine merges it)', () => {
    const { secrets } = createMultiMemberGroup()
    const bob = meFor(newAccount(), newDevice(), secrets)
    const aDev = newDevice()
    const aMe = meFor(newAccount(), aDev, secrets)
    const open = (e: MetadataEventBody) => openMetadataEvent(secrets, sealMetadataEvent(secrets, aDev, e))
    let s = applyMetadataEvent(createGroupState(secrets), open({ type: MetadataType.MEMBER_DEVICE, body: memberDeviceBody(aMe.memberSeed, aDev.pk) }), bob, secrets).state
    const secretAt = (counter: number) => open({ type: MetadataType.DEVICE_SECRET, body: deviceSecretBody(aDev, bob.memberPk, { chainKey: newSenderChain().chainKey, counter }, secrets.groupPk) })
    const first = applyMetadataEvent(s, secretAt(10), bob, secrets)
    expect(first.effects).toMatchObject([{ type: 'chain-key', counter: 10 }])
    s = first.state
    expect(applyMetadataEvent(s, secretAt(10), bob, secrets).effects).toEqual([])
    expect(applyMetadataEvent(s, secretAt(30), bob, secrets).effects).toEqual([])
    const earlier = applyMetadataEvent(s, secretAt(4), bob, secrets)
    expect(earlier.effects).toMatchObject([{ type: 'chain-key', counter: 4 }])
    // Remembered: one between the two adds nothing more.
    expect(applyMetadataEvent(earlier.state, secretAt(7), bob, secrets).effects).toEqual([])
  })

  it('a device cannot move to another member; re-registering is a no-op; Berty app metadata names group and member', () => {
    const { secrets } = createMultiMemberGroup()
    const dev = newDevice()
    const m1 = meFor(newAccount(), dev, secrets)
    const m2 = meFor(newAccount(), dev, secrets)
    const observer = meFor(newAccount(), newDevice(), secrets)
    const open = (e: MetadataEventBody) => openMetadataEvent(secrets, sealMetadataEvent(secrets, dev, e))
    const join1 = open({ type: MetadataType.MEMBER_DEVICE, body: memberDeviceBody(m1.memberSeed, dev.pk) })
    let s = applyMetadataEvent(createGroupState(secrets), join1, observer, secrets).state
    const moved = applyMetadataEvent(s, open({ type: MetadataType.MEMBER_DEVICE, body: memberDeviceBody(m2.memberSeed, dev.pk) }), observer, secrets)
    expect(moved.effects[0]?.type).toBe('rejected')
    expect(applyMetadataEvent(s, join1, observer, secrets).state).toBe(s)
    s = applyMetadataEvent(s, open({ type: MetadataType.APP_METADATA, body: groupInfoBody('Book club') }), observer, secrets).state
    expect(s.name).toBe('Book club')
    s = applyMetadataEvent(s, open({ type: MetadataType.APP_METADATA, body: memberProfileBody('Ann', 5) }), observer, secrets).state
    expect(s.members.get(keyId(m1.memberPk))?.displayName).toBe('Ann')
    // Another Berty AppMessage (or none at all) is carried, not interpreted.
    const other = applyMetadataEvent(s, open({ type: MetadataType.APP_METADATA, body: { kind: 'other', message: new Uint8Array([1, 2]) } }), observer, secrets)
    expect(other).toEqual({ state: s, effects: [] })
    // weshnet's empty alias proof discloses nothing.
    expect(applyMetadataEvent(s, open({ type: MetadataType.ALIAS, body: { resolver: new Uint8Array(0), proof: new Uint8Array(0) } }), observer, secrets)).toEqual({ state: s, effects: [] })
  })

  it('pass-through weshnet events: listed once their device is a member, only in the groups they belong to', () => {
    const a = newAccount()
    const acc = accountGroup(a.accountSeed, a.aliasSeed)
    const d1 = newDevice()
    const d2 = newDevice()
    const me = { memberPk: a.accountPk, memberSeed: a.accountSeed, deviceSeed: d1.seed, devicePk: d1.pk }
    const open = (g: GroupSecrets, d: TestDevice, e: MetadataEventBody) => openMetadataEvent(g, sealMetadataEvent(g, d, e))
    const disabled = (d: TestDevice): MetadataEventBody => ({ type: 103, body: { payload: AccountContactRequestDisabled.encode({ devicePk: d.pk }) } })
    let s = applyMetadataEvent(createGroupState(acc), open(acc, d1, { type: MetadataType.MEMBER_DEVICE, body: memberDeviceBody(a.accountSeed, d1.pk) }), me, acc).state
    const ev1 = open(acc, d1, disabled(d1))
    const r1 = applyMetadataEvent(s, ev1, me, acc)
    const fx = (ev: MetadataEvent) => ({ type: 'wesh-event', eventType: ev.type, payload: (ev.body as { payload: Uint8Array }).payload, devicePk: ev.devicePk, event: ev })
    expect(r1.effects).toEqual([fx(ev1)])
    // From a device not registered yet: waits, then surfaces with its registration.
    const ev2 = open(acc, d2, disabled(d2))
    const r2 = applyMetadataEvent(r1.state, ev2, me, acc)
    expect(r2.effects).toEqual([])
    const r3 = applyMetadataEvent(r2.state, open(acc, d2, { type: MetadataType.MEMBER_DEVICE, body: memberDeviceBody(a.accountSeed, d2.pk) }), me, acc)
    expect(r3.effects).toContainEqual(fx(ev2))
    s = r3.state
    // Account events do not belong in a multi-member group (refused when sealed and when opened);
    // GroupReplicating belongs anywhere.
    const { secrets } = createMultiMemberGroup()
    const mMe = meFor(a, d1, secrets)
    const ms = applyMetadataEvent(createGroupState(secrets), open(secrets, d1, { type: MetadataType.MEMBER_DEVICE, body: memberDeviceBody(mMe.memberSeed, d1.pk) }), mMe, secrets).state
    expect(() => sealMetadataEvent(secrets, d1, disabled(d1))).toThrow(/do not belong in a multi group/)
    expect(() => openMetadataEvent(secrets, sealMetadataEvent({ ...secrets, kind: 'account' }, d1, disabled(d1)))).toThrow(/do not belong in a multi group/)
    const rep = open(secrets, d1, { type: 403, body: { payload: GroupReplicating.encode({ devicePk: d1.pk, authenticationUrl: 'https://a', replicationServer: 'r' }) } })
    expect(applyMetadataEvent(ms, rep, mMe, secrets).effects).toEqual([fx(rep)])
    expect(s.devices.size).toBe(2)
  })

  it('account group: the account is the only member; contact group: two members at most', () => {
    const a = newAccount()
    const acc = accountGroup(a.accountSeed, a.aliasSeed)
    const d1 = newDevice()
    const d2 = newDevice()
    const me = { memberPk: a.accountPk, memberSeed: a.accountSeed, deviceSeed: d1.seed, devicePk: d1.pk }
    const open = (g: GroupSecrets, d: TestDevice, e: MetadataEventBody) => openMetadataEvent(g, sealMetadataEvent(g, d, e))
    let s = createGroupState(acc)
    const r = applyMetadataEvent(s, open(acc, d1, { type: MetadataType.MEMBER_DEVICE, body: memberDeviceBody(a.accountSeed, d1.pk) }), me, acc)
    expect(r.effects).toEqual([{ type: 'send-secret', toMemberPk: a.accountPk }])
    s = r.state
    const stranger = newAccount()
    const bad = applyMetadataEvent(s, open(acc, d2, { type: MetadataType.MEMBER_DEVICE, body: memberDeviceBody(stranger.accountSeed, d2.pk) }), me, acc)
    expect(bad.effects[0]?.type).toBe('rejected')

    const b = newAccount()
    const cg = contactGroup(a.accountSeed, b.accountPk)
    let cs = createGroupState(cg)
    const third = newAccount()
    for (const acct of [a, b]) {
      const d = newDevice()
      cs = applyMetadataEvent(cs, open(cg, d, { type: MetadataType.MEMBER_DEVICE, body: memberDeviceBody(acct.accountSeed, d.pk) }), me, cg).state
    }
    const d3 = newDevice()
    const r3 = applyMetadataEvent(cs, open(cg, d3, { type: MetadataType.MEMBER_DEVICE, body: memberDeviceBody(third.accountSeed, d3.pk) }), me, cg)
    expect(r3.effects[0]?.type).toBe('rejected')
    expect(r3.state.members.size).toBe(2)
  })

  it('alias entries match contacts instantly through precomputed resolvers', () => {
    const { secrets } = createMultiMemberGroup()
    const alice = newAccount()
    const aDev = newDevice()
    const aMe = meFor(alice, aDev, secrets)
    const me = meFor(newAccount(), newDevice(), secrets)
    const open = (e: MetadataEventBody) => openMetadataEvent(secrets, sealMetadataEvent(secrets, aDev, e))
    let s = createGroupState(secrets)
    s = applyMetadataEvent(s, open({ type: MetadataType.MEMBER_DEVICE, body: memberDeviceBody(aMe.memberSeed, aDev.pk) }), me, secrets).state
    s = applyMetadataEvent(s, open({ type: MetadataType.ALIAS, body: aliasBody(alice.aliasSeed, secrets.groupPk, aMe.memberPk) }), me, secrets).state
    const index = contactAliasIndex(secrets.groupPk, [
      { contactId: 'alice', aliasPk: alice.aliasPk },
      { contactId: 'dave', aliasPk: newAccount().aliasPk }
    ])
    expect(memberAliasMatches(s, index)).toEqual([{ memberPk: aMe.memberPk, contactId: 'alice' }])
    // A different alias from the same member later is rejected (disclosure cannot be changed).
    const again = applyMetadataEvent(s, open({ type: MetadataType.ALIAS, body: aliasBody(newAccount().aliasSeed, secrets.groupPk, aMe.memberPk) }), me, secrets)
    expect(again.effects[0]?.type).toBe('rejected')
    // Mallory reposts Alice's alias entry from her own device: the resolver is already claimed.
    const mDev = newDevice()
    const mMe = meFor(newAccount(), mDev, secrets)
    const openM = (e: MetadataEventBody) => openMetadataEvent(secrets, sealMetadataEvent(secrets, mDev, e))
    s = applyMetadataEvent(s, openM({ type: MetadataType.MEMBER_DEVICE, body: memberDeviceBody(mMe.memberSeed, mDev.pk) }), me, secrets).state
    const copied = s.members.get(keyId(aMe.memberPk))
    const replay = applyMetadataEvent(s, openM({ type: MetadataType.ALIAS, body: { resolver: copied?.aliasResolver as Uint8Array, proof: copied?.aliasProof as Uint8Array } }), me, secrets)
    expect(replay.effects).toMatchObject([{ type: 'rejected', reason: 'alias already claimed by another member' }])
    expect(memberAliasMatches(replay.state, index)).toEqual([{ memberPk: aMe.memberPk, contactId: 'alice' }])
  })
})
