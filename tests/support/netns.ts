/**
 * Network-namespace labs for reachability tests: namespaces, veth pairs, a bridge ("switch") that lives
 * in its own namespace, routers with IP forwarding, and NAT routers (iptables MASQUERADE). Nothing is
 * created in, or attached to, the host's namespace: veth pairs are born directly inside their namespaces
 * (`ip link add … netns A type veth peer … netns B`), so the host's interfaces and routes are never touched
 * and no address outside the lab is reachable from inside it.
 *
 * Every lab is torn down by `close()` (processes killed by pid, then namespaces deleted), which tests call
 * in `afterAll`; a `process.on('exit')` hook deletes leftovers if a test run is killed mid-way.
 * Needs root, `ip` (iproute2) and, for NAT, `iptables` (`apt-get install -y iproute2 iptables`).
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createInterface } from 'node:readline'

export type Availability = { ok: true } | { ok: false; reason: string }

/** Whether namespaces can be created here; the reason is printed by the skipping test. */
export function netnsAvailability(needNat = false): Availability {
  if (process.platform !== 'linux') return { ok: false, reason: 'network namespaces need Linux' }
  if (process.getuid?.() !== 0) return { ok: false, reason: 'network namespaces need root (run the tests as root)' }
  const ip = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' })
  if (ip.error != null || ip.status !== 0) return { ok: false, reason: `\`ip netns\` is unavailable: ${ip.error?.message ?? ip.stderr.trim()} (apt-get install -y iproute2)` }
  if (needNat) {
    const ipt = spawnSync('iptables', ['--version'], { encoding: 'utf8' })
    if (ipt.error != null || ipt.status !== 0) return { ok: false, reason: 'iptables is unavailable (apt-get install -y iptables)' }
  }
  return { ok: true }
}

const live = new Set<NetnsLab>()
process.once('exit', () => {
  for (const lab of live) lab.closeSync()
})

