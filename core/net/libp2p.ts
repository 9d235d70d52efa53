/**
 * libp2p 3 composition for a Berty node (ARCHITECTURE.md, module map: core/net).
 *
 * Claims:
 * - Transports: TCP, WebSockets, QUIC v1, circuit relay v2 (client), WebRTC (private-to-private, SDP over a relay)
 *   and, opt-in, WebRTC-direct (UDP listener with a self-signed certificate hash in the address).
 * - Noise + yamux, identify (+ push), ping, gossipsub as `services.pubsub` (OrbitDB's Sync reads that name),
 *   kad-dht in server mode under a private protocol id that keeps private/loopback addresses.
 * - Only the peers the caller names are ever contacted: `bootstrap` and `relays` are dialled on start and
 *   tagged keep-alive; bootstrap peers are kept dialled (peer-keeper.ts), relays kept reserved
 *   (relay-keeper.ts); there is no public bootstrap list, no UPnP, no delegated HTTP routing. Discovery
 *   (mDNS, local records, DHT and rendezvous drivers), the relay and rendezvous server roles, DCUtR and
 *   AutoNAT are added only through `reach` (core/net/reach.ts).
 *
 * Disclaims:
 * - This layer hides nothing about who talks to whom: peers see our IP addresses and the relay sees both ends.
 * - The DHT uses a private protocol id, which partitions it from the public IPFS DHT; it is not an access
 *   control. Anyone who learns the id and an address can join.
 */
