/**
 * In-memory registrations of a rendezvous server, with the semantics of berty/go-libp2p-rendezvous
 * (svc.go handleRegister/handleDiscover, db/sqlite/db.go at 24528bcc6f8d7472df6a780f8ea155fedb10c2dd):
 * one registration per (peer, namespace), replaced on re-register with a new counter; discover returns
 * live registrations with a counter above the cookie's, oldest first; the cookie is
 * `u64be(counter) ‖ SHA-256(nonce ‖ ns ‖ u64be(counter))` (40 bytes, as packCookie) so a client can only
 * replay cookies this server instance issued for that namespace.
 *
 * Claims: bounded — at most `maxPerPeer` namespaces per peer, `maxTotal` registrations, TTL capped,
 * namespaces and address blobs capped in bytes; expired entries are never returned and are pruned.
 * The server stores namespaces as the opaque strings it is given (Berty sends rotating rendezvous points).
 * Disclaims: it necessarily holds each registrant's peer id and addresses until expiry.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { randomBytes } from '../../crypto'
import { rendezvous } from './proto/rendezvous'

const Status = rendezvous.Message.ResponseStatus

export interface RendezvousLimits {
  /** Most namespaces one peer may be registered under at once. Go's MaxRegistrations is 1000; ours is lower. */
  maxPerPeer: number
  /** Most registrations held in total. */
  maxTotal: number
  /** Longest TTL granted, seconds (Go MaxTTL 72 h). */
  maxTtlSec: number
  /** TTL when the client sends 0 (Go DefaultTTL 2 h). */
  defaultTtlSec: number
  /** Namespace bytes (Go MaxNamespaceLength 256). */
  maxNamespaceBytes: number
  /** Sum of address bytes (Go MaxPeerAddressLength 2048). */
  maxAddrBytes: number
  /** Most registrations in one discover response (Go MaxDiscoverLimit 1000). */
  maxDiscoverLimit: number
}

export const DEFAULT_RENDEZVOUS_LIMITS: RendezvousLimits = {
  maxPerPeer: 100,
  maxTotal: 10_000,
  maxTtlSec: 72 * 3600,
  defaultTtlSec: 2 * 3600,
  maxNamespaceBytes: 256,
  maxAddrBytes: 2048,
  maxDiscoverLimit: 1000
}

export interface StoredRegistration {
  ns: string
  peerId: Uint8Array
  addrs: Uint8Array[]
  expiresAt: number
  counter: bigint
}

export type RegisterResult = { ok: true; ttlSec: number } | { ok: false; status: rendezvous.Message.ResponseStatus; text: string }
export type DiscoverResult =
  | { ok: true; registrations: Array<rendezvous.Message.Register>; cookie?: Uint8Array }
  | { ok: false; status: rendezvous.Message.ResponseStatus; text: string }

export class RegistrationStore {
  /** ns → peer key → registration. */
  private readonly byNs = new Map<string, Map<string, StoredRegistration>>()
  /** peer key → namespaces it is registered under. */
  private readonly byPeer = new Map<string, Set<string>>()
  private total = 0
  private counter = 0n
  private readonly nonce = randomBytes(32)

  constructor(readonly limits: RendezvousLimits = DEFAULT_RENDEZVOUS_LIMITS, private readonly now: () => number = Date.now) {}

  get size(): number {
    return this.total
  }

  get peers(): number {
    return this.byPeer.size
  }

  /** `peerKey` is the authenticated remote peer (Noise); `peerId` its multihash bytes, as sent back in discover. */
  register(peerKey: string, peerId: Uint8Array, ns: string, addrs: Uint8Array[], ttlSec: bigint): RegisterResult {
    if (ns === '') return { ok: false, status: Status.E_INVALID_NAMESPACE, text: 'unspecified namespace' }
    if (Buffer.byteLength(ns) > this.limits.maxNamespaceBytes) return { ok: false, status: Status.E_INVALID_NAMESPACE, text: 'namespace too long' }
    if (addrs.length === 0) return { ok: false, status: Status.E_INVALID_PEER_INFO, text: 'missing peer addresses' }
    const addrBytes = addrs.reduce((n, a) => n + a.byteLength, 0)
    if (addrBytes > this.limits.maxAddrBytes) return { ok: false, status: Status.E_INVALID_PEER_INFO, text: 'peer info too long' }
    if (ttlSec < 0n || ttlSec > BigInt(this.limits.maxTtlSec)) return { ok: false, status: Status.E_INVALID_TTL, text: 'bad ttl' }
    const ttl = ttlSec === 0n ? this.limits.defaultTtlSec : Number(ttlSec)

    this.pruneExpired()
    const mine = this.byPeer.get(peerKey)
    const replacing = mine?.has(ns) === true
    if (!replacing && (mine?.size ?? 0) >= this.limits.maxPerPeer) {
      return { ok: false, status: Status.E_NOT_AUTHORIZED, text: 'too many registrations' }
    }
    if (!replacing && this.total >= this.limits.maxTotal) {
      return { ok: false, status: Status.E_UNAVAILABLE, text: 'server full' }
    }

    if (replacing) this.remove(peerKey, ns)
    this.counter++
    let regs = this.byNs.get(ns)
    if (regs == null) {
      regs = new Map()
      this.byNs.set(ns, regs)
    }
    regs.set(peerKey, { ns, peerId: peerId.slice(), addrs: addrs.map((a) => a.slice()), expiresAt: this.now() + ttl * 1000, counter: this.counter })
    let set = mine
    if (set == null) {
      set = new Set()
      this.byPeer.set(peerKey, set)
    }
    set.add(ns)
    this.total++
    return { ok: true, ttlSec: ttl }
  }

