/**
 * Gossip messages that carry a burst of entry blocks: what one writer appended at once (a chain
 * key boxed to every member is one DEVICE_SECRET entry per member, as weshnet writes them) goes
 * out as one message instead of one per entry. An entry block is a dag-cbor byte string (major
 * type 2); a burst is a dag-cbor array of such blocks (major type 4), so the first byte tells
 * them apart and a single block is published exactly as before.
 */
import * as dagCbor from '@ipld/dag-cbor'
import { SyncError } from './errors'

/** At most this many blocks, and this many bytes, per gossip message (gossipsub caps inbound at 1 MiB). */
export const MAX_BATCH_BLOCKS = 256
export const MAX_BATCH_BYTES = 512 * 1024

export function isGossipBatch(data: Uint8Array): boolean {
  return data.length > 0 && data[0]! >> 5 === 4
}

export function splitGossipBatch(data: Uint8Array): Uint8Array[] {
  if (data.length > MAX_BATCH_BYTES + 16) throw new SyncError('ERR_TOO_LARGE', 'gossip batch too large')
  const v: unknown = dagCbor.decode(data)
  if (!Array.isArray(v) || v.length === 0 || v.length > MAX_BATCH_BLOCKS || !v.every((b) => b instanceof Uint8Array)) {
    throw new SyncError('ERR_PROTOCOL', 'malformed gossip batch')
  }
  return v as Uint8Array[]
}

/** Gossip messages for `blocks`, in order: one block alone as itself, bursts as arrays within the caps. */
export function gossipMessages(blocks: readonly Uint8Array[]): Uint8Array[] {
  if (blocks.length === 1) return [blocks[0]!]
  const out: Uint8Array[] = []
  let cur: Uint8Array[] = []
  let bytes = 0
  const flush = (): void => {
    if (cur.length === 1) out.push(cur[0]!)
    else if (cur.length > 1) out.push(dagCbor.encode(cur))
    cur = []
    bytes = 0
  }
  for (const b of blocks) {
    if (cur.length >= MAX_BATCH_BLOCKS || (cur.length > 0 && bytes + b.length + 8 > MAX_BATCH_BYTES)) flush()
    cur.push(b)
    bytes += b.length + 8
  }
  flush()
  return out
}
