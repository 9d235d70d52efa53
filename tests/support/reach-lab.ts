/**
 * Shared steps of the network-namespace reach tests: start hosts, join by namespace, chat both ways.
 * Used by tests/integration/reach-*.test.ts and bench/reach.ts.
 */
import { fileURLToPath } from 'node:url'
import type { ReachSettings } from '../../core/net/reach-config'
import type { LabProcess, NetnsLab } from './netns'

export const HOST = fileURLToPath(new URL('./reach-host.ts', import.meta.url))

export interface Ready extends Record<string, unknown> {
  peerId: string
  addrs: string[]
}

export interface Host {
  proc: LabProcess
  ready: Ready
}

export async function startHost(lab: NetnsLab, ns: string, config: { listen: string[]; bootstrap?: string[]; relays?: string[]; settings: ReachSettings; webrtc?: boolean }): Promise<Host> {
  const proc = lab.spawn(ns, HOST, [JSON.stringify(config)])
  const ready = await proc.next<Ready>((m) => m.event === 'ready', 60_000)
  return { proc, ready }
}

export interface JoinFigures {
  /** From B's watch to B finding A. */
  findMs: number
  /** From B's watch to B receiving A's reply (the "join → first message received" figure). */
  firstMessageMs: number
  /** Paths each side saw the other's message on. */
  pathAtA: string
  pathAtB: string
  driver: string
}

/** A advertises `ns`; B watches it, finds A, says hello; A answers; both messages must arrive. */
export async function joinAndChat(a: Host, b: Host, ns: string, timeoutMs = 45_000): Promise<JoinFigures> {
  a.proc.send({ cmd: 'advertise', ns })
  const t0 = performance.now()
  b.proc.send({ cmd: 'watch', ns })
  const found = await b.proc.next<{ driver: string }>((m) => m.event === 'found' && m.ns === ns && m.peer === a.ready.peerId, timeoutMs)
  const findMs = performance.now() - t0
  b.proc.send({ cmd: 'send', peer: a.ready.peerId, text: `hello from B on ${ns}` })
  const atA = await a.proc.next<{ path: string }>((m) => m.event === 'message' && m.from === b.ready.peerId && m.text === `hello from B on ${ns}`, timeoutMs)
  a.proc.send({ cmd: 'send', peer: b.ready.peerId, text: `hello from A on ${ns}` })
  const atB = await b.proc.next<{ path: string }>((m) => m.event === 'message' && m.from === a.ready.peerId && m.text === `hello from A on ${ns}`, timeoutMs)
  return { findMs, firstMessageMs: performance.now() - t0, pathAtA: atA.path, pathAtB: atB.path, driver: found.driver }
}

export async function status(p: LabProcess): Promise<Record<string, unknown>> {
  const before = p.lines.length
  p.send({ cmd: 'status' })
  return p.next((m) => m.event === 'status' && p.lines.indexOf(m) >= before, 10_000)
}