  unregister(peerKey: string, ns: string): void {
    if (ns === '') {
      // go-libp2p-rendezvous: an empty namespace unregisters the peer everywhere.
      for (const each of [...(this.byPeer.get(peerKey) ?? [])]) this.remove(peerKey, each)
      return
    }
    this.remove(peerKey, ns)
  }

  discover(ns: string, limit: bigint, cookie: Uint8Array | undefined): DiscoverResult {
    // Go lists every namespace for ns == ""; we refuse: enumerating who meets where is not a service we offer.
    if (ns === '') return { ok: false, status: Status.E_INVALID_NAMESPACE, text: 'unspecified namespace' }
    if (Buffer.byteLength(ns) > this.limits.maxNamespaceBytes) return { ok: false, status: Status.E_INVALID_NAMESPACE, text: 'namespace too long' }
    let after = 0n
    if (cookie != null && cookie.byteLength > 0) {
      if (!this.validCookie(ns, cookie)) return { ok: false, status: Status.E_INVALID_COOKIE, text: 'bad cookie' }
      after = Buffer.from(cookie.subarray(0, 8)).readBigUInt64BE(0)
    }
    const max = limit > 0n && limit < BigInt(this.limits.maxDiscoverLimit) ? Number(limit) : this.limits.maxDiscoverLimit
    const now = this.now()
    const live = [...(this.byNs.get(ns)?.values() ?? [])]
      .filter((r) => r.expiresAt > now && r.counter > after)
      .sort((a, b) => (a.counter < b.counter ? -1 : 1))
      .slice(0, max)
    const last = live.at(-1)?.counter ?? after
    return {
      ok: true,
      registrations: live.map((r) => ({
        // Go leaves `ns` empty in a namespaced discover (db.go: `if ns == "" { reg.Ns = rns }`).
        ns: '',
        peer: { id: r.peerId, addrs: r.addrs },
        ttl: BigInt(Math.max(0, Math.floor((r.expiresAt - now) / 1000)))
      })),
      ...(last > 0n ? { cookie: this.packCookie(last, ns) } : {})
    }
  }

  /** Drops expired registrations; returns how many. */
  pruneExpired(): number {
    const now = this.now()
    let n = 0
    for (const [ns, regs] of this.byNs) {
      for (const [peer, reg] of regs) {
        if (reg.expiresAt <= now) {
          this.remove(peer, ns)
          n++
        }
      }
    }
    return n
  }

  private remove(peerKey: string, ns: string): void {
    const regs = this.byNs.get(ns)
    if (regs?.delete(peerKey) !== true) return
    this.total--
    if (regs.size === 0) this.byNs.delete(ns)
    const set = this.byPeer.get(peerKey)
    set?.delete(ns)
    if (set?.size === 0) this.byPeer.delete(peerKey)
  }

  private packCookie(counter: bigint, ns: string): Uint8Array {
    const c = Buffer.alloc(8)
    c.writeBigUInt64BE(counter)
    const out = new Uint8Array(40)
    out.set(c, 0)
    out.set(sha256(Buffer.concat([this.nonce, Buffer.from(ns), c])), 8)
    return out
  }

  private validCookie(ns: string, cookie: Uint8Array): boolean {
    if (cookie.byteLength !== 40) return false
    const expected = this.packCookie(Buffer.from(cookie.subarray(0, 8)).readBigUInt64BE(0), ns)
    let diff = 0
    for (let i = 8; i < 40; i++) diff |= (expected[i] as number) ^ (cookie[i] as number)
    return diff === 0
  }
}
