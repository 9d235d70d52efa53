/**
 * weshnet contact requests (`/wesh/contact_req/1.0.0`) over two real libp2p nodes on loopback TCP:
 * our requester against our responder, then each side against weshnet's own frames
 * (tests/vectors/wesh-go.json `contactRequest`, produced by weshnet's handshake code in tests/vectors/go).
 */
import { randomBytes } from 'node:crypto'
import type { Stream } from '@libp2p/interface'
import { lpStream } from '@libp2p/utils'
import { afterEach, describe, expect, it } from 'vitest'
import * as c from '../../core/crypto'
import { CONTACT_REQUEST_PROTOCOL, type ContactRequestServiceInit, type IncomingContactRequest } from '../../core/net/contact-request'
import { NetError } from '../../core/net/errors'
import { createLibp2pNode, peerKeyFromSeed, type BertyLibp2p } from '../../core/net/libp2p'
import vectors from '../vectors/wesh-go.json'

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'))
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const go = vectors.contactRequest
const nodes: BertyLibp2p[] = []

async function node(contactRequest?: ContactRequestServiceInit): Promise<BertyLibp2p> {
  const n = await createLibp2pNode({
    privateKey: await peerKeyFromSeed(randomBytes(32)),
    listen: ['/ip4/127.0.0.1/tcp/0'],
    webrtc: false,
    start: true,
    ...(contactRequest !== undefined ? { contactRequest } : {})
  })
  nodes.push(n)
  return n
}

afterEach(async () => {
  await Promise.all(nodes.splice(0).map((n) => n.stop()))
})

function account(seed: Uint8Array, rdvSeed: Uint8Array = randomBytes(32)) {
  const accountPk = c.ed25519PublicFromSeed(seed)
  // Uint8Array.from: a fresh copy (Buffer#slice would be a view, and the service wipes what it is given).
  return () => ({ accountSeed: Uint8Array.from(seed), accountPk, publicRendezvousSeed: rdvSeed })
}

/** Resolves with the next incoming request (an event, no polling). */
function incoming(): { init: Pick<ContactRequestServiceInit, 'onIncomingRequest'>; next: Promise<IncomingContactRequest> } {
  let resolve!: (r: IncomingContactRequest) => void
  const next = new Promise<IncomingContactRequest>((r) => (resolve = r))
  return { init: { onIncomingRequest: (r) => resolve(r) }, next }
}

/** Collects every frame (with its uvarint prefix) the other side writes until it closes or resets. */
async function rawFrames(stream: Stream, count: number): Promise<string[]> {
  const lp = lpStream(stream, { maxDataLength: 4096 })
  const out: string[] = []
  for (let i = 0; i < count; i++) {
    const body = (await lp.read({ signal: AbortSignal.timeout(10_000) })).subarray()
    const prefix: number[] = []
    let n = body.length
    while (n >= 0x80) {
      prefix.push((n & 0x7f) | 0x80)
      n >>>= 7
    }
    prefix.push(n)
    out.push(toHex(Uint8Array.from([...prefix, ...body])))
  }
  return out
}

