// Pass-through weshnet events: the type numbers are weshnet's, every payload is checked against its
// weshnet message, and hostile payloads end in a typed GroupProtocolError, never anything else.
import { describe, expect, it } from 'vitest'
import { GroupProtocolError, validateWeshEvent, WESH_PASS_THROUGH_TYPES } from '../../../../core/protocol/group'
import { AccountContactRequestOutgoingEnqueued, AccountServiceTokenAdded } from '../../../../core/protocol/proto/wesh'

const device = new Uint8Array(32).fill(3)

describe('wesh pass-through events', () => {
  it('are exactly weshnet EventType 101–112, 201, 401 and 403', () => {
    // 201 ContactAliasKeyAdded (contact groups only) is how weshnet contacts learn each other's alias key.
    // 401 AccountServiceTokenAdded (account group only) records a replication device's token.
    expect([...WESH_PASS_THROUGH_TYPES].sort((a, b) => a - b)).toEqual([101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 201, 401, 403])
  })

  it('AccountServiceTokenAdded (401) is an account event only', () => {
    const payload = AccountServiceTokenAdded.encode({
      devicePk: device,
      serviceToken: { token: 'a.b.c', authenticationUrl: '', supportedServices: [{ serviceType: 'rpl', serviceEndpoint: '/p2p/x' }], expiration: 1n }
    })
    expect(() => validateWeshEvent(401, payload, device, 'account')).not.toThrow()
    expect(() => validateWeshEvent(401, payload, device, 'multi')).toThrow(GroupProtocolError)
    expect(() => validateWeshEvent(401, payload, new Uint8Array(32), 'account')).toThrow(/author device/)
  })

  it('accept a well-formed payload from its author and refuse everything else with a typed error', () => {
    const ok = AccountContactRequestOutgoingEnqueued.encode({
      devicePk: device,
      groupPk: new Uint8Array(32).fill(1),
      contact: { pk: new Uint8Array(32).fill(2), publicRendezvousSeed: new Uint8Array(32).fill(4), metadata: new Uint8Array(8) },
      ownMetadata: new Uint8Array(0)
    })
    expect(() => validateWeshEvent(106, ok, device, 'account')).not.toThrow()
    expect(() => validateWeshEvent(106, ok, device, 'contact')).toThrow(GroupProtocolError)
    expect(() => validateWeshEvent(106, ok, new Uint8Array(32), 'account')).toThrow(/author device/)
    expect(() => validateWeshEvent(106, new Uint8Array(5000), device, 'account')).toThrow(GroupProtocolError)
    for (let cut = 0; cut < ok.length; cut++) {
      try {
        validateWeshEvent(106, ok.subarray(0, cut), device, 'account')
      } catch (err) {
        expect(err).toBeInstanceOf(GroupProtocolError)
      }
    }
    for (let bit = 0; bit < ok.length * 8; bit++) {
      const flipped = ok.slice()
      flipped[bit >> 3]! ^= 1 << (bit & 7)
      try {
        validateWeshEvent(106, flipped, device, 'account')
      } catch (err) {
        expect(err).toBeInstanceOf(GroupProtocolError)
      }
    }
  })
})
