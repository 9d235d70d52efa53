/**
 * Size caps for everything that crosses into storage, and the shared input checks. A peer controls
 * many of the bytes we persist (blocks, OrbitDB entries, DHT records), so every write is bounded
 * before it reaches SQLite; the caps are far above legitimate use and far below what would let one
 * peer fill the disk or the heap in a single write.
 */
import { StorageError } from './errors'

/** Blocks: the IPFS ecosystem treats 1 MiB as the interoperable maximum; 4 MiB leaves headroom. */
export const MAX_BLOCK_BYTES = 4 * 1024 * 1024
/** Datastore values and OrbitDB storage values. */
export const MAX_VALUE_BYTES = 4 * 1024 * 1024
/** Datastore keys, CIDs, OrbitDB keys and namespaces. */
export const MAX_KEY_BYTES = 1024
/** Keystore secrets: seeds and private keys, never bulk data. */
export const MAX_SECRET_BYTES = 4096

const encoder = new TextEncoder()
// `String.prototype.isWellFormed` is ES2024; this is the same test without raising the lib target.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

export function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array
}

export function assertBytes(value: unknown, field: string, max: number): asserts value is Uint8Array {
  if (!isBytes(value)) {
    throw new StorageError('ERR_BAD_INPUT', `${field} must be a Uint8Array`)
  }
  if (value.byteLength > max) {
    throw new StorageError('ERR_TOO_LARGE', `${field} is ${value.byteLength} bytes, the limit is ${max}`)
  }
}

/**
 * Keys must be well-formed strings (no lone surrogates: they would be silently replaced when
 * encoded to UTF-8 and two distinct JS strings would collide on disk) within `max` UTF-8 bytes.
 */
export function assertKeyString(value: unknown, field: string, max: number = MAX_KEY_BYTES): asserts value is string {
  if (typeof value !== 'string') {
    throw new StorageError('ERR_BAD_INPUT', `${field} must be a string`)
  }
  if (value.length === 0) {
    throw new StorageError('ERR_BAD_INPUT', `${field} must not be empty`)
  }
  if (LONE_SURROGATE.test(value)) {
    throw new StorageError('ERR_BAD_INPUT', `${field} must be a well-formed Unicode string`)
  }
  // Cheap bound first: a UTF-16 code unit encodes to at most 3 UTF-8 bytes.
  if (value.length * 3 > max && encoder.encode(value).byteLength > max) {
    throw new StorageError('ERR_TOO_LARGE', `${field} is longer than ${max} bytes`)
  }
}

/**
 * better-sqlite3 returns BLOBs as Node Buffers. Callers (and deep-equality checks in the interface
 * suites) expect plain Uint8Arrays, so re-type the same memory without copying.
 */
export function asUint8Array(buf: Uint8Array): Uint8Array {
  return Object.getPrototypeOf(buf) === Uint8Array.prototype
    ? buf
    : new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)
}

/** Structurally the `AbortOptions` of the interface-store packages, without importing their helper module. */
export interface AbortOptions {
  signal?: AbortSignal
}

/** Throws the signal's reason (an `AbortError` DOMException by default) when already aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) {
    const reason: unknown = signal.reason
    throw reason instanceof Error ? reason : new DOMException('The operation was aborted', 'AbortError')
  }
}
