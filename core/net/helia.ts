/**
 * Helia 7 over an existing libp2p node: bitswap only, no HTTP.
 *
 * Claims:
 * - Blocks missing locally are fetched with bitswap from connected peers only (wantlists go to every
 *   connected bitswap peer; see @helia/bitswap src/bitswap.ts `want`). No trustless HTTP gateway, no
 *   delegated routing, no public bootstrap: we use `createHeliaLight` (helia src/index.ts), which adds none,
 *   instead of `createHelia`, which wraps `withHTTP(withLibp2p(...))` and pulls in gateways and libp2pDefaults.
 * - The libp2p node is owned by the caller: Helia starts it if needed but never stops it.
 *
 * Disclaims:
 * - Content routing is off by default. With `routing: 'libp2p'` bitswap also asks our private DHT for
 *   providers, but nothing here announces (provides) blocks, so that only helps once someone does.
 */
import '../polyfills'
import { withBitswap, type BitswapOptions } from '@helia/bitswap'
import type { Provider, Peer, Router, RoutingOptions, HeliaMixin } from '@helia/interface'
import type { HeliaWithLibp2p } from '@helia/libp2p'
import * as dagCbor from '@ipld/dag-cbor'
import { createHeliaLight } from 'helia'
import type { Blockstore } from 'interface-blockstore'
import type { Datastore } from 'interface-datastore'
import { peerIdFromCID } from '@libp2p/peer-id'
import type { BertyLibp2p, BertyServices } from './libp2p'

export type BertyHelia = HeliaWithLibp2p<BertyServices>

/** Helia's CID (multiformats 14); the root `multiformats` is 13 (OrbitDB's), whose CID type does not unify. */
type CID = Parameters<NonNullable<Router['findProviders']>>[0]

export interface HeliaNodeOptions {
  libp2p: BertyLibp2p
  blockstore: Blockstore
  datastore: Datastore
  /** Bitswap tuning, e.g. `maxIncomingMessageSize`. Default protocol `/ipfs/bitswap/1.2.0`. */
  bitswap?: BitswapOptions
  /** `'none'` (default): connected peers only. `'libp2p'`: also the libp2p content/peer routers (our DHT). */
  routing?: 'none' | 'libp2p'
  /** Start Helia (and libp2p if stopped) before returning. Default false. */
  start?: boolean
}

/**
 * Builds a Helia node on top of `libp2p`. OrbitDB needs `helia.libp2p` (Sync, peer id), `helia.blockstore`
 * (entries), `helia.pins` (it pins every entry) and a dag-cbor codec for pinning.
 */
export async function createHeliaNode(options: HeliaNodeOptions): Promise<BertyHelia> {
  const { libp2p } = options
  const helia = createHeliaLight({
    blockstore: options.blockstore,
    datastore: options.datastore,
    logger: libp2p.logger,
    // OrbitDB entries, manifests and identities are dag-cbor; pins.add walks blocks with this codec.
    codecs: [dagCbor],
    routers: options.routing === 'libp2p' ? [new Libp2pRouter(libp2p)] : []
  }) as BertyHelia

  Object.defineProperty(helia, 'libp2p', { value: libp2p, enumerable: true, configurable: false })

  // Mixins run in insertion order on start: libp2p must be running before bitswap registers its protocol.
  const libp2pMixin: HeliaMixin = {
    name: 'berty-libp2p',
    start: async () => {
      if (libp2p.status !== 'started') await libp2p.start()
    }
  }
  helia.addMixin(libp2pMixin)
  withBitswap(helia, options.bitswap ?? {})

  if (options.start === true) await helia.start()
  return helia
}

/**
 * Router over libp2p's own content/peer routing (our private DHT). Written here because helia 7's
 * `libp2pRouting` is internal to @helia/libp2p (src/routing.ts, not exported).
 */
class Libp2pRouter implements Router {
  readonly name = 'libp2p-router'
  constructor(private readonly libp2p: BertyLibp2p) {}

  async *findProviders(cid: CID, options?: RoutingOptions): AsyncIterable<Provider> {
    for await (const info of this.libp2p.contentRouting.findProviders(cid, options)) {
      yield { id: info.id.toCID(), multiaddrs: info.multiaddrs, router: this.name, fallback: false } as Provider
    }
  }

  async provide(cid: CID, options?: RoutingOptions): Promise<void> {
    await this.libp2p.contentRouting.provide(cid, options)
  }

  async findPeer(id: CID, options?: RoutingOptions): Promise<Peer> {
    const info = await this.libp2p.peerRouting.findPeer(peerIdFromCID(id), options)
    return { id: info.id.toCID(), multiaddrs: info.multiaddrs, router: this.name }
  }
}
