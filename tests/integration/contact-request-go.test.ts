/**
 * Our contact-request exchange against weshnet's own code, live: the Go program of tests/vectors/go
 * (handshake.go = weshnet internal/handshake + the stream parts of contact_request_manager.go; peer modes
 * in responder.go) runs as the responder or the requester on one TCP connection, and our side runs the
 * very functions the contact-request service runs on a libp2p stream (`runRequester` / `runResponder`,
 * core/net/contact-request/exchange.ts) over that socket. Fresh random ephemeral keys on both sides.
 *
 * Skipped (with the reason) only when Go, protoc or Debian's Go packages are missing.
 */
import { randomBytes } from 'node:crypto'
import { connect, createServer, type Server, type Socket } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import * as c from '../../core/crypto'
import { describeFailure } from '../../core/contacts/outgoing'
import { runRequester, runResponder } from '../../core/net/contact-request/exchange'
import { decodeContactMetadata, encodeContactMetadata } from '../../core/protocol/contact-metadata'
import { SocketStream } from '../support/socket-stream'
import { buildGoPeer, goPeerUnavailable, startGoPeer, type GoPeerBuild, type GoPeerProcess } from '../support/wesh-go-peer'

const unavailable = await goPeerUnavailable()
if (unavailable !== undefined) console.warn(`contact-request-go: skipped: ${unavailable}`)

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

interface GoResult {
  ok: boolean
  error?: string
  contact?: { pk: string; publicRendezvousSeed: string; metadata: string }
}

