/**
 * A published contact link lets anyone make fresh keys and ask again and again: each request is an entry
 * of the target's account group, kept and replicated to all its devices. A real node is flooded through
 * the wire handshake (/wesh/contact_req/1.0.0) by one peer with a fresh account per request: past
 * MAX_PENDING_INCOMING waiting requests, new ones are dropped (said once in the log) until some are
 * answered, and answering one makes room for one more.
 */
import { randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import * as c from '../../core/crypto'
import { MAX_PENDING_INCOMING } from '../../core/contacts/manager'
import { createLibp2pNode, peerKeyFromSeed, type BertyLibp2p } from '../../core/net/libp2p'
import { poll, startNode } from './helpers'

const spammers: BertyLibp2p[] = []
afterEach(async () => {
  await Promise.all(spammers.splice(0).map((n) => n.stop()))
})

describe('contacts: a flood of requests through a published link', () => {
  it(`keeps at most ${MAX_PENDING_INCOMING} waiting; answering one lets the next in`, async () => {
    const t = await startNode('flooded')
    await t.call('account:create', { displayName: 'Target' })
    const targetPk = new Uint8Array(Buffer.from((await t.call('account:get', {}))!.accountPk, 'base64url'))
    const spammer = await createLibp2pNode({
      privateKey: await peerKeyFromSeed(randomBytes(32)),
      listen: ['/ip4/127.0.0.1/tcp/0'],
      webrtc: false,
      start: true,
      // A fresh account for every request, as a flooder would make.
      contactRequest: {
        account: () => {
          const seed = new Uint8Array(randomBytes(32))
          return { accountSeed: seed, accountPk: c.ed25519PublicFromSeed(seed), publicRendezvousSeed: new Uint8Array(randomBytes(32)) }
        },
        onIncomingRequest: () => {}
      }
    })
    spammers.push(spammer)
    const addr = t.node.libp2p.getMultiaddrs()[0]!
    const flood = async (n: number) => {
      for (let i = 0; i < n; i++) await spammer.services.contactRequest!.request(addr, targetPk, { metadata: new Uint8Array(0) })
    }
    const incoming = async () => (await t.call('contact:list', {})).filter((x) => x.state === 'incoming')
    const dropped = () => t.warnings.filter((w) => w.includes('incoming requests dropped')).length
    // The requester's handshake ends before the target has written the request down: wait for the
    // target to have seen the last one (it says so when it drops it).
    const settled = (drops: number) => poll('the flood handled', () => dropped() === drops, 10_000)

    await flood(MAX_PENDING_INCOMING + 5)
    await settled(1)
    expect(await incoming()).toHaveLength(MAX_PENDING_INCOMING)

    const [first] = await incoming()
    await t.call('contact:decline', { accountPk: first!.accountPk })
    await flood(3)
    // Full again after the one that got in: said once more.
    await settled(2)
    expect(await incoming()).toHaveLength(MAX_PENDING_INCOMING)
  }, 120_000)
})
