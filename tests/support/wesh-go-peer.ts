/**
 * Builds and drives the Go program of tests/vectors/go in its peer modes (responder.go): weshnet's own
 * contact-request code on one TCP connection. Built offline exactly as the README says (Debian's Go
 * packages under /usr/share/gocode, GO111MODULE=off), into a temporary directory: the `.pb.go` files are
 * generated there by protoc and never land in the tree.
 */
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)
const GO_DIR = fileURLToPath(new URL('../vectors/go', import.meta.url))
const GOPATH = '/usr/share/gocode'
const PROTOS = ['protocoltypes.proto', 'handshake.proto', 'crypto.proto', 'messengertypes_links.proto', 'messengertypes_app.proto']

export interface GoPeerBuild {
  binary: string
  dispose(): void
}

/** Why the Go peer cannot be built here, or undefined when it can. */
export async function goPeerUnavailable(): Promise<string | undefined> {
  for (const tool of ['go', 'protoc', 'protoc-gen-go']) {
    try {
      await run('sh', ['-c', `command -v ${tool}`])
    } catch {
      return `${tool} is not installed (see tests/vectors/go/README.md "Regenerate")`
    }
  }
  for (const pkg of ['google.golang.org/protobuf', 'golang.org/x/crypto/nacl/box', 'filippo.io/edwards25519']) {
    if (!existsSync(join(GOPATH, 'src', pkg))) return `Debian Go package for ${pkg} is missing under ${GOPATH}`
  }
  return undefined
}

export async function buildGoPeer(): Promise<GoPeerBuild> {
  const dir = mkdtempSync(join(tmpdir(), 'wesh-go-peer-'))
  for (const f of readdirSync(GO_DIR)) if (f.endsWith('.go')) cpSync(join(GO_DIR, f), join(dir, f))
  cpSync(join(GO_DIR, 'proto'), join(dir, 'proto'), { recursive: true })
  const m = PROTOS.map((p) => `--go_opt=M${p}=vectors/main;main`)
  await run('protoc', ['--go_out=..', '--go_opt=paths=source_relative', ...m, ...PROTOS], { cwd: join(dir, 'proto') })
  const env = { ...process.env, GO111MODULE: 'off', GOPATH, GOFLAGS: '' }
  await run('go', ['build', '-o', 'wesh-peer', '.'], { cwd: dir, env, timeout: 240_000 })
  return { binary: join(dir, 'wesh-peer'), dispose: () => rmSync(dir, { recursive: true, force: true }) }
}

/** A running Go peer: its JSON lines in order, and its exit. */
export class GoPeerProcess {
  private readonly lines: unknown[] = []
  private readonly waiters: Array<(line: unknown) => void> = []
  readonly exited: Promise<number | null>
  readonly stderr: string[] = []

  constructor(readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      let parsed: unknown
      try {
        parsed = JSON.parse(line)
      } catch {
        parsed = { ok: false, error: `not JSON: ${line}` }
      }
      const w = this.waiters.shift()
      if (w) w(parsed)
      else this.lines.push(parsed)
    })
    child.stderr.on('data', (b: Buffer) => this.stderr.push(b.toString()))
    this.exited = new Promise((res) => child.on('exit', (code) => res(code)))
  }

  /** The next JSON line, or a rejection after `timeoutMs`. */
  next<T = Record<string, unknown>>(timeoutMs = 30_000): Promise<T> {
    const ready = this.lines.shift()
    if (ready !== undefined) return Promise.resolve(ready as T)
    return new Promise<T>((res, rej) => {
      const t = setTimeout(() => rej(new Error(`no output from the Go peer in ${timeoutMs} ms; stderr: ${this.stderr.join('')}`)), timeoutMs)
      this.waiters.push((line) => {
        clearTimeout(t)
        res(line as T)
      })
    })
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL')
  }
}

export function startGoPeer(binary: string, args: string[]): GoPeerProcess {
  return new GoPeerProcess(spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] }))
}