describe.skipIf(unavailable !== undefined)('contact request against weshnet\'s Go code over TCP', () => {
  let build: GoPeerBuild
  const procs: GoPeerProcess[] = []
  const servers: Server[] = []
  const sockets: Socket[] = []

  beforeAll(async () => {
    build = await buildGoPeer()
  }, 300_000)

  afterAll(() => build?.dispose())

  afterEach(() => {
    for (const p of procs.splice(0)) p.kill()
    for (const s of sockets.splice(0)) s.destroy()
    for (const s of servers.splice(0)) s.close()
  })

  function account() {
    const seed = Uint8Array.from(randomBytes(32))
    return { seed, pk: c.ed25519PublicFromSeed(seed) }
  }

  async function goResponder(seed: Uint8Array): Promise<{ go: GoPeerProcess; socket: Socket }> {
    const go = startGoPeer(build.binary, ['respond', '127.0.0.1:0', hex(seed)])
    procs.push(go)
    const { listening } = await go.next<{ listening: string }>()
    const [host, port] = [listening.slice(0, listening.lastIndexOf(':')), Number(listening.slice(listening.lastIndexOf(':') + 1))]
    const socket = connect({ host, port })
    sockets.push(socket)
    await new Promise<void>((res, rej) => socket.once('connect', res).once('error', rej))
    return { go, socket }
  }

  /** A local TCP server whose first connection runs our responder. */
  async function ourResponder(seed: Uint8Array): Promise<{ port: number; result: Promise<Awaited<ReturnType<typeof runResponder>>> }> {
    let resolveSocket!: (s: Socket) => void
    const first = new Promise<Socket>((r) => (resolveSocket = r))
    const server = createServer((socket) => {
      sockets.push(socket)
      resolveSocket(socket)
    })
    servers.push(server)
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const port = (server.address() as { port: number }).port
    // The stream must be attached in the connection callback's turn: wrap as soon as the socket exists.
    // As the service does (core/net/contact-request/index.ts `onStream`): any failure resets the stream.
    const result = first.then(async (socket) => {
      const stream = new SocketStream(socket, 'inbound')
      try {
        return await runResponder(stream, { ownAccountSeed: Uint8Array.from(seed) }, AbortSignal.timeout(20_000))
      } catch (err) {
        stream.abort(err as Error)
        throw err
      }
    })
    return { port, result }
  }

  it('our requester → weshnet responder: handshake succeeds and Go reads our exact ShareableContact', async () => {
    const me = account()
    const peer = account()
    const rdvSeed = Uint8Array.from(randomBytes(32))
    const metadata = encodeContactMetadata('Ann Requester')
    const { go, socket } = await goResponder(peer.seed)
    await runRequester(
      new SocketStream(socket, 'outbound'),
      { ownAccountSeed: Uint8Array.from(me.seed), peerAccountPk: peer.pk, ownContact: { accountPk: me.pk, publicRendezvousSeed: rdvSeed, metadata } },
      AbortSignal.timeout(20_000)
    )
    const got = await go.next<GoResult>()
    expect(got).toEqual({
      ok: true,
      contact: { pk: hex(me.pk), publicRendezvousSeed: hex(rdvSeed), metadata: hex(metadata) }
    })
    expect(await go.exited).toBe(0)
  }, 60_000)

  it('our requester → weshnet responder holding another key: both sides fail', async () => {
    const me = account()
    const expected = account() // the key we think we are talking to
    const impostor = account() // the key the Go responder really holds
    const { go, socket } = await goResponder(impostor.seed)
    const stream = new SocketStream(socket, 'outbound')
    const ours = runRequester(
      stream,
      {
        ownAccountSeed: Uint8Array.from(me.seed),
        peerAccountPk: expected.pk,
        ownContact: { accountPk: me.pk, publicRendezvousSeed: Uint8Array.from(randomBytes(32)), metadata: new Uint8Array() }
      },
      AbortSignal.timeout(20_000)
    )
    // weshnet resets the stream when it cannot open our box: we see the reset, never a success.
    const err = await ours.then(() => undefined, (e: unknown) => e)
    expect(describeFailure(err)).toBe('the peer closed the connection mid-handshake')
    stream.abort(new Error('request failed')) // as the service's `request()` does on failure
    const got = await go.next<GoResult>()
    expect(got.ok).toBe(false)
    // weshnet's responder cannot open the authenticate box: it is sealed to `expected`, not to it.
    expect(got.error).toContain('box opening failed')
    expect(got.contact).toBeUndefined()
    expect(await go.exited).toBe(1)
  }, 60_000)

  it('weshnet requester → our responder: we read Go\'s exact ShareableContact', async () => {
    const me = account()
    const goAccount = account()
    const goRdvSeed = Uint8Array.from(randomBytes(32))
    const goMetadata = encodeContactMetadata('Go Requester')
    const { port, result } = await ourResponder(me.seed)
    const go = startGoPeer(build.binary, ['request', `127.0.0.1:${port}`, hex(goAccount.seed), hex(me.pk), hex(goRdvSeed), hex(goMetadata)])
    procs.push(go)
    const contact = await result
    expect(hex(contact.accountPk)).toBe(hex(goAccount.pk))
    expect(hex(contact.publicRendezvousSeed)).toBe(hex(goRdvSeed))
    expect(decodeContactMetadata(contact.metadata)).toBe('Go Requester')
    expect(await go.next<GoResult>()).toEqual({ ok: true })
    expect(await go.exited).toBe(0)
  }, 60_000)

  it('weshnet requester without a rendezvous seed → our responder accepts (AllowMissingRDVSeed)', async () => {
    const me = account()
    const goAccount = account()
    const { port, result } = await ourResponder(me.seed)
    const go = startGoPeer(build.binary, ['request', `127.0.0.1:${port}`, hex(goAccount.seed), hex(me.pk), '', ''])
    procs.push(go)
    const contact = await result
    expect(hex(contact.accountPk)).toBe(hex(goAccount.pk))
    expect(contact.publicRendezvousSeed.length).toBe(0)
    expect(await go.next<GoResult>()).toEqual({ ok: true })
  }, 60_000)

  it('weshnet requester aiming at another key → our responder refuses, Go fails', async () => {
    const me = account()
    const goAccount = account()
    const someoneElse = account()
    const { port, result } = await ourResponder(me.seed)
    const go = startGoPeer(build.binary, ['request', `127.0.0.1:${port}`, hex(goAccount.seed), hex(someoneElse.pk), hex(randomBytes(32)), ''])
    procs.push(go)
    await expect(result).rejects.toMatchObject({ code: 'ERR_BAD_BOX' })
    const got = await go.next<GoResult>()
    expect(got.ok).toBe(false)
    expect(await go.exited).toBe(1)
  }, 60_000)
})
