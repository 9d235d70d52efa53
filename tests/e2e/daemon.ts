// Starts real headless daemons (the same node the Electron app hosts) for UI tests.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'

export interface Ready {
  event: 'ready'
  api: string
  token: string
  ui: string
  peerId: string
  addrs: string[]
}

export interface RunningDaemon {
  ready: Ready
  dataDir: string
  logs: string[]
  stop(): Promise<number | null>
}

const root = resolve(import.meta.dirname, '../..')

export async function startDaemon(
  name: string,
  dataDir = mkdtempSync(join(tmpdir(), `berty-e2e-${name}-`)),
  extraArgs: string[] = []
): Promise<RunningDaemon> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'core/daemon/cli.ts'), '--data', dataDir, '--listen', '/ip4/127.0.0.1/tcp/0', ...extraArgs],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] }
  )
  const logs: string[] = []
  createInterface({ input: child.stderr! }).on('line', (l) => logs.push(l))
  const ready = await new Promise<Ready>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name}: no ready line in 60 s\n${logs.join('\n')}`)), 60_000)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${name}: exited with ${code} before ready\n${logs.join('\n')}`))
    })
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer)
      try {
        resolveReady(JSON.parse(line) as Ready)
      } catch (err) {
        reject(err)
      }
    })
  })
  let exited: Promise<number | null> | undefined
  return {
    ready,
    dataDir,
    logs,
    stop() {
      exited ??= new Promise((res) => {
        if (child.exitCode !== null) return res(child.exitCode)
        child.once('exit', (code) => res(code))
        child.kill('SIGTERM')
      })
      return exited
    }
  }
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
}
