/**
 * Pass-through weshnet events in an open group (core/protocol/group/wesh-events.ts): the engine
 * carries them for the features built on it (contacts, device linking, replication) without
 * interpreting them. Kept in memory in log order; the metadata replay at open rebuilds the list.
 */
import type { GroupEffect } from '../protocol/group'
import { compareEntries, type BertyLogEntry } from './group-log'
import type { OpenGroup, WeshEventRecord } from './types'

const orderOf = (e: WeshEventRecord): { clock: { time: number; id: string }; hash: string } => ({ clock: { time: e.lamport, id: e.writer }, hash: e.entryId })

/**
 * Adds a verified pass-through event at its place in log order (Lamport time, writer, entry id);
 * undefined if that entry is listed already.
 */
export function addWeshEvent(g: OpenGroup, fx: Extract<GroupEffect, { type: 'wesh-event' }>, entry: BertyLogEntry): WeshEventRecord | undefined {
  const rec: WeshEventRecord = {
    eventType: fx.eventType,
    payload: fx.payload,
    devicePk: fx.devicePk,
    lamport: entry.clock.time,
    writer: entry.clock.id,
    entryId: entry.hash
  }
  const list = g.weshEvents
  // Entries mostly arrive in order: search from the end.
  let i = list.length
  while (i > 0 && compareEntries(orderOf(list[i - 1]!), orderOf(rec)) > 0) i--
  if (i > 0 && list[i - 1]!.entryId === rec.entryId) return undefined
  list.splice(i, 0, rec)
  return rec
}

/** Copies, so callers cannot reorder or alter the engine's list. */
export function listWeshEvents(g: OpenGroup, eventType?: number): WeshEventRecord[] {
  return g.weshEvents
    .filter((e) => eventType === undefined || e.eventType === eventType)
    .map((e) => ({ ...e, payload: new Uint8Array(e.payload), devicePk: new Uint8Array(e.devicePk) }))
}
