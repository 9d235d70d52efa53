/**
 * Measuring other processes (the daemons of the multi-process benches) from outside: CPU time and
 * peak RSS from Linux /proc, and a CPU profile of one child over a chosen window through its
 * inspector (node --inspect=127.0.0.1:0), so the profile holds the measured work and not the start;
 * and, through the same inspector, the JS heap a child keeps after a full collection.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import WebSocket from 'ws'

let tickMs: number | undefined
function clockTickMs(): number {
  if (tickMs === undefined) {
    let hz = 100
    try {
      hz = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
    } catch {
      // getconf missing: Linux's USER_HZ is 100 nearly everywhere
    }
    tickMs = 1000 / hz
  }
  return tickMs
}

/** User + system CPU of process `pid` so far, all its threads, in ms; NaN once it is gone. */
export function processCpuMs(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after "(comm)" (which may hold spaces) start at field 3; utime is 14, stime 15.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(f[11]) + Number(f[12])) * clockTickMs()
  } catch {
    return Number.NaN
  }
}

/** A kB field of `/proc/<pid>/status` (VmRSS, VmHWM…), in MB; NaN once the process is gone. */
function statusMb(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number {
  if (pid === undefined) return Number.NaN
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) / 1024 : Number.NaN
  } catch {
    return Number.NaN
  }
}

/** Peak resident set size of process `pid` (VmHWM), in MB; NaN once it is gone. */
export function processPeakRssMb(pid: number | undefined): number {
  return statusMb(pid, 'VmHWM')
}

/** Current resident set size of process `pid` (VmRSS), in MB; NaN once it is gone. */
export function processRssMb(pid: number | undefined): number {
  return statusMb(pid, 'VmRSS')
}

/** The inspector address node prints on stderr when started with --inspect. */
export function inspectorUrlOf(line: string): string | undefined {
  return /^Debugger listening on (ws:\/\/\S+)$/.exec(line.trim())?.[1]
}

/** A DevTools protocol session with another node process (node --inspect=127.0.0.1:0). */
export interface InspectorSession {
  post(method: string, params?: Record<string, unknown>): Promise<unknown>
  /** Calls `listener` with the params of every `method` notification the process sends. */
  on(method: string, listener: (params: unknown) => void): void
  close(): void
}

/** Opens a session with the inspector at `url` (the address `inspectorUrlOf` read from its stderr). */
export async function connectInspector(url: string): Promise<InspectorSession> {
  const ws = new WebSocket(url)
  await new Promise<void>((res, rej) => {
    ws.once('open', () => res())
    ws.once('error', rej)
  })
  let next = 1
  const waiting = new Map<number, { res: (v: unknown) => void; rej: (e: Error) => void }>()
  const listeners = new Map<string, Array<(params: unknown) => void>>()
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as { id?: number; method?: string; params?: unknown; result?: unknown; error?: { message: string } }
    if (msg.id === undefined && msg.method !== undefined) for (const l of listeners.get(msg.method) ?? []) l(msg.params)
    const w = msg.id === undefined ? undefined : waiting.get(msg.id)
    if (!w) return
    waiting.delete(msg.id!)
    if (msg.error) w.rej(new Error(msg.error.message))
    else w.res(msg.result)
  })
  ws.on('close', () => {
    for (const w of waiting.values()) w.rej(new Error('inspector closed'))
    waiting.clear()
  })
  return {
    post: (method, params = {}) =>
      new Promise<unknown>((res, rej) => {
        const id = next++
        waiting.set(id, { res, rej })
        ws.send(JSON.stringify({ id, method, params }))
      }),
    on: (method, listener) => listeners.set(method, [...(listeners.get(method) ?? []), listener]),
    close: () => ws.close()
  }
}

/** Writes a heap snapshot of the process behind `session` to `file` (open it in Chrome's DevTools, Memory tab). */
export async function writeHeapSnapshot(session: InspectorSession, file: string): Promise<void> {
  const chunks: string[] = []
  session.on('HeapProfiler.addHeapSnapshotChunk', (p) => chunks.push((p as { chunk: string }).chunk))
  await session.post('HeapProfiler.takeHeapSnapshot', { reportProgress: false })
  writeFileSync(file, chunks.join(''))
  chunks.length = 0
}

/**
 * The JS heap of the process behind `session` after a full collection, in MB: what it holds on to,
 * not what it has yet to collect (V8's own HeapProfiler.collectGarbage, then Runtime.getHeapUsage).
 */
export async function heapAfterGcMb(session: InspectorSession): Promise<number> {
  await session.post('HeapProfiler.collectGarbage')
  const { usedSize } = (await session.post('Runtime.getHeapUsage')) as { usedSize: number }
  return usedSize / (1024 * 1024)
}

/**
 * Starts the V8 profiler of the process behind inspector `url`; the returned function stops it and
 * writes the .cpuprofile to `file` (then `remapBundle` names the bundled sources).
 */
export async function startRemoteProfile(url: string): Promise<(file: string) => Promise<void>> {
  const session = await connectInspector(url)
  await session.post('Profiler.enable')
  await session.post('Profiler.start')
  return async (file) => {
    const { profile } = (await session.post('Profiler.stop')) as { profile: unknown }
    writeFileSync(file, JSON.stringify(profile))
    session.close()
  }
}

/**
 * Rewrites the frames of a profile taken from the daemon bundle (tests/support/daemon-bundle.ts) to
 * the source files they came from: esbuild starts each module with a `// path/to/file.ts` comment
 * (relative to the directory it ran in, node_modules included),
 * so a frame's bundle line falls in the last module started above it. Lines become approximate
 * (relative to the module's start in the bundle); names and files are what a summary needs.
 */
export function remapBundle(file: string, bundle: string, root: string): void {
  const lines = readFileSync(bundle, 'utf8').split('\n')
  const starts: Array<{ line: number; path: string }> = []
  lines.forEach((l, i) => {
    const m = /^\/\/ (\S+\.(?:ts|js|mjs|cjs|json))$/.exec(l)
    if (m) starts.push({ line: i, path: m[1]! })
  })
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Array<{ callFrame: { url: string; lineNumber: number } }> }
  const bundleUrl = `file://${bundle}`
  for (const n of profile.nodes) {
    const cf = n.callFrame
    if (cf.url !== bundleUrl && cf.url !== bundle) continue
    let lo = 0
    let hi = starts.length - 1
    let at = -1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      if (starts[mid]!.line <= cf.lineNumber) {
        at = mid
        lo = mid + 1
      } else hi = mid - 1
    }
    if (at < 0) continue
    cf.url = `file://${resolve(root, starts[at]!.path)}`
    cf.lineNumber -= starts[at]!.line
  }
  writeFileSync(file, JSON.stringify(profile))
}
