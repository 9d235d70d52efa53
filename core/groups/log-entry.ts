/**
 * A Berty log entry as it travels and is stored (see ./group-log.ts): its payload shape, the stateless
 * structural check every honest writer applies (`entryFault`), the bytes an OrbitDB writer signs, and
 * the Lamport order of PROTOCOL.md "Ordering". No I/O, no OrbitDB instance.
 */
import type { LogEntry } from '@orbitdb/core'
import * as dagCbor from '@ipld/dag-cbor'
import { MAX_SEALED_ENTRY_BYTES } from '../protocol/group/entry-auth'
import { encodeOwnEntryBody, type OwnEntryBody } from './entry-cbor'

/** Upper bound on an encoded (link-key sealed) entry block. */
export const MAX_ENTRY_BLOCK_BYTES = MAX_SEALED_ENTRY_BYTES + 4096
const MAX_LINKS = 64
export const HEX64 = /^[0-9a-f]{64}$/
export const HEX128 = /^[0-9a-f]{128}$/

export interface EntryPayload {
  v: 1
  s: Uint8Array
  g: Uint8Array
}

export type BertyLogEntry = LogEntry<EntryPayload>

export class GroupLogError extends Error {
  override readonly name = 'GroupLogError'
  constructor(
    readonly code: 'ERR_READ_ONLY' | 'ERR_REJECTED' | 'ERR_TOO_LARGE' | 'ERR_CLOSED',
    message: string
  ) {
    super(message)
  }
}

/**
 * The bytes an OrbitDB writer signs (src/oplog/entry.js create/verify): the dag-cbor encoding of
 * { id, payload, next, refs, clock, v }. Encoded here directly: Entry.verify also hashes the block
 * for a CID it never uses, and that doubled the cost of verifying a received entry. A body of the
 * exact shape our writers produce goes through entry-cbor.ts (same bytes, checked against dag-cbor
 * by tests/unit/groups/entry-cbor.test.ts); anything else (extra fields, other types, non-ASCII
 * text) is encoded generically, so what is signed is always exactly what dag-cbor would give.
 */
export function writerSignedBytes(e: LogEntry): Uint8Array {
  const known = signedAtDecode.get(e)
  if (known) {
    signedAtDecode.delete(e)
    return known
  }
  const body = { id: e.id, payload: e._payload ?? e.payload, next: e.next, refs: e.refs, clock: e.clock, v: e.v }
  return isOwnEntryBody(body) ? encodeOwnEntryBody(body) : dagCbor.encode(body)
}

/**
 * Signed bytes sliced from the block by the decoder (entry-decode.ts), for the entry object it just
 * built; taken once, by the verification that follows the decode (nothing holds the object between).
 */
const signedAtDecode = new WeakMap<LogEntry, Uint8Array>()

export function rememberSignedBytes(e: LogEntry, signed: Uint8Array): void {
  signedAtDecode.set(e, signed)
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false
  return true
}

const isAsciiList = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string' && isAscii(s))

/** Exactly the shape entry-cbor.ts encodes: these keys and no others, these types. */
function isOwnEntryBody(b: { id: unknown; payload: unknown; next: unknown; refs: unknown; clock: unknown; v: unknown }): b is OwnEntryBody {
  if (b.v !== 2 || typeof b.id !== 'string' || !isAscii(b.id) || !isAsciiList(b.next) || !isAsciiList(b.refs)) return false
  const p = b.payload as Record<string, unknown> | null
  if (typeof p !== 'object' || p === null || Object.getPrototypeOf(p) !== Object.prototype || Object.keys(p).length !== 3) return false
  if (p.v !== 1 || !(p.s instanceof Uint8Array) || !(p.g instanceof Uint8Array)) return false
  const c = b.clock as Record<string, unknown> | null
  if (typeof c !== 'object' || c === null || Object.getPrototypeOf(c) !== Object.prototype || Object.keys(c).length !== 2) return false
  return typeof c.id === 'string' && isAscii(c.id) && Number.isSafeInteger(c.time) && (c.time as number) >= 0
}

/** An entry's links as stored: next, refs, Lamport time and (since the writer clock) its writer key. */
export function isLinks(v: unknown): v is { n: string[]; r: string[]; t: number; w?: string } {
  if (typeof v !== 'object' || v === null) return false
  const l = v as { n?: unknown; r?: unknown; t?: unknown; w?: unknown }
  return Array.isArray(l.n) && Array.isArray(l.r) && typeof l.t === 'number' && (l.w === undefined || typeof l.w === 'string')
}

export const linksOf = (e: LogEntry) => ({ n: e.next, r: e.refs, t: e.clock.time, w: e.key })

function isBytes(v: unknown, min: number, max: number): v is Uint8Array {
  return v instanceof Uint8Array && v.length >= min && v.length <= max
}

/** Stateless structural check of a decoded entry; returns the fault or null. */
export function entryFault(entry: LogEntry, logId: string): string | null {
  if (typeof entry !== 'object' || entry === null) return 'not an object'
  if (entry.id !== logId) return 'entry belongs to another log'
  if (entry.v !== 2) return 'unsupported entry version'
  if (!Array.isArray(entry.next) || entry.next.length > MAX_LINKS) return 'bad next links'
  if (!Array.isArray(entry.refs) || entry.refs.length > MAX_LINKS) return 'bad refs links'
  for (const links of [entry.next, entry.refs]) for (const l of links) if (typeof l !== 'string' || l.length > 128) return 'bad link'
  const clock = entry.clock
  if (typeof clock !== 'object' || clock === null) return 'missing clock'
  if (!Number.isSafeInteger(clock.time) || clock.time < 1) return 'bad clock time'
  if (typeof entry.key !== 'string' || !HEX64.test(entry.key)) return 'bad writer key'
  if (clock.id !== entry.key) return 'clock id is not the writer key'
  if (typeof entry.sig !== 'string' || !HEX128.test(entry.sig)) return 'bad writer signature encoding'
  const p = entry.payload as Partial<EntryPayload> | undefined
  if (typeof p !== 'object' || p === null || p.v !== 1) return 'bad payload'
  if (!isBytes(p.s, 1, MAX_SEALED_ENTRY_BYTES)) return 'bad sealed payload'
  if (!isBytes(p.g, 64, 64)) return 'bad group signature encoding'
  return null
}

/** Lamport order of PROTOCOL.md "Ordering": time, then writer id, then hash. */
export function compareEntries(a: Pick<LogEntry, 'clock' | 'hash'>, b: Pick<LogEntry, 'clock' | 'hash'>): number {
  if (a.clock.time !== b.clock.time) return a.clock.time - b.clock.time
  if (a.clock.id !== b.clock.id) return a.clock.id < b.clock.id ? -1 : 1
  return a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0
}
