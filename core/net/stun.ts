/**
 * A STUN Binding responder (RFC 8489 §6.3.1, the part NAT traversal needs: "what address do you see me
 * from?") served by our relay daemons (`--relay`), and the ICE server list our WebRTC transport uses.
 *
 * Why: two peers each behind a NAT can only get a direct path with addresses as the outside sees them.
 * js-libp2p's TCP and QUIC dial from ephemeral sockets, never from their listening one, so DCUtR cannot
 * punch through two NATs; WebRTC (ICE) can, when each side learns its server-reflexive address from a
 * STUN server and the NATs keep one mapping per local socket (Linux MASQUERADE without `--random`).
 * libp2p's WebRTC otherwise asks Google, Twilio, Cloudflare and Mozilla STUN servers: a third party
 * learns every user's address. Here the only STUN servers are the relays the user named: a relay at
 * `/ip4/<ip>/tcp/<port>/…` answers STUN on UDP `<ip>:<port>` (same number, other protocol).
 *
 * Claims: requests are parsed by `@msimerson/stun` (a maintained STUN library) behind our own checks (size,
 * type, magic cookie, length field); replies are no larger
 * than requests allow (no amplification) and rate-limited per source address.
 * Disclaims: no authentication (a Binding response tells the asker only its own address), no TURN.
 */
import { createSocket, type Socket } from 'node:dgram'
import stun from '@msimerson/stun'
import type { Multiaddr } from '@multiformats/multiaddr'
import { silentLogger, type Logger } from '../log'

/** Largest request answered: a Binding request from an ICE agent is well under this; so is the reply (no amplification). */
const MAX_REQUEST = 548

/**
 * The Binding success response for `req` seen from `address:port` (IPv4), or undefined if `req` is not
 * a well-formed RFC 5389+ Binding request. Parsing and encoding are `@msimerson/stun`'s; the checks
 * around it (size, type, cookie, declared length, IPv4 only) are ours.
 */
export function stunBindingResponse(req: Uint8Array, address: string, port: number): Buffer | undefined {
  if (req.length < 20 || req.length > MAX_REQUEST) return undefined
  const bytes = Buffer.from(req.buffer, req.byteOffset, req.length)
  // The header's length field must cover exactly the attributes (the library would read past a lie).
  if (bytes.readUInt16BE(2) % 4 !== 0 || 20 + bytes.readUInt16BE(2) !== req.length) return undefined
  if (!isIPv4(address) || !Number.isInteger(port) || port < 1 || port > 65535) return undefined
  let msg
  try {
    msg = stun.decode(bytes)
  } catch {
    return undefined
  }
  if (msg.type !== stun.constants.STUN_BINDING_REQUEST || msg.isLegacy()) return undefined
  const res = stun.createMessage(stun.constants.STUN_BINDING_RESPONSE, msg.transactionId)
  res.addXorAddress(address, port)
  res.addFingerprint()
  return res.toBuffer()
}

function isIPv4(address: string): boolean {
  const ip = address.split('.')
  return ip.length === 4 && ip.every((n) => /^\d{1,3}$/.test(n) && Number(n) <= 255)
}

export interface StunServerOptions {
  /** Most responses per source address per second. Default 20. */
  perSourcePerSecond?: number
  log?: Logger
}

/** A STUN responder on each `ip:port` asked (IPv4 UDP). `close()` ends them all. */
export class StunServer {
  private readonly sockets = new Map<string, Socket>()
  private readonly buckets = new Map<string, { tokens: number; at: number }>()
  private readonly log: Logger
  answered = 0
  refused = 0

  constructor(private readonly options: StunServerOptions = {}) {
    this.log = options.log ?? silentLogger
  }

  /** Serves on `ip:port`; resolves once bound (rejects if the port is taken). Idempotent. */
  async serve(ip: string, port: number): Promise<void> {
    const key = `${ip}:${port}`
    if (this.sockets.has(key)) return
    const socket = createSocket({ type: 'udp4' })
    socket.on('message', (msg, rinfo) => this.onMessage(socket, msg, rinfo.address, rinfo.port))
    socket.on('error', (err) => this.log('warn', 'stun: socket error', { at: key, error: err.message }))
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject)
      socket.bind(port, ip, () => {
        socket.off('error', reject)
        resolve()
      })
    })
    socket.unref()
    this.sockets.set(key, socket)
    this.log('info', 'stun: serving binding requests', { at: key })
  }

  close(): void {
    for (const s of this.sockets.values()) s.close()
    this.sockets.clear()
  }

  private onMessage(socket: Socket, msg: Buffer, address: string, port: number): void {
    if (!this.allow(address)) {
      this.refused++
      return
    }
    const res = stunBindingResponse(msg, address, port)
    if (res == null) {
      this.refused++
      return
    }
    this.answered++
    socket.send(res, port, address)
  }

  private allow(address: string): boolean {
    const rate = this.options.perSourcePerSecond ?? 20
    const now = Date.now()
    let b = this.buckets.get(address)
    if (b == null) {
      if (this.buckets.size >= 10_000) this.buckets.clear()
      b = { tokens: rate, at: now }
      this.buckets.set(address, b)
    }
    b.tokens = Math.min(rate, b.tokens + ((now - b.at) / 1000) * rate)
    b.at = now
    if (b.tokens < 1) return false
    b.tokens--
    return true
  }
}

/** `stun:<ip>:<port>` for each relay reachable over IPv4 TCP (our relays answer STUN there). */
export function stunUrlsOf(relays: Multiaddr[]): string[] {
  const urls = new Set<string>()
  for (const relay of relays) {
    const c = relay.getComponents()
    const ip = c.find((x) => x.name === 'ip4')?.value
    const tcp = c.find((x) => x.name === 'tcp')?.value
    if (ip != null && tcp != null && !c.some((x) => x.name === 'p2p-circuit')) urls.add(`stun:${ip}:${tcp}`)
  }
  return [...urls]
}
