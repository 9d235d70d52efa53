// The bundle a replication device accepts (protocol/device-link `checkReplicaBundle`): public keys only.
// A bundle that carries any seed or the display name is refused (and its seeds wiped), as is a full bundle.
import { describe, expect, it } from 'vitest'
import { checkBundle, checkReplicaBundle, DeviceLinkError } from '../../../core/protocol/device-link'
import { AccountBundle, LinkRole } from '../../../core/protocol/proto/device-link'

const k = (n: number): Uint8Array => new Uint8Array(32).fill(n)
const none = new Uint8Array(0)

function replica(over: Partial<AccountBundle> = {}): AccountBundle {
  // Through the wire codec, as the joiner receives it.
  return AccountBundle.decode(
    AccountBundle.encode({
      accountSeed: none,
      aliasSeed: none,
      rendezvousSeed: none,
      displayName: '',
      role: LinkRole.LINK_ROLE_REPLICA,
      inviterDevicePk: k(1),
      inviterDeviceName: 'laptop',
      accountPk: k(2),
      accountGroupPk: k(3),
      accountGroupSignPub: k(4),
      accountGroupLinkKey: k(5),
      ...over
    })
  )
}

describe('replica bundle', () => {
  it('accepts public keys only', () => {
    const b = checkReplicaBundle(replica())
    expect(b.accountPk).toEqual(k(2))
    expect(b.accountGroup).toEqual({ groupPk: k(3), signPub: k(4), linkKey: k(5) })
  })

  it('refuses a bundle carrying a seed or the display name, and wipes the seed', () => {
    for (const over of [{ accountSeed: k(9) }, { aliasSeed: k(9) }, { rendezvousSeed: k(9) }, { displayName: 'Ann' }]) {
      const b = replica(over)
      expect(() => checkReplicaBundle(b)).toThrow(DeviceLinkError)
      for (const seed of [b.accountSeed, b.aliasSeed, b.rendezvousSeed]) expect(seed.every((x) => x === 0)).toBe(true)
    }
  })

  it('refuses a full bundle, a malformed key, and a replica bundle offered as a full one', () => {
    expect(() => checkReplicaBundle(replica({ role: LinkRole.LINK_ROLE_FULL }))).toThrow(/as a replica/)
    expect(() => checkReplicaBundle(replica({ accountGroupLinkKey: new Uint8Array(31) }))).toThrow(/malformed/)
    expect(() => checkBundle(replica())).toThrow(DeviceLinkError)
  })
})
