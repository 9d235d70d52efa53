/**
 * Test and bench support: one in-process peer = libp2p + Helia + OrbitDB with memory block/data stores and
 * its own temp directory (OrbitDB keeps keystore, heads and index in LevelDB under it). Loopback, port 0.
 * Not for production wiring (core/node.ts does that).
 */
import '../../core/polyfills'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BitswapOptions } from '@helia/bitswap'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { createOrbitDB, Identities, KeyStore, type IdentitiesInstance, type OrbitDB } from '@orbitdb/core'
import { MemoryBlockstore } from 'blockstore-core'
import { MemoryDatastore } from 'datastore-core'
import { createHeliaNode, type BertyHelia } from '../../core/net/helia'
import { createLibp2pNode, peerKeyFromSeed, type BertyLibp2p, type Libp2pNodeOptions } from '../../core/net/libp2p'

export interface TestPeer {
  name: string
  libp2p: BertyLibp2p
  helia: BertyHelia
  orbitdb: OrbitDB
  dir: string
  stop(): Promise<void>
}

export const LOOPBACK_TCP = ['/ip4/127.0.0.1/tcp/0']

export async function startTestPeer(
  name: string,
  options: Partial<Omit<Libp2pNodeOptions, 'privateKey'>> & {
    bitswap?: BitswapOptions
    /** OrbitDB identity key type. OrbitDB's KeyStore only ever generates secp256k1 (src/key-store.js createKey). */
    identityKey?: 'secp256k1' | 'Ed25519'
  } = {}
): Promise<TestPeer> {
  const { bitswap, identityKey, ...libp2pOptions } = options
  const dir = await mkdtemp(join(tmpdir(), `berty-net-${name}-`))
  const libp2p = await createLibp2pNode({
    privateKey: await peerKeyFromSeed(randomBytes(32)),
    listen: LOOPBACK_TCP,
    webrtc: false,
    ...libp2pOptions
  })
  const helia = await createHeliaNode({
    libp2p,
    blockstore: new MemoryBlockstore(),
    datastore: new MemoryDatastore(),
    ...(bitswap != null ? { bitswap } : {}),
    start: true
  })
  let identities: IdentitiesInstance | undefined
  if (identityKey === 'Ed25519') {
    // Identities.createIdentity (src/identities/identities.js) uses TWO keystore entries: the provider key
    // under the caller's id (PublicKeyIdentityProvider.getId returns hex(its public key)), then the entry
    // signing key under that hex id, created as secp256k1 if absent. Pre-seeding both with one Ed25519 key
    // (64 raw bytes, decoded by @libp2p/crypto privateKeyFromRaw) makes every entry Ed25519-signed.
    const keystore = await KeyStore({ path: join(dir, 'keystore') })
    const key = await generateKeyPair('Ed25519')
    await keystore.addKey(name, { privateKey: key.raw })
    await keystore.addKey(Buffer.from(key.publicKey.raw).toString('hex'), { privateKey: key.raw })
    identities = await Identities({ keystore, ipfs: helia })
  }
  const orbitdb = await createOrbitDB({ ipfs: helia, id: name, directory: dir, ...(identities != null ? { identities } : {}) })
  let stopped = false
  return {
    name,
    libp2p,
    helia,
    orbitdb,
    dir,
    async stop() {
      if (stopped) return
      stopped = true
      await orbitdb.stop()
      await helia.stop()
      await libp2p.stop()
      await rm(dir, { recursive: true, force: true })
    }
  }
}

/** Dials `to` from `from` over its first listen address and resolves once the connection is open. */
export async function connect(from: TestPeer, to: TestPeer): Promise<void> {
  await from.libp2p.dial(to.libp2p.getMultiaddrs(), { signal: AbortSignal.timeout(10_000) })
}

/**
 * Resolves with the first 'update' event whose entry satisfies `match`. OrbitDB emits 'update' for local
 * appends and for every entry joined from the network (src/database.js addOperation / applyOperation).
 */
export function nextUpdate<E = any>(
  db: { events: import('node:events').EventEmitter },
  match: (entry: E) => boolean,
  timeoutMs = 30_000
): Promise<E> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      db.events.off('update', onUpdate)
      reject(new Error(`no matching update within ${timeoutMs} ms`))
    }, timeoutMs)
    const onUpdate = (entry: E): void => {
      if (!match(entry)) return
      clearTimeout(timer)
      db.events.off('update', onUpdate)
      resolve(entry)
    }
    db.events.on('update', onUpdate)
  })
}

/** Resolves once `peer` sees `topicPeer` subscribed to `topic` (gossipsub `subscription-change`). */
export function waitForSubscriber(peer: TestPeer, topic: string, topicPeer: TestPeer, timeoutMs = 30_000): Promise<void> {
  const pubsub = peer.libp2p.services.pubsub
  const has = (): boolean => pubsub.getSubscribers(topic).some((p) => p.equals(topicPeer.libp2p.peerId))
  if (has()) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      pubsub.removeEventListener('subscription-change', check)
      reject(new Error(`${topicPeer.name} not subscribed to ${topic} at ${peer.name} within ${timeoutMs} ms`))
    }, timeoutMs)
    const check = (): void => {
      if (!has()) return
      clearTimeout(timer)
      pubsub.removeEventListener('subscription-change', check)
      resolve()
    }
    pubsub.addEventListener('subscription-change', check)
  })
}
