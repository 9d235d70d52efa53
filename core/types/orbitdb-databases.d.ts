/**
 * Types for the parts of @orbitdb/core 4.0.0 that core/net uses, written from node_modules/@orbitdb/core/src
 * (file named on each block). This MERGES with core/types/orbitdb-core.d.ts (core/groups' declarations:
 * LogEntry, Clock, OrbitStorage, OrbitIdentity, OrbitLog, Log, Entry, Memory/LRU/ComposedStorage), so it must
 * not redeclare any of those: `skipLibCheck` hides duplicate-declaration errors in .d.ts files and merged
 * duplicates silently degrade types (e.g. callback parameters become implicit any). Fold into one file.
 */
declare module '@orbitdb/core' {
  import type { EventEmitter } from 'node:events'

  /** src/identities/identity.js */
  export interface Identity {
    id: string
    publicKey: string
    signatures: { id: string; publicKey: string }
    type: string
    hash: string
    bytes: Uint8Array
    sign(identity: Identity, data: Uint8Array | string): Promise<string>
    verify(signature: string, publicKey: string, data: Uint8Array | string): Promise<boolean>
  }

  export interface KeyStoreInstance {
    clear(): Promise<void>
    close(): Promise<void>
    hasKey(id: string): Promise<boolean>
    /** `privateKey` is libp2p raw bytes: 32 = secp256k1, 64 = Ed25519 (seed ‖ pub). */
    addKey(id: string, key: { publicKey?: Uint8Array; privateKey: Uint8Array }): Promise<void>
    createKey(id: string): Promise<unknown>
    getKey(id: string): Promise<unknown>
    getPublic(key: unknown, options?: { format?: 'hex' | 'buffer' }): string | Uint8Array
  }

  /** src/identities/identities.js */
  export interface IdentitiesInstance {
    createIdentity(options?: { id?: string; provider?: unknown }): Promise<Identity>
    verifyIdentity(identity: Identity): Promise<boolean>
    getIdentity(hash: string): Promise<Identity | undefined>
    sign(identity: Identity, data: Uint8Array | string): Promise<string>
    verify(signature: string, publicKey: string, data: Uint8Array | string): Promise<boolean>
    keystore: KeyStoreInstance
  }

  /** src/access-controllers/*.js — the object a factory resolves to. */
  export interface AccessControllerInstance {
    type: string
    address: string
    canAppend(entry: LogEntry): Promise<boolean>
    close?(): Promise<void>
    drop?(): Promise<void>
    [k: string]: unknown
  }

  export interface AccessControllerContext {
    orbitdb: { open: OrbitDB['open']; identity: Identity; ipfs: any }
    identities: IdentitiesInstance
    /** Set when opening an existing address: the manifest's `accessController` string. */
    address?: string
    /** Set when creating: the database name. */
    name?: string
  }

  export type AccessControllerFactory = ((options?: any) => (ctx: AccessControllerContext) => Promise<AccessControllerInstance>) & { type: string }

  /** src/sync.js */
  export interface Sync {
    add(entry: LogEntry): Promise<void>
    start(): Promise<void>
    stop(): Promise<void>
    events: EventEmitter
    peers: Set<string>
  }

  /** src/database.js + src/databases/events.js */
  export interface Database {
    type?: string
    address: string
    name: string
    identity: Identity
    meta: Record<string, unknown>
    log: OrbitLog
    sync: Sync
    peers: Set<string>
    events: EventEmitter
    access: AccessControllerInstance
    addOperation(op: unknown): Promise<string>
    close(): Promise<void>
    drop(): Promise<void>
  }

  export interface EventsDatabase extends Database {
    add(value: unknown): Promise<string>
    get(hash: string): Promise<unknown>
    iterator(options?: { amount?: number; gt?: string; gte?: string; lt?: string; lte?: string }): AsyncIterable<{ hash: string; value: unknown }>
    all(): Promise<Array<{ hash: string; value: unknown }>>
  }

  export interface DatabaseArgs {
    ipfs: any
    identity: Identity
    address: string
    name: string
    access: AccessControllerInstance
    directory: string
    meta: Record<string, unknown>
    headsStorage?: OrbitStorage
    entryStorage?: OrbitStorage
    indexStorage?: OrbitStorage
    referencesCount?: number
    syncAutomatically?: boolean
    onUpdate?: (log: OrbitLog, entry: LogEntry) => Promise<void>
    encryption?: unknown
  }

  export interface OpenOptions {
    type?: string
    meta?: Record<string, unknown>
    /** false: do not start Sync (no pubsub subscription, no heads protocol). */
    sync?: boolean
    Database?: (args: DatabaseArgs) => Promise<Database>
    /** Only used when creating (opening by name); ignored when opening an existing address. */
    AccessController?: (ctx: AccessControllerContext) => Promise<AccessControllerInstance>
    headsStorage?: OrbitStorage
    entryStorage?: OrbitStorage
    indexStorage?: OrbitStorage
    referencesCount?: number
    encryption?: unknown
    signal?: AbortSignal
  }

  /** src/orbitdb.js */
  export interface OrbitDB {
    id: string
    open(address: string, options?: OpenOptions): Promise<any>
    stop(): Promise<void>
    ipfs: any
    directory: string
    keystore: KeyStoreInstance
    identities: IdentitiesInstance
    identity: Identity
    peerId: unknown
  }

  export function createOrbitDB(options: {
    ipfs: any
    id?: string
    identity?: Identity | { provider: unknown }
    identities?: IdentitiesInstance
    directory?: string
  }): Promise<OrbitDB>

  export function useAccessController(ac: AccessControllerFactory): void
  export function useIdentityProvider(provider: unknown): void
  export function Identities(options?: { keystore?: KeyStoreInstance; path?: string; storage?: OrbitStorage; ipfs?: any }): Promise<IdentitiesInstance>
  export function KeyStore(options?: { storage?: OrbitStorage; path?: string }): Promise<KeyStoreInstance>
  export function Events(): (args: DatabaseArgs) => Promise<EventsDatabase>
  export function IPFSBlockStorage(options: { ipfs: any; pin?: boolean; timeout?: number }): Promise<OrbitStorage>
  export const IPFSAccessController: AccessControllerFactory
  export function isValidAddress(address: string): boolean
}
