// Issue "Contacts", faults on the requester's side: an impostor advertises a contact's public rendezvous
// point (it knows the contact's link) and misbehaves on `/wesh/contact_req/1.0.0` — proves another key,
// closes mid-handshake, sends an oversize frame, replays a frame, never answers. Each ends with the request
// still queued and a clear reason, nothing created, the node healthy, and the real contact still reachable.
import type { Stream } from '@libp2p/interface'
import { afterEach, describe, expect, it } from 'vitest'
import * as c from '../../core/crypto'
import { CONTACT_REQUEST_PROTOCOL } from '../../core/net/contact-request'
import { FramedStream } from '../../core/net/lp-stream'
import { formatBertyLink, publicRendezvousPoint } from '../../core/protocol'
import { BoxEnvelope, HelloPayload, ResponderAcceptPayload } from '../../core/protocol/proto/handshake'
import { stopAll } from './helpers'
import { contactOf, lab, untilContact } from './contacts-helpers'

afterEach(stopAll)

type Behaviour = 'wrong-key' | 'mid-close' | 'oversize' | 'replay' | 'silent'

async function misbehave(stream: Stream, how: Behaviour): Promise<void> {
  const lp = new FramedStream(stream, { maxFrameBytes: 2048 })
  const signal = AbortSignal.timeout(60_000)
  await lp.read({ signal })
  if (how === 'silent') {
    await new Promise((resolve) => stream.addEventListener('close', resolve, { once: true }))
    return
  }
  if (how === 'mid-close') {
    stream.abort(new Error('impostor hangs up'))
    return
  }
  if (how === 'oversize') {
    stream.send(Uint8Array.from([0x80, 0x20, ...new Uint8Array(4096)])) // uvarint 4096, then the bytes
    return
  }
  if (how === 'wrong-key') {
    // Step 4 from an account that is not the contact's: it cannot derive the contact's box key.
    await lp.write(HelloPayload.encode({ ephemeralPubKey: c.x25519PublicFromSecret(c.randomBytes(32)) }), { signal })
    await lp.read({ signal })
    const box = c.secretboxSealWithNonce(c.randomBytes(32), c.handshakeAcceptNonce(), ResponderAcceptPayload.encode({ responderAccountSig: c.randomBytes(64) }))
    await lp.write(BoxEnvelope.encode({ box }), { signal })
    return
  }
  // replay: a valid hello, then the same hello again where the accept box belongs.
  const hello = HelloPayload.encode({ ephemeralPubKey: c.x25519PublicFromSecret(c.randomBytes(32)) })
  await lp.write(hello, { signal })
  await lp.read({ signal })
  await lp.write(hello, { signal })
}

describe('contact request faults', () => {
  it('wrong key, mid-close, oversize, replayed frame, timeout: clear reason, nothing created, node healthy', async () => {
    const l = await lab()
    const b = await l.node('b', 'Bob')
    const m = await l.node('m')
    // The contact M pretends to be: its link is all M knows.
    const xSeed = c.randomBytes(32)
    const xPk = c.ed25519PublicFromSeed(xSeed)
    const rdvSeed = c.randomBytes(32)
    const link = formatBertyLink({ kind: 'contact', name: 'Xavier', contact: { accountPk: xPk, publicRendezvousSeed: rdvSeed, displayName: 'Xavier' } }, 'web')
    const xKey = Buffer.from(xPk).toString('base64url')
    let how: Behaviour = 'wrong-key'
    await m.node.libp2p.unhandle(CONTACT_REQUEST_PROTOCOL)
    await m.node.libp2p.handle(CONTACT_REQUEST_PROTOCOL, (stream) => void misbehave(stream, how).catch(() => undefined), { runOnLimitedConnection: true })
    m.node.libp2p.services.discovery!.advertise(publicRendezvousPoint(xPk, rdvSeed, new Date()).namespace)

    const expected: Record<Behaviour, RegExp> = {
      'wrong-key': /could not prove/,
      'mid-close': /closed the connection mid-handshake/,
      oversize: /oversize frame/,
      replay: /replayed a frame/,
      silent: /did not answer in time/
    }
    for (const behaviour of ['wrong-key', 'mid-close', 'oversize', 'replay', 'silent'] as const) {
      how = behaviour
      await b.call('contact:request', { link })
      const got = await untilContact(b, xKey, (x) => x?.error !== undefined && x.error !== 'waiting for the contact to come online', 75_000)
      expect(got, behaviour).toMatchObject({ state: 'outgoing', sent: false, displayName: 'Xavier' })
      expect(got!.error, behaviour).toMatch(expected[behaviour])
      // Nothing half-created; the node answers.
      expect(b.node.groups.list().filter((g) => g.kind === 'contact'), behaviour).toEqual([])
      expect((await b.call('contact:share', {})).link).toMatch(/^https:/)
      await b.call('contact:cancel', { accountPk: xKey })
      expect(await contactOf(b, xKey)).toBeUndefined()
    }

    // Still healthy: a real contact request from B to a fresh node goes through.
    const a = await l.node('a', 'Alice')
    const { link: aLink } = await a.call('contact:share', {})
    const aPk = (await a.call('account:get', {}))!.accountPk
    await b.call('contact:request', { link: aLink })
    await untilContact(b, aPk, (x) => x?.sent === true, 60_000)
  }, 300_000)
})