import '../polyfills'
import './websocket-polyfill'
import { noise } from '@chainsafe/libp2p-noise'
import { quic } from '@chainsafe/libp2p-quic'
import { yamux } from '@chainsafe/libp2p-yamux'
import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { gossipsub, type GossipSub, type GossipsubOpts } from '@libp2p/gossipsub'
import { identify, identifyPush, type Identify, type IdentifyPush } from '@libp2p/identify'
import { KEEP_ALIVE, type ConnectionGater, type Libp2p, type PeerId, type PeerInfo, type PrivateKey } from '@libp2p/interface'
import { kadDHT, passthroughMapper, type KadDHT } from '@libp2p/kad-dht'
import { peerIdFromString } from '@libp2p/peer-id'
import { ping, type Ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { webRTC, webRTCDirect } from '@libp2p/webrtc'
import { webSockets } from '@libp2p/websockets'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { createLibp2p, type Libp2pOptions } from 'libp2p'
import type { Datastore } from 'interface-datastore'
import { contactRequestService, type ContactRequestService, type ContactRequestServiceInit } from './contact-request'
import type { BleDriver } from './ble/driver'
import { BLE_DEFAULT_LISTEN } from './ble/multiaddr'
import { BLE_YAMUX, ble } from './ble/transport'
import { liveness, type Liveness, type LivenessInit } from './liveness'
import type { Logger } from '../log'
import { NetError } from './errors'
import { reachServices, type ReachOptions, type ReachServices } from './reach'
import { pathUpgrade, type PathUpgrade } from './path-upgrade'
import { relayKeeper, type RelayKeeper } from './relay-keeper'
import { PeerKeeper } from './peer-keeper'
import { peerRecordCache } from './peer-record-cache'
import { noiseCrypto } from './noise-crypto'
import { stunUrlsOf } from './stun'

/**
 * Dead-connection detection (liveness.ts): a ping every 30 s, 25 s each, aborted after two misses in
 * a row (the second asked at once): a dead link goes within 80 s, a busy one must be silent 50 s.
 */
export const LIVENESS: LivenessInit = { intervalMs: 30_000, timeoutMs: 25_000, failures: 2 }
/** Over a radio a ping queues behind seconds of data (ble/transport.ts): longer. */
export const BLE_LIVENESS: LivenessInit = { intervalMs: 45_000, timeoutMs: 40_000, failures: 2 }

/** Private DHT protocol id: partitions our DHT from the public IPFS one (`/ipfs/kad/1.0.0`). */
export const BERTY_DHT_PROTOCOL = '/berty/kad/1.0.0'

/** Tag put on bootstrap and relay peers; any tag starting with `keep-alive` makes libp2p redial them. */
export const BERTY_KEEP_ALIVE_TAG = `${KEEP_ALIVE}-berty`

/**
 * Desktop default: all IPv4 interfaces, ephemeral ports. Tests pass loopback explicitly. QUIC v1 is the
 * only transport deployed weshnet listens on, so it is on by default.
 */
export const DEFAULT_LISTEN: readonly string[] = ['/ip4/0.0.0.0/tcp/0', '/ip4/0.0.0.0/tcp/0/ws', '/ip4/0.0.0.0/udp/0/quic-v1']

// `Partial<ReachServices>`: present only when `options.reach` asks for them (issue 10, core/net/reach.ts).
export interface BertyServices extends Record<string, unknown>, Partial<ReachServices> {
  identify: Identify
  identifyPush: IdentifyPush
  ping: Ping
  /** Dead-connection detection (liveness.ts), in place of libp2p's connection monitor. */
  liveness: Liveness
  pubsub: GossipSub
  dht: KadDHT
  /** weshnet `/wesh/contact_req/1.0.0`, present when `contactRequest` is given. */
  contactRequest?: ContactRequestService
  /** Reservations on the relays the user names, changeable at runtime (absent without IP transports). */
  relayKeeper?: RelayKeeper
  /** Relayed → direct upgrades: the peer's own addresses, then WebRTC (absent without IP transports). */
  pathUpgrade?: PathUpgrade
}

export type BertyLibp2p = Libp2p<BertyServices>

export interface WebRTCOptions {
  /** Private-to-private WebRTC (SDP exchanged over a relayed connection). Listens on `/webrtc`. Default true. */
  relayed?: boolean
  /**
   * WebRTC-direct: a UDP listener whose address carries a certificate hash, dialable without a relay.
   * Default false; set `listen` to include e.g. `/ip4/0.0.0.0/udp/0/webrtc-direct` to use it.
   */
  direct?: boolean
}

export interface Libp2pNodeOptions {
  /** Ed25519 peer key, e.g. from {@link peerKeyFromSeed}. Persisting the seed keeps the PeerId stable. */
  privateKey: PrivateKey
  /** Listen multiaddrs. Default {@link DEFAULT_LISTEN}. `/webrtc` and `<relay>/p2p-circuit` are added as needed. */
  listen?: string[]
  /** Addresses to announce instead of the listen addresses (e.g. a replica behind a port forward). */
  announce?: string[]
  /** Peers dialled on start and kept alive. Never a public list. Multiaddrs should end in `/p2p/<id>`. */
  bootstrap?: string[]
  /** Circuit relay v2 servers to reserve a slot on; each must end in `/p2p/<id>`. Changeable: `services.relayKeeper.set`. */
  relays?: string[]
  /** Structured logger for the node's own services (relay keeper, path upgrade). */
  log?: Logger
  /** Extra ICE (STUN) server URLs for WebRTC, besides the relays' own STUN. Default none. */
  iceServers?: string[]
  /** Persists the peer store, DHT records and WebRTC-direct certificates. Default in memory. */
  datastore?: Datastore
  /** Default `{ relayed: true, direct: false }`; `false` disables both. */
  webrtc?: WebRTCOptions | false
  /** Override the DHT protocol id (tests may isolate swarms). Default {@link BERTY_DHT_PROTOCOL}. */
  dhtProtocol?: string
  /** Extra gossipsub settings merged over ours. */
  gossipsub?: Partial<GossipsubOpts>
  /** Deny peers/addresses (e.g. a block list, or test topologies). Default: allow all, private addresses included. */
  connectionGater?: ConnectionGater
  /** Cap on simultaneous connections. Default 100. */
  maxConnections?: number
  /** Per-dial timeout in ms (each address gets up to 15 s of it). Default 20 s. */
  dialTimeout?: number
  /** Serve and send weshnet contact requests (`services.contactRequest`). Default: not mounted. */
  contactRequest?: ContactRequestServiceInit
  /**
   * Discovery drivers, rendezvous/relay server roles, DCUtR, AutoNAT (core/net/reach.ts). Default none:
   * then the node behaves exactly as without this option.
   */
  reach?: ReachOptions
  /** Start the node before returning. Default false: the composition root decides (ARCHITECTURE.md principles). */
  start?: boolean
  /** BLE radio (core/net/ble): adds the `/ble` transport and listens on `/ble/<our id>`. */
  ble?: BleDriver
  /** IP transports (TCP, WebSockets, circuit relay, WebRTC). Default true; false leaves only BLE (`--listen none`). */
  ip?: boolean
}

/**
 * Builds a libp2p Ed25519 key from a persisted 32-byte seed (the account's or device's peer seed).
 * Equal to `privateKeyFromRaw(seed ‖ ed25519.getPublicKey(seed))` from `@libp2p/crypto/keys`.
 */
export async function peerKeyFromSeed(seed: Uint8Array): Promise<PrivateKey> {
  if (!(seed instanceof Uint8Array) || seed.length !== 32) {
    throw new NetError('ERR_BAD_SEED', `seed must be a 32-byte Uint8Array, got ${describe(seed)}`)
  }
  return generateKeyPairFromSeed('Ed25519', seed)
}

/** Gossipsub settings for a small private mesh (a group's devices, a few replicas). */
export const GOSSIPSUB_DEFAULTS: Partial<GossipsubOpts> = {
  // OrbitDB publishes heads whether or not anyone listens; a lone device must not throw on append.
  allowPublishToZeroTopicPeers: true,
  // Our own appends are applied locally; echoing them back would double-process.
  emitSelf: false,
  // Only gossipsub peers: floodsub is an extra protocol surface we do not need.
  fallbackToFloodsub: false,
  // Small meshes: send own messages to every topic peer, not just the mesh.
  floodPublish: true,
  // Peer exchange would hand our peers' addresses to strangers.
  doPX: false,
  // Heads are a few hundred bytes; anything near this is abuse.
  maxInboundDataLength: 1024 * 1024,
  ignoreDuplicatePublishError: true,
  // Group entries carry their own signatures (group key and writer key) and are verified by the
  // topic validator, so gossipsub's per-message peer signature only cost a sign per publish and a
  // verify per hop, and bound every message to the publisher's PeerId for anyone relaying it.
  // Without it, message ids are content hashes (gossipsub's StrictNoSign default).
  globalSignaturePolicy: 'StrictNoSign',
  // Gossipsub's IP-colocation penalty (a Sybil defence for public swarms) graylists every peer
  // once more than 10 share an address: all peers reached through one circuit relay, behind one
  // NAT (an office, a meetup's Wi-Fi) or on one machine. Group traffic is verified end to end,
  // so here it only cut the mesh: at 16+ members no entry propagated any more.
  scoreParams: { IPColocationFactorWeight: 0 },
  // IDONTWANT (sent to every mesh peer for each message above this size) exists to save
  // bandwidth on large messages; for group entries (hundreds of bytes, a burst of them a few
  // KiB) it doubled the RPCs written per received message: a third of gossip's CPU at a join.
  idontwantMinDataSize: 16 * 1024,
  // A publish is encoded once for all its recipients (with floodPublish, every topic peer), not once
  // per peer; the forwards are too (patches/@libp2p+gossipsub+17.1.1.patch). Same bytes on the wire.
  batchPublish: true
}

/**
 * Creates (and, with `start: true`, starts) a libp2p node. Bootstrap and relay peers are dialled on
 * `start` (the node's own `start` event), never before.
 */
export async function createLibp2pNode(options: Libp2pNodeOptions): Promise<BertyLibp2p> {
  if (options.privateKey == null) {
    throw new NetError('ERR_BAD_OPTION', 'privateKey is required')
  }
  const relays = parseAddrs(options.relays ?? [], 'relays', true)
  const bootstrap = parseAddrs(options.bootstrap ?? [], 'bootstrap', false)
  const ip = options.ip !== false
  if (!ip && options.ble == null) throw new NetError('ERR_BAD_OPTION', 'ip: false needs a BLE driver: a node with no transport cannot connect')
  const rtc = options.webrtc === false || !ip ? { relayed: false, direct: false } : { relayed: true, direct: false, ...options.webrtc }

  const listen = ip ? [...(options.listen ?? DEFAULT_LISTEN)] : []
  // Relays are not listen addresses: the relay keeper reserves on them after start and again after a loss.
  if (rtc.relayed && !listen.includes('/webrtc')) listen.push('/webrtc')

  const transports: NonNullable<Libp2pOptions['transports']> = ip
    ? [
        tcp(),
        webSockets(),
        // QUIC v1 (TLS 1.3 + native streams, no Noise/yamux): what weshnet peers listen on.
        quic(),
        // The relay client is always present: it is how WebRTC signalling reaches peers behind NAT.
        circuitRelayTransport()
      ]
    : []
  // ICE servers: STUN on the relays in use (our relays answer it, core/net/stun.ts) plus any the caller
  // names; never libp2p's default list of third-party STUN servers. Read at each WebRTC dial or answer.
  const holder: { node?: BertyLibp2p } = {}
  const iceServers = (): Array<{ urls: string }> => {
    const live = holder.node?.services.relayKeeper?.status().map((r) => multiaddr(r.relay)) ?? relays
    return [...stunUrlsOf(live), ...(options.iceServers ?? [])].map((urls) => ({ urls }))
  }
  if (rtc.relayed) transports.push(webRTC({ rtcConfiguration: () => ({ iceServers: iceServers() }) }))
  if (rtc.direct) transports.push(webRTCDirect())
  if (options.ble != null) {
    transports.push(ble({ driver: options.ble }))
    listen.push(BLE_DEFAULT_LISTEN)
  }

  // Peer records in memory, written back at most every 10 s (peer-record-cache.ts): libp2p reads and
  // rewrites a peer's record on every stream the peer opens. Flushed again when the node stops.
  const legacy = options.reach?.legacyIdle === true
  const cache = options.datastore != null && !legacy
    ? peerRecordCache(options.datastore, { onError: (err) => options.log?.('warn', 'peer store: writing peer records failed', { error: String(err) }) })
    : undefined
  const datastore = cache ?? options.datastore

  const config: Libp2pOptions<BertyServices> = {
    privateKey: options.privateKey,
    start: false,
    nodeInfo: { name: 'berty', version: '0', userAgent: 'berty' },
    addresses: {
      listen,
      ...(options.announce != null ? { announce: options.announce } : {})
    },
    transports,
    connectionEncrypters: [noise(noiseCrypto === undefined ? {} : { crypto: noiseCrypto })],
    // Over BLE, yamux's growing windows queue seconds of data ahead of every other stream (transport.ts).
    streamMuxers: [options.ble != null ? yamux(BLE_YAMUX) : yamux()],
    // libp2p's connection monitor aborts a connection at its first late ping. A node busy catching up
    // or joining (verification, SQLite, gossip) stalls its pings past any timeout, and every
    // connection it had was cut at once: with 10 members in one process on 2 cores, then again with
    // 50 even with the timeout raised to 25 s (1,763 connections aborted in one run). Our liveness
    // service (liveness.ts) aborts a connection only after several missed pings in a row.
    connectionMonitor: { enabled: false },
    // libp2p 3's default gater allows everything, including private and loopback addresses (closed network).
    ...(options.connectionGater != null ? { connectionGater: options.connectionGater } : {}),
    connectionManager: {
      maxConnections: options.maxConnections ?? 100,
      dialTimeout: options.dialTimeout ?? 20_000,
      // libp2p's default gives each address 6 s; a relayed WebRTC dial (relay hop, SDP exchange,
      // ICE) needs longer on a loaded machine or a slow network, and failed there first.
      addressDialTimeout: Math.min(options.dialTimeout ?? 20_000, 15_000)
    },
    peerDiscovery: [],
    services: {
      identify: identify(),
      identifyPush: identifyPush(),
      ping: ping(),
      liveness: liveness(options.ble != null ? BLE_LIVENESS : LIVENESS),
      // Gossip runs over relayed (limited) connections too: two members whose only path is a friend's
      // relay must still exchange entries (the relay's limits bound it; DCUtR upgrades when it can).
      pubsub: gossipsub({ ...GOSSIPSUB_DEFAULTS, runOnLimitedConnection: true, ...options.gossipsub }),
      dht: kadDHT({
        protocol: options.dhtProtocol ?? BERTY_DHT_PROTOCOL,
        clientMode: false,
        // Closed network: peers are often on the same LAN or loopback. The default mapper drops those.
        peerInfoMapper: keepAllAddresses
      }),
      ...(options.contactRequest != null ? { contactRequest: contactRequestService(options.contactRequest) } : {}),
      ...(ip ? { pathUpgrade: pathUpgrade({ webrtc: rtc.relayed, ...(options.log != null ? { log: options.log } : {}) }) } : {}),
      ...(ip ? { relayKeeper: relayKeeper({ relays: relays.map(String), tag: BERTY_KEEP_ALIVE_TAG, ...(options.log != null ? { log: options.log } : {}) }) } : {}),
      ...(reachServices(options.reach) as Record<string, never>),
      ...(cache != null ? { peerRecordFlush: () => ({ start() {}, stop() {}, afterStop: async () => cache.flush() }) } : {})
    },
    ...(datastore != null ? { datastore } : {})
  }

  const node = await createLibp2p<BertyServices>(config)
  holder.node = node

  // Bootstrap peers with a peer id are kept dialled (peer-keeper.ts: libp2p's reconnect queue gives
  // up on a peer after five tries, and a peer down at start was never dialled again); one without
  // is dialled once at start.
  const kept = bootstrap.flatMap((addr) => {
    const peerId = peerIdOf(addr)
    return peerId == null ? [] : [{ peerId, addr }]
  })
  const keeper = new PeerKeeper({
    targets: () => kept,
    dial: (addr, signal) => node.dial(addr, { signal }),
    connected: (peerId) => node.getConnections().some((c) => c.remotePeer.toString() === peerId),
    what: 'a bootstrap peer',
    ...(options.log != null ? { log: options.log } : {})
  })
  const dialKnown = (): void => {
    for (const addr of bootstrap) void keepAliveDial(node, addr, peerIdOf(addr) == null)
    keeper.start()
  }
  node.addEventListener('start', dialKnown)
  node.addEventListener('stop', () => keeper.stop())

  if (options.start === true) await node.start()
  return node
}

/** A gater refusing any connection with the peers in `peers` (both directions); the array is read live. */
export function denyPeers(peers: readonly PeerId[]): ConnectionGater {
  const denied = (id: PeerId): boolean => peers.some((p) => p.equals(id))
  return {
    denyDialPeer: async (id) => denied(id),
    denyInboundEncryptedConnection: async (id) => denied(id),
    denyOutboundEncryptedConnection: async (id) => denied(id)
  }
}

/** Keeps every address the DHT learns, private and loopback included. */
export function keepAllAddresses(peer: PeerInfo): PeerInfo {
  return passthroughMapper(peer)
}

/** Tags a bootstrap peer keep-alive (pruned last); `dial`: also dials it (the keeper dials the others). */
async function keepAliveDial(node: BertyLibp2p, addr: Multiaddr, dial: boolean): Promise<void> {
  const peerId = peerIdOf(addr)
  try {
    if (peerId != null) {
      const id = peerIdFromString(peerId)
      await node.peerStore.merge(id, {
        multiaddrs: [addr],
        tags: { [BERTY_KEEP_ALIVE_TAG]: { value: 50 } }
      })
    }
    if (dial) await node.dial(addr, { signal: AbortSignal.timeout(10_000) })
  } catch (err) {
    // Not fatal: a node must start with no peer reachable.
    node.logger.forComponent('berty:net').error('dial %a failed - %e', addr, err)
  }
}

function parseAddrs(addrs: string[], field: string, needPeerId: boolean): Multiaddr[] {
  return addrs.map((s, i) => {
    let ma: Multiaddr
    try {
      ma = multiaddr(s)
    } catch (err) {
      throw new NetError('ERR_BAD_OPTION', `${field}[${i}] is not a multiaddr: ${s}`, { cause: err })
    }
    if (needPeerId && peerIdOf(ma) == null) {
      throw new NetError('ERR_BAD_OPTION', `${field}[${i}] must end in /p2p/<peer id>: ${s}`)
    }
    return ma
  })
}

/** The last `/p2p/<id>` of an address (multiaddr 13 dropped `getPeerId()`). */
export function peerIdOf(addr: Multiaddr): string | undefined {
  return addr.getComponents().findLast((c) => c.name === 'p2p')?.value
}

function describe(value: unknown): string {
  return value instanceof Uint8Array ? `${value.length} bytes` : typeof value
}
