// Minimal typings for the parts of @orbitdb/core 4.0.0 that core/groups uses (the package
// ships none). Shapes read from node_modules/@orbitdb/core/src/oplog/{log,entry}.js.
declare module '@orbitdb/core' {
  export interface Clock {
    id: string
    time: number
  }

  export interface LogEntry<P = unknown> {
    id: string
    payload: P
    next: string[]
    refs: string[]
    clock: Clock
    v: number
    key: string
    identity: string
    sig: string
    hash: string
    _payload?: unknown
  }

  /** Key-value storage as OrbitDB composes it (entries, heads, index). */
  export interface OrbitStorage {
    put(hash: string, data: unknown): Promise<void>
    get(hash: string): Promise<unknown>
    del(hash: string): Promise<void>
    iterator(options?: { amount?: number; reverse?: boolean }): AsyncGenerator<[string, unknown]>
    merge(other?: Pick<OrbitStorage, 'iterator'>): Promise<void>
    clear(): Promise<void>
    close(): Promise<void>
    persist?(hash: string): Promise<void>
  }

  export interface OrbitIdentity {
    id: string
    publicKey: string
    hash: string
    type: string
    signatures: { id: string; publicKey: string }
    sign(identity: OrbitIdentity, data: Uint8Array): Promise<string>
    verify(signature: string, publicKey: string, data: Uint8Array): Promise<boolean>
  }

  export interface OrbitAccessController {
    type?: string
    canAppend(entry: LogEntry): Promise<boolean>
  }

  export interface ReplicationEncryption {
    replication?: {
      encrypt(bytes: Uint8Array): Promise<Uint8Array>
      decrypt(bytes: Uint8Array): Promise<Uint8Array>
    }
    data?: {
      encrypt(bytes: Uint8Array): Promise<Uint8Array>
      decrypt(bytes: Uint8Array): Promise<Uint8Array>
    }
  }

  export interface OrbitLog {
    id: string
    clock(): Promise<Clock>
    heads(): Promise<LogEntry[]>
    values(): Promise<LogEntry[]>
    get(hash: string): Promise<LogEntry | undefined>
    has(hash: string): Promise<boolean>
    append(data: unknown, options?: { referencesCount?: number }): Promise<LogEntry>
    joinEntry(entry: LogEntry): Promise<boolean>
    traverse(
      rootEntries?: LogEntry[] | null,
      shouldStopFn?: (entry: LogEntry) => Promise<boolean> | boolean
    ): AsyncGenerator<LogEntry>
    iterator(options?: { amount?: number; gt?: string; gte?: string; lt?: string; lte?: string }): AsyncGenerator<LogEntry>
    clear(): Promise<void>
    close(): Promise<void>
    storage: OrbitStorage
  }

  export function Log(
    identity: OrbitIdentity,
    options: {
      logId: string
      logHeads?: LogEntry[]
      access?: OrbitAccessController
      entryStorage?: OrbitStorage
      headsStorage?: OrbitStorage
      indexStorage?: OrbitStorage
      sortFn?: (a: LogEntry, b: LogEntry) => number
      encryption?: ReplicationEncryption
    }
  ): Promise<OrbitLog>

  export const Entry: {
    decode(
      bytes: Uint8Array,
      decryptEntryFn?: (bytes: Uint8Array) => Promise<Uint8Array>,
      decryptPayloadFn?: (bytes: Uint8Array) => Promise<Uint8Array>
    ): Promise<LogEntry>
    encode(
      entry: LogEntry,
      encryptEntryFn?: (bytes: Uint8Array) => Promise<Uint8Array>,
      encryptPayloadFn?: (bytes: Uint8Array) => Promise<Uint8Array>
    ): Promise<{ hash: string; bytes: Uint8Array }>
    verify(identities: Pick<OrbitIdentity, 'verify'>, entry: LogEntry): Promise<boolean>
    isEntry(obj: unknown): boolean
  }

  export function MemoryStorage(): Promise<OrbitStorage>
  export function LRUStorage(options?: { size?: number }): Promise<OrbitStorage>
  export function ComposedStorage(a: OrbitStorage, b: OrbitStorage): Promise<OrbitStorage>
}
