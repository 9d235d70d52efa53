/**
 * Multi-daemon benches in a network namespace of their own. With the default settings, daemons started
 * on this host find other sessions' daemons through mDNS and the DHT, and strangers then share the
 * figures. `rerunIsolated` re-runs the current bench inside a fresh namespace (root): loopback plus a veth
 * pair (both ends inside) carrying multicast, so LAN discovery still works among the bench's own daemons
 * and nothing else. Namespace removed afterwards.
 */
import { execFileSync, spawnSync } from 'node:child_process'

/** Set inside the namespace: the child runs the bench itself. */
const INSIDE = 'BENCH_IN_NETNS'

export function insideIsolation(): boolean {
  return process.env[INSIDE] === '1'
}

/**
 * Runs `node <this script> <bench>` in its own namespace with `env` added; resolves true once it ran,
 * false when namespaces are unavailable (the caller then runs on the host and says so).
 */
export function rerunIsolated(bench: string, env: Record<string, string> = {}): boolean {
  const ns = `bench-${bench}-${process.pid}`
  const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'inherit'] })
  try {
    ip('netns', 'add', ns)
    ip('-n', ns, 'link', 'set', 'lo', 'up')
    ip('-n', ns, 'link', 'add', 'mc0', 'type', 'veth', 'peer', 'name', 'mc1')
    ip('-n', ns, 'link', 'set', 'mc1', 'up')
    ip('-n', ns, 'link', 'set', 'mc0', 'multicast', 'on', 'up')
    ip('-n', ns, 'addr', 'add', '10.213.0.1/24', 'dev', 'mc0')
    ip('-n', ns, 'route', 'add', '224.0.0.0/4', 'dev', 'mc0')
  } catch (err) {
    console.log(`${bench}: no network namespace (${(err as Error).message.split('\n')[0]}); running on the host, where other daemons may be found`)
    spawnSync('ip', ['netns', 'del', ns], { stdio: 'ignore' })
    return false
  }
  try {
    const r = spawnSync('ip', ['netns', 'exec', ns, process.execPath, ...process.execArgv, process.argv[1]!, bench], {
      stdio: 'inherit',
      env: { ...process.env, ...env, [INSIDE]: '1' }
    })
    if (r.status !== 0) throw new Error(`${bench} bench in namespace ${ns} exited with ${r.status ?? r.signal}`)
  } finally {
    spawnSync('ip', ['netns', 'del', ns], { stdio: 'ignore' })
  }
  return true
}