function run(args: string[]): string {
  const r = spawnSync(args[0] as string, args.slice(1), { encoding: 'utf8' })
  if (r.error != null || r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.error?.message ?? r.stderr.trim()}`)
  return r.stdout
}

export interface LabProcess {
  readonly ns: string
  readonly child: ChildProcessWithoutNullStreams
  /** Sends one JSON line on stdin. */
  send(msg: Record<string, unknown>): void
  /** Resolves with the first JSON line from stdout matching `match` (lines already received included). */
  next<T extends Record<string, unknown>>(match: (m: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<T>
  /** Every JSON line received so far. */
  readonly lines: Array<Record<string, unknown>>
  stderr(): string
}

export class NetnsLab {
  /** Short and unique: interface names are capped at 15 characters. */
  readonly id = randomBytes(3).toString('hex')
  private readonly namespaces: string[] = []
  private readonly processes: LabProcess[] = []
  private links = 0

  constructor() {
    live.add(this)
  }

  /** Creates namespace `<lab>-<name>` with loopback up; returns its full name. */
  ns(name: string): string {
    const full = `brt${this.id}-${name}`
    run(['ip', 'netns', 'add', full])
    this.namespaces.push(full)
    run(['ip', '-n', full, 'link', 'set', 'lo', 'up'])
    return full
  }

  /** A bridge `br0` inside `sw` (multicast snooping off so mDNS floods). */
  bridge(sw: string): void {
    run(['ip', '-n', sw, 'link', 'add', 'br0', 'type', 'bridge', 'mcast_snooping', '0'])
    run(['ip', '-n', sw, 'link', 'set', 'br0', 'up'])
  }

  /** Plugs `ns` into the bridge of `sw` with address `cidr` on its end; returns the interface name in `ns`. */
  plug(ns: string, sw: string, cidr: string): string {
    const n = this.links++
    const inside = `e${n}`
    const port = `p${this.id}${n}`
    run(['ip', 'link', 'add', inside, 'netns', ns, 'type', 'veth', 'peer', 'name', port, 'netns', sw])
    run(['ip', '-n', sw, 'link', 'set', port, 'master', 'br0', 'up'])
    this.up(ns, inside, cidr)
    return inside
  }

  /** A point-to-point veth between `a` and `b`; returns the interface names. */
  wire(a: string, cidrA: string, b: string, cidrB: string): [string, string] {
    const n = this.links++
    const ia = `e${n}a`
    const ib = `e${n}b`
    run(['ip', 'link', 'add', ia, 'netns', a, 'type', 'veth', 'peer', 'name', ib, 'netns', b])
    this.up(a, ia, cidrA)
    this.up(b, ib, cidrB)
    return [ia, ib]
  }

  /** Brings `dev` in `ns` up or down (a cable pulled and plugged back); its addresses stay. */
  link(ns: string, dev: string, state: 'up' | 'down'): void {
    run(['ip', '-n', ns, 'link', 'set', dev, state])
  }

  route(ns: string, ...args: string[]): void {
    run(['ip', '-n', ns, 'route', 'add', ...args])
  }

  forward(ns: string): void {
    run(['ip', 'netns', 'exec', ns, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1'])
  }

  /** Source NAT (MASQUERADE) of everything leaving `ns` through `outIface`; forwarding on. */
  /**
   * Makes `ns` a NAT router towards `outIface`. Default: Linux MASQUERADE keeps the inside source port
   * when it can, so one inside socket gets one outside port whatever the destination ("endpoint-
   * independent mapping", what hole punching needs). `symmetric: true` adds `--random`: a fresh outside
   * port per destination, which defeats hole punching by design.
   */
  masquerade(ns: string, outIface: string, options: { symmetric?: boolean } = {}): void {
    this.forward(ns)
    run(['ip', 'netns', 'exec', ns, 'iptables', '-t', 'nat', '-A', 'POSTROUTING', '-o', outIface, '-j', 'MASQUERADE', ...(options.symmetric === true ? ['--random'] : [])])
    // A NAT: nothing from outside gets in unless it answers a flow from inside.
    run(['ip', 'netns', 'exec', ns, 'iptables', '-A', 'FORWARD', '-i', outIface, '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT'])
    run(['ip', 'netns', 'exec', ns, 'iptables', '-A', 'FORWARD', '-i', outIface, '-j', 'DROP'])
    // Nor to the router itself, as home routers: an unsolicited packet to the outside address must not
    // leave a conntrack entry behind, or the router's next mapping for that peer takes another port
    // (the reply tuple is taken) and a hole punch that was about to work fails.
    run(['ip', 'netns', 'exec', ns, 'iptables', '-A', 'INPUT', '-i', outIface, '-m', 'conntrack', '--ctstate', 'NEW,INVALID', '-j', 'DROP'])
  }

  /** Runs `node --import tsx script args…` inside `ns`, talking JSON lines over stdin/stdout. */
  spawn(ns: string, script: string, args: string[]): LabProcess {
    const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '--import', 'tsx', script, ...args], {
      cwd: process.cwd(),
      stdio: ['pipe', 'pipe', 'pipe']
    })
    const lines: Array<Record<string, unknown>> = []
    const waiters = new Set<{ match: (m: Record<string, unknown>) => boolean; resolve: (m: Record<string, unknown>) => void }>()
    let err = ''
    child.stderr.on('data', (d: Buffer) => {
      err = (err + d.toString()).slice(-20_000)
    })
    createInterface({ input: child.stdout }).on('line', (line) => {
      let msg: Record<string, unknown>
      try {
        msg = JSON.parse(line) as Record<string, unknown>
      } catch {
        return
      }
      lines.push(msg)
      for (const w of [...waiters]) {
        if (w.match(msg)) {
          waiters.delete(w)
          w.resolve(msg)
        }
      }
    })
    const proc: LabProcess = {
      ns,
      child,
      lines,
      stderr: () => err,
      send: (msg) => child.stdin.write(`${JSON.stringify(msg)}\n`),
      next: <T extends Record<string, unknown>>(match: (m: Record<string, unknown>) => boolean, timeoutMs = 30_000) =>
        new Promise<T>((resolve, reject) => {
          const seen = lines.find(match)
          if (seen != null) return resolve(seen as T)
          // Each wait's exit listener goes with the wait: a long-lived process waited on many times
          // kept one per wait (Node's MaxListenersExceededWarning in the namespace scenarios).
          const onExit = (code: number | null): void => {
            if (!waiters.has(w)) return
            waiters.delete(w)
            clearTimeout(timer)
            reject(new Error(`${ns}: process exited (${code}) before a matching line; stderr:\n${err.slice(-3000)}`))
          }
          const timer = setTimeout(() => {
            waiters.delete(w)
            child.off('exit', onExit)
            reject(new Error(`${ns}: no matching line within ${timeoutMs} ms; last stderr:\n${err.slice(-3000)}`))
          }, timeoutMs)
          const w = {
            match,
            resolve: (m: Record<string, unknown>) => {
              clearTimeout(timer)
              child.off('exit', onExit)
              resolve(m as T)
            }
          }
          waiters.add(w)
          child.once('exit', onExit)
        })
    }
    this.processes.push(proc)
    return proc
  }

  /** Kills every process (by pid, then waits for it), then deletes every namespace. */
  async close(): Promise<void> {
    await Promise.all(this.processes.splice(0).map(async (p) => {
      if (p.child.exitCode != null || p.child.signalCode != null) return
      const exited = new Promise<void>((resolve) => p.child.once('exit', () => resolve()))
      p.child.kill('SIGTERM')
      const timer = setTimeout(() => p.child.kill('SIGKILL'), 5_000)
      await exited
      clearTimeout(timer)
    }))
    this.closeSync()
  }

  closeSync(): void {
    for (const p of this.processes.splice(0)) p.child.kill('SIGKILL')
    for (const ns of this.namespaces.splice(0).reverse()) spawnSync('ip', ['netns', 'del', ns])
    live.delete(this)
  }

  private up(ns: string, iface: string, cidr: string): void {
    run(['ip', '-n', ns, 'addr', 'add', cidr, 'dev', iface])
    run(['ip', '-n', ns, 'link', 'set', iface, 'up'])
  }
}