describe('contact request stream over libp2p', () => {
  it('our requester → our responder: handshake, sixth frame, verified request delivered', async () => {
    const aSeed = randomBytes(32)
    const bSeed = randomBytes(32)
    const aRdv = randomBytes(32)
    const got = incoming()
    const b = await node({ account: account(bSeed), ...got.init })
    const a = await node({ account: account(aSeed, aRdv), onIncomingRequest: () => {} })
    await a.services.contactRequest?.request(b.getMultiaddrs(), c.ed25519PublicFromSeed(bSeed), { metadata: new TextEncoder().encode('Alice') })
    const req = await got.next
    expect(toHex(req.accountPk)).toBe(toHex(c.ed25519PublicFromSeed(aSeed)))
    expect(toHex(req.publicRendezvousSeed)).toBe(toHex(aRdv))
    expect(new TextDecoder().decode(req.metadata)).toBe('Alice')
    expect(req.remotePeer.equals(a.peerId)).toBe(true)
  })

  it('a request to the wrong account key fails on the requester and delivers nothing', async () => {
    let delivered = 0
    const b = await node({ account: account(randomBytes(32)), onIncomingRequest: () => void delivered++ })
    const a = await node({ account: account(randomBytes(32)), onIncomingRequest: () => {} })
    const wrongPk = c.ed25519PublicFromSeed(randomBytes(32))
    await expect(a.services.contactRequest?.request(b.getMultiaddrs(), wrongPk)).rejects.toThrow()
    expect(delivered).toBe(0)
  })

  it('our responder answers weshnet requester frames byte for byte and accepts its sixth frame', async () => {
    const got = incoming()
    const b = await node({
      account: account(hex(go.responderAccountSeed)),
      ephemeralSecret: () => hex(go.responderEphemeralSecret),
      ...got.init
    })
    const a = await node()
    const stream = await a.dialProtocol(b.getMultiaddrs(), CONTACT_REQUEST_PROTOCOL)
    const [hello, authenticate, ack, contact] = go.requesterToResponder as [string, string, string, string]
    stream.send(hex(hello))
    expect(await rawFrames(stream, 1)).toEqual([go.responderToRequester[0]])
    stream.send(hex(authenticate))
    expect(await rawFrames(stream, 1)).toEqual([go.responderToRequester[1]])
    stream.send(hex(ack))
    stream.send(hex(contact))
    const req = await got.next
    expect(toHex(req.accountPk)).toBe(go.requesterAccountPk)
    expect(toHex(req.publicRendezvousSeed)).toBe(go.shareableContact.publicRendezvousSeed)
    expect(toHex(req.metadata)).toBe(go.shareableContact.metadata)
  })

  it('our requester sends exactly the frames weshnet sends, sixth frame included', async () => {
    const b = await node()
    const seen = new Promise<string[]>((resolve, reject) => {
      void b.handle(CONTACT_REQUEST_PROTOCOL, async (stream) => {
        try {
          // Play weshnet's responder: its frames are fixed by the two ephemeral secrets.
          const frames = await rawFrames(stream, 1)
          stream.send(hex(go.responderToRequester[0] as string))
          frames.push(...(await rawFrames(stream, 1)))
          stream.send(hex(go.responderToRequester[1] as string))
          frames.push(...(await rawFrames(stream, 2)))
          // weshnet's handler always resets the stream once it has read the sixth frame, success or not.
          stream.abort(new Error('weshnet resets after handling'))
          resolve(frames)
        } catch (err) {
          reject(err)
        }
      })
    })
    const a = await node({
      account: account(hex(go.requesterAccountSeed), hex(go.shareableContact.publicRendezvousSeed)),
      ephemeralSecret: () => hex(go.requesterEphemeralSecret),
      onIncomingRequest: () => {}
    })
    await a.services.contactRequest?.request(b.getMultiaddrs(), hex(go.responderAccountPk), { metadata: hex(go.shareableContact.metadata) })
    expect(await seen).toEqual(go.requesterToResponder)
  })

  it('a declared frame length over 2048 bytes resets the stream before the body is read', async () => {
    let delivered = 0
    const b = await node({ account: account(randomBytes(32)), onIncomingRequest: () => void delivered++ })
    const a = await node()
    const stream = await a.dialProtocol(b.getMultiaddrs(), CONTACT_REQUEST_PROTOCOL)
    const closed = new Promise<Event>((resolve) => stream.addEventListener('close', resolve, { once: true }))
    stream.send(Uint8Array.from([0x81, 0x10])) // uvarint 2049, no body
    const ev = (await closed) as Event & { error?: Error }
    // Reset by the responder, not a clean close.
    expect(ev.error?.name).toBe('StreamResetError')
    expect(delivered).toBe(0)
  }, 5_000) // well under the 30 s exchange deadline: only the cap can end it this fast

  it('a silent requester is cut at the deadline', async () => {
    const b = await node({ account: account(randomBytes(32)), onIncomingRequest: () => {}, timeoutMs: 300 })
    const a = await node()
    const stream = await a.dialProtocol(b.getMultiaddrs(), CONTACT_REQUEST_PROTOCOL)
    const ev = await new Promise<Event & { error?: Error }>((resolve) => stream.addEventListener('close', resolve, { once: true }))
    expect(ev.error?.name).toBe('StreamResetError')
  })

  it('the requester times out with ERR_TIMEOUT when the responder never answers', async () => {
    const b = await node()
    await b.handle(CONTACT_REQUEST_PROTOCOL, () => {}) // accepts the stream, says nothing
    const a = await node({ account: account(randomBytes(32)), onIncomingRequest: () => {}, timeoutMs: 300 })
    const err = await a.services.contactRequest?.request(b.getMultiaddrs(), c.ed25519PublicFromSeed(randomBytes(32))).catch((e) => e)
    expect(err).toBeInstanceOf(NetError)
    expect((err as NetError).code).toBe('ERR_TIMEOUT')
  })

  it('with no account, inbound requests are refused', async () => {
    const b = await node({ account: () => undefined, onIncomingRequest: () => {} })
    const a = await node({ account: account(randomBytes(32)), onIncomingRequest: () => {} })
    await expect(a.services.contactRequest?.request(b.getMultiaddrs(), c.ed25519PublicFromSeed(randomBytes(32)))).rejects.toThrow()
  })
})
