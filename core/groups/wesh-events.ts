/**
 * Pass-through weshnet events in an open group (core/protocol/group/wesh-events.ts): the engine
 * carries them for the features built on it (contacts, device linking, replication) without
 * interpreting them. Kept in memory in log order; the metadata replay at open rebuilds the list.
 */
import type { MetadataEvent } from '../protocol/group'
import { isPassThroughType } from '../protocol/group'
import { compareEntries, type BertyLogEntry } from './group-log'
import type { OpenGroup, WeshEvent } from './types'

/** Adds a verified pass-through event at its place in log order; undefined if already listed or not pass-through. */
export function addWeshEvent(g: OpenGroup, event: MetadataEvent, entry: BertyLogEntry): WeshEvent | undefined {
  if (!isPassThroughType(event.type) || !('payload' in event.body)) return undefined
  const rec: WeshEvent = {
    eventType: event.type,
    payload: event.body.payload,
    devicePk: event.devicePk,
    lamport: entry.clock.time,
    writer: entry.clock.id,
    entryId: entry.hash
  }
  const list = g.weshEvents
  const key = (e: WeshEvent): { clock: { time: number; id: string }; hash: string } => ({ clock: { time: e.lamport, id: e.writer }, hash: e.entryId })
  // Entries mostly arrive in order: search from the end.
  let i = list.length
  while (i > 0 && compareEntries(key(list[i - 1] as WeshEvent), key(rec)) > 0) i--
  if (i > 0 && (list[i - 1] as WeshEvent).entryId === rec.entryId) return undefined
  list.splice(i, 0, rec)
  return rec
}

/** Copies, so callers cannot reorder or alter the engine's list. */
export function listWeshEvents(g: OpenGroup, eventType?: number): WeshEvent[] {
  return g.weshEvents
    .filter((e) => eventType === undefined || e.eventType === eventType)
    .map((e) => ({ ...e, payload: new Uint8Array(e.payload), devicePk: new Uint8Array(e.devicePk) }))
}
